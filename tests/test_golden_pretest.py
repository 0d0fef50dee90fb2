"""Golden pre-test cases (tests/golden/pretest.yml) through src/kapcourse/record/pretest.py and, in
the same pytest run, through _static/kappretest.js in node: the same rule and messages for a
saved or exported block, the same merge on import, and the same "Pre-test and final"
comparison on My progress, with the small course of tests/fixtures/final."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kapcourse.bank.model import fingerprint
from kapcourse.record import pretest
from kapcourse.record.summary import final_json

from .jsharness import call, run_js
from .test_golden_final import FINAL

GOLDEN = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "pretest.yml")
                        .read_text(encoding="utf-8"))
SCRIPTS = ("kapquiz.js", "kapprogress.js", "kappretest.js")
GLOBALS = {"kapcourseFinal": final_json(FINAL), "kapcoursePretest": pretest.pretest_json(FINAL)}
WHEN = "2026-12-01T10:00:00Z"
FP = {q.id: fingerprint(q) for q in FINAL.questions}


def expand(value):
    """A long text is written in the file as {repeat: "x", times: 201}."""
    if isinstance(value, dict) and set(value) == {"repeat", "times"}:
        return value["repeat"] * value["times"]
    if isinstance(value, dict):
        return {key: expand(item) for key, item in value.items()}
    return value


def block_of(row: dict) -> dict:
    answers = {}
    for qid, spec in row["answers"].items():
        right, fp = spec if isinstance(spec, list) else (spec, FP[qid])
        answers[qid] = {"correct": right, "response": None, "fp": fp}
    block = {"version": 1, "answers": answers}
    if row.get("submitted", WHEN) is not None:
        block["submitted"] = row.get("submitted", WHEN)
    return block


def items_of(row: dict) -> dict:
    """The final's saved answers after the row's attempts, a later one replacing an earlier."""
    items = {}
    for spec in row["attempts"]:
        for question in FINAL.drawn(spec["attempt"]):
            right = question.id not in spec["wrong"]
            items[question.id] = {"bank": "final", "attempts": 1, "first_correct": right,
                                  "correct": right, "first": WHEN, "last": WHEN,
                                  "last_response": None, "attempt": spec["attempt"],
                                  "confidence": "fairly sure", "submitted": spec["submitted"]}
    return items


def rows(found: dict | None) -> dict | None:
    """The comparison as the file writes it."""
    if found is None:
        return None
    def flat(rs):
        return [[r["key"], *r["pre"], *r["final"], r["gain"]] for r in rs]
    return {"final_attempt": found["final_attempt"], "lessons": flat(found["lessons"]),
            "objectives": flat(found["objectives"])}


def python_comparison(row: dict) -> dict | None:
    found = pretest.comparison(block_of(row), items_of(row), FINAL, row.get("state"))
    return rows(found.as_json() if found else None)


BLOCKS, MERGES, COMPARISONS = GOLDEN["blocks"], GOLDEN["merges"], GOLDEN["comparisons"]


@pytest.fixture(scope="module")
def js():
    calls = [call("kappretest.problem", expand(r["block"])) for r in BLOCKS]
    calls += [call("kappretest.clean", expand(r["block"])) for r in BLOCKS if not r["problem"]]
    calls += [call("kappretest.merge", r["current"], r["incoming"]) for r in MERGES]
    calls += [call("kappretest.comparison", block_of(r), items_of(r), r.get("state"))
              for r in COMPARISONS]
    results = run_js(calls, GLOBALS, scripts=SCRIPTS)
    assert all(r.error is None for r in results), [r.error for r in results if r.error]
    values = iter(r.value for r in results)
    return {"problem": [next(values) for _ in BLOCKS],
            "clean": [next(values) for r in BLOCKS if not r["problem"]],
            "merge": [next(values) for _ in MERGES],
            "comparison": [rows(next(values)) for _ in COMPARISONS]}


def ids(found: list[dict]) -> list[str]:
    return [row["note"][:40] for row in found]


@pytest.mark.parametrize("number", range(len(BLOCKS)), ids=ids(BLOCKS))
def test_blocks(js, number):
    row = BLOCKS[number]
    assert pretest.problem(expand(row["block"])) == row["problem"]
    assert js["problem"][number] == row["problem"]


def test_both_clean_a_usable_block_alike(js):
    usable = [expand(r["block"]) for r in BLOCKS if not r["problem"]]
    assert js["clean"] == [pretest.clean(block) for block in usable]
    assert all(set(c) <= {"version", "submitted", "answers"} for c in js["clean"])


@pytest.mark.parametrize("number", range(len(MERGES)), ids=ids(MERGES))
def test_merges(js, number):
    row = MERGES[number]
    kept = pretest.merge(row["current"], row["incoming"])
    want = row["current"] if row["keep"] == "current" else pretest.clean(row["incoming"])
    assert kept == want
    assert js["merge"][number] == want


@pytest.mark.parametrize("number", range(len(COMPARISONS)), ids=ids(COMPARISONS))
def test_comparisons(js, number):
    row = COMPARISONS[number]
    assert python_comparison(row) == row["expect"]
    assert js["comparison"][number] == row["expect"]


def test_both_read_the_stored_pretest_with_the_same_rule():
    """Validated when read: a stored block goes through the same rule, and an unreadable one
    is neither used nor removed."""
    key = pretest.STORAGE_KEY
    good = json.dumps({"version": 1, "answers": {"h-f2-refer": {
        "correct": True, "response": 1, "fp": FP["h-f2-refer"]}}})
    stored = [good, "not json", '{"version": 2, "answers": {}}', "[]"]
    results = run_js([call("kappretest.load", storage={key: raw}) for raw in stored],
                     GLOBALS, scripts=SCRIPTS)
    assert [r.value for r in results] == [pretest.clean(json.loads(good)), None, None, None]
    assert [r.storage[key] for r in results] == stored


def test_both_add_the_pretest_to_an_export():
    block = block_of({"answers": {"h-f2-refer": True}})
    results = run_js([call("kappretest.addToExport", {"learner": "Ada"}, block),
                      call("kappretest.addToExport", {}, {"version": 3})],
                     GLOBALS, scripts=SCRIPTS)
    assert [r.value for r in results] == [True, False]
    export: dict = {"learner": "Ada"}
    assert pretest.add_to_export(export, block) is True
    assert export["pretest"] == pretest.clean(block)
    assert pretest.add_to_export({}, {"version": 3}) is False
