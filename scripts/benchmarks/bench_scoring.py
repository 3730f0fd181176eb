#!/usr/bin/env python3
"""Benchmark the scoring stage (order summary, RFM, lifecycle, value): dbt on DuckDB against pandas.

    python scripts/benchmarks/bench_scoring.py --customers 1000000 --orders 10000000 \\
        --workdir /tmp/hbench/scoring_1m --json bench_scoring.json

1. Synthetic inputs (make_scoring_inputs.py) into <workdir>, unless they are there for this scale.
2. `dbt seed --select rfm_segments value_tiers` into <workdir>/warehouse.duckdb (not timed).
3. Timed, each in its own subprocess: `dbt run --select int_customer_order_summary customer_rfm
   customer_lifecycle customer_value` (DuckDB, threads 1) and pandas_scoring.py (reads the same
   inputs from Parquet, writes its four outputs to Parquet). Wall time, and peak RSS from wait4()
   (the kernel's high-water mark of the process, what `/usr/bin/time -v` reports), plus the largest
   sum of VmRSS over the whole process tree sampled every 20 ms as a cross-check. The models' own
   execution time comes from dbt's run_results.json.
4. The four dbt tables and the four pandas outputs are compared by the sha256 of their canonical
   text (scoring_common.py); the first differing rows are printed and the exit code is 1 on a
   mismatch.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import pandas_scoring  # noqa: E402 (needs the sys.path line)
from scoring_common import OUTPUT_RELATIONS, canonicalize, describe_differences  # noqa: E402

MODELS = list(OUTPUT_RELATIONS)
SEEDS = ["rfm_segments", "value_tiers"]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# measuring a subprocess


def _tree_rss_kb(root_pid: int) -> tuple[int, int]:
    """Sum of VmRSS (kB) over root_pid and its descendants, and how many processes that is."""
    pids, total, seen = [root_pid], 0, 0
    while pids:
        pid = pids.pop()
        try:
            proc_dir = Path(f"/proc/{pid}")
            with (proc_dir / "status").open() as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            seen += 1
            for task in (proc_dir / "task").iterdir():
                with (task / "children").open() as f:
                    pids.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total, seen


# A child's ru_maxrss also counts the memory it had before exec(), i.e. a copy of this process's RSS
# at fork time (Linux keeps the high-water mark across exec). The measured command is therefore
# started by this tiny launcher (python -S, ~10 MB), whose own fork+exec is what wait4 reports.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(cmd: list[str], env: dict[str, str], log_file: Path, cwd: Path = ROOT) -> dict:
    """Run cmd; wall seconds, peak RSS (wait4 ru_maxrss of the command itself, through the launcher)
    and the sampled peak of the tree's RSS."""
    usage_file = log_file.with_suffix(".rusage")
    usage_file.unlink(missing_ok=True)
    with log_file.open("w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", _LAUNCHER, str(usage_file), *cmd], env=env, cwd=cwd,
                                stdout=log, stderr=subprocess.STDOUT)
        tree_peak_kb, max_procs = 0, 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                wall = time.perf_counter() - t0
                break
            rss, n = _tree_rss_kb(proc.pid)
            tree_peak_kb, max_procs = max(tree_peak_kb, rss), max(max_procs, n)
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    maxrss_kb, cpu_seconds = usage_file.read_text().split() if usage_file.exists() else (usage.ru_maxrss, "nan")
    return {
        "returncode": proc.returncode,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(float(cpu_seconds), 2),
        "peak_rss_mb": round(int(maxrss_kb) / 1024, 1),  # Linux: kB
        "sampled_tree_peak_rss_mb": round(tree_peak_kb / 1024, 1),
        "max_processes": max_procs,
    }


# ----------------------------------------------------------------------------------------------
# the two sides


def dbt_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_TARGET="duckdb", DUCKDB_PATH=str(workdir / "warehouse.duckdb"))
    env.setdefault("DBT_PROFILES_DIR", str(ROOT))
    return env


def dbt_command(workdir: Path, *args: str) -> list[str]:
    dbt = Path(sys.executable).parent / "dbt"
    if not dbt.exists():
        dbt = Path(shutil.which("dbt") or "dbt")
    # the synthetic warehouse has no raw files: declare none (var raw_sources), so none is required
    return [str(dbt), *args, "--project-dir", str(ROOT), "--target-path", str(workdir / "dbt_target"),
            "--log-path", str(workdir / "dbt_logs"), "--vars", "{raw_sources: {}}"]


def seed(workdir: Path) -> None:
    cmd = dbt_command(workdir, "seed", "--full-refresh", "--select", *SEEDS)
    proc = subprocess.run(cmd, env=dbt_env(workdir), cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:])
        raise SystemExit(f"dbt seed failed (exit {proc.returncode}); see {workdir / 'dbt_logs'}")


