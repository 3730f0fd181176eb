"""`segwh run`: the one entry point a scheduler calls (docs/production.md).

    lock -> source freshness -> dbt build (build store) -> quality gate -> publish (serving store)

Each stage prints a progress line; dbt's own output streams through. Every run keeps its artifacts in
<runs>/<run_id>/ (run.json with each stage's status and seconds, dbt's sources.json and
run_results.json, dbt.log, gate.json and the gate's GX Data Docs); the newest `run_artifacts_keep`
runs are kept. The exit code says which stage stopped the run (EXIT_CODES). A second run started
while one holds the lock exits at once.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from segwh import gate, serving

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import build_warehouse  # noqa: E402  (scripts/ is not a package; the build shares its raw-folder logic)

DBT = Path(sys.executable).parent / "dbt"

# One code per way a run can stop; docs/production.md has the same table.
EXIT_CODES = {
    "ok": 0,
    "error": 1,  # an unexpected error (a bug): the message says where
    "usage": 2,  # bad arguments or input (a missing folder, bad --vars)
    "locked": 3,  # another run holds the lock
    "stale_source": 4,  # a source is older than its freshness error_after
    "build_failed": 5,  # dbt (freshness or build) had an error or a failing test: nothing published
    "gate_failed": 6,  # the quality gate (Great Expectations, gate/suites.yml) failed: nothing published
    "publish_failed": 7,  # the publish did not complete: readers still see the previous publish
    "interrupted": 130,  # SIGINT / SIGTERM: nothing published
}
PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


class StageFailed(Exception):
    def __init__(self, outcome: str, message: str):
        super().__init__(message)
        self.outcome = outcome


class Interrupted(BaseException):
    """SIGTERM / SIGINT: raised in the main thread, so a running dbt child is killed and waited for."""


@dataclass
class Run:
    run_id: str
    folder: Path
    stages: list[dict] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def say(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[segwh {elapsed:6.1f}s] {text}", flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[dict]:
        record = {"stage": name, "status": "running"}
        self.stages.append(record)
        self.say(f"{name} ...")
        began = time.monotonic()
        try:
            yield record
        except StageFailed as failure:
            record["status"] = failure.outcome
            record["message"] = str(failure)
            raise
        except Interrupted:
            record["status"] = "interrupted"
            raise
        finally:
            record["seconds"] = round(time.monotonic() - began, 3)
        record["status"] = "ok"
        self.say(f"{name}: ok ({record['seconds']:.1f} s)" + (f" {record['note']}" if record.get("note") else ""))


def project_vars() -> dict:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"


@contextmanager
def run_lock(path: Path) -> Iterator[int]:
    """An exclusive flock on path, held by this process and passed to dbt (so a killed runner's
    orphaned dbt still holds it until it ends). Raises StageFailed('locked') at once if held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = Path(path).read_text().strip() or "unknown"
        os.close(fd)
        raise StageFailed("locked", f"another run holds {path} ({holder})") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"pid {os.getpid()}, started {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode())
    try:
        yield fd
    finally:
        os.close(fd)


def judge_freshness(sources_json: dict, reference: datetime | None) -> list[str]:
    """Sources past error_after, as lines. With a reference time, ages are measured from it (the demo
    data ends in 2025); otherwise dbt's own status, measured from the warehouse clock, stands."""
    stale = []
    for result in sources_json["results"]:
        name = result["unique_id"].split(".", 2)[2]
        if result.get("status") == "runtime error":
            stale.append(f"{name}: {result.get('error') or 'freshness query failed'}")
            continue
        error_after = (result.get("criteria") or {}).get("error_after") or {}
        if not error_after.get("count"):
            continue
        limit = error_after["count"] * PERIOD_SECONDS[error_after["period"]]
        loaded = datetime.fromisoformat(result["max_loaded_at"])
        if reference is None:
            if result["status"] != "error":
                continue
            age = result["max_loaded_at_time_ago_in_s"]
        else:
            age = (reference - loaded).total_seconds()
            if age <= limit:
                continue
        count, period = error_after["count"], error_after["period"] + ("s" if error_after["count"] > 1 else "")
        stale.append(f"{name}: last loaded {loaded:%Y-%m-%d %H:%M} UTC, {age / 86400:.1f} days ago "
                     f"(error after {count} {period})")
    return stale


