"""'What to review next' on My progress is driven by first-try misses (issue #14; review problem
2: after seven first-try misses, all put right, the page said "Nothing to review yet"), the
same in summary.review_next and kapprogress.js reviewNext; the scores are labelled."""

from __future__ import annotations

import pytest

from kapcourse.pages.progress import table_html
from kapcourse.record.summary import course_structure, review_next, structure_json

from .conftest import FIXTURE_COURSE
from .jsharness import call, run_js

LESSONS = course_structure(FIXTURE_COURSE)


def answer(first_correct: bool, correct: bool = True) -> dict:
    return {"bank": "01_sample", "attempts": 1 if first_correct else 2,
            "first_correct": first_correct, "correct": correct}


CASES = [
    # every miss put right: still worth reviewing (the reviewer's seven misses)
    ("misses put right", {"fx-single": answer(False), "fx-multiple": answer(False),
                          "fx-numeric": answer(True)}, [("fx-o1", 2, 2)]),
    # the larger share of misses first; an objective without misses is left out
    ("ranked by share", {"fx-single": answer(False), "fx-multiple": answer(True),
                         "fx-numeric": answer(False, False), "fx-case-a": answer(False)},
     [("fx-o2", 2, 2), ("fx-o1", 1, 2)]),
    ("no misses", {"fx-single": answer(True), "fx-numeric": answer(True)}, []),
    ("nothing answered", {}, []),
]


def as_rows(reviews) -> list[tuple]:
    return [(r.objective.id, r.missed, r.answered) for r in reviews]


@pytest.fixture(scope="module")
def js_reviews() -> list:
    structure = structure_json(LESSONS)
    results = run_js([call("kapprogress.reviewNext", items, structure) for _, items, _ in CASES])
    return [[(r["objective"]["id"], r["missed"], r["answered"]) for r in result.value]
            for result in results]


@pytest.mark.parametrize("number", range(len(CASES)), ids=[c[0] for c in CASES])
def test_review_next_in_both(number, js_reviews):
    _, items, expected = CASES[number]
    assert as_rows(review_next(items, LESSONS)) == expected
    assert js_reviews[number] == expected


def test_the_page_says_why_there_is_nothing_to_review():
    answered = table_html({"fx-single": answer(True)}, LESSONS)
    assert "every question you have answered was right at the first try" in answered
    assert "answer some questions first" in table_html({}, LESSONS)


def test_the_page_names_both_scores_and_the_misses():
    page = table_html(CASES[0][1], LESSONS)
    assert "<th>First-try right</th><th>Right now</th>" in page
    assert "<td>1 of 7</td><td>3 of 7</td>" in page  # first-try right, right now: "n of N"
    assert "(missed at the first try: 2 of 2 answered)" in page
