"""The report engine: manifest, execution and cache, rendering (HTML, PDF).

It knows notebooks and a manifest, nothing about the subject: it could build another report.
"""

from partnerships.engine.imports import defer_iri_grammar as _defer_iri_grammar

_defer_iri_grammar()  # nbformat's import no longer compiles ~40 grammars it never uses (see .imports)
