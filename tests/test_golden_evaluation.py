"""Golden course-evaluation cases (tests/golden/evaluation.yml) through
src/kapcourse/record/evaluation.py and, in the same pytest run, through _static/kapeval.js in
node: the
same rules and messages for a saved evaluation, the same anonymous export block and the same
commitment for the completion record, with the course's own form."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kapcourse.record.evaluation import (
    course_form,
    export_block,
    form_json,
    problem,
    record_commitment,
)

from .jsharness import ROOT, call, run_js

CASES = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "evaluation.yml")
                       .read_text(encoding="utf-8"))["cases"]
SCRIPTS = ("kapquiz.js", "kapprogress.js", "kapeval.js")
FORM = course_form(ROOT)


def expand(value):
    """A long text is written in the file as {repeat: "x", times: 1000}."""
    if isinstance(value, dict) and set(value) == {"repeat", "times"}:
        return value["repeat"] * value["times"]
    if isinstance(value, dict):
        return {key: expand(item) for key, item in value.items()}
    return value


def expected(row: dict) -> tuple:
    return row["problem"], expand(row["block"]), row["commitment"]


def python_answers(saved) -> tuple:
    return problem(saved, FORM), export_block(saved, FORM), record_commitment(saved, FORM)


@pytest.fixture(scope="module")
def js_answers() -> list[tuple]:
    calls = []
    for row in CASES:
        saved = expand(row["saved"])
        calls += [call("kapeval.problem", saved), call("kapeval.exportBlock", saved),
                  call("kapeval.recordCommitment", saved)]
    results = run_js(calls, {"kapcourseEvaluation": form_json(FORM)}, scripts=SCRIPTS)
    assert all(r.error is None for r in results), [r.error for r in results if r.error]
    values = [r.value for r in results]
    return [tuple(values[i:i + 3]) for i in range(0, len(values), 3)]


IDS = [row["note"][:40] for row in CASES]


@pytest.mark.parametrize("number", range(len(CASES)), ids=IDS)
def test_python(number):
    assert python_answers(expand(CASES[number]["saved"])) == expected(CASES[number])


@pytest.mark.parametrize("number", range(len(CASES)), ids=IDS)
def test_javascript(js_answers, number):
    assert js_answers[number] == expected(CASES[number])


def test_the_book_reads_stored_evaluations_with_the_same_rules():
    """Validated when read: what localStorage holds goes through the same rule, and an
    unreadable value is not used (nor is it removed)."""
    key = form_json(FORM)["storage_key"]
    stored = ['{"answers": {"relevance": 4, "change": " Plan "}, "on_record": true}',
              "not json", '{"answers": {"relevance": 9}}', "[]"]
    results = run_js([call("kapeval.load", storage={key: raw}) for raw in stored],
                     {"kapcourseEvaluation": form_json(FORM)}, scripts=SCRIPTS)
    assert [r.value for r in results] == [
        {"answers": {"relevance": 4, "change": "Plan"}, "on_record": True}, None, None, None]
    assert [r.storage[key] for r in results] == stored


def test_a_course_without_an_evaluation_gives_no_block_and_no_commitment():
    """My progress loads kapeval.js even when the course has no book/evaluation.yml."""
    results = run_js([call("kapeval.recordCommitment"), call("kapeval.addToExport", {})],
                     {"kapcourseEvaluation": None}, scripts=SCRIPTS)
    assert [(r.value, r.error) for r in results] == [("", None), (False, None)]


def test_both_write_the_same_evaluation_csv():
    """Every usable row's export block as CSV: evaluation.to_csv and kapeval.toCsv agree."""
    from kapcourse.record.evaluation import to_csv

    blocks = [expand(row["block"]) for row in CASES if row["block"] is not None]
    blocks.append({"version": 1, "answers": {"change": '=HYPERLINK("x"), "quoted"\r\nnext',
                                             "improve": "-1", "relevance": 1}})
    results = run_js([call("kapeval.toCsv", block) for block in blocks],
                     {"kapcourseEvaluation": form_json(FORM)}, scripts=SCRIPTS)
    assert [r.value for r in results] == [to_csv(block, FORM) for block in blocks]
    assert "'=HYPERLINK" in results[-1].value and "'-1" in results[-1].value
