"""The contenders: one module each, found at run time (adding one adds one file).

Each module defines ``MEASURE``, an instance of :class:`credit_bench.common.Measure`.
"""

import importlib
import pkgutil


def load():
    """The contenders' measures, in their ``order``."""
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    return sorted((module.MEASURE for module in modules if hasattr(module, "MEASURE")), key=lambda m: m.order)
