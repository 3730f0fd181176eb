"""k-means micro-clusters of buying customers: the centroids, one row per cluster and feature.

Fits scikit-learn's KMeans on the standardized features of customer_cluster_inputs for every k in
[cluster_k_min, cluster_k_max] (fixed random state, 10 starts) and keeps the k with the best
silhouette (on a fixed random sample of cluster_silhouette_sample_size customers; ties go to the
smaller k). Labels stay stable from run to run: the new centroids are matched one to one to the
previous run's (this table, before it is replaced) by least total squared distance (Hungarian
method), and keep their labels; clusters without a match get the next unused numbers. A first run
numbers clusters by size, largest first. The fit runs on one thread: scikit-learn's multi-threaded
k-means adds the threads' partial sums in whatever order the threads finish, so two runs on the same
input could differ in the last bits (seen as an incremental build differing from a full one).
customer_clusters assigns each customer to the nearest centroid; cluster_profiles describes them.
DuckDB only (dbt runs Python models locally there).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits


def choose_k(x: np.ndarray, k_min: int, k_max: int, sample_size: int, random_state: int) -> tuple[KMeans, dict]:
    """The fitted KMeans with the best silhouette over k_min..k_max, and the silhouette of each k."""
    best, scores = None, {}
    for k in range(k_min, min(k_max, len(x) - 1) + 1):
        fitted = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit(x)
        score = silhouette_score(x, fitted.labels_, sample_size=min(sample_size, len(x)), random_state=random_state)
        scores[k] = float(score)
        if best is None or score > scores[best.n_clusters] + 1e-12:
            best = fitted
    return best, scores


def stable_labels(centroids: np.ndarray, sizes: np.ndarray, previous: dict[int, np.ndarray]) -> list[int]:
    """A label per centroid: the matched previous label, else the next unused number."""
    labels = [0] * len(centroids)
    if previous:
        old_labels = sorted(previous)
        old = np.array([previous[label] for label in old_labels])
        cost = ((centroids[:, None, :] - old[None, :, :]) ** 2).sum(axis=2)
        rows, cols = linear_sum_assignment(cost)
        for row, col in zip(rows, cols, strict=True):
            labels[row] = old_labels[col]
    unmatched = [i for i in range(len(centroids)) if labels[i] == 0]
    next_label = max(previous, default=0) + 1
    for i in sorted(unmatched, key=lambda i: (-sizes[i], i)):  # largest first
        labels[i] = next_label
        next_label += 1
    return labels


def previous_centroids(session, relation: str, features: list[str]) -> dict[int, np.ndarray]:
    """cluster_label -> centroid (z units) of the previous run; empty on a first run."""
    try:
        frame = session.sql(f"select cluster_label, feature_name, centroid_z from {relation}").df()
    except Exception:  # no previous table (first run): nothing to match
        return {}
    if frame.empty or set(frame["feature_name"]) != set(features):
        return {}  # the features changed: the old centroids live in another space
    wide = frame.pivot(index="cluster_label", columns="feature_name", values="centroid_z")[features]
    return {int(label): row.to_numpy(dtype=float) for label, row in wide.iterrows()}


def model(dbt, session):  # the signature dbt calls
    dbt.config(materialized="table")
    features = list(dbt.config.get("cluster_features"))
    k_min, k_max = int(dbt.config.get("cluster_k_min")), int(dbt.config.get("cluster_k_max"))
    sample_size = int(dbt.config.get("cluster_silhouette_sample_size"))
    random_state = int(dbt.config.get("cluster_random_state"))

    inputs = dbt.ref("customer_cluster_inputs").df().sort_values("customer_key", kind="stable")
    x = inputs[[f"z_{f}" for f in features]].to_numpy(dtype=float)
    if len(x) <= k_min:  # too few buyers to form k_min clusters (a tiny or order-less data set): none
        return pd.DataFrame({"cluster_label": pd.Series(dtype="int64"), "feature_name": pd.Series(dtype="str"),
                             "centroid_z": pd.Series(dtype="float64"), "n_clusters": pd.Series(dtype="int64"),
                             "silhouette": pd.Series(dtype="float64"),
                             "n_fitted_customers": pd.Series(dtype="int64")})
    with threadpool_limits(limits=1):  # a fixed summation order: the same input gives the same bits
        fitted, scores = choose_k(x, k_min, k_max, sample_size, random_state)
    sizes = np.bincount(fitted.labels_, minlength=fitted.n_clusters)
    labels = stable_labels(fitted.cluster_centers_, sizes, previous_centroids(session, str(dbt.this), features))

    rows = [
        {"cluster_label": labels[i], "feature_name": feature, "centroid_z": float(fitted.cluster_centers_[i, j]),
         "n_clusters": fitted.n_clusters, "silhouette": scores[fitted.n_clusters],
         "n_fitted_customers": len(x)}
        for i in range(fitted.n_clusters) for j, feature in enumerate(features)
    ]
    return pd.DataFrame(rows).sort_values(["cluster_label", "feature_name"]).reset_index(drop=True)
