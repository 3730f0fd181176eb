"""k-means micro-clusters: k by silhouette, labels stable across runs.

The functions of the Python model (models/marts/segments/customer_cluster_centroids.py) are tested on
hand-made points; then, on a copy of the built warehouse, the model runs again with another random
state, which numbers k-means' clusters differently: matched to the previous centroids, the customers
keep their labels.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
WAREHOUSE = Path(os.environ.get("DUCKDB_PATH", ROOT / "data" / "warehouse.duckdb"))
RAW = Path(os.environ.get("RAW_DATA_ROOT", ROOT / "data" / "raw"))
MODEL = ROOT / "models" / "marts" / "segments" / "customer_cluster_centroids.py"
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "analyses")

spec = importlib.util.spec_from_file_location("customer_cluster_centroids", MODEL)
clusters = importlib.util.module_from_spec(spec)
spec.loader.exec_module(clusters)


def blobs(centres: list[tuple[float, float]], n: int = 60, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(c, 0.1, size=(n, 2)) for c in centres])


def test_k_is_chosen_by_silhouette() -> None:
    x = blobs([(0, 0), (5, 0), (0, 5)])
    fitted, scores = clusters.choose_k(x, 2, 5, sample_size=1000, random_state=0)
    assert fitted.n_clusters == 3
    assert scores[3] == max(scores.values()) and set(scores) == {2, 3, 4, 5}


def test_labels_follow_the_previous_centroids() -> None:
    previous = {1: np.array([0.0, 0.0]), 2: np.array([5.0, 0.0]), 3: np.array([0.0, 5.0])}
    # the same clusters found in another order, slightly moved, plus a new one
    new = np.array([[0.1, 5.0], [4.9, 0.1], [9.0, 9.0], [0.0, -0.1]])
    labels = clusters.stable_labels(new, sizes=np.array([10, 20, 5, 30]), previous=previous)
    assert labels == [3, 2, 4, 1]


def test_first_run_numbers_clusters_by_size() -> None:
    labels = clusters.stable_labels(np.zeros((3, 2)), sizes=np.array([5, 50, 20]), previous={})
    assert labels == [3, 1, 2]


def test_fewer_clusters_than_before_keep_their_labels() -> None:
    previous = {1: np.array([0.0]), 2: np.array([5.0]), 3: np.array([10.0])}
    assert clusters.stable_labels(np.array([[10.1], [0.2]]), np.array([1, 1]), previous) == [3, 1]


@pytest.mark.skipif(not WAREHOUSE.exists() or not RAW.is_dir(), reason="needs `make build` first")
def test_labels_survive_a_refit_with_another_random_state(tmp_path: Path) -> None:
    for part in PROJECT_PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, tmp_path / part)
    db = tmp_path / "warehouse.duckdb"
    shutil.copy2(WAREHOUSE, db)
    env = dict(os.environ, DO_NOT_TRACK="1", DBT_PROFILES_DIR=str(tmp_path), RAW_DATA_ROOT=str(RAW),
               DUCKDB_PATH=str(db))

    def run(random_state: int) -> dict[str, int]:
        result = subprocess.run(
            [str(DBT), "run", "--select", "customer_cluster_centroids", "customer_clusters",
             "--vars", f"{{cluster_random_state: {random_state}}}"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout[-3000:]
        with duckdb.connect(str(db), read_only=True) as con:
            return dict(con.execute("select customer_key, cluster_label from marts.customer_clusters").fetchall())

    first, second = run(42), run(7)
    assert first.keys() == second.keys()
    same = sum(first[key] == second[key] for key in first) / len(first)
    assert same > 0.9, f"only {same:.1%} of customers kept their cluster label after a refit"
