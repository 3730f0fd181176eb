"""The BTYD fit's convergence verdict does not depend on the money's unit or the data size (decision 42).

Inputs, all cheap enough for `make test`:
- fixtures/btyd_inputs_2000_customers.csv: int_customer_btyd_inputs of `make build CUSTOMERS=2000`
  (seed 42, as of 2025-12-31), whose Gamma-Gamma fit the old rule (L-BFGS-B's success flag) called
  not converged, at its own scale and at 10x.
- 1M Gamma-Gamma buyers drawn with numpy from the model itself (seed 1): the 1M benchmark inputs
  cost ~1.5 min to make (docs/research/btyd_fit_convergence.md); like them, this draw fails the old
  rule at its own scale (seeds 0-7: 1 and 4 fail it).
- Optional: BTYD_FIT_INPUTS=<parquet or csv of int_customer_btyd_inputs> (e.g. the 1M benchmark
  inputs, see the research note) fits both models on it at 1x and 10x.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fit_btyd import load_fitting_module, not_converged_advice
from test_clv_validation import PARAMETER_RTOL, _fit_reference, _lifetimes

FIT = load_fitting_module()
SAMPLE_2K = Path(__file__).parent / "fixtures" / "btyd_inputs_2000_customers.csv"
SCALES = (0.5, 1.27, 10.0)
# Each fit is within PARAMETER_TOLERANCE (relative) of the maximum, so two fits of the same data agree
# within twice that (measured: 1e-13).
SAME_RTOL = 2 * FIT.PARAMETER_TOLERANCE
PLANTED_1M = {"p": 2.0, "q": 9.5, "gamma": 285.0}  # the 1M benchmark's fitted values, rounded
PLANTED_RTOL = 0.02  # sampling error at 1M buyers: measured 0.1-0.4 %


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    return frame.astype({"monetary_value": float})


@pytest.fixture(scope="module")
def sample_2k() -> pd.DataFrame:
    return _read(SAMPLE_2K)


def _scaled(inputs: pd.DataFrame, scale: float) -> pd.DataFrame:
    return inputs.assign(monetary_value=inputs["monetary_value"] * scale)


def _assert_converged(fit: dict) -> None:
    assert fit["converged"], (f"not converged: {fit['distance']:.2e} from the maximum "
                              f"after {fit['iterations']} iterations")


def _assert_same_gamma_gamma(fit: dict, reference: dict, scale: float) -> None:
    expected = reference["params"] * np.array([1.0, 1.0, scale])
    np.testing.assert_allclose(fit["params"], expected, rtol=SAME_RTOL, err_msg="p, q, gamma")


@pytest.mark.parametrize("scale", SCALES)
def test_gamma_gamma_converges_whatever_the_money_unit(sample_2k: pd.DataFrame, scale: float) -> None:
    """p and q do not depend on the unit; gamma scales with it."""
    reference = FIT.fit_gamma_gamma(sample_2k)
    fit = FIT.fit_gamma_gamma(_scaled(sample_2k, scale))
    _assert_converged(reference)
    _assert_converged(fit)
    _assert_same_gamma_gamma(fit, reference, scale)


def test_bgnbd_parameters_ignore_the_money_unit(sample_2k: pd.DataFrame) -> None:
    fitted = [FIT.fit_btyd(_scaled(sample_2k, scale)).iloc[0] for scale in (1.0, *SCALES)]
    for row in fitted:
        assert row["bgnbd_converged"] and row["gamma_gamma_converged"]
        assert [row[n] for n in FIT.BGNBD_NAMES] == [fitted[0][n] for n in FIT.BGNBD_NAMES]


def test_2000_customer_sample_matches_lifetimes(sample_2k: pd.DataFrame) -> None:
    bg_class, gg_class = _lifetimes()
    bg, gg = FIT.fit_bgnbd(sample_2k), FIT.fit_gamma_gamma(sample_2k)
    _assert_converged(bg)
    _assert_converged(gg)
    reference = _fit_reference(
        bg_class(), sample_2k["frequency"], sample_2k["recency_days"], sample_2k["tenure_days"]
    ).params_
    np.testing.assert_allclose(bg["params"], reference[["r", "alpha", "a", "b"]], rtol=PARAMETER_RTOL)
    spenders = sample_2k[(sample_2k["frequency"] > 0) & (sample_2k["monetary_value"] > 0)]
    reference = _fit_reference(gg_class(), spenders["frequency"], spenders["monetary_value"]).params_
    np.testing.assert_allclose(gg["params"], reference[["p", "q", "v"]], rtol=PARAMETER_RTOL)


def draw_gamma_gamma_buyers(n: int, seed: int, p: float, q: float, gamma: float) -> pd.DataFrame:
    """Repeat buyers from the Gamma-Gamma model: nu ~ Gamma(q, rate gamma), each of x repeat order days
    spends Gamma(p, rate nu), m = their mean in cents. x is 1 + a rounded-down lognormal (median 3)."""
    rng = np.random.default_rng(seed)
    frequency = 1 + np.floor(rng.lognormal(1.0, 1.0, n))
    nu = rng.gamma(q, 1 / gamma, n)
    monetary = np.maximum(np.round(rng.gamma(p * frequency, 1 / (nu * frequency)), 2), 0.01)
    return pd.DataFrame({"frequency": frequency, "monetary_value": monetary})


@pytest.fixture(scope="module")
def buyers_1m() -> pd.DataFrame:
    return draw_gamma_gamma_buyers(1_000_000, 1, **PLANTED_1M)


def test_gamma_gamma_converges_on_1m_customers(buyers_1m: pd.DataFrame) -> None:
    fit = FIT.fit_gamma_gamma(buyers_1m)
    _assert_converged(fit)
    np.testing.assert_allclose(fit["params"], list(PLANTED_1M.values()), rtol=PLANTED_RTOL)


@pytest.mark.parametrize("fit_function", ["fit_bgnbd", "fit_gamma_gamma"])
def test_too_few_iterations_are_reported_as_not_converged(sample_2k: pd.DataFrame, fit_function: str) -> None:
    fit = getattr(FIT, fit_function)(sample_2k, max_iterations=2)
    assert not fit["converged"]
    assert fit["iterations"] == 2
    assert fit["distance"] > FIT.NEWTON_RADIUS  # too far to polish: more iterations are needed


@pytest.mark.skipif(not os.environ.get("BTYD_FIT_INPUTS"), reason="set BTYD_FIT_INPUTS to a file of inputs")
def test_fit_converges_on_given_inputs() -> None:
    inputs = _read(Path(os.environ["BTYD_FIT_INPUTS"]))
    fitted = FIT.fit_btyd(inputs).iloc[0]
    assert fitted["bgnbd_converged"], fitted
    assert fitted["gamma_gamma_converged"], fitted
    reference = {"params": fitted[list(FIT.GAMMA_GAMMA_NAMES)].to_numpy(dtype=float)}
    scaled = FIT.fit_gamma_gamma(_scaled(inputs, 10.0))
    _assert_converged(scaled)
    _assert_same_gamma_gamma(scaled, reference, 10.0)


@pytest.mark.parametrize(
    ("iterations", "max_iterations", "distance", "advice"),
    [(2, 2, 3.2, "raise --max-iterations"), (40, 1000, float("inf"), "more iterations will not help")],
)
def test_cli_advice_says_whether_more_iterations_help(
    iterations: int, max_iterations: int, distance: float, advice: str
) -> None:
    """Stopped at the iteration cap, or stopped early with no maximum nearby."""
    row = pd.Series({"gamma_gamma_iterations": iterations, "gamma_gamma_distance_to_maximum": distance})
    assert advice in not_converged_advice("Gamma-Gamma", row, "gamma_gamma", max_iterations)


def test_without_enough_repeat_buyers_nothing_is_fitted(sample_2k: pd.DataFrame) -> None:
    """One purchase per buyer (Olist's customer ids) identifies no parameter: the fit says so rather
    than report an optimizer's wandering, and int_btyd_parameters falls back (fit_status)."""
    one_time = sample_2k.assign(frequency=0, recency_days=0, monetary_value=0)
    row = FIT.fit_btyd(one_time).iloc[0]
    assert row["fit_status"] == "too_few_repeat_buyers"
    assert np.isnan(row["r"]) and np.isnan(row["gamma"]) and not row["bgnbd_converged"]
    n_repeat = int(((sample_2k["frequency"] > 0) & (sample_2k["monetary_value"] > 0)).sum())
    assert FIT.fit_btyd(sample_2k, min_repeat_buyers=n_repeat + 1).iloc[0]["fit_status"] == "too_few_repeat_buyers"
    assert FIT.fit_btyd(sample_2k, min_repeat_buyers=n_repeat).iloc[0]["fit_status"] == "fitted"
