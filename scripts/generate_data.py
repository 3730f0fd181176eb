#!/usr/bin/env python3
"""Generate the synthetic raw data and its ground truth.

    python scripts/generate_data.py --customers 10000 --days 730 --seed 42 --as-of 2025-12-31 --out data

See docs/generator.md for what is generated and the planted messiness.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthgen.cli import main

if __name__ == "__main__":
    sys.exit(main())
