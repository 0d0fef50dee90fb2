"""Golden commitment-to-change rows (tests/golden/record.yml, `commitments`) through
completion.py and kapprogress.js in node: the same record lines and the same page, byte for
byte, with the learner's statement escaped."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from kapcourse.record.completion import COMMITMENT_HEADING, make_record, record_html, status
from kapcourse.record.summary import final_json, structure_json

from .jsharness import call, run_js
from .test_golden_record import DAY, VERSION, course  # noqa: F401 (the shared fixture)

ROWS = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "record.yml")
                      .read_text(encoding="utf-8"))["commitments"]
NAME = "Ada Lovelace"


def python_record(course, commitment: str):  # noqa: F811
    lessons, final, items = course
    record = make_record(NAME, status(items, lessons, final), VERSION, DAY, commitment=commitment)
    return [list(line) for line in record.lines()], record_html(record)


@pytest.fixture(scope="module")
def js_records(course) -> list:  # noqa: F811
    lessons, final, items = course
    globals_ = {"kapcourseStructure": structure_json(lessons), "kapcourseFinal": final_json(final),
                "kapcourseVersion": VERSION}
    lines = run_js([call("kapprogress.recordLines", NAME, items, DAY.isoformat(), None,
                                row["commitment"])
                    for row in ROWS], globals_)
    pages = run_js([call("kapprogress.recordHtml", r.value) for r in lines], globals_)
    return [(r.value["lines"], p.value) for r, p in zip(lines, pages, strict=True)]


def statement(lines: list) -> str | None:
    """The commitment line under its heading, None when the record has none."""
    for (style, text), following in itertools.pairwise(lines):
        if style == "heading" and text == COMMITMENT_HEADING:
            return following[1]
    return None


IDS = [repr(row["commitment"])[:30] for row in ROWS]


@pytest.mark.parametrize("number", range(len(ROWS)), ids=IDS)
def test_python_record_quotes_the_commitment(course, number):  # noqa: F811
    lines, page = python_record(course, ROWS[number]["commitment"])
    assert statement(lines) == ROWS[number]["line"]
    assert "<script>" not in page and "<b>" not in page


@pytest.mark.parametrize("number", range(len(ROWS)), ids=IDS)
def test_javascript_record_quotes_the_commitment(js_records, number):
    assert statement(js_records[number][0]) == ROWS[number]["line"]


@pytest.mark.parametrize("number", range(len(ROWS)), ids=IDS)
def test_both_write_the_same_record(course, js_records, number):  # noqa: F811
    assert js_records[number] == python_record(course, ROWS[number]["commitment"])