def dbt(args: list[str], env: dict, lock_fd: int, log: Path, quiet_to: Path | None = None) -> int:
    """Run dbt, its output streamed to the terminal (or into the file quiet_to); the lock descriptor
    is inherited, so the lock outlives a killed runner until dbt ends too."""
    command = [str(DBT), *args, "--log-path", str(log)]
    with (quiet_to or Path(os.devnull)).open("w") as sink:
        process = subprocess.Popen(command, cwd=ROOT, env=env, pass_fds=(lock_fd,),
                                   stdout=sink if quiet_to else None, stderr=subprocess.STDOUT if quiet_to else None)
        try:
            return process.wait()
        except BaseException:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            raise


def failed_nodes(run_results: dict) -> list[str]:
    return [f"{r['unique_id']}: {r['status']}" for r in run_results["results"]
            if r["status"] in ("error", "fail", "runtime error")]


def execute(args, run: Run) -> str:
    """The stages; returns the outcome name (a key of EXIT_CODES)."""
    raw, db = args.raw.resolve(), args.db.resolve()
    if not raw.is_dir():
        raise StageFailed("usage", f"raw folder {raw} does not exist (expected <raw>/<system>/<table>/*.parquet)")
    with ExitStack() as held:
        with run.stage("lock") as record:
            lock_fd = held.enter_context(run_lock(args.runs / "run.lock"))
            record["note"] = f"(run {run.run_id})"
        tables = build_warehouse.source_tables(ROOT)
        found = build_warehouse.inspect_raw(raw, tables)
        try:
            dbt_vars = build_warehouse.parse_vars(args.vars)
        except SystemExit as bad:
            raise StageFailed("usage", str(bad)) from None
        if args.as_of:
            dbt_vars["as_of_date"] = args.as_of
        if "raw_sources" not in dbt_vars:
            dbt_vars["raw_sources"] = build_warehouse.declared_sources(found, tables)
        if not dbt_vars["raw_sources"]:
            raise StageFailed("usage", f"no raw table with rows under {raw}")
        env = dict(os.environ, DO_NOT_TRACK="1", DUCKDB_PATH=str(db), RAW_DATA_ROOT=str(raw),
                   DBT_PROFILES_DIR=os.environ.get("DBT_PROFILES_DIR", str(ROOT)))
        target = args.target_path.resolve()
        common = ["--vars", json.dumps(dbt_vars), "--target-path", str(target)]

        if args.skip_freshness:
            run.say("source freshness: skipped (--skip-freshness)")
        else:
            with run.stage("source freshness") as record:
                selected = [f"source:{t.system}.{t.table}" for t in found if t.n_rows]
                output = target / "sources.json"
                output.unlink(missing_ok=True)
                # dbt judges against the warehouse clock and prints that verdict; ours is printed below
                code = dbt(["source", "freshness", "--select", *selected, *common], env, lock_fd, run.folder,
                           quiet_to=run.folder / "freshness.log")
                if not output.exists():
                    raise StageFailed("build_failed", f"dbt source freshness failed (exit {code}) and wrote no "
                                      f"results: see {run.folder / 'freshness.log'}")
                shutil.copy(output, run.folder / "sources.json")
                reference = args.freshness_reference
                stale = judge_freshness(json.loads(output.read_text()), reference)
                if stale:
                    clock = f"reference {reference:%Y-%m-%d %H:%M} UTC" if reference else "the warehouse clock"
                    raise StageFailed("stale_source", f"{len(stale)} source(s) stale against {clock}:\n  "
                                      + "\n  ".join(stale))
                record["note"] = f"({len(selected)} sources fresh)"

        with run.stage("build") as record:
            state_path = db.with_name(db.name + ".build.json")
            previous = json.loads(state_path.read_text()) if state_path.exists() else None
            files = build_warehouse.file_state(raw)
            reason = build_warehouse.full_refresh_reason(db.exists(), previous, files, dbt_vars)
            build_args = ["build", *common, *args.dbt_args]
            if args.full_refresh or reason:
                build_args.insert(1, "--full-refresh")
                run.say(f"full refresh: {reason or '--full-refresh'}")
            db.parent.mkdir(parents=True, exist_ok=True)
            state_path.unlink(missing_ok=True)  # written back only after a whole build: a stopped one refreshes
            code = dbt(build_args, env, lock_fd, run.folder)
            results_path = target / "run_results.json"
            if results_path.exists():
                shutil.copy(results_path, run.folder / "run_results.json")
            if code != 0:
                failed = failed_nodes(json.loads(results_path.read_text())) if results_path.exists() else []
                raise StageFailed("build_failed", f"dbt build exited {code}"
                                  + (": " + "; ".join(failed[:5]) if failed else ""))
            state_path.write_text(json.dumps({"vars": dbt_vars, "files": files}, indent=1))
            invocation = json.loads(results_path.read_text())["metadata"]["invocation_id"]
            record["note"] = f"(invocation {invocation})"

        manifest = json.loads((target / "manifest.json").read_text())
        with run.stage("quality gate") as record:
            try:
                checked = gate.run_gate(db, manifest, run.folder / "gate", project_vars(), progress=run.say)
            except gate.GateError as error:
                raise StageFailed("gate_failed", str(error)) from None
            (run.folder / "gate.json").write_text(json.dumps({
                "success": checked.success, "suites": checked.n_suites, "expectations": checked.n_expectations,
                "failures": checked.failures, "data_docs": str(checked.docs), "seconds": checked.seconds}, indent=1))
            if not checked.success:
                raise StageFailed("gate_failed", f"{len(checked.failures)} of {checked.n_expectations} expectations "
                                  f"failed (Data Docs: {checked.docs}):\n  " + "\n  ".join(checked.failures[:10]))
            record["note"] = f"({checked.n_suites} suites, {checked.n_expectations} expectations; {checked.docs})"

        with run.stage("publish") as record:
            try:
                published = serving.publish(db, args.serving.resolve(), manifest, run_id=run.run_id,
                                            dbt_invocation_id=invocation, keep=args.keep_publishes,
                                            root=ROOT, progress=run.say)
            except Exception as error:  # any failure here leaves readers on the previous publish
                raise StageFailed("publish_failed", f"{type(error).__name__}: {error}") from None
            (run.folder / "publish.json").write_text(serving.as_json(published))
            record["publish_id"] = published["publish_id"]
            record["note"] = (f"(publish {published['publish_id']}, {len(published['tables'])} tables; "
                              f"readers: {args.serving / serving.SERVING_FILE})")
    return "ok"


