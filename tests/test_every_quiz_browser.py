"""Every quiz on every lesson page of the built course, answered with the mouse and with the
keyboard (the fixture book's one item of each type: tests/test_browser.py).

A file of its own: `make test` gives each worker whole files, and these two tests take about
two minutes, a fifth of the suite's time on 2 cores (#18)."""

from __future__ import annotations

import pytest

from .browser import PageWatch
from .conftest import ROOT
from .test_browser import exercise_page, lesson_pages, questions_by_id

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("keyboard", [False, True], ids=["mouse", "keyboard"])
def test_every_quiz_on_every_lesson_page(page, real_book, keyboard):
    watch = PageWatch(page, real_book)
    known = questions_by_id(ROOT)
    pages = lesson_pages(ROOT)
    assert pages, "the course has no lessons"
    for lesson in pages:
        assert exercise_page(page, f"{real_book}/{lesson}", known, keyboard) > 0, lesson
    assert watch.errors == [] and watch.external == []
