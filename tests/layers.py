"""Every test belongs to one layer, so that `make test-fast` can run the quick ones alone.

The layers, quickest first (each is a marker registered in pyproject.toml):

- ``unit``: plain Python (and node for the scripts' golden cases); the default.
- ``widget``: the ipywidgets views, in process, without a kernel.
- ``book``: builds a book with Jupyter Book, or needs the course's built book.
- ``kernel``: starts a Jupyter kernel (nbval over the lessons, nbclient).
- ``browser``: drives a page in headless Chromium.
- ``lab``: starts a real JupyterLab server.
- ``hub``: starts a real JupyterHub.

A test gets its layer without anyone having to remember to mark it: from the fixtures it uses
(``page`` means Chromium, ``real_book`` means a built book, ...) and from the names that the
test function or one of its fixtures calls (``build_book``, ``NotebookClient``, ...). An
explicit ``pytest.mark.<layer>`` covers what that cannot see. When several apply, the slowest
wins, and the test carries that one layer marker only (plus any explicit ones it already had).
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

LAYERS = ("unit", "widget", "book", "kernel", "browser", "lab", "hub")  # quickest first

# A fixture that a test uses (directly or through another fixture) -> its layer.
FIXTURE_LAYERS = {
    "sample_lesson": "widget",
    "real_book": "book",
    "browser": "browser",
    "page": "browser",
    "lab": "lab",
    "hub": "hub",
}

# A global name that a test function or one of its fixtures refers to -> its layer.
NAME_LAYERS = {
    # the widget views
    "Lesson": "widget", "MyProgress": "widget", "QuestionView": "widget", "widgets": "widget",
    # a Jupyter Book build (a subprocess, or the conftest helpers)
    "build_book": "book", "make_fixture_book": "book", "JUPYTER_BOOK": "book",
    "up_to_date_book": "book",
    "BUILT": "book",  # reads the course's built book
    # a kernel
    "NotebookClient": "kernel", "execute_notebooks": "kernel", "execute_notebook": "kernel",
    # Chromium
    "sync_playwright": "browser",
}


def slowest(layers: Iterable[str]) -> str:
    """The slowest of some layers ("unit" when there are none)."""
    return max(layers, key=LAYERS.index, default="unit")


def _fixture_functions(item: pytest.Item) -> list:
    # name2fixturedefs is pytest's (private but long-stable) map from a fixture name to its
    # definitions; reading it is the only way to see what a fixture's code calls.
    info = getattr(item, "_fixtureinfo", None)
    defs = getattr(info, "name2fixturedefs", {}) or {}
    return [d.func for name in item.fixturenames for d in defs.get(name, ())]


def _names(function) -> set[str]:
    code = getattr(getattr(function, "__wrapped__", function), "__code__", None)
    return set(code.co_names) if code else set()


def inferred_layer(item: pytest.Item) -> str:
    """The layer a test's fixtures and calls imply."""
    if item.path.suffix == ".ipynb":  # nbval re-runs a notebook in a kernel
        return "kernel"
    found = {FIXTURE_LAYERS[name] for name in getattr(item, "fixturenames", ())
             if name in FIXTURE_LAYERS}
    for function in [getattr(item, "function", None), *_fixture_functions(item)]:
        found |= {NAME_LAYERS[name] for name in _names(function) if name in NAME_LAYERS}
    return slowest(found)


def explicit_layers(item: pytest.Item) -> set[str]:
    return {mark.name for mark in item.iter_markers() if mark.name in LAYERS}


def layer_of(item: pytest.Item) -> str:
    return slowest(explicit_layers(item) | {inferred_layer(item)})


def assign(items: list[pytest.Item]) -> None:
    """Mark each collected test with its layer (called from conftest's collection hook)."""
    for item in items:
        layer = layer_of(item)
        if layer not in explicit_layers(item):
            item.add_marker(getattr(pytest.mark, layer))


# Every collected test's layer markers, before `-m` deselects any (tests/test_layers.py reads
# them from the running session instead of collecting the suite again in a subprocess).
COLLECTED = pytest.StashKey[dict[str, list[str]]]()


def remember(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep {node id: its layer markers} of this session's collected tests on ``config``."""
    config.stash[COLLECTED] = {item.nodeid: sorted(explicit_layers(item)) for item in items}


def slowest_files_first(items: list[pytest.Item]) -> None:
    """Sort the tests so that the files of the slowest layers come first; each file's tests stay
    together and in their order, and files of one layer keep theirs.

    `make test` hands each worker whole files in this order (``--dist loadfile
    --no-loadscope-reorder``): the hub, JupyterLab and browser files, a few tests each but most
    of the suite's time, start first, and the many quick unit files fill in around them. By
    default xdist sends the files with the most tests first, which left the longest files to
    the end and one worker idle while the other finished them (#18)."""
    rank: dict[str, int] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        rank[path] = max(rank.get(path, 0), LAYERS.index(layer_of(item)))
    items.sort(key=lambda item: -rank[item.nodeid.split("::")[0]])
