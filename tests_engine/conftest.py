"""Load the pure decision module by file path: importing the addon package
would import Odoo, and these tests must run without it."""

import importlib.util
import pathlib
import sys

import pytest

_PATH = pathlib.Path(__file__).resolve().parents[1] / "credit_hold" / "decision.py"


def _load():
    spec = importlib.util.spec_from_file_location("credit_hold_decision", _PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


decision = _load()


@pytest.fixture
def engine():
    return decision
