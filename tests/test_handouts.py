"""Key-points handouts are made from the lessons' own text (kapcourse.book.handouts), never
retyped."""

from __future__ import annotations

import json

import pytest

from kapcourse.book.handouts import anchor, handout_markdown, key_points
from kapcourse.book.sphinx_nav import lessons

from .conftest import ROOT


def _notebook(*cells: str) -> dict:
    return {"cells": [{"cell_type": "markdown", "source": text} for text in cells]}


def test_key_points_are_the_section_up_to_the_next_heading():
    notebook = _notebook("# Title\n\nIntro.",
                         "## Key points\n\n- One.\n- Two.\n\n## What's next\n\nMore.")
    assert key_points(notebook, "notebooks/x.ipynb") == "- One.\n- Two."


def test_a_lesson_without_key_points_names_its_notebook():
    with pytest.raises(ValueError, match=r"notebooks/x\.ipynb: no '## Key points' section"):
        key_points(_notebook("# Title", "## Summary\n\n- One."), "notebooks/x.ipynb")
    with pytest.raises(ValueError, match=r"notebooks/x\.ipynb, cell 2: .* is empty"):
        key_points(_notebook("# Title", "## Key points\n\n## What's next"), "notebooks/x.ipynb")


def test_every_lesson_has_a_handout_with_its_objectives_and_key_points():
    found = lessons(ROOT)
    assert len(found) == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    for lesson in found:
        text = handout_markdown(ROOT, lesson)
        notebook = json.loads((ROOT / f"{lesson['doc']}.ipynb").read_text(encoding="utf-8"))
        assert text.startswith(f"(kap-handout-{lesson['stem']})=\n## Lesson {lesson['stem'][:2]}:")
        assert key_points(notebook, lesson["doc"]) in text
        assert "**By the end of this lesson you will be able to:**\n\n1. " in text


def test_the_anchor_is_the_id_docutils_gives_the_label():
    assert anchor("03_duration") == "kap-handout-03-duration"
