"""``python -m credit_bench`` (from bench/): the same as bench/bench.py."""

import sys

from .runner import main

sys.exit(main())
