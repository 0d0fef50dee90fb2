"""The lessons' status admonitions (which JupyterLab shows) are the book's dated status boxes,
with the same title and the source to re-check (kapcourse.bank.currency.status_directives)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import BUILT, ROOT, book_is_fresh, build_book

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def html() -> Path:
    return BUILT if book_is_fresh() else build_book(ROOT)


def _titles(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [line.split("} ", 1)[1] for cell in cells if cell["cell_type"] == "markdown"
            for line in "".join(cell["source"]).splitlines()
            if "{admonition} Status as of" in line]


def test_every_status_admonition_is_a_status_box_in_the_book(html: Path):
    total = 0
    for lesson in LESSONS:
        page = BeautifulSoup((html / "notebooks" / f"{lesson.stem}.html").read_text("utf-8"),
                             "html.parser")
        boxes = page.select("div.admonition.status")
        shown = [box.select_one("p.admonition-title").get_text() for box in boxes]
        assert shown == _titles(lesson), lesson.stem
        for box in boxes:
            assert box.select_one("p.status-source").get_text().startswith(
                "Source to re-check: "), lesson.stem
        total += len(boxes)
    assert total >= 8  # the course has eight dated passages
