"""Grading of every question type. The static JavaScript view implements the same rules.

Responses:
- single: the chosen option index (int)
- multiple: the chosen option indices (any iterable of int)
- truefalse: True or False
- numeric: the learner's text ("40", "40 mg", "40.0mg", "0,5")
- ordering: option indices in the learner's order (a permutation of range(len(steps)))
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Question

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(.*?)\s*$")
_UNIT_ALIASES = {"%": {"%", "percent", "per cent", "pct"}, "h": {"h", "hr", "hrs", "hour", "hours"},
                 "min": {"min", "mins", "minute", "minutes"}, "mg": {"mg", "milligram",
                                                                     "milligrams"}}


@dataclass(frozen=True)
class Feedback:
    """Feedback on one option or step, shown after grading."""

    index: int
    text: str
    is_correct: bool  # the option is correct / the step is in its right place
    chosen: bool


@dataclass(frozen=True)
class Grade:
    """The result of grading one response.

    ``correct`` is None when the response could not be graded (nothing chosen, or text that
    is not a number); ``hint`` then tells the learner what to do.
    """

    correct: bool | None
    hint: str = ""
    message: str = ""
    feedback: tuple[Feedback, ...] = field(default_factory=tuple)


def grade(question: Question, response) -> Grade:
    graders = {"single": _single, "multiple": _multiple, "truefalse": _truefalse,
               "numeric": _numeric, "ordering": _ordering}
    return graders[question.type](question, response)


def _ungraded(hint: str) -> Grade:
    return Grade(None, hint=hint)


def _single(question: Question, response) -> Grade:
    if response is None:
        return _ungraded("Choose one option, then check.")
    options = question.options
    chosen = int(response)
    feedback = tuple(Feedback(i, o.feedback, o.correct, i == chosen) for i, o in enumerate(options))
    correct = options[chosen].correct
    return Grade(correct, message="Correct." if correct else "Not quite.", feedback=feedback)


def _multiple(question: Question, response) -> Grade:
    chosen = {int(i) for i in (response or ())}
    if not chosen:
        return _ungraded("Select every option that applies, then check.")
    options = question.options
    feedback = tuple(Feedback(i, o.feedback, o.correct, i in chosen) for i, o in enumerate(options))
    right = {i for i, o in enumerate(options) if o.correct}
    correct = chosen == right
    if correct:
        message = "Correct: you selected exactly the right options."
    else:
        missed, extra = len(right - chosen), len(chosen - right)
        message = f"Not quite: {missed} correct option(s) missed, {extra} incorrect selected."
    return Grade(correct, message=message, feedback=feedback)


def _truefalse(question: Question, response) -> Grade:
    if response is None:
        return _ungraded("Choose True or False, then check.")
    said_true = bool(response)
    correct = said_true == bool(question.answer)
    feedback = (
        Feedback(0, question.feedback_true, bool(question.answer), said_true),
        Feedback(1, question.feedback_false, not question.answer, not said_true),
    )
    return Grade(correct, message="Correct." if correct else "Not quite.", feedback=feedback)


def parse_number(text: str, unit: str) -> tuple[float | None, str]:
    """Parse "40", "40 mg", "0,5": returns (value, "") or (None, hint)."""
    example = f"for example 12.5 {unit}".rstrip()
    match = _NUMBER.match(text or "")
    if not match:
        return None, f"Please type a number ({example})."
    number, given_unit = match.groups()
    if number.count(",") == 1 and "." not in number:
        number = number.replace(",", ".")
    if given_unit and _norm(given_unit) not in _unit_names(unit):
        expected = f"in {unit}" if unit else "without a unit"
        return None, f"Give the answer {expected} ({example})."
    return float(number), ""


def _norm(unit: str) -> str:
    return re.sub(r"\s+", " ", unit.strip().lower())


def _unit_names(unit: str) -> set[str]:
    base = _norm(unit)
    return _UNIT_ALIASES.get(base, set()) | {base, base.replace(" ", "")}


def _numeric(question: Question, response) -> Grade:
    if response is None or not str(response).strip():
        return _ungraded("Type your answer, then check.")
    value, hint = parse_number(str(response), question.unit)
    if value is None:
        return _ungraded(hint)
    target = float(question.answer)
    if abs(value - target) <= question.tolerance + 1e-9:
        return Grade(True, message="Correct.")
    for common in question.common_errors:
        if abs(value - common.value) <= question.tolerance + 1e-9:
            return Grade(False, message=f"Not quite. {common.feedback}")
    direction = "high" if value > target else "low"
    return Grade(False, message=f"Not quite: {_fmt(value)} is too {direction}.")


def _fmt(value: float) -> str:
    return f"{value:g}"


def _ordering(question: Question, response) -> Grade:
    order = [int(i) for i in (response or ())]
    count = len(question.steps)
    if sorted(order) != list(range(count)):
        return _ungraded("Use each step exactly once, then check.")
    feedback = tuple(
        Feedback(position, question.steps[step], step == position, True)
        for position, step in enumerate(order)
    )
    placed = sum(1 for f in feedback if f.is_correct)
    correct = placed == count
    message = "Correct order." if correct else f"Not quite: {placed} of {count} steps in place."
    return Grade(correct, message=message, feedback=feedback)
