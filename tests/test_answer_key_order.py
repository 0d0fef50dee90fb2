"""Answer keys list the options in the order learners see them (issue #14, part 4): the key's
letter A is the option a learner sees first, not the one the author wrote first."""

from __future__ import annotations

import re

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import load_bank
from kapcourse.workshop.facilitator import answer_key_html

from .conftest import FIXTURE_COURSE, ROOT


def listed_options(page: str, question_id: str) -> list[str]:
    """The option texts of one question's key, in the key's order."""
    section = page.split(f"<h3>{question_id}</h3>", 1)[1].split("</section>", 1)[0]
    lettered = section.split('<ol type="A">', 1)[1].split("</ol>", 1)[0]
    return [re.sub(r"^<strong>✓ ", "", item.split("<br>", 1)[0]).removesuffix("</strong>")
            for item in re.findall(r"<li>(.*?)</li>", lettered, flags=re.S)]


def test_the_key_follows_the_learners_order():
    for root, stem in ((FIXTURE_COURSE, "01_sample"), (ROOT, "01_what_is_ketamine")):
        bank = load_bank(root / "quizzes" / f"{stem}.yml")
        page = answer_key_html(bank, {})
        moved = 0
        for question in (q for q in bank.questions if q.type in ("single", "multiple")):
            seen = [inline(question.options[i].text) for i in question.option_order]
            assert listed_options(page, question.id) == seen, question.id
            moved += list(question.option_order) != sorted(question.option_order)
        assert moved, f"{stem}: no question is shuffled, so the test shows nothing"
