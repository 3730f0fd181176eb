"""BG/NBD and Gamma-Gamma parameters by maximum likelihood (numpy + scipy only).

One row: the fitted parameters (time unit days, money in base currency) and fit diagnostics.
Enabled only on adapters that run Python models (see _int_scoring__btyd.yml); elsewhere
int_btyd_parameters uses the var clv_fallback_parameters. scripts/fit_btyd.py imports the functions
below from this file, so the CLI and the model share one implementation (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, minimize
from scipy.special import betaln, digamma, gammaln

# Optimizer stopping rule on the projected gradient of the mean log-likelihood per customer (per log
# parameter). Tight enough that two correct optimizers agree to ~1e-5 relative on the demo data.
GRADIENT_TOLERANCE = 1e-10
BGNBD_NAMES = ("r", "alpha", "a", "b")
GAMMA_GAMMA_NAMES = ("p", "q", "gamma")
START = 0.0  # every optimization starts at log(parameter) = 0, i.e. all parameters 1


def _group(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, ...]:
    """Unique rows of `columns` (sorted, so the fit is deterministic) and how many customers each has."""
    grouped = frame.groupby(columns, sort=True).size().reset_index(name="n")
    return tuple(grouped[c].to_numpy(dtype=float) for c in columns) + (grouped["n"].to_numpy(dtype=float),)


def bgnbd_log_likelihood(
    params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray
) -> np.ndarray:
    """Per-customer BG/NBD log-likelihood (Fader, Hardie and Lee 2005, eq. 6)."""
    r, alpha, a, b = params
    repeat = x > 0
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + big_t)
    a4 = np.where(
        repeat,
        np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    return a1 + a2 + np.logaddexp(a3, a4)


def _bgnbd_objective(
    log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, n: np.ndarray
) -> tuple[float, np.ndarray]:
    """Negative mean log-likelihood and its gradient with respect to the log parameters."""
    r, alpha, a, b = np.exp(log_params)
    repeat = x > 0
    a3 = -(r + x) * np.log(alpha + big_t)
    a4 = np.where(
        repeat,
        np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    log_mix = np.logaddexp(a3, a4)
    w4 = np.exp(a4 - log_mix)  # share of the "dropped out after the last purchase" branch
    w3 = 1.0 - w4
    ll = (
        gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b) + log_mix
    )
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w3 * np.log(alpha + big_t) - w4 * np.log(alpha + t_x)
    d_alpha = r / alpha - w3 * (r + x) / (alpha + big_t) - w4 * (r + x) / (alpha + t_x)
    d_a = digamma(a + b) - digamma(a + b + x) + w4 / a
    d_b = (
        digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x)
        - w4 / (b + np.maximum(x, 1) - 1)
    )
    total = n.sum()
    gradient = np.array([r * (n @ d_r), alpha * (n @ d_alpha), a * (n @ d_a), b * (n @ d_b)])
    return -float(n @ ll) / total, -gradient / total


def gamma_gamma_log_likelihood(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer Gamma-Gamma log-likelihood of the mean spend m over x repeat days (Fader and Hardie 2013)."""
    p, q, gamma = params
    return (
        gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(gamma)
        + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(x * m + gamma)
    )


def _gamma_gamma_objective(
    log_params: np.ndarray, x: np.ndarray, m: np.ndarray, n: np.ndarray
) -> tuple[float, np.ndarray]:
    p, q, gamma = np.exp(log_params)
    ll = gamma_gamma_log_likelihood(np.array([p, q, gamma]), x, m)
    d_p = x * (digamma(p * x + q) - digamma(p * x) + np.log(m) + np.log(x) - np.log(x * m + gamma))
    d_q = digamma(p * x + q) - digamma(q) + np.log(gamma) - np.log(x * m + gamma)
    d_gamma = q / gamma - (p * x + q) / (x * m + gamma)
    total = n.sum()
    gradient = np.array([p * (n @ d_p), q * (n @ d_q), gamma * (n @ d_gamma)])
    return -float(n @ ll) / total, -gradient / total


def _minimize(objective: Callable, n_params: int, args: tuple, max_iterations: int) -> OptimizeResult:
    return minimize(
        objective,
        x0=np.full(n_params, START),
        args=args,
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iterations, "gtol": GRADIENT_TOLERANCE, "ftol": 0.0, "maxcor": 20},
    )


def fit_btyd(inputs: pd.DataFrame, max_iterations: int = 1000) -> pd.DataFrame:
    """Fit both models on int_customer_btyd_inputs-shaped data; one row of parameters and diagnostics.

    BG/NBD uses every buyer (frequency, recency_days, tenure_days). Gamma-Gamma uses buyers with at least
    one repeat order day and a positive mean repeat spend (monetary_value > 0).
    """
    frame = inputs[["frequency", "recency_days", "tenure_days", "monetary_value"]].copy()
    x, t_x, big_t, n = _group(frame, ["frequency", "recency_days", "tenure_days"])
    bg = _minimize(_bgnbd_objective, 4, (x, t_x, big_t, n), max_iterations)

    spenders = frame[(frame["frequency"] > 0) & (frame["monetary_value"] > 0)]
    gx, gm, gn = _group(spenders.astype({"monetary_value": float}), ["frequency", "monetary_value"])
    gg = _minimize(_gamma_gamma_objective, 3, (gx, gm, gn), max_iterations)

    r, alpha, a, b = np.exp(bg.x)
    p, q, gamma = np.exp(gg.x)
    row = {
        "r": r, "alpha": alpha, "a": a, "b": b, "p": p, "q": q, "gamma": gamma,
        "bgnbd_n_customers": int(n.sum()),
        "bgnbd_log_likelihood": -bg.fun * n.sum(),
        "bgnbd_converged": bool(bg.success),
        "bgnbd_iterations": int(bg.nit),
        "gamma_gamma_n_customers": int(gn.sum()),
        "gamma_gamma_log_likelihood": -gg.fun * gn.sum(),
        "gamma_gamma_converged": bool(gg.success),
        "gamma_gamma_iterations": int(gg.nit),
    }
    return pd.DataFrame([row])


def model(dbt, session):  # the signature dbt calls
    dbt.config(materialized="table")
    max_iterations = int(dbt.config.get("max_iterations"))
    inputs = dbt.ref("int_customer_btyd_inputs").df()
    return fit_btyd(inputs, max_iterations)
