"""The browser tests reuse the built book only while it is up to date (conftest.book_is_fresh)."""

from __future__ import annotations

import os
import threading
import time

from .conftest import BOOK_SOURCES, book_is_fresh, up_to_date_book


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


def test_two_workers_that_find_the_book_stale_build_it_once(tmp_path):
    """up_to_date_book holds a lock: the second worker waits and then reuses the first's build,
    rather than building into the same folder at the same time."""
    root, html = tmp_path / "course", tmp_path / "course" / "_build" / "html"
    for name in BOOK_SOURCES:
        _touch(root / name if "." in name else root / name / "a.txt", 1_000)
    building, overlaps, builds = threading.Event(), [], []

    def slow_build(book):
        overlaps.append(building.is_set())
        building.set()
        time.sleep(0.3)  # long enough for the other worker to arrive while this one builds
        _touch(html / "index.html", 2_000)
        _touch(html / ".buildinfo", 2_000)
        builds.append(book)
        building.clear()
        return html

    workers = [threading.Thread(target=up_to_date_book, args=(root, html, slow_build))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert builds == [root] and overlaps == [False]
