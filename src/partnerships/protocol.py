"""What notebooks and the renderer agree on: inline values and cross-reference labels.

Shared by :mod:`partnerships.analysis.present` (which writes these into notebook outputs)
and the engine (which reads them when rendering), so neither imports the other.

Inline values
    A code cell calls ``present.value(name, value, ...)``; that displays ONE output with
    two mime types: :data:`VALUE_MIME` = ``{"name", "value", "text", "unit", "sources",
    "label"}`` and ``text/plain`` = ``"name = text"``. A Markdown cell anywhere in the same
    chapter writes ``{{name}}`` (whitespace allowed inside the braces); the build puts the
    value's ``text`` there. The renderer never shows the value outputs themselves.

Cross-references
    Figures and tables get labels from ``present.figure(..., label="fig-x")`` and
    ``present.table(..., label="tbl-x")``; chapters and sections from a Pandoc-style
    attribute at the end of a Markdown heading (``# Title {#ch-x}``, ``## Question {#sec-x}``).
    Prose writes ``@fig-x``, ``@tbl-x``, ``@ch-x``, ``@sec-x``; the build writes "Figure 12",
    "Table 3", "Chapter 7" or the section's quoted title, as an internal link.
"""

from __future__ import annotations

import re

#: The mime type of an inline value output.
VALUE_MIME = "application/vnd.partnerships.value+json"

#: A value name: a Python-style identifier.
VALUE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: ``{{ name }}`` in Markdown.
VALUE_REF = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

#: Label kinds: prefix -> what the build writes.
LABEL_KINDS = {"fig": "Figure", "tbl": "Table", "ch": "Chapter", "sec": "section"}

#: A whole label: kind prefix, a hyphen, then lowercase words joined by single hyphens.
LABEL = re.compile(r"^(fig|tbl|ch|sec)-[a-z0-9]+(?:-[a-z0-9]+)*$")

#: ``@label`` in prose (not inside a word or an e-mail address; trailing punctuation excluded).
LABEL_REF = re.compile(r"(?<![\w@.\\/-])@((?:fig|tbl|ch|sec)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)")

#: A heading attribute ``{#label}`` at the end of a Markdown ATX heading line.
HEADING_ATTR = re.compile(r"^(?P<head> {0,3}#{1,6}[ \t]+.*?)[ \t]*\{#(?P<label>[^}\s]+)\}[ \t]*#*[ \t]*$", re.M)


def check_label(label: str, kinds: tuple[str, ...]) -> str:
    """``label`` if it is well formed and of one of ``kinds``; else ValueError saying why."""
    if not isinstance(label, str) or not LABEL.match(label) or label.split("-", 1)[0] not in kinds:
        shown = " or ".join(f"'{k}-...'" for k in kinds)
        raise ValueError(
            f"label {label!r} is not valid: it must start with {shown} followed by lowercase "
            "letters, digits and single hyphens (e.g. 'fig-spending')"
        )
    return label
