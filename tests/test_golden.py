"""The golden cases in tests/golden/*.yml, run through the Python code and, in the same pytest
run, through the book's real scripts in node (tests/jsharness.py): both must agree with the
table, so the two renderers cannot drift apart (code review, section 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kapcourse.bank.model import CommonError, Option, Question
from kapcourse.quiz.static import _question_data  # the data the book's script is given
from kapcourse.quiz.types import grade
from kapcourse.record.store import ProgressStore

from .jsharness import call, run_js

GOLDEN = Path(__file__).resolve().parent / "golden"
GRADING = yaml.safe_load((GOLDEN / "grading.yml").read_text(encoding="utf-8"))


def question(name: str) -> Question:
    spec = GRADING["questions"][name]
    return Question(
        id=f"g-{name}", type=spec["type"], prompt="Q", explanation="", objective="o", cite=(),
        options=tuple(Option(t, c, f) for t, c, f in spec.get("options", ())),
        answer=spec.get("answer"), feedback_true="ft", feedback_false="ff",
        tolerance=spec.get("tolerance", 0.0), unit=spec.get("unit", ""),
        common_errors=tuple(CommonError(v, f) for v, f in spec.get("common_errors", ())),
        steps=tuple(spec.get("steps", ())))


def case_id(case: dict) -> str:
    return f"{case['q']}:{case['response']!r}"[:60]


@pytest.fixture(scope="module")
def js_grades() -> list:
    """Every grading case through kapquiz.js, in one node run."""
    calls = [call("kapquiz.grade", question(c["q"]).type, _question_data(question(c["q"]), {}),
                  c["response"])
             for c in GRADING["cases"]]
    return run_js(calls)


@pytest.mark.parametrize("number", range(len(GRADING["cases"])),
                         ids=[case_id(c) for c in GRADING["cases"]])
def test_grading_python(number):
    case = GRADING["cases"][number]
    result = grade(question(case["q"]), case["response"])
    text = result.hint if result.correct is None else result.message
    assert (result.correct, text) == (case["correct"], case["text"])


@pytest.mark.parametrize("number", range(len(GRADING["cases"])),
                         ids=[case_id(c) for c in GRADING["cases"]])
def test_grading_javascript(number, js_grades):
    case = GRADING["cases"][number]
    result = js_grades[number]
    assert result.error is None, result.error
    text = result.value.get("hint") if result.value["correct"] is None else result.value["message"]
    assert (result.value["correct"], text) == (case["correct"], case["text"])


@pytest.mark.parametrize("number", range(len(GRADING["scores"])))
def test_lesson_score_in_both(number, tmp_path):
    case = GRADING["scores"][number]
    store = ProgressStore(tmp_path / "p.json")
    store._write({"format": "kapcourse-progress", "version": 1, "items": case["items"]})
    assert store.bank_score("01_sample", case["ids"]) == (case["right"], len(case["ids"]))
    (result,) = run_js([call("kapquiz.score", case["items"], case["ids"])])
    assert result.value == case["right"]
