"""Grading of every question type (the JavaScript view follows the same rules)."""

from __future__ import annotations

import pytest

from kapcourse import load_bank
from kapcourse.quiz.grading import parse_number
from kapcourse.quiz.types import grade

from .conftest import FIXTURE_COURSE

BANK = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml")


def q(question_id):
    return next(question for question in BANK.questions if question.id == question_id)


def test_single_choice():
    assert grade(q("fx-single"), 0).correct is True
    wrong = grade(q("fx-single"), 1)
    assert wrong.correct is False
    assert [f.chosen for f in wrong.feedback] == [False, True, False]
    assert all(f.text for f in wrong.feedback)  # feedback on every option
    assert grade(q("fx-single"), None).correct is None


def test_multiple_select_needs_the_exact_set():
    assert grade(q("fx-multiple"), [0, 1]).correct is True
    partial = grade(q("fx-multiple"), [0])
    assert partial.correct is False and "1 correct option(s) missed, 0 incorrect" in partial.message
    assert grade(q("fx-multiple"), [0, 1, 2]).correct is False
    assert grade(q("fx-multiple"), []).correct is None


def test_true_false():
    assert grade(q("fx-truefalse"), True).correct is True
    result = grade(q("fx-truefalse"), False)
    assert result.correct is False
    assert result.feedback[1].chosen and "does boil" in result.feedback[1].text


@pytest.mark.parametrize("text", ["35", "35 mg", "35.0mg", "35,4 MG", " 34.5 ", "35 milligrams"])
def test_numeric_accepts_equivalent_forms(text):
    assert grade(q("fx-numeric"), text).correct is True


def test_numeric_wrong_values_and_common_errors():
    assert grade(q("fx-numeric"), "36").correct is False
    assert "too high" in grade(q("fx-numeric"), "36").message
    common = grade(q("fx-numeric"), "140 mg")
    assert common.correct is False and "divided by 0.5" in common.message


@pytest.mark.parametrize("text", ["thirty-five", "35 kg", "", "mg"])
def test_numeric_non_numbers_get_a_hint_not_a_grade(text):
    result = grade(q("fx-numeric"), text)
    assert result.correct is None and result.hint


def test_parse_number_units():
    assert parse_number("40", "mg") == (40.0, "")
    assert parse_number("12.5 %", "%") == (12.5, "")
    assert parse_number("12.5 percent", "%") == (12.5, "")
    value, hint = parse_number("3 h", "")
    assert value is None and "without a unit" in hint


def test_ordering():
    question = q("fx-ordering")
    assert grade(question, [0, 1, 2, 3]).correct is True
    swapped = grade(question, [1, 0, 2, 3])
    assert swapped.correct is False and "2 of 4" in swapped.message
    assert [f.is_correct for f in swapped.feedback] == [False, False, True, True]
    assert grade(question, [0, 0, 1, 2]).correct is None


def test_vignette_parts_are_graded_as_questions():
    assert grade(q("fx-case-a"), 0).correct is True
    assert grade(q("fx-case-b"), False).correct is False
