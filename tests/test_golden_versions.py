"""Golden cases for versioned learner records (tests/golden/versions.yml, issue #16): format
upgrades, renames, fingerprints and changed or removed questions, through the Python code and,
in the same pytest run, through the book's _static/kapquiz.js and kapprogress.js in node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kapcourse.bank.model import fingerprint, load_bank
from kapcourse.record import versions
from kapcourse.record.rules import merge
from kapcourse.record.store import ProgressStore
from kapcourse.record.summary import (
    ImportProblem,
    course_structure,
    known_questions,
    parse_import,
    structure_json,
    to_csv,
)

from .conftest import FIXTURE_COURSE
from .jsharness import call, run_js

GOLDEN = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "versions.yml")
                        .read_text(encoding="utf-8"))
RAW = GOLDEN["tables"]
TABLES = versions.Tables(RAW["current"], RAW["legacy"], frozenset(RAW["retired"]), RAW["banks"],
                         RAW["questions"])
LESSONS = course_structure(FIXTURE_COURSE)
KNOWN = {**known_questions(LESSONS), "final-fx-single": "final"}
KEY = "kapcourse:progress"
COURSE = {"kapcourseStructure": structure_json(LESSONS),
          "kapcourseFinal": {"bank": "final", "lesson_of": {"final-fx-single": "01_sample"},
                             "lessons": [["01_sample", "Sample"]], "pass_mark": 80},
          "kapcourseVersions": TABLES.script_data()}
IMPORTS, STATES, STORAGE = GOLDEN["imports"], GOLDEN["states"], GOLDEN["storage"]
ANSWERS, MERGES, EXPORTS = GOLDEN["answers"], GOLDEN["merges"], GOLDEN["exports"]


def names(rows):
    return [row["name"] for row in rows]


@pytest.fixture
def fixture_tables(monkeypatch):
    """The kernel's reader (ProgressStore) sees the fixture tables, not the real course's."""
    monkeypatch.setattr(versions, "course_tables", lambda: TABLES)


def test_fingerprints_are_pinned():
    """Changing model.fingerprint would flag every learner's every answer as changed: the
    fixture course's values are pinned here and in the golden file the book is tested with."""
    bank = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml")
    found = {q.id: fingerprint(q) for q in bank.questions}
    assert found == {k: v for k, v in RAW["current"].items() if not k.startswith("final-")}


def expected(row: dict):
    return ("error", row["error"]) if "error" in row else ("items", row["items"])


@pytest.fixture(scope="module")
def js_imports() -> list:
    results = run_js([call("kapprogress.parse", row["text"]) for row in IMPORTS], COURSE)
    return [("error", r.error) if r.error is not None else ("items", dict(r.value))
            for r in results]


@pytest.mark.parametrize("number", range(len(IMPORTS)), ids=names(IMPORTS))
def test_import_python(number):
    row = IMPORTS[number]
    try:
        result = ("items", parse_import(row["text"], KNOWN, TABLES))
    except ImportProblem as problem:
        result = ("error", str(problem))
    assert result == expected(row)
    if result[0] == "items":
        assert list(result[1]) == sorted(row["items"])


@pytest.mark.parametrize("number", range(len(IMPORTS)), ids=names(IMPORTS))
def test_import_javascript(number, js_imports):
    assert js_imports[number] == expected(IMPORTS[number])


def test_answer_states_in_both():
    results = run_js([call("kapquiz.versions.state", row["id"], row["record"]) for row in STATES],
                     COURSE)
    for row, result in zip(STATES, results, strict=True):
        assert versions.answer_state(row["id"], row["record"], TABLES.current) == row["state"]
        assert result.value == row["state"], row


# The JavaScript side of each group of cases below runs in one node process (a module
# fixture), not one per case: starting node is most of a case's time. Each case still asserts
# its own result.


@pytest.fixture(scope="module")
def js_stored() -> list:
    """Each stored text through kapquiz.load, then each row's items through versions.scored."""
    return run_js([call("kapquiz.load", storage={KEY: row["text"]}) for row in STORAGE]
                  + [call("kapquiz.versions.scored", row["items"]) for row in STORAGE], COURSE)


@pytest.mark.parametrize("number", range(len(STORAGE)), ids=names(STORAGE))
def test_stored_progress_in_both(number, fixture_tables, isolated_progress, js_stored):
    row = STORAGE[number]
    isolated_progress.parent.mkdir(parents=True, exist_ok=True)
    isolated_progress.write_text(row["text"], encoding="utf-8")
    items = ProgressStore(isolated_progress).load()["items"]
    assert items == row["items"]
    assert sorted(versions.scored(items, TABLES.current)) == row["scored"]
    loaded, scored = js_stored[number], js_stored[len(STORAGE) + number]
    assert loaded.value["items"] == row["items"] and loaded.value["version"] == 2
    assert sorted(scored.value) == row["scored"]


def _without_times(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in ("first", "last")}


def _stored(row: dict) -> str:
    return json.dumps({"format": "kapcourse-progress", "version": 2, "items": row["stored"]})


@pytest.fixture(scope="module")
def js_saved() -> list:
    return run_js([call("kapquiz.save", *row["answer"], storage={KEY: _stored(row)})
                   for row in ANSWERS], COURSE)


@pytest.mark.parametrize("number", range(len(ANSWERS)), ids=names(ANSWERS))
def test_answering_again_in_both(number, fixture_tables, isolated_progress, js_saved):
    row = ANSWERS[number]
    stored = _stored(row)
    isolated_progress.parent.mkdir(parents=True, exist_ok=True)
    isolated_progress.write_text(stored, encoding="utf-8")
    bank, item_id, correct, response = row["answer"]
    saved = ProgressStore(isolated_progress).record(bank, item_id, correct, response,
                                                    TABLES.current[item_id])
    assert _without_times(saved) == row["saved"]
    written = json.loads(js_saved[number].storage[KEY])
    assert written["version"] == 2
    assert _without_times(written["items"][item_id]) == row["saved"]


@pytest.fixture(scope="module")
def js_merges() -> list:
    return run_js([call("kapprogress.merge", row["current"], sorted(row["incoming"].items()))
                   for row in MERGES], COURSE)


@pytest.mark.parametrize("number", range(len(MERGES)), ids=names(MERGES))
def test_merge_in_both(number, js_merges):
    row = MERGES[number]
    assert merge(row["current"], row["incoming"]) == row["merged"]
    assert js_merges[number].value == row["merged"]


@pytest.fixture(scope="module")
def js_exports() -> list:
    return run_js([call("kapprogress.toCsv", row["items"]) for row in EXPORTS], COURSE)


@pytest.mark.parametrize("number", range(len(EXPORTS)), ids=names(EXPORTS))
def test_csv_export_in_both(number, js_exports):
    row = EXPORTS[number]
    assert to_csv(row["items"]) == row["csv"]
    assert js_exports[number].value == row["csv"]
