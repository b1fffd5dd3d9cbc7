"""The engines compared: michigrad, and micrograd 0.1.0 as the baseline when it is installed.

Both have a ``Value`` with the same arithmetic and an ``MLP(nin, nouts)`` with the same
layout of parameters, so a benchmark is written once and run on each.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Engine:
    """An autograd engine's name, its ``Value`` class and its ``MLP`` class."""

    name: str
    Value: Any
    MLP: Any


def michigrad() -> Engine:
    """The engine of this project."""
    from michigrad.engine import Value
    from michigrad.nn import MLP

    return Engine("michigrad", Value, MLP)


def micrograd() -> Engine | None:
    """micrograd, if it is installed (pip install -e ".[benchmark]"); None if it is not."""
    try:
        engine = importlib.import_module("micrograd.engine")
        nn = importlib.import_module("micrograd.nn")
    except ImportError:
        return None
    return Engine(f"micrograd {importlib.metadata.version('micrograd')}", engine.Value, nn.MLP)
