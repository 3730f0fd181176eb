"""The serving store: the only database BI tools and scheduled jobs read (decision 67).

Write-audit-publish by an atomic swap of a read-only DuckDB file:

    data/serving/segments.duckdb -> publishes/<publish_id>.duckdb     (a symbolic link)
    data/serving/publishes/<publish_id>.duckdb                        (one file per publish, kept
                                                                       per var serving_publishes_keep)

A publish copies the public marts (dbt `access: public`, the whitelist) from the build store into a
new file under a temporary name, checks every table's row count against the build store, checkpoints
and closes it, renames it into place, and only then repoints `segments.duckdb` with one rename. A
reader that opens `segments.duckdb` gets the old file or the new one, whole; a reader holding a
connection keeps the file it opened (the next publish never touches it); no step takes a lock a
reader holds. A failure or a kill anywhere before the last rename leaves `segments.duckdb` as it was.
Rolling back is repointing the link at an earlier publish.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

SERVING_FILE = "segments.duckdb"
PUBLISHES = "publishes"
INFO_TABLE = "publish_info"
TABLES_TABLE = "served_tables"


class PublishError(Exception):
    """A publish that cannot go ahead; the message names the model, table or file."""


@dataclass(frozen=True)
class ServedModel:
    name: str
    schema: str
    identifier: str
    group: str | None
    description: str
    unique_id: str = ""


def served_models(manifest: dict) -> list[ServedModel]:
    """The whitelist: every model with `access: public`, in name order, each version of a versioned
    model under its own relation name (the latest keeps the plain one). A public model with a column
    tagged meta.pii is refused: the serving store carries no personal data."""
    models = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node.get("access") != "public":
            continue
        pii = [
            column for column, spec in node["columns"].items()
            if spec.get("meta", {}).get("pii") or spec.get("config", {}).get("meta", {}).get("pii")
        ]
        if pii:
            raise PublishError(
                f"model {node['name']} is access: public but has PII column(s) {', '.join(sorted(pii))}: "
                "make it protected or drop the columns (the serving store carries no personal data)"
            )
        models.append(ServedModel(node["name"], node["schema"], node["alias"] or node["name"], node.get("group"),
                                  " ".join(node.get("description", "").split()), node.get("unique_id", "")))
    return sorted(models, key=lambda m: m.identifier)


def as_of_date(manifest: dict, build_db: Path) -> str | None:
    """The as-of date the build used (model int_as_of_date), or None when it is not built."""
    node = manifest["nodes"].get("model.customer_segmentation.int_as_of_date")
    if node is None:
        return None
    with duckdb.connect(str(build_db), read_only=True) as con:
        try:
            row = con.execute(f'select as_of_date from "{node["schema"]}"."{node["alias"]}"').fetchone()
        except duckdb.CatalogException:
            return None
    return str(row[0]) if row else None


def git_commit(root: Path) -> str | None:
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() or None


def new_publish_id(now: datetime | None = None) -> str:
    """Sortable by time: 20261207T163000123456Z."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_publish_file(
    build_db: Path, target: Path, models: list[ServedModel], info: dict, progress: Callable[[str], None] = print
) -> dict[str, int]:
    """Copy the models from the build store into a new DuckDB file at target (which must not exist),
    with tables publish_info and served_tables; return the row count of each copied table."""
    if not build_db.exists():
        raise PublishError(f"build store {build_db} does not exist: run the build first")
    if target.exists():
        raise PublishError(f"{target} already exists")
    counts: dict[str, int] = {}
    con = duckdb.connect(config={"threads": 2})
    try:
        con.execute(f"attach '{build_db}' as build (read_only)")
        con.execute(f"attach '{target}' as serve")
        existing = {
            (schema, table) for schema, table in con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = 'build'").fetchall()
        }
        con.execute("begin")
        for model in models:
            if (model.schema, model.identifier) not in existing:
                raise PublishError(
                    f"model {model.name} is public but table {model.schema}.{model.identifier} is not in the "
                    f"build store {build_db}: build it first (dbt build --select {model.name})"
                )
            con.execute(f'create table serve.main."{model.identifier}" as '
                        f'select * from build."{model.schema}"."{model.identifier}"')
            source_rows = con.execute(f'select count(*) from build."{model.schema}"."{model.identifier}"').fetchone()[0]
            copied = con.execute(f'select count(*) from serve.main."{model.identifier}"').fetchone()[0]
            if copied != source_rows:
                raise PublishError(f"{model.identifier}: copied {copied} rows of {source_rows}")
            counts[model.identifier] = copied
        con.execute(
            f"create table serve.main.{INFO_TABLE} as select ?::varchar as publish_id, ?::varchar as run_id, "
            "?::timestamptz as published_at, ?::date as as_of_date, ?::varchar as git_commit, "
            "?::varchar as dbt_invocation_id, ?::integer as n_tables",
            [info["publish_id"], info.get("run_id"), info["published_at"], info.get("as_of_date"),
             info.get("git_commit"), info.get("dbt_invocation_id"), len(models)],
        )
        con.execute(f"create table serve.main.{TABLES_TABLE} (table_name varchar, model_group varchar, "
                    "n_rows bigint, description varchar)")
        con.executemany(f"insert into serve.main.{TABLES_TABLE} values (?, ?, ?, ?)",
                        [[m.identifier, m.group, counts[m.identifier], m.description] for m in models])
        con.execute("commit")
        con.execute("checkpoint serve")
        con.execute("detach serve")
    except BaseException:
        con.close()
        target.unlink(missing_ok=True)
        Path(f"{target}.wal").unlink(missing_ok=True)
        raise
    con.close()
    progress(f"copied {len(models)} tables, {sum(counts.values()):,} rows")
    return counts