def run_dbt(workdir: Path, index: int) -> dict:
    cmd = dbt_command(workdir, "run", "--select", *MODELS)
    result = measure(cmd, dbt_env(workdir), workdir / f"dbt_run_{index}.log")
    if result["returncode"] != 0:
        raise SystemExit(f"dbt run failed (exit {result['returncode']}); see {workdir / f'dbt_run_{index}.log'}")
    run_results = json.loads((workdir / "dbt_target" / "run_results.json").read_text())
    models = {}
    for r in run_results["results"]:
        name = r["unique_id"].split(".")[-1]
        if name not in MODELS:  # the on-run-start hooks count as dbt overhead
            continue
        execute = [t for t in r["timing"] if t["name"] == "execute"]
        if execute:
            start = datetime.fromisoformat(execute[0]["started_at"])
            end = datetime.fromisoformat(execute[0]["completed_at"])
            models[name] = round((end - start).total_seconds(), 2)
        else:
            models[name] = round(r["execution_time"], 2)
    result["model_seconds"] = models
    result["models_total_seconds"] = round(sum(models.values()), 2)
    result["dbt_elapsed_seconds"] = round(run_results.get("elapsed_time", 0.0), 2)
    result["overhead_seconds"] = round(result["wall_seconds"] - result["models_total_seconds"], 2)
    return result


def run_pandas(workdir: Path, index: int) -> dict:
    cmd = [sys.executable, str(HERE / "pandas_scoring.py"), "--inputs", str(workdir / "inputs"),
           "--out", str(workdir / "pandas_out"), "--quiet"]
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    result = measure(cmd, env, workdir / f"pandas_run_{index}.log")
    if result["returncode"] != 0:
        raise SystemExit(f"pandas_scoring failed (exit {result['returncode']}); "
                         f"see {workdir / f'pandas_run_{index}.log'}")
    return result


# ----------------------------------------------------------------------------------------------
# comparison


def compare(workdir: Path, limit: int = 5) -> dict:
    import duckdb
    import pyarrow.parquet as pq

    out = {}
    con = duckdb.connect(str(workdir / "warehouse.duckdb"), read_only=True)
    try:
        for name, schema in OUTPUT_RELATIONS.items():
            # the pandas baseline mirrors the columns the scores use (pandas_scoring.SCHEMAS)
            columns = ", ".join(pandas_scoring.SCHEMAS[name])
            dbt_side = canonicalize(con.sql(f"select {columns} from {schema}.{name}").to_arrow_table())
            pandas_side = canonicalize(pq.read_table(workdir / "pandas_out" / f"{name}.parquet"))
            equal = dbt_side.sha256 == pandas_side.sha256
            out[name] = {"rows": dbt_side.rows, "dbt_sha256": dbt_side.sha256,
                         "pandas_sha256": pandas_side.sha256, "equal": equal}
            if not equal:
                out[name]["differences"] = describe_differences(dbt_side, pandas_side, "dbt", "pandas", limit)
    finally:
        con.close()
    return out


# ----------------------------------------------------------------------------------------------


def ensure_inputs(workdir: Path, customers: int, orders: int, seed_value: int, skip_generate: bool) -> dict:
    meta_file = workdir / "inputs" / "meta.json"
    have = json.loads(meta_file.read_text()) if meta_file.exists() else None
    if skip_generate:
        if have is None or not (workdir / "warehouse.duckdb").exists():
            raise SystemExit(f"--skip-generate: no inputs in {workdir}; run once without it")
        return have
    wanted = {"customers": customers, "orders": orders, "seed": seed_value}
    if have and all(have.get(k) == v for k, v in wanted.items()) and (workdir / "warehouse.duckdb").exists():
        _log(f"reusing inputs in {workdir} ({customers:,} customers / {orders:,} orders)")
        return have
    _log(f"generating {customers:,} customers / {orders:,} orders into {workdir}")
    # in a child process, so this process stays small while it measures the two sides
    subprocess.run([sys.executable, str(Path(__file__).with_name("make_scoring_inputs.py")), "--customers",
                    str(customers), "--orders", str(orders), "--seed", str(seed_value), "--workdir", str(workdir)],
                   check=True)
    return json.loads(meta_file.read_text())


def _summary(runs: list[dict], key: str) -> float:
    return round(statistics.median(r[key] for r in runs), 2)