def prune_runs(runs: Path, keep: int) -> None:
    folders = sorted(p for p in runs.iterdir() if p.is_dir())
    for old in folders[: -keep or None] if keep > 0 else []:
        shutil.rmtree(old)


def main(args) -> int:
    settings = project_vars()
    keep_runs = args.keep_runs if args.keep_runs is not None else int(settings["run_artifacts_keep"])
    if args.keep_publishes is None:
        args.keep_publishes = int(settings["serving_publishes_keep"])
    args.runs = args.runs.resolve()
    run_id = new_run_id()
    run = Run(run_id, args.runs / run_id)
    run.folder.mkdir(parents=True, exist_ok=True)

    def interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    previous = {s: signal.signal(s, interrupt) for s in (signal.SIGTERM, signal.SIGINT)}
    outcome, message = "ok", ""
    try:
        outcome = execute(args, run)
    except StageFailed as failure:
        outcome, message = failure.outcome, str(failure)
    except Interrupted as signum:
        outcome, message = "interrupted", f"stopped by {signum}; nothing was published"
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    code = EXIT_CODES[outcome]
    (run.folder / "run.json").write_text(json.dumps({
        "run_id": run.run_id, "outcome": outcome, "exit_code": code, "message": message,
        "seconds": round(time.monotonic() - run.started, 3), "stages": run.stages,
        "argv": sys.argv[1:],
    }, indent=1))
    if outcome == "locked":
        shutil.rmtree(run.folder)  # a refused run leaves no artifacts
    else:
        prune_runs(args.runs, keep_runs)
    if code:
        print(f"[segwh] {outcome} (exit {code}): {message}", file=sys.stderr, flush=True)
    else:
        run.say(f"done: run {run.run_id}, artifacts in {run.folder}")
    return code
