"""Imports the engine pays for without using: deferred until something really uses them.

nbformat (papermill, nbclient and nbconvert read notebooks with it) imports jsonschema, and
jsonschema's format checkers import ``rfc3987_syntax`` when it is installed (jupyter-events,
a JupyterLab dependency, brings it). That module compiles about 40 Lark grammars as it is
imported: 1.5 to 4 s of CPU on this machine, paid by every process that reads a notebook
(the build, each pool worker), while nbformat's schemas have no IRI format to check.

:func:`defer_iri_grammar` puts a stand-in module in its place that imports the real one the
first time anything in it is used (its ``is_valid_syntax`` called, any other name looked
up), so validating an ``iri`` format still works exactly as before; only the grammars are
compiled when needed rather than on import.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

__all__ = ["defer_iri_grammar"]

_NAME = "rfc3987_syntax"


def defer_iri_grammar() -> None:
    """Make ``import rfc3987_syntax`` cheap until the module is used (no-op if it is already
    imported or not installed)."""
    if _NAME in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(_NAME)
    except (ImportError, ValueError):
        return
    if spec is None:
        return
    stand_in = types.ModuleType(_NAME, "Stand-in: the real rfc3987_syntax is imported on first use.")
    stand_in.__deferred__ = True
    if spec.submodule_search_locations is not None:
        stand_in.__path__ = list(spec.submodule_search_locations)  # its submodules stay importable

    def real() -> types.ModuleType:
        if sys.modules.get(_NAME) is stand_in:
            del sys.modules[_NAME]
        return importlib.import_module(_NAME)

    def is_valid_syntax(term: str, value: str) -> bool:
        return real().is_valid_syntax(term, value)

    def __getattr__(name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.is_valid_syntax = is_valid_syntax
    stand_in.__getattr__ = __getattr__
    sys.modules[_NAME] = stand_in
