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

# L-BFGS-B's own stopping rule on the projected gradient of the mean log-likelihood per customer (per
# log parameter). Its success flag is not the verdict: near the maximum the line search often runs out
# of floating-point precision first, depending on the money's scale (decision 42).
GRADIENT_TOLERANCE = 1e-10
# The verdict (decision 42), after the optimizer stops for whatever reason: the Newton step H^-1 g of the
# mean negative log-likelihood in log parameters estimates how far, relatively, each parameter is from
# the maximum. It is unchanged by the money's unit and the number of customers. Converged = the Hessian
# is positive definite and no parameter is further than PARAMETER_TOLERANCE (relative) from the maximum.
PARAMETER_TOLERANCE = 1e-9  # 4 orders of magnitude below what the lifetimes comparison asks (1e-5)
# Within NEWTON_RADIUS (relative) of the maximum Newton steps converge quadratically: up to
# MAX_NEWTON_STEPS polish the optimizer's end point while the step keeps shrinking (it stops at the
# rounding floor, ~1e-13). Further away the optimizer did not get close enough: no polishing.
NEWTON_RADIUS = 1e-3
MAX_NEWTON_STEPS = 4
HESSIAN_STEP = 1e-6  # forward-difference step (log parameters) of the Hessian from the analytic gradient
BGNBD_NAMES = ("r", "alpha", "a", "b")
GAMMA_GAMMA_NAMES = ("p", "q", "gamma")
START = 0.0  # every optimization starts at log(parameter) = 0, i.e. all parameters 1


def _group(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, ...]:
    """Unique rows of `columns` (sorted, so the fit is deterministic) and how many customers each has."""
    grouped = frame.groupby(columns, sort=True).size().reset_index(name="n")
    return (*(grouped[c].to_numpy(dtype=float) for c in columns), grouped["n"].to_numpy(dtype=float))


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


def _newton_step(objective: Callable, log_params: np.ndarray, args: tuple) -> np.ndarray | None:
    """H^-1 g in log parameters (H by forward differences of the gradient); None where H is not positive
    definite, i.e. no maximum of the log-likelihood near this point."""
    _, gradient = objective(log_params, *args)
    columns = [
        (objective(log_params + HESSIAN_STEP * unit, *args)[1] - gradient) / HESSIAN_STEP
        for unit in np.eye(len(log_params))
    ]
    hessian = np.column_stack(columns)
    hessian = (hessian + hessian.T) / 2
    finite = np.isfinite(hessian).all() and np.isfinite(gradient).all()
    if not finite or np.linalg.eigvalsh(hessian).min() <= 0:
        return None
    return np.linalg.solve(hessian, gradient)


def _fit(objective: Callable, n_params: int, args: tuple, max_iterations: int) -> dict:
    """Optimize, polish with Newton steps near the maximum, judge convergence (constants above).

    Keys: params, mean_log_likelihood (per customer), converged, iterations (L-BFGS-B's; the Newton
    steps are not counted), distance (largest |Newton step| in log parameters at params).
    """
    result = _minimize(objective, n_params, args, max_iterations)
    log_params = result.x
    step = _newton_step(objective, log_params, args)
    distance = np.inf if step is None else float(np.abs(step).max())
    for _ in range(MAX_NEWTON_STEPS):
        if distance > NEWTON_RADIUS:
            break
        candidate = log_params - step
        candidate_step = _newton_step(objective, candidate, args)
        if candidate_step is None or np.abs(candidate_step).max() >= distance:
            break  # at the rounding floor
        log_params, step, distance = candidate, candidate_step, float(np.abs(candidate_step).max())
    return {
        "params": np.exp(log_params),
        "mean_log_likelihood": -objective(log_params, *args)[0],
        "converged": distance <= PARAMETER_TOLERANCE,
        "iterations": int(result.nit),
        "distance": distance,  # infinite: no maximum near the end point
    }


def fit_bgnbd(inputs: pd.DataFrame, max_iterations: int = 1000) -> dict:
    """BG/NBD on every buyer (frequency, recency_days, tenure_days): see _fit for the keys."""
    x, t_x, big_t, n = _group(inputs, ["frequency", "recency_days", "tenure_days"])
    return _fit(_bgnbd_objective, 4, (x, t_x, big_t, n), max_iterations) | {"n_customers": int(n.sum())}


def fit_gamma_gamma(inputs: pd.DataFrame, max_iterations: int = 1000) -> dict:
    """Gamma-Gamma on buyers with a repeat order day and a positive mean repeat spend (monetary_value > 0)."""
    spenders = inputs[(inputs["frequency"] > 0) & (inputs["monetary_value"] > 0)]
    x, m, n = _group(spenders.astype({"monetary_value": float}), ["frequency", "monetary_value"])
    return _fit(_gamma_gamma_objective, 3, (x, m, n), max_iterations) | {"n_customers": int(n.sum())}


def _not_fitted(n_params: int, n_customers: int) -> dict:
    """What a model reports when it is not fitted (too few repeat buyers): see _fit for the keys."""
    return {"params": np.full(n_params, np.nan), "mean_log_likelihood": np.nan, "converged": False,
            "iterations": 0, "distance": np.inf, "n_customers": n_customers}


def fit_btyd(inputs: pd.DataFrame, max_iterations: int = 1000, min_repeat_buyers: int = 1) -> pd.DataFrame:
    """Fit both models on int_customer_btyd_inputs-shaped data; one row of parameters and diagnostics.

    With fewer than min_repeat_buyers buyers who came back (a repeat purchase day with a positive
    spend) the data cannot identify the parameters (e.g. one order per customer id, as in Olist):
    neither model is fitted, fit_status says so and int_btyd_parameters uses clv_fallback_parameters.
    """
    frame = inputs[["frequency", "recency_days", "tenure_days", "monetary_value"]]
    n_repeat = int(((frame["frequency"] > 0) & (frame["monetary_value"] > 0)).sum())
    if n_repeat < max(min_repeat_buyers, 1):
        status = "too_few_repeat_buyers"
        bg, gg = _not_fitted(len(BGNBD_NAMES), len(frame)), _not_fitted(len(GAMMA_GAMMA_NAMES), n_repeat)
    else:
        status = "fitted"
        bg, gg = fit_bgnbd(frame, max_iterations), fit_gamma_gamma(frame, max_iterations)
    row = dict(zip(BGNBD_NAMES + GAMMA_GAMMA_NAMES, [*bg["params"], *gg["params"]], strict=True))
    row["fit_status"] = status
    for prefix, fit in (("bgnbd", bg), ("gamma_gamma", gg)):
        row[f"{prefix}_n_customers"] = fit["n_customers"]
        row[f"{prefix}_log_likelihood"] = fit["mean_log_likelihood"] * fit["n_customers"]
        row[f"{prefix}_converged"] = bool(fit["converged"])
        row[f"{prefix}_iterations"] = fit["iterations"]
        row[f"{prefix}_distance_to_maximum"] = fit["distance"]
    return pd.DataFrame([row])


def model(dbt, session):  # the signature dbt calls
    dbt.config(materialized="table")
    max_iterations = int(dbt.config.get("max_iterations"))
    min_repeat_buyers = int(dbt.config.get("min_repeat_buyers"))
    inputs = dbt.ref("int_customer_btyd_inputs").df()
    return fit_btyd(inputs, max_iterations, min_repeat_buyers)
