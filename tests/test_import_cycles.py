"""No import cycle inside the kapcourse package.

A cycle works only while every module in it is imported in the right order (or one import
is deferred into a function); it makes the layers of the package impossible to read and
turns a harmless reordering into an ImportError. The graph is read statically with ast,
imports inside functions included, so a deferred import does not hide a cycle.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kapcourse"

# Release 0.3.0 broke the last cycles: completion<->summary and progress->summary->results->
# progress with the leaf modules record_text.py and files.py; course->evaluation->summary with
# CSV_SPECIAL in records.py; course's validation (which imported final, evaluation, versions and
# facilitator, all importing course) moved to checks.py; and versions<->report with
# final.read_course.


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(current: str, is_package: bool, level: int, module: str | None) -> str:
    """The absolute name of a (possibly relative) import's module."""
    if not level:
        return module or ""
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports(path: Path, modules: set[str], package: Path = PACKAGE) -> set[str]:
    """The package's modules that one module imports, anywhere in its code."""
    current = module_name(path, package)
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(current, is_package, node.level, node.module)
            for alias in node.names:  # `from . import x` and `from .figures import pk` name modules
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules
                          else target)
    return {name for name in found if name in modules and name != current}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    files = sorted(package.rglob("*.py"))
    modules = {module_name(path, package) for path in files}
    return {module_name(path, package): imports(path, modules, package) for path in files}


def find_cycle(graph: dict[str, set[str]], ignore: set[tuple[str, str]] = frozenset()) -> list:
    """One import cycle as [a, b, ..., a], or [] when there is none (graphlib finds it)."""
    edges = {name: {t for t in targets if (name, t) not in ignore}
             for name, targets in graph.items()}
    try:
        tuple(graphlib.TopologicalSorter(edges).static_order())
    except graphlib.CycleError as error:
        # graphlib lists it against the import direction; start it at its first name in
        # alphabetical order so that the message is the same from run to run.
        cycle = list(reversed(error.args[1]))[:-1]
        start = cycle.index(min(cycle))
        return [*cycle[start:], *cycle[:start], cycle[start]]
    return []


def describe(cycle: list[str]) -> str:
    return " imports ".join(cycle)


def test_the_reader_sees_deferred_and_relative_imports(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .a import thing\n")
    (package / "a.py").write_text("def f():\n    from .b import g\n    return g\n")
    (package / "b.py").write_text("from . import c\nfrom .sub import d\n")
    (package / "c.py").write_text("import os\n")
    (package / "sub" / "__init__.py").write_text("from .. import a\n")
    (package / "sub" / "d.py").write_text("from ..a import f\n")
    graph = import_graph(package)
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.c", "pkg.sub.d"},
                     "pkg.c": set(), "pkg.sub": {"pkg.a"}, "pkg.sub.d": {"pkg.a"}}
    cycle = find_cycle(graph)
    assert describe(cycle) == "pkg.a imports pkg.b imports pkg.sub.d imports pkg.a"
    assert find_cycle(graph, ignore={("pkg.sub.d", "pkg.a")}) == []


def test_the_graph_covers_the_whole_package():
    graph = import_graph()
    assert {"kapcourse", "kapcourse.record.summary", "kapcourse.record.completion",
            "kapcourse.content.figures.pk"} <= set(graph)
    assert "kapcourse.workshop.facilitator" in graph["kapcourse.checks"]


def test_there_is_no_import_cycle_at_all():
    cycle = find_cycle(import_graph())
    assert not cycle, f"import cycle in src/kapcourse: {describe(cycle)}"
