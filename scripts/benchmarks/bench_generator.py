#!/usr/bin/env python3
"""Benchmark the data generator: wall time, peak RSS, rows per table and size on disk.

    python scripts/benchmarks/bench_generator.py --customers 100000 --json bench.json

The generator runs in a subprocess writing into a temporary folder (removed afterwards unless
--keep is given); peak RSS is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def run(customers: int, days: int, seed: int, as_of: str, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench_gen_")) if keep is None else keep
    cmd = [sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--customers", str(customers),
           "--days", str(days), "--seed", str(seed), "--as-of", as_of, "--out", str(tmp), "--quiet"]
    env = dict(os.environ, DO_NOT_TRACK="1")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"generator failed with exit code {proc.returncode}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss
    manifest = json.loads((tmp / "truth" / "manifest.json").read_text())
    sizes = {}
    for key in manifest["row_counts"]:
        system, table = key.split(".")
        sizes[key] = round(_dir_mb(tmp / "raw" / system / table), 2)
    result = {
        "customers": customers, "days": days, "seed": seed, "as_of": as_of,
        "wall_seconds": round(wall, 1), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "rows": manifest["row_counts"], "mb_on_disk": sizes,
        "total_rows": sum(manifest["row_counts"].values()),
        "total_mb_raw": round(_dir_mb(tmp / "raw"), 1),
        "total_mb_truth": round(_dir_mb(tmp / "truth"), 1),
        "python": sys.version.split()[0], "cpus": os.cpu_count(),
    }
    if keep is None:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=100_000)
    p.add_argument("--days", type=int, default=730)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--as-of", default="2025-12-31", dest="as_of")
    p.add_argument("--json", type=Path, help="also write the result as JSON here")
    p.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    a = p.parse_args(argv)
    if a.customers <= 0 or a.days <= 0:
        p.error("--customers and --days must be positive")
    r = run(a.customers, a.days, a.seed, a.as_of, a.keep)
    print(f"customers {r['customers']:,}  days {r['days']}  wall {r['wall_seconds']:.1f}s  "
          f"cpu {r['cpu_seconds']:.1f}s  "
          f"peak RSS {r['peak_rss_mb']:,.0f} MB  raw {r['total_mb_raw']:,.1f} MB  "
          f"truth {r['total_mb_truth']:,.1f} MB")
    print(f"{'table':<36}{'rows':>14}{'MB':>10}")
    for key, rows in r["rows"].items():
        print(f"{key:<36}{rows:>14,}{r['mb_on_disk'][key]:>10.1f}")
    print(f"{'total':<36}{r['total_rows']:>14,}{r['total_mb_raw']:>10.1f}")
    if a.json:
        a.json.write_text(json.dumps(r, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
