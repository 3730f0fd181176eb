"""Synthetic data generator for the customer segmentation warehouse (see docs/generator.md)."""

from .config import BTYD, CHUNK_SIZE, RATES
from .generator import VERSION, Args, generate

__all__ = ["BTYD", "CHUNK_SIZE", "RATES", "VERSION", "Args", "generate"]
