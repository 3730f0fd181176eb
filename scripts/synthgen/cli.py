"""Command line: validate arguments (one-line errors, exit code 2) and run the generator."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from . import config
from .generator import Args, generate

PROG = "generate_data.py"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block, exit code 2
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        sys.exit(2)


def _positive_int(name: str):
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{name} must be positive, got {value}")
        return value
    parse.__name__ = name
    return parse


def _seed(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"seed must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"seed must be zero or positive, got {value}")
    return value


def _date(text: str) -> dt.date:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"a real date written YYYY-MM-DD is needed, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description=(
        "Generate the synthetic raw data (CRM, GA4, Shopify, marketing) of the customer "
        "segmentation warehouse as Parquet, plus the ground truth it was drawn from."))
    p.add_argument("--customers", type=_positive_int("customers"), default=10_000,
                   help="number of persons, prospects included (default 10000)")
    p.add_argument("--days", type=_positive_int("days"), default=730,
                   help="days of history before the as-of date (default 730)")
    p.add_argument("--seed", type=_seed, default=42, help="random seed (default 42)")
    p.add_argument("--as-of", type=_date, default=dt.date(2025, 12, 31), dest="as_of",
                   help="last day of data, YYYY-MM-DD (default 2025-12-31)")
    p.add_argument("--out", type=Path, default=Path("data"),
                   help="output folder; DIR/raw and DIR/truth are replaced (default data)")
    p.add_argument("--chunk-size", type=_positive_int("chunk-size"), default=config.CHUNK_SIZE,
                   help=argparse.SUPPRESS)
    p.add_argument("--behaviour-shift-from", type=_date, default=None, dest="behaviour_shift_from", metavar="DATE",
                   help="plant a behaviour shift from this date YYYY-MM-DD: bargain hunters stop "
                        "favouring sale items (default: none)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def _check_out(out: Path) -> str | None:
    if out.exists() and not out.is_dir():
        return f"--out {str(out)!r} is a file, not a folder"
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        return f"--out {str(out)!r} is below a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"--out {str(out)!r} is not writable"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    ns = parser.parse_args(argv)
    start = ns.as_of - dt.timedelta(days=0)
    if ns.days > 36_500:
        parser.error(f"days must be at most 36500, got {ns.days}")
    if (start - dt.date(1971, 1, 1)).days < ns.days:
        parser.error("as-of minus days must fall after 1971-01-01")
    if ns.as_of > dt.date(9000, 1, 1):
        parser.error("as-of is too far in the future")
    shift = ns.behaviour_shift_from
    if shift is not None and not ns.as_of - dt.timedelta(days=ns.days) < shift <= ns.as_of:
        parser.error(f"behaviour-shift-from {shift} must fall after the first day of data and at "
                     f"or before the as-of date {ns.as_of}")
    problem = _check_out(ns.out)
    if problem:
        parser.error(problem)
    try:
        generate(Args(customers=ns.customers, days=ns.days, seed=ns.seed, as_of=ns.as_of,
                      out=ns.out, chunk_size=ns.chunk_size,
                      behaviour_shift_from=ns.behaviour_shift_from), quiet=ns.quiet)
    except OSError as exc:
        sys.stderr.write(f"{PROG}: error: cannot write output: {exc}\n")
        return 1
    return 0
