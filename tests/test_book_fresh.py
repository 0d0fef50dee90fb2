"""The browser tests reuse the built book only while it is up to date (conftest.book_is_fresh)."""

from __future__ import annotations

import os

from .conftest import BOOK_SOURCES, book_is_fresh


def _touch(path, when: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    os.utime(path, (when, when))


def test_a_source_newer_than_the_build_makes_it_stale(tmp_path):
    root, html = tmp_path / "course", tmp_path / "course" / "_build" / "html"
    assert not book_is_fresh(root, html)  # never built
    for name in BOOK_SOURCES:
        _touch(root / name if "." in name else root / name / "a.txt", 1_000)
    _touch(html / "index.html", 2_000)
    _touch(html / ".buildinfo", 2_000)
    assert book_is_fresh(root, html)
    _touch(root / "src/kapcourse/__pycache__/x.pyc", 3_000)  # not a source
    assert book_is_fresh(root, html)
    _touch(root / "quizzes" / "deep" / "01_x.yml", 3_000)  # an edit since the build
    assert not book_is_fresh(root, html)
    _touch(html / ".buildinfo", 4_000)  # rebuilt
    assert book_is_fresh(root, html)
    _touch(root / "_toc.yml", 5_000)
    assert not book_is_fresh(root, html)
