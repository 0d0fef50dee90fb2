"""pyproject.toml declares what the package imports at run time (issue #18): every
third-party module imported anywhere in src/kapcourse comes from a distribution named in
``dependencies`` or an extra, so a learner's or a provider's fresh install cannot miss one."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "src" / "kapcourse"


def top_level_imports(package: Path = PACKAGE) -> set[str]:
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "kapcourse"}


def declared(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"],
                    *(r for extra in project.get("optional-dependencies", {}).values()
                      for r in extra)]
    return {_normal(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def undeclared(imports: set[str], names: set[str]) -> dict[str, list[str]]:
    """Imported module -> the distributions that provide it, when none of them is declared."""
    providers = packages_distributions()
    return {module: providers.get(module, ["(no installed distribution)"])
            for module in sorted(imports)
            if not names & {_normal(d) for d in providers.get(module, [])}}


def test_every_runtime_import_is_declared():
    missing = undeclared(top_level_imports(), declared())
    assert not missing, f"add these to pyproject.toml's dependencies or an extra: {missing}"


def test_the_check_finds_an_undeclared_import(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("import yaml\nimport numpy as np\nfrom os import path\n")
    assert top_level_imports(package) == {"yaml", "numpy"}
    assert undeclared({"yaml", "numpy"}, {"pyyaml"}) == {"numpy": ["numpy"]}


def test_the_version_is_the_package_metadata_one():
    import kapcourse

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert kapcourse.__version__ == project["version"]
