"""The readiness guide's advice, computed by Python (readiness.Guide.next_steps, summary) and by
the book's real _static/kapreadiness.js (its plan() function, in node), for the golden cases
in tests/golden/readiness.yml and for the course's own guide: the two must agree."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from kapcourse.content.readiness import load_guide, render_static, summary

from .jsharness import call, run_js

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "readiness.yml")
                        .read_text(encoding="utf-8"))
SCRIPTS = ("kapreadiness.js",)


class PageData(HTMLParser):
    """What kapreadiness.js reads from the static view: each answer input (with its question
    and advice lists) and the advice ids of each priority level, in page order."""

    def __init__(self):
        super().__init__()
        self.fields: list[dict] = []
        self.levels: list[list[str]] = []
        self.question: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "fieldset" and "kr-q" in classes:
            self.question = {"id": attrs["data-id"], "kind": attrs["data-kind"]}
        elif tag == "input":
            self.fields.append({"question": self.question["id"], "kind": self.question["kind"],
                                "value": attrs["value"],
                                "advice": (attrs.get("data-advice") or "").split(),
                                "missing": (attrs.get("data-missing") or "").split()})
        elif tag == "section" and "kr-level" in classes:
            self.levels.append([])
        elif tag == "li" and "data-id" in attrs:
            self.levels[-1].append(attrs["data-id"])


def page_data(guide, references) -> PageData:
    data = PageData()
    data.feed(render_static(guide, references))
    return data


def python_plan(guide, answers: dict) -> dict:
    steps = guide.next_steps(answers)
    text = summary(guide, steps, len(guide.unanswered(answers))) if steps else ""
    return {"ids": [step.id for step in steps], "summary": text}


def js_plans(guide, references, answer_sets: list[dict]) -> list[dict]:
    data = page_data(guide, references)
    results = run_js([call("kapreadiness.plan", data.fields, data.levels, answers)
                      for answers in answer_sets], scripts=SCRIPTS)
    assert all(r.error is None for r in results), [r.error for r in results]
    return [r.value for r in results]


@pytest.fixture(scope="module")
def fixture_guide(tmp_path_factory):
    path = tmp_path_factory.mktemp("readiness") / "readiness.yml"
    path.write_text(yaml.safe_dump(GOLDEN["guide"], sort_keys=False), encoding="utf-8")
    return load_guide(path)


@pytest.fixture(scope="module")
def fixture_js(fixture_guide):
    return js_plans(fixture_guide, {}, [case["answers"] for case in GOLDEN["cases"]])


@pytest.mark.parametrize("index", range(len(GOLDEN["cases"])))
def test_python_gives_the_golden_advice(fixture_guide, index):
    case = GOLDEN["cases"][index]
    assert python_plan(fixture_guide, case["answers"]) == {"ids": case["advice"],
                                                           "summary": case["summary"]}


@pytest.mark.parametrize("index", range(len(GOLDEN["cases"])))
def test_the_book_script_gives_the_golden_advice(fixture_js, index):
    case = GOLDEN["cases"][index]
    assert fixture_js[index] == {"ids": case["advice"], "summary": case["summary"]}


COURSE_ANSWERS = [
    {"profession": "therapist", "offer": "full", "setting": "home"},
    {},
    {"profession": "prescriber", "setting": "esketamine", "partners": ["prescriber", "monitor"],
     "protocols": ["consent", "screening"], "insurance": "confirmed", "access": ["costs"]},
    {"profession": "unlicensed", "offer": "sitting", "emergency-plan": "none",
     "partners": ["prescriber", "monitor", "emergency", "crisis"],
     "protocols": ["screening", "consent", "documentation", "measurement", "integration"],
     "access": ["costs", "unable-to-pay", "culture"], "training": "none"},
]


def test_the_book_script_and_python_agree_on_the_course_guide(guide, references):
    from_book = js_plans(guide, references, COURSE_ANSWERS)
    assert from_book == [python_plan(guide, answers) for answers in COURSE_ANSWERS]
    assert all(plan["ids"] for plan in from_book)