def bench(workdir: Path, customers: int, orders: int, seed_value: int = 42, repeat: int = 1,
          skip_generate: bool = False) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    meta = ensure_inputs(workdir, customers, orders, seed_value, skip_generate)
    _log("dbt seed (not timed)")
    seed(workdir)
    dbt_runs, pandas_runs = [], []
    for i in range(repeat):
        _log(f"run {i + 1}/{repeat}: dbt run")
        dbt_runs.append(run_dbt(workdir, i))
        _log(f"  {dbt_runs[-1]['wall_seconds']}s, peak RSS {dbt_runs[-1]['peak_rss_mb']:,.0f} MB "
             f"(models {dbt_runs[-1]['models_total_seconds']}s)")
        _log(f"run {i + 1}/{repeat}: pandas")
        pandas_runs.append(run_pandas(workdir, i))
        _log(f"  {pandas_runs[-1]['wall_seconds']}s, peak RSS {pandas_runs[-1]['peak_rss_mb']:,.0f} MB")
    _log("comparing outputs")
    checks = compare(workdir)
    dbt_wall, pandas_wall = _summary(dbt_runs, "wall_seconds"), _summary(pandas_runs, "wall_seconds")
    dbt_models = _summary(dbt_runs, "models_total_seconds")
    dbt_rss = max(r["peak_rss_mb"] for r in dbt_runs)
    pandas_rss = max(r["peak_rss_mb"] for r in pandas_runs)
    return {
        "customers": meta["customers"], "orders": meta["orders"], "seed": meta["seed"],
        "as_of": meta.get("as_of"), "repeat": repeat,
        "dbt": {"wall_seconds": dbt_wall, "cpu_seconds": _summary(dbt_runs, "cpu_seconds"),
                "models_seconds": dbt_models, "peak_rss_mb": dbt_rss, "runs": dbt_runs},
        "pandas": {"wall_seconds": pandas_wall, "cpu_seconds": _summary(pandas_runs, "cpu_seconds"),
                   "peak_rss_mb": pandas_rss, "runs": pandas_runs},
        "speedup_end_to_end": round(pandas_wall / dbt_wall, 2),
        "speedup_cpu": round(_summary(pandas_runs, "cpu_seconds") / _summary(dbt_runs, "cpu_seconds"), 2),
        "speedup_models_only": round(pandas_wall / dbt_models, 2) if dbt_models else None,
        "memory_ratio": round(pandas_rss / dbt_rss, 2),
        "checksums": checks,
        "all_equal": all(c["equal"] for c in checks.values()),
        "environment": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "duckdb_memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT", "8GB (profile default)")},
    }


def print_report(r: dict) -> None:
    d, p = r["dbt"], r["pandas"]
    print(f"scoring stage, {r['customers']:,} customers / {r['orders']:,} orders "
          f"(median of {r['repeat']} run(s); peak RSS = max)")
    print(f"{'':<28}{'wall s':>10}{'cpu s':>10}{'peak RSS MB':>14}")
    print(f"{'dbt run (DuckDB, 1 thread)':<28}{d['wall_seconds']:>10.2f}{d['cpu_seconds']:>10.2f}"
          f"{d['peak_rss_mb']:>14,.0f}")
    print(f"{'  of which models execute':<28}{d['models_seconds']:>10.2f}")
    print(f"{'pandas':<28}{p['wall_seconds']:>10.2f}{p['cpu_seconds']:>10.2f}{p['peak_rss_mb']:>14,.0f}")
    print(f"speed-up (pandas / dbt): {r['speedup_end_to_end']:.2f}x end to end, "
          f"{r['speedup_models_only']:.2f}x vs models only, {r['speedup_cpu']:.2f}x in CPU time; "
          f"memory (pandas / dbt): {r['memory_ratio']:.2f}x")
    models = d["runs"][0]["model_seconds"]
    print("model execute seconds (run 1): " + ", ".join(f"{k} {v:.2f}" for k, v in models.items()))
    print(f"{'table':<30}{'rows':>11}  {'sha256 (dbt)':<18}{'equal':>7}")
    for name, c in r["checksums"].items():
        print(f"{name:<30}{c['rows']:>11,}  {c['dbt_sha256'][:16]:<18}{'yes' if c['equal'] else 'NO':>7}")
        for line in c.get("differences", []):
            print(f"    {line}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1_000_000)
    p.add_argument("--orders", type=int, default=10_000_000)
    p.add_argument("--workdir", type=Path, help="inputs, warehouse and outputs (default /tmp/hbench/scoring_<C>_<O>)")
    p.add_argument("--seed", type=int, default=42, help="generator seed")
    p.add_argument("--repeat", type=int, default=1, help="timed runs of each side (median time, max RSS)")
    p.add_argument("--skip-generate", action="store_true", help="use the inputs already in --workdir")
    p.add_argument("--json", type=Path, help="also write the result as JSON here")
    a = p.parse_args(argv)
    if a.customers <= 0 or a.orders <= 0 or a.repeat <= 0:
        p.error("--customers, --orders and --repeat must be positive")
    workdir = a.workdir or Path(f"/tmp/hbench/scoring_{a.customers}_{a.orders}")
    try:
        result = bench(workdir.resolve(), a.customers, a.orders, a.seed, a.repeat, a.skip_generate)
    except ValueError as exc:
        p.error(str(exc))
    print_report(result)
    if a.json:
        a.json.write_text(json.dumps(result, indent=2) + "\n")
    if not result["all_equal"]:
        print("MISMATCH: the pandas outputs differ from the dbt tables (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
