"""The tree and ARCHITECTURE.md agree (issue #18): every module of the package is named in the
document's table under its subpackage, every module the table names exists, and no module
imports from a higher layer than its own."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import ROOT
from .test_import_cycles import PACKAGE, import_graph

DOC = ROOT / "ARCHITECTURE.md"
# Lowest first, as ARCHITECTURE.md draws them; the top-level modules (cli, checks, lesson) sit
# above every layer and may import any of them.
LAYERS = {"bank": 0, "record": 1, "quiz": 2, "content": 3, "workshop": 3, "pages": 3, "book": 4}


def documented(doc: Path = DOC) -> dict[str, set[str]]:
    """Subpackage -> the module files its table row names (``name.py`` or ``name/``)."""
    rows = {}
    for line in doc.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `(\w+)/` \| (.*) \|$", line)
        if match:
            rows[match[1]] = set(re.findall(r"`([\w/]+\.py|[\w]+/)`", match[2]))
    return rows


def modules(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Subpackage -> its modules (``name.py``) and sub-subpackages (``name/``)."""
    found: dict[str, set[str]] = {}
    for sub in sorted(p for p in package.iterdir() if (p / "__init__.py").is_file()):
        names = {f"{p.name}/" for p in sub.iterdir() if (p / "__init__.py").is_file()}
        names |= {p.name for p in sub.glob("*.py") if p.name != "__init__.py"}
        found[sub.name] = names
    return found


def test_the_table_names_every_module_and_only_real_ones():
    doc, tree = documented(), modules()
    assert set(tree) == set(LAYERS), "a subpackage without a layer in this test"
    assert set(doc) == set(tree), "ARCHITECTURE.md's table and the subpackages differ"
    for sub in tree:
        assert tree[sub] <= doc[sub], f"{sub}/: not in ARCHITECTURE.md: {tree[sub] - doc[sub]}"
        missing = {n for n in doc[sub] if not (PACKAGE / sub / n.split("/")[0]).exists()
                   and not (PACKAGE / sub / n).exists()}
        assert not missing, f"ARCHITECTURE.md names {sub}/{missing}, which do not exist"


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    def layer(module: str) -> str | None:
        parts = module.split(".")
        return parts[1] if len(parts) > 2 and parts[1] in LAYERS else None

    return [f"{module} imports {target}" for module, targets in sorted(graph.items())
            for target in sorted(targets)
            if layer(module) and layer(target) and LAYERS[layer(target)] > LAYERS[layer(module)]]


def test_no_module_imports_from_a_higher_layer():
    assert layer_violations(import_graph()) == []


def test_the_layer_check_finds_an_upward_import():
    graph = {"kapcourse.bank.model": {"kapcourse.quiz.widget"},
             "kapcourse.quiz.widget": {"kapcourse.bank.model"},
             "kapcourse.cli": {"kapcourse.book.x"}}
    assert layer_violations(graph) == ["kapcourse.bank.model imports kapcourse.quiz.widget"]
