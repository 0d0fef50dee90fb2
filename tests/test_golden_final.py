"""Golden final-assessment cases (tests/golden/final.yml) through src/kapcourse/record/final.py and,
in the same pytest run, through _static/kapprogress.js in node: the same forms drawn for
attempt n, the same score, safety rule, verdict and confidently-wrong list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kapcourse.record.final import build, last_review, result
from kapcourse.record.summary import final_json

from .final_course import FORMS, load_banks
from .jsharness import call, run_js

GOLDEN = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "final.yml")
                        .read_text(encoding="utf-8"))
ROWS = GOLDEN["rows"]
WHEN = "2026-12-01T10:00:00Z"


FINAL = build(load_banks(FORMS))


def items_of(row: dict) -> dict:
    items = {}
    for qid, spec in row["answers"].items():
        right, confidence, attempt = (*spec, 1)[:3]
        entry = {"bank": "final", "attempts": 1, "first_correct": right, "correct": right,
                 "first": WHEN, "last": WHEN, "last_response": None}
        if not row.get("legacy"):
            entry.update(attempt=attempt, confidence=confidence,
                         submitted=row.get("submitted", True))
        items[qid] = entry
    return items


def summary(outcome, review) -> dict:
    """The fields a row expects, from either language's result."""
    get = (lambda key: outcome[key]) if isinstance(outcome, dict) else \
        (lambda key: getattr(outcome, key))
    out = {key: get(key) for key in ("attempt", "total", "answered", "right", "percent",
                                     "submitted", "mark_met", "passed")}
    out["safety_missed"] = list(get("safety_missed"))
    out["confident_wrong"] = list(get("confident_wrong"))
    if review is None:
        out["last_review"] = None
    else:
        rget = (lambda key: review[key]) if isinstance(review, dict) else \
            (lambda key: getattr(review, key))
        out["last_review"] = rget("attempt")
        out["last_review_confident_wrong"] = list(rget("confident_wrong"))
    return out


def expected(row: dict) -> dict:
    want = dict(row["expect"])
    got_review = want.get("last_review")
    if got_review is not None and "last_review_confident_wrong" not in want:
        want["last_review_confident_wrong"] = want["confident_wrong"]
    return want


def python_outcome(row: dict) -> dict:
    items = items_of(row)
    return summary(result(items, FINAL, row.get("state")),
                   last_review(items, FINAL, row.get("state")))


@pytest.fixture(scope="module")
def js_outcomes() -> list:
    calls = []
    for row in ROWS:
        calls += [call("kapprogress.finalResult", items_of(row), row.get("state")),
                  call("kapprogress.lastReview", items_of(row), row.get("state"))]
    results = run_js(calls, {"kapcourseFinal": final_json(FINAL), "kapcourseStructure": []})
    assert all(r.error is None for r in results), [r.error for r in results]
    return [summary(results[i].value, results[i + 1].value) for i in range(0, len(results), 2)]


@pytest.fixture(scope="module")
def js_drawn() -> dict:
    """kapprogress.drawn for every golden attempt, in one node process (not one per attempt)."""
    attempts = sorted(GOLDEN["drawn"])
    results = run_js([call("kapprogress.drawn", attempt) for attempt in attempts],
                     {"kapcourseFinal": final_json(FINAL)})
    return dict(zip(attempts, results, strict=True))


@pytest.mark.parametrize("attempt", sorted(GOLDEN["drawn"]))
def test_each_attempt_draws_one_form_per_objective_in_both(attempt, js_drawn):
    want = GOLDEN["drawn"][attempt]
    assert [q.id for q in FINAL.drawn(attempt)] == want
    assert js_drawn[attempt].value == want


@pytest.mark.parametrize("number", range(len(ROWS)), ids=[r["name"][:50] for r in ROWS])
def test_final_python(number):
    assert python_outcome(ROWS[number]) == expected(ROWS[number])


@pytest.mark.parametrize("number", range(len(ROWS)), ids=[r["name"][:50] for r in ROWS])
def test_final_javascript(number, js_outcomes):
    assert js_outcomes[number] == expected(ROWS[number])
