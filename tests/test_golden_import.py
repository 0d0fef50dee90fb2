"""Golden import, merge and CSV-export cases (tests/golden/import.yml) through
src/kapcourse/record/summary.py and, in the same pytest run, through _static/kapprogress.js in
node."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kapcourse.record.rules import merge
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

GOLDEN = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "import.yml")
                        .read_text(encoding="utf-8"))
LESSONS = course_structure(FIXTURE_COURSE)
FINAL = {"final-fx-single": "final"}
KNOWN = {**known_questions(LESSONS), **FINAL}
COURSE = {"kapcourseStructure": structure_json(LESSONS),
          "kapcourseFinal": {"bank": "final", "lesson_of": {"final-fx-single": "01_sample"},
                             "lessons": [["01_sample", "Sample"]], "pass_mark": 80}}
IMPORTS, MERGES, EXPORTS = GOLDEN["imports"], GOLDEN["merges"], GOLDEN["exports"]


def expected(row: dict):
    return ("error", row["error"]) if "error" in row else ("items", row["items"])


def python_import(text: str):
    try:
        items = parse_import(text, KNOWN)
    except ImportProblem as problem:
        return ("error", str(problem))
    return ("items", items)


@pytest.fixture(scope="module")
def js_imports() -> list:
    results = run_js([call("kapprogress.parse", row["text"]) for row in IMPORTS], COURSE)
    return [("error", r.error) if r.error is not None else ("items", dict(r.value))
            for r in results]


def names(rows):
    return [row["name"] for row in rows]


@pytest.mark.parametrize("number", range(len(IMPORTS)), ids=names(IMPORTS))
def test_import_python(number):
    row = IMPORTS[number]
    result = python_import(row["text"])
    assert result == expected(row)
    if result[0] == "items":
        assert list(result[1]) == sorted(row["items"])  # in id order, as in the book


@pytest.mark.parametrize("number", range(len(IMPORTS)), ids=names(IMPORTS))
def test_import_javascript(number, js_imports):
    assert js_imports[number] == expected(IMPORTS[number])


def test_an_unchecked_import_cannot_label_a_final_answer_as_a_lesson():
    """The widget passes a set of ids (no banks): the checks of the records still apply."""
    text = IMPORTS[[r["name"] for r in IMPORTS].index("last a number (M3)")]["text"]
    with pytest.raises(ImportProblem, match="'last' must be a date"):
        parse_import(text, set(KNOWN))


# The JavaScript side of the cases below runs in one node process per group (module fixtures),
# not one per case: starting node is most of a case's time. Each case asserts its own result.


@pytest.fixture(scope="module")
def js_merges() -> list:
    return run_js([call("kapprogress.merge", row["current"], sorted(row["incoming"].items()))
                   for row in MERGES])


@pytest.mark.parametrize("number", range(len(MERGES)), ids=names(MERGES))
def test_merge_in_both(number, js_merges):
    row = MERGES[number]
    assert merge(row["current"], row["incoming"]) == row["merged"]
    assert js_merges[number].value == row["merged"]


@pytest.fixture(scope="module")
def js_exports() -> list:
    """Each export row through kapprogress.toCsv, then its CSV through readCsv."""
    return run_js([call("kapprogress.toCsv", row["items"]) for row in EXPORTS]
                  + [call("kapprogress.readCsv", row["csv"]) for row in EXPORTS])


@pytest.mark.parametrize("number", range(len(EXPORTS)), ids=names(EXPORTS))
def test_csv_export_in_both(number, js_exports):
    row = EXPORTS[number]
    assert to_csv(row["items"]) == row["csv"]
    assert js_exports[number].value == row["csv"]


@pytest.mark.parametrize("number", range(len(EXPORTS)), ids=names(EXPORTS))
def test_an_export_reads_back_as_the_same_cells(number, js_exports):
    """What either exporter writes, both readers split into the same cells."""
    import csv
    import io

    row = EXPORTS[number]
    cells = list(csv.reader(io.StringIO(row["csv"], newline=""), strict=True))
    assert js_exports[len(EXPORTS) + number].value == cells
