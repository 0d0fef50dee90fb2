"""The static quiz of the fixture bank, checked against reviewed golden files.

Substring asserts let anything else on the page change unseen; these compare the whole
rendering. When a change to the static view is meant, regenerate and review the diff:
`.venv/bin/python -m pytest tests/test_golden_html.py --force-regen`, then read
`git diff tests/test_golden_html/` before committing it.
"""

from __future__ import annotations

import json

from kapcourse.bank.course import bibliography
from kapcourse.bank.model import load_bank
from kapcourse.quiz.static import bank_data, render_quiz

from .conftest import FIXTURE_COURSE


def _bank():
    references = bibliography(FIXTURE_COURSE)
    return load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml", set(references)), references


def test_the_static_quiz_of_every_item_type(file_regression):
    bank, _ = _bank()
    html = render_quiz(bank, list(bank.items))
    # one tag a line, so that a diff shows what changed (the page's HTML has no line breaks)
    file_regression.check(html.replace("><", ">\n<") + "\n", extension=".html")


def test_the_answers_and_feedback_the_quiz_script_gets(file_regression):
    bank, references = _bank()
    text = json.dumps(bank_data(bank, references), indent=1, ensure_ascii=False, sort_keys=True)
    file_regression.check(text + "\n", extension=".json")
