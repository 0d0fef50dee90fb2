"""Golden completion-record cases (tests/golden/record.yml) through
src/kapcourse/record/completion.py and, in the same pytest run, through _static/kapprogress.js in
node: the same name rules, the same lines and the same print-ready page, so the book's record
(printed to PDF by the browser)
says what the kernel's says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kapcourse.record.completion import NotComplete, make_record, record_html, status
from kapcourse.record.final import build
from kapcourse.record.summary import LessonInfo, final_json, structure_json

from .final_course import sample_banks
from .jsharness import call, run_js
from .test_completion import everything_right

NAMES = yaml.safe_load((Path(__file__).resolve().parent / "golden" / "record.yml")
                       .read_text(encoding="utf-8"))["names"]
DAY, VERSION = dt.date(2026, 11, 26), "0.2.0-golden"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    banks = sample_banks(tmp_path_factory.mktemp("record"))
    final = build(banks)
    lessons = [LessonInfo(stem, bank.title, tuple(q.id for q in bank.questions), ())
               for stem, bank in banks.items()]
    return lessons, final, everything_right(lessons, final)


def python_record(course, name: str):
    lessons, final, items = course
    try:
        record = make_record(name, status(items, lessons, final), VERSION, DAY)
    except NotComplete as problem:
        return ("error", str(problem)), None
    return ("lines", [list(line) for line in record.lines()]), record_html(record)


@pytest.fixture(scope="module")
def js_records(course) -> list:
    """Every row's lines and page through kapprogress.js, in one node run."""
    lessons, final, items = course
    calls = []
    for row in NAMES:
        calls.append(call("kapprogress.recordLines", row["name"], items, DAY.isoformat()))
    results = run_js(calls, {"kapcourseStructure": structure_json(lessons),
                             "kapcourseFinal": final_json(final), "kapcourseVersion": VERSION})
    pages = run_js([call("kapprogress.recordHtml", r.value) for r in results if r.error is None],
                   {"kapcourseFinal": final_json(final)})
    out, page = [], iter(pages)
    for result in results:
        if result.error is not None:
            out.append((("error", result.error), None))
        else:
            out.append((("lines", result.value["lines"]), next(page).value))
    return out


def expected(row: dict):
    return ("error", row["error"]) if "error" in row else ("name line", row["line"])


def name_line(outcome):
    kind, value = outcome
    return outcome if kind == "error" else ("name line", value[3][1])


@pytest.mark.parametrize("number", range(len(NAMES)), ids=[repr(r["name"])[:30] for r in NAMES])
def test_name_rules_python(course, number):
    assert name_line(python_record(course, NAMES[number]["name"])[0]) == expected(NAMES[number])


@pytest.mark.parametrize("number", range(len(NAMES)), ids=[repr(r["name"])[:30] for r in NAMES])
def test_name_rules_javascript(course, js_records, number):
    assert name_line(js_records[number][0]) == expected(NAMES[number])


@pytest.mark.parametrize("number", range(len(NAMES)), ids=[repr(r["name"])[:30] for r in NAMES])
def test_both_write_the_same_lines_and_page(course, js_records, number):
    assert js_records[number] == python_record(course, NAMES[number]["name"])
