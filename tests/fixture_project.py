"""A tiny report project, written into a temporary folder by the tests themselves."""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat as nbf

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def notebook(cells: list, params: str | None = None, title_code: str | None = None):
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = KERNELSPEC
    out = []
    for c in cells:
        if c.startswith("MD:"):
            out.append(nbf.v4.new_markdown_cell(c[3:]))
        else:
            out.append(nbf.v4.new_code_cell(textwrap.dedent(c).strip()))
    if params is not None:
        p = nbf.v4.new_code_cell(textwrap.dedent(params).strip())
        p.metadata["tags"] = ["parameters"]
        out.insert(1, p)
    nb.cells = out
    return nb


SUMMARY = notebook(
    [
        "MD:# Fixture summary\n\nWhat this chapter answers.\n\n## How big is it?",
        """
        import matplotlib.pyplot as plt
        from partnerships.analysis import charts
        from partnerships.analysis import present
        fig, ax = charts.new(2.5)
        ax.bar(["a", "b"], [3, 5])
        import pandas as pd
        present.figure(fig, "B is larger than A", alt="Two bars", sources=[], data=pd.DataFrame({"bar": ["a", "b"], "value": [3, 5]}))
        """,
        "MD:## Which table?",
        """
        import pandas as pd
        present.table(pd.DataFrame({"name": ["x", "<script>alert(1)</script>"], "n": [1, 2]}), "A table", sources=[])
        """,
    ]
)

PROFILE = notebook(
    [
        "MD:# Fixture profile",
        """
        from IPython.display import Markdown, display
        import matplotlib.pyplot as plt
        from partnerships.analysis import charts
        from partnerships.analysis import present
        display(Markdown(f"## About {partner}\\n\\nShown from {year}."))
        fig, ax = charts.new(2.5)
        ax.plot([1, 2, 3], [len(partner), 2, 1])
        import pandas as pd
        present.figure(fig, f"A line for {partner}", alt="A line", sources=[], data=pd.DataFrame({"x": [1, 2, 3], "y": [len(partner), 2, 1]}))
        """,
    ],
    params='partner: str = "Russia"  # partner; choices: Russia|China|Japan\nyear: int = 2000  # first year; range: 1990..2025',
)

MANIFEST = """\
name: fixture
title: Fixture report
subtitle: Built by the tests
edition: 2026-01-01
author: Test suite
timeout: 60
chapters:
  - notebooks/01-summary.ipynb
  - notebook: notebooks/02-profile.ipynb
    parameters: {year: 2001}
    foreach:
      partner: [Russia, China]
"""


def make_project(root: Path, manifest: str = MANIFEST, extra: dict | None = None) -> Path:
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    nbf.write(SUMMARY, root / "notebooks" / "01-summary.ipynb")
    nbf.write(PROFILE, root / "notebooks" / "02-profile.ipynb")
    for name, nb in (extra or {}).items():
        nbf.write(nb, root / "notebooks" / name)
    (root / "report.yml").write_text(manifest)
    return root
