"""The Spark Thrift server the scripts talk to: SPARK_THRIFT_HOST (127.0.0.1) and SPARK_THRIFT_PORT
(10000), as profiles.yml."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from load_raw_postgres import one_line


def address() -> tuple[str, int]:
    return os.environ.get("SPARK_THRIFT_HOST", "127.0.0.1"), int(os.environ.get("SPARK_THRIFT_PORT", "10000"))


def open_cursor(tool: str):
    """A PyHive cursor on the Thrift server, or None after telling stderr (as `tool`) why not."""
    host, port = address()
    try:
        from pyhive import hive  # dbt-spark[PyHive] installs it

        return hive.connect(host=host, port=port).cursor()
    except Exception as e:  # thrift and sockets raise several unrelated types
        print(f"{tool}: error: no Spark Thrift server at {host}:{port}: {one_line(e)}\n"
              "  (start one: scripts/spark/cluster.sh start)", file=sys.stderr)
        return None
