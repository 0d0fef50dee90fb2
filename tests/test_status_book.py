"""The lessons' status admonitions (which JupyterLab shows) are the book's dated status boxes,
with the same title and the source to re-check (kapcourse.bank.currency.status_directives)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kapcourse.bank.currency import find_directives

from .conftest import ROOT, up_to_date_book

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def html() -> Path:
    return up_to_date_book()


def status_titles(notebook: Path) -> list[str]:
    """The titles of a lesson's status boxes, as validate finds them."""
    text = notebook.read_text(encoding="utf-8")
    return [box.title or "" for box in find_directives(json.loads(text), text)]


def test_every_status_admonition_is_a_status_box_in_the_book(html: Path):
    total = 0
    for lesson in LESSONS:
        page = BeautifulSoup((html / "notebooks" / f"{lesson.stem}.html").read_text("utf-8"),
                             "html.parser")
        boxes = page.select("div.admonition.status")
        shown = [box.select_one("p.admonition-title").get_text() for box in boxes]
        assert shown == status_titles(lesson), lesson.stem
        for box in boxes:
            assert box.select_one("p.status-source").get_text().startswith(
                "Source to re-check: "), lesson.stem
        total += len(boxes)
    assert total >= 8  # the course has eight dated passages
