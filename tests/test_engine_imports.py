"""What the engine imports without using is deferred, not dropped (engine/imports.py, issue 14).

Reading a notebook (nbformat) imports jsonschema, whose format checkers import
rfc3987_syntax when it is installed; that module compiles its grammars as it is imported,
seconds of CPU in the build and in every pool worker. The engine defers that import until
something uses the module, and an ``iri`` format is then checked exactly as before.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

CODE = """
import sys
import partnerships.engine
import nbformat, papermill
print(getattr(sys.modules.get("rfc3987_syntax"), "__deferred__", False))
import jsonschema
checker = jsonschema.Draft7Validator.FORMAT_CHECKER
v = jsonschema.Draft7Validator({"format": "iri"}, format_checker=checker)
print(len(list(v.iter_errors("http://a b"))), len(list(v.iter_errors("http://example.org/ä"))))
import rfc3987_syntax
print(getattr(sys.modules["rfc3987_syntax"], "__deferred__", False), rfc3987_syntax.is_valid_syntax_iri("x:y"))
from rfc3987_syntax import syntax_helpers
print(syntax_helpers.is_valid_syntax("iri", "no scheme"))
"""


@pytest.mark.skipif(importlib.util.find_spec("rfc3987_syntax") is None, reason="rfc3987_syntax is not installed")
def test_the_iri_grammar_is_compiled_only_when_used():
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "True",  # nbformat and papermill imported: the grammars not compiled yet
        "1 0",  # an invalid IRI is still refused, a valid one accepted
        "False True",  # the real module, whole, once something asks for it
        "False",
    ]
