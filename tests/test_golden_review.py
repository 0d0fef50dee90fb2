"""Golden spaced-review cases (tests/golden/review.yml) through src/kapcourse/record/review.py
(py-fsrs) and, in the same pytest run, through _static/kapreview.js with the shipped ts-fsrs in
node: the
same schedule for the same reviews (and the libraries' own reference intervals), the same
rules for a saved record, the same deck, due count, streak and merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kapcourse.record import review
from kapcourse.record.review import SETTINGS, parse_time, schedule

from .jsharness import call, run_js

GOLDEN = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "review.yml")
                        .read_text(encoding="utf-8"))
VENDORED = "../src/kapcourse/book/static/kapvendor/ts-fsrs.umd.js"  # run_js reads _static/<name>
SCRIPTS = ("kapquiz.js", "kapprogress.js", VENDORED, "kapreview.js")
FIELDS = ("state", "step", "stability", "difficulty", "due")
# The file has 6 decimals; ts-fsrs rounds its results to 8 decimals and computes in a
# different order, so a large stability differs from py-fsrs's in the 8th significant digit.
TOLERANCE, RELATIVE = 1e-6, 1e-7


def ids(section: str) -> list[str]:
    return [case["note"][:40] for case in GOLDEN[section]]


def js_globals() -> dict:
    return {"kapcourseReview": review.script_data(GOLDEN["course"])}


def same_card(card: dict, expected: dict) -> bool:
    for field in FIELDS:
        if isinstance(expected[field], float):
            if abs(card[field] - expected[field]) > max(TOLERANCE, RELATIVE * expected[field]):
                return False
        elif card[field] != expected[field]:
            return False
    return True


def reference_settings(case: dict) -> dict:
    return {**SETTINGS, **case["settings"]}


# --- Python ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", GOLDEN["schedule"], ids=ids("schedule"))
def test_python_schedule(case):
    card = None
    for step in case["steps"]:
        card = schedule(card, step["rating"], step["at"])
        assert same_card(card, step), (step, card)
        assert card["last_review"] == step["at"]


def python_intervals(case: dict) -> list[int]:
    card, at, intervals = None, case["start"], []
    for rating in case["ratings"]:
        card = schedule(card, rating, at, reference_settings(case))
        intervals.append((parse_time(card["due"]) - parse_time(at)).days)
        at = card["due"]
    return intervals


@pytest.mark.parametrize("case", GOLDEN["reference"], ids=ids("reference"))
def test_python_reference_intervals(case):
    assert python_intervals(case) == case["intervals"]


@pytest.mark.parametrize("row", GOLDEN["problems"], ids=ids("problems"))
def test_python_problems(row):
    assert review.problem(row["saved"]) == row["problem"]


@pytest.mark.parametrize("row", GOLDEN["deck"], ids=ids("deck"))
def test_python_deck(row):
    course = row.get("course", GOLDEN["course"])
    assert review.deck(row["items"], row["cards"], row["today"], course) == row["deck"]
    assert review.due_count(row["items"], row["cards"], row["today"], course) == row["due"]


def test_python_due_line():
    for row in GOLDEN["due_line"]:
        saved = {"version": 1, "cards": row["cards"], "days": []}
        assert review.due_line(row["items"], saved, row["today"], GOLDEN["course"]) == row["line"]


def test_python_streak():
    assert [review.streak(r["days"], r["today"]) for r in GOLDEN["streak"]] == [
        r["streak"] for r in GOLDEN["streak"]]


def test_python_merge():
    for row in GOLDEN["merge"]:
        assert review.merge(row["mine"], row["theirs"]) == row["merged"]


# --- the book's script, in node ---------------------------------------------------------------


@pytest.fixture(scope="module")
def js_schedules() -> list[list[dict]]:
    """Each schedule case run step by step through kapreview.schedule (ts-fsrs)."""
    calls = []
    for case in GOLDEN["schedule"]:
        card = None
        for step in case["steps"]:
            # each step starts from the Python card of the step before, as stored
            calls.append(call("kapreview.schedule", card, step["rating"], step["at"], None))
            card = schedule(card, step["rating"], step["at"])
    results = run_js(calls, js_globals(), scripts=SCRIPTS)
    assert all(r.error is None for r in results), [r.error for r in results if r.error]
    values, out = [r.value for r in results], []
    for case in GOLDEN["schedule"]:
        out.append(values[:len(case["steps"])])
        values = values[len(case["steps"]):]
    return out


def test_js_schedule(js_schedules):
    for case, cards in zip(GOLDEN["schedule"], js_schedules, strict=True):
        for step, card in zip(case["steps"], cards, strict=True):
            assert same_card(card, step), (case["note"], step, card)
            assert card["last_review"] == step["at"]


def test_js_reference_intervals():
    """ts-fsrs, through kapreview.schedule, gives py-fsrs's reference intervals (each review
    at the due time ts-fsrs itself gave)."""
    for case in GOLDEN["reference"]:
        settings = reference_settings(case)
        first, *then = case["ratings"]
        # one node process: each later call takes the card and review time (its due time)
        # from the call before
        steps = [call("kapreview.schedule", None, first, case["start"], settings)]
        steps += [call("kapreview.schedule", None, rating, None, settings,
                       from_previous={0: "", 2: "due"}) for rating in then]
        at, intervals = case["start"], []
        for result in run_js(steps, js_globals(), scripts=SCRIPTS):
            assert result.error is None, result.error
            card = result.value
            intervals.append((parse_time(card["due"]) - parse_time(at)).days)
            at = card["due"]
        assert intervals == case["intervals"]


def test_js_rules():
    rows = GOLDEN["problems"]
    calls = [call("kapreview.problem", r["saved"]) for r in rows]
    calls += [call("kapreview.deck", r["items"], r["cards"], r["today"],
                   r.get("course", GOLDEN["course"])) for r in GOLDEN["deck"]]
    calls += [call("kapreview.dueCount", r["items"], r["cards"], r["today"],
                   r.get("course", GOLDEN["course"])) for r in GOLDEN["deck"]]
    calls += [call("kapreview.dueLine", r["items"], {"version": 1, "cards": r["cards"], "days": []},
                   r["today"]) for r in GOLDEN["due_line"]]
    calls += [call("kapreview.streak", r["days"], r["today"]) for r in GOLDEN["streak"]]
    calls += [call("kapreview.merge", r["mine"], r["theirs"]) for r in GOLDEN["merge"]]
    results = run_js(calls, js_globals(), scripts=SCRIPTS)
    assert all(r.error is None for r in results), [r.error for r in results if r.error]
    values = iter(r.value for r in results)
    assert [next(values) for _ in rows] == [r["problem"] for r in rows]
    assert [next(values) for _ in GOLDEN["deck"]] == [r["deck"] for r in GOLDEN["deck"]]
    assert [next(values) for _ in GOLDEN["deck"]] == [r["due"] for r in GOLDEN["deck"]]
    assert [next(values) for _ in GOLDEN["due_line"]] == [r["line"] for r in GOLDEN["due_line"]]
    assert [next(values) for _ in GOLDEN["streak"]] == [r["streak"] for r in GOLDEN["streak"]]
    assert [next(values) for _ in GOLDEN["merge"]] == [r["merged"] for r in GOLDEN["merge"]]


def test_js_export_and_import():
    """kapreview.js addToExport and importNote: the same as review.add_to_export and
    import_note (the card reviewed last wins; an unreadable record is left out)."""
    card = GOLDEN["merge"][0]["theirs"]["cards"]["a1"]
    older = GOLDEN["merge"][0]["mine"]["cards"]["a1"]
    stored = {review.STORAGE_KEY: json.dumps({"version": 1, "cards": {"a1": older},
                                              "days": ["2026-12-01"]})}
    incoming = json.dumps({"format": "kapcourse-results", "items": {},
                           "review": {"version": 1, "cards": {"a1": card}, "days": []}})
    broken = json.dumps({"format": "kapcourse-results", "items": {},
                         "review": {"version": 1, "cards": [], "days": []}})
    results = run_js([call("kapreview.addToExport", {"items": {}}, storage=stored),
                      call("kapreview.importNote", incoming, storage=stored),
                      call("kapreview.importNote", broken, storage=stored)],
                     js_globals(), scripts=SCRIPTS)
    assert all(r.error is None for r in results), [r.error for r in results]
    assert results[0].value is True
    assert results[1].value == ""
    assert json.loads(results[1].storage[review.STORAGE_KEY]) == {
        "version": 1, "cards": {"a1": card}, "days": ["2026-12-01"]}
    assert results[2].value == (" Its review schedule could not be read ('cards' must map "
                                "question ids to cards) and was left out.")
    assert results[2].storage == stored
