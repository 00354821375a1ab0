#!/usr/bin/env python3
"""Entry point of ``make bench``: the benchmark lives in the package bench/credit_bench/
(see its docstring and bench/README.md)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from credit_bench.runner import main

if __name__ == "__main__":
    sys.exit(main())
