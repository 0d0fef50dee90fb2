"""The grading and import rules' texts and constants live in Python only: the book's scripts
read them from kapquiz-data/shared.js, which every page with a quiz or My progress loads."""

from __future__ import annotations

import os
import re

import pytest

from kapcourse.quiz.grading import MESSAGES, UNIT_ALIASES, shared_script
from kapcourse.record.summary import CSV_FIELDS, IMPORT_MESSAGES, REASONS

from .conftest import BUILT, ROOT

QUIZ = (ROOT / "_static" / "kapquiz.js").read_text(encoding="utf-8")
PROGRESS = (ROOT / "_static" / "kapprogress.js").read_text(encoding="utf-8")


def fragments(texts) -> list[str]:
    """The literal parts of message templates, long enough to be recognised."""
    return [part for text in texts for part in re.split(r"\{\w+\}", text) if len(part) >= 12]


def test_the_quiz_script_has_no_copy_of_the_grading_texts():
    copied = [f for f in fragments(MESSAGES.values()) if f in QUIZ]
    assert not copied
    aliases = [name for names in UNIT_ALIASES.values() for name in names if len(name) > 3]
    assert not [name for name in aliases if f'"{name}"' in QUIZ]


def test_the_progress_script_has_no_copy_of_the_import_texts():
    copied = [f for f in fragments([*IMPORT_MESSAGES.values(), *REASONS.values()])
              if f in PROGRESS]
    assert not copied
    assert ",".join(CSV_FIELDS) not in PROGRESS and '"first_correct", "correct", "first"' \
        not in PROGRESS


@pytest.mark.skipif(not (BUILT / "index.html").exists() and not os.environ.get("CI"),
                    reason="needs the built book (make test builds it first; CI never skips)")
def test_the_book_ships_the_shared_constants_where_they_are_used():
    shipped = BUILT / "_static" / "kapquiz-data" / "shared.js"
    assert shipped.read_text(encoding="utf-8") == shared_script()
    for path in BUILT.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if 'class="kq"' in html or 'id="kp-progress"' in html:
            # a lesson page's one data script starts with the same constants
            lesson = re.search(r'src="[./]*_static/kapquiz-data/(lesson-[\w-]+\.js)', html)
            if lesson:
                data = BUILT / "_static" / "kapquiz-data" / lesson[1]
                assert data.read_text(encoding="utf-8").startswith(shared_script()), path
            else:
                assert "kapquiz-data/shared.js" in html, path
