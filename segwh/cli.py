"""segwh: run the warehouse and manage its serving store.

    segwh run [--raw data/raw] [--db data/warehouse.duckdb] [-- <dbt build args>]
    segwh status                     the publish readers see, and the ones kept
    segwh rollback [PUBLISH_ID]      point readers at an earlier publish (default: the one before)
    segwh gate                       run the quality gate on the build store (after a manual dbt build)
    segwh publish                    publish the build store as it is (after a manual dbt build)

Installed into .venv by `make setup` (also `python -m segwh` from the repo root). Exit codes:
docs/production.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _reference(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="segwh", description=__doc__.split("\n\n")[0])
    sub = top.add_subparsers(dest="command", required=True)
    data = Path(os.environ.get("SEGWH_DATA", ROOT / "data"))

    def stores(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, default=Path(os.environ.get("DUCKDB_PATH", data / "warehouse.duckdb")),
                       help="the build store dbt writes (default: $DUCKDB_PATH or data/warehouse.duckdb)")
        p.add_argument("--serving", type=Path, default=data / "serving",
                       help="the serving store folder readers use (default: data/serving)")

    run = sub.add_parser("run", help="lock, source freshness, dbt build, publish")
    stores(run)
    run.add_argument("--raw", type=Path, default=Path(os.environ.get("RAW_DATA_ROOT", data / "raw")),
                     help="raw Parquet folder <system>/<table>/*.parquet (default: $RAW_DATA_ROOT or data/raw)")
    run.add_argument("--target-path", type=Path, default=ROOT / "target", help="dbt's target path (default: target)")
    run.add_argument("--runs", type=Path, default=data / "runs", help="run artifacts folder (default: data/runs)")
    run.add_argument("--as-of", help="as-of date YYYY-MM-DD (default: the data's latest date)")
    run.add_argument("--vars", help="more dbt vars as YAML, e.g. '{rfm_window_days: 730}'")
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental tables from scratch")
    run.add_argument("--freshness-reference", type=_reference, metavar="TIMESTAMP",
                     help="judge source freshness as of this UTC time instead of the warehouse clock "
                          "(for data from the past, such as the demo data)")
    run.add_argument("--skip-freshness", action="store_true", help="do not check source freshness")
    run.add_argument("--keep-runs", type=int, help="run artifact folders kept (default: var run_artifacts_keep)")
    run.add_argument("--keep-publishes", type=int, help="publishes kept (default: var serving_publishes_keep)")

    check = sub.add_parser("gate", help="run the quality gate (gate/suites.yml) on the build store")
    stores(check)
    check.add_argument("--manifest", type=Path, default=ROOT / "target" / "manifest.json")
    check.add_argument("--out", type=Path, default=data / "gate", help="GX project and Data Docs (default: data/gate)")

    pub = sub.add_parser("publish", help="publish the build store's public marts as they are")
    stores(pub)
    pub.add_argument("--manifest", type=Path, default=ROOT / "target" / "manifest.json")
    pub.add_argument("--keep-publishes", type=int)

    status = sub.add_parser("status", help="the current publish and the kept ones")
    status.add_argument("--serving", type=Path, default=data / "serving")

    back = sub.add_parser("rollback", help="point readers at an earlier publish")
    back.add_argument("publish_id", nargs="?", help="a publish id from `segwh status` (default: the previous one)")
    back.add_argument("--serving", type=Path, default=data / "serving")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    dbt_args = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    args = parser().parse_args(argv)
    args.dbt_args = dbt_args

    from segwh import gate, run, serving

    if args.command == "run":
        return run.main(args)
    if args.command == "gate":
        if not args.manifest.exists():
            print(f"segwh gate: {args.manifest} does not exist: run dbt first", file=sys.stderr)
            return run.EXIT_CODES["usage"]
        if args.out.exists():
            shutil.rmtree(args.out)  # a GX project holds one gate run
        try:
            result = gate.run_gate(args.db.resolve(), json.loads(args.manifest.read_text()), args.out.resolve(),
                                   run.project_vars())
        except gate.GateError as error:
            print(f"segwh gate: {error}", file=sys.stderr)
            return run.EXIT_CODES["gate_failed"]
        print(f"{result.n_suites} suites, {result.n_expectations} expectations, {len(result.failures)} failed "
              f"in {result.seconds} s; Data Docs: {result.docs}")
        for failure in result.failures:
            print(f"  {failure}", file=sys.stderr)
        return 0 if result.success else run.EXIT_CODES["gate_failed"]
    try:
        if args.command == "publish":
            keep = args.keep_publishes if args.keep_publishes is not None else int(
                run.project_vars()["serving_publishes_keep"])
            if not args.manifest.exists():
                raise serving.PublishError(f"{args.manifest} does not exist: run dbt first")
            result = serving.publish(args.db.resolve(), args.serving.resolve(), json.loads(args.manifest.read_text()),
                                     keep=keep, root=ROOT)
            print(f"published {result['publish_id']}: {len(result['tables'])} tables in {result['seconds']} s")
        elif args.command == "status":
            current = serving.current_publish(args.serving)
            kept = serving.list_publishes(args.serving)
            if not kept:
                print(f"nothing published in {args.serving} yet (segwh run)")
            for publish_id in kept:
                info = serving.describe(args.serving, publish_id)
                mark = "*" if publish_id == current else " "
                print(f"{mark} {publish_id}  as of {info['as_of_date']}  run {info['run_id']}  "
                      f"commit {(info['git_commit'] or '')[:10]}")
        elif args.command == "rollback":
            kept = serving.list_publishes(args.serving)
            current = serving.current_publish(args.serving)
            target = args.publish_id
            if target is None:
                earlier = [p for p in kept if current and p < current]
                if not earlier:
                    raise serving.PublishError(f"no publish before {current} is kept in {args.serving}")
                target = earlier[-1]
            serving.point_to(args.serving, target)
            print(f"readers now see publish {target} (was {current})")
    except serving.PublishError as error:
        print(f"segwh {args.command}: {error}", file=sys.stderr)
        return run.EXIT_CODES["publish_failed"]
    return 0
