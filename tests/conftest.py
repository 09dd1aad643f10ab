import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A fresh fixture project; PARTNERSHIPS_ROOT points at it for the test."""
    from fixture_project import make_project

    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("PARTNERSHIPS_ROOT", str(root))
    return root
