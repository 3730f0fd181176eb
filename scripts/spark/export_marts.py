#!/usr/bin/env python3
"""Export every mart built on Spark to Parquet, for the cross-engine comparison (compare_engines.py).

    python scripts/spark/export_marts.py --manifest target/spark/manifest.json --out data/spark/marts

Every enabled model under models/marts/ in the manifest is written by the cluster itself
(`insert overwrite directory '<out>/<model>' using parquet select * from <schema>.<table>`), so the
files carry Spark's own types and values; the cluster can then be stopped before the comparison runs.

Connection: SPARK_THRIFT_HOST (127.0.0.1) and SPARK_THRIFT_PORT (10000), as profiles.yml.
Exit status: 0 exported; 1 a table failed; 2 usage error: no manifest, or no Thrift server.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from compare_engines import mart_models
from load_raw_postgres import one_line
from thrift_server import open_cursor

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def mart_relations(manifest: dict) -> dict[str, str]:
    """{model name: schema.table} of the marts (compare_engines.mart_models)."""
    return {n["name"]: f"{n['schema']}.{n['alias'] or n['name']}" for n in mart_models(manifest)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--manifest", type=Path, default=Path("target/spark/manifest.json"),
                   help="the Spark build's manifest (default: target/spark/manifest.json)")
    p.add_argument("--out", type=Path, default=Path("data/spark/marts"),
                   help="folder that receives one Parquet folder per mart (default: data/spark/marts)")
    args = p.parse_args(argv)
    if not args.manifest.is_file():
        print(f"export_marts: error: no manifest at {args.manifest} (run make spark-build first)", file=sys.stderr)
        return EXIT_USAGE
    marts = mart_relations(json.loads(args.manifest.read_text()))
    cursor = open_cursor("export_marts")
    if cursor is None:
        return EXIT_USAGE

    out = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.perf_counter()
    failed = []
    for name, relation in marts.items():
        try:
            cursor.execute(f"insert overwrite directory 'file://{out / name}' using parquet select * from {relation}")
        except Exception as e:
            failed.append(name)
            print(f"  FAILED {relation}: {one_line(e)[:500]}", file=sys.stderr)
            continue
        print(f"  {relation} -> {out / name}", flush=True)
    print(f"export_marts: {len(marts) - len(failed)} of {len(marts)} marts in {time.perf_counter() - started:.1f} s")
    return EXIT_FAILED if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