def current_publish(serving_dir: Path) -> str | None:
    link = serving_dir / SERVING_FILE
    if not link.is_symlink():
        return None
    return link.readlink().name.removesuffix(".duckdb")


def list_publishes(serving_dir: Path) -> list[str]:
    return sorted(p.name.removesuffix(".duckdb") for p in (serving_dir / PUBLISHES).glob("*.duckdb"))


def point_to(serving_dir: Path, publish_id: str) -> None:
    """Make segments.duckdb name publishes/<publish_id>.duckdb, in one rename."""
    target = serving_dir / PUBLISHES / f"{publish_id}.duckdb"
    if not target.exists():
        known = ", ".join(list_publishes(serving_dir)[-5:]) or "none"
        raise PublishError(f"no publish {publish_id} in {serving_dir / PUBLISHES} (latest: {known})")
    staged = serving_dir / f".{SERVING_FILE}.{os.getpid()}"
    staged.unlink(missing_ok=True)
    staged.symlink_to(Path(PUBLISHES) / target.name)
    staged.replace(serving_dir / SERVING_FILE)
    _fsync(serving_dir)


def prune(serving_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` publishes, never the current one. A reader still holding a
    deleted file keeps reading it (the data goes when it closes)."""
    current = current_publish(serving_dir)
    old = [p for p in list_publishes(serving_dir)[: -keep or None] if p != current] if keep > 0 else []
    for publish_id in old:
        (serving_dir / PUBLISHES / f"{publish_id}.duckdb").unlink()
    for stale in (serving_dir / PUBLISHES).glob(".*.tmp"):
        stale.unlink()  # left by a publish that was killed
    return old


def publish(
    build_db: Path,
    serving_dir: Path,
    manifest: dict,
    *,
    run_id: str | None = None,
    dbt_invocation_id: str | None = None,
    keep: int = 7,
    root: Path | None = None,
    progress: Callable[[str], None] = print,
) -> dict:
    """Publish the public marts of build_db to serving_dir; return what was published."""
    started = time.monotonic()
    models = served_models(manifest)
    if not models:
        raise PublishError("no model is access: public: nothing to serve")
    publish_id = new_publish_id()
    info = {
        "publish_id": publish_id,
        "run_id": run_id,
        "published_at": datetime.now(UTC).isoformat(),
        "as_of_date": as_of_date(manifest, build_db),
        "git_commit": git_commit(root) if root else None,
        "dbt_invocation_id": dbt_invocation_id,
    }
    folder = serving_dir / PUBLISHES
    folder.mkdir(parents=True, exist_ok=True)
    staged = folder / f".{publish_id}.duckdb.tmp"
    counts = write_publish_file(build_db, staged, models, info, progress)
    _fsync(staged)
    staged.chmod(0o444)  # readers open it read-only; a tool asking for write access is refused
    final = folder / f"{publish_id}.duckdb"
    staged.replace(final)
    _fsync(folder)
    previous = current_publish(serving_dir)
    point_to(serving_dir, publish_id)
    pruned = prune(serving_dir, keep)
    return {**info, "previous_publish_id": previous, "tables": counts, "pruned": pruned,
            "seconds": round(time.monotonic() - started, 3), "file": str(final)}


def describe(serving_dir: Path, publish_id: str) -> dict:
    """publish_info of one publish."""
    path = serving_dir / PUBLISHES / f"{publish_id}.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        cursor = con.execute(f"select * from {INFO_TABLE}")
        names = [d[0] for d in cursor.description]
        return {k: (str(v) if v is not None else None) for k, v in zip(names, cursor.fetchone(), strict=True)}


def as_json(result: dict) -> str:
    return json.dumps(result, indent=1, default=str)
