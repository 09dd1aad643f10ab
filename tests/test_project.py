"""Project hygiene: one dependency list, the README's commands, no machine paths committed."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / f for f in out.splitlines() if (ROOT / f).is_file()]


def test_environment_yml_delegates_to_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = env["dependencies"]
    pip = [d for d in deps if isinstance(d, dict)][0]["pip"]
    assert pip == ["-e .[dev]"], "environment.yml must install this package, not list its own deps"
    conda_pkgs = sorted(d.split("=")[0] for d in deps if isinstance(d, str))
    assert conda_pkgs == ["pip", "python"], "dependencies belong in pyproject.toml only"
    python = [d for d in deps if isinstance(d, str) and d.startswith("python=")][0].split("=")[1]
    assert python == "3.11" and ">=3.11" in py["project"]["requires-python"]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"^make test\b", readme, re.M)
    assert re.search(r"^make report\b", readme, re.M)
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert ci[-2:] == ["make lint", "make test"], "CI lints, then runs the README's test command"


def test_make_help_lists_every_target():
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("setup", "report", "test", "lint", "lab", "preview", "outputs", "bench", "clean"):
        assert re.search(rf"make {target}\s+\S", out), target


def test_no_machine_path_in_committed_files():
    leak = re.compile(r"/(work|root|home|tmp)/[A-Za-z0-9_.-]")
    bad = []
    for f in tracked():
        if f.suffix in {".ipynb", ".csv", ".html", ".md", ".yml", ".yaml", ".json", ".geojson", ".txt"}:
            if leak.search(f.read_text(encoding="utf-8", errors="replace")):
                bad.append(f.relative_to(ROOT).as_posix())
    assert bad == []


def test_notebooks_committed_with_outputs_and_no_errors():
    nbs = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert nbs, "no notebooks"
    for nb_path in nbs:
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert any(c["outputs"] for c in code), f"{nb_path.name} has no outputs"
        errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
        assert errors == [], f"{nb_path.name} holds an error output"
        assert "papermill" not in nb["metadata"], f"{nb_path.name} carries papermill run metadata"
        assert nb["metadata"]["kernelspec"] == {
            "display_name": "Python (partnerships)",
            "language": "python",
            "name": "partnerships",
        }, nb_path.name


def test_parameters_cells_are_typed_and_commented():
    from partnerships.engine.manifest import notebook_parameters

    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for name, p in notebook_parameters(nb_path).items():
            assert p.type in {"str", "int", "float", "bool", "list", "dict"}, (nb_path.name, name)
            assert p.help, f"{nb_path.name}: parameter {name} has no comment"


def test_no_big_files_tracked():
    assert [f.name for f in tracked() if f.stat().st_size > 2_000_000] == []


def test_readme_lists_every_notebook_and_table():
    readme = (ROOT / "README.md").read_text()
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"`{nb.stem}" in readme, f"README does not list {nb.name}"
    for table in (ROOT / "data").glob("*.csv"):
        assert f"`{table.stem}`" in readme, f"README does not list data/{table.name}"
