"""What grading says and how a graded answer is shown: the messages, numbers and units, the
Grade, and reveal(). Each type's own rules are in ``kapcourse.quiz.types`` (one module per
type); the static JavaScript view implements the same rules.

Responses:
- single: the chosen option index (int)
- multiple: the chosen option indices (any iterable of int)
- truefalse: True or False
- numeric: the learner's text ("40", "40 mg", "40.0mg", "0,5")
- ordering: option indices in the learner's order (a permutation of range(len(steps)))
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from kapcourse.bank.markdown import inline
from kapcourse.record.final import BANK as FINAL_BANK

# The rules below are shared with _static/kapquiz.js, and tests/golden/grading.yml runs the same
# cases through both. ASCII digits only ([0-9], not \d, which in Python also matches full-width
# and Arabic-Indic digits), the same white space in both languages, and no lazy group before an
# end anchor: the old pattern took O(n²) time on "1" + " "*n + "x" + " "*n + "y" (review M5).
MAX_ANSWER = 64  # characters; longer text is not a number a learner typed
SPACE = " \t\n\r\f\v\u00a0\u2007\u202f"  # ASCII white space plus the no-break spaces
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_SPACES = re.compile(f"[{SPACE}]+")
# "1,000" or "12,500": a thousands separator or a decimal comma? We cannot tell, so we ask.
_AMBIGUOUS = re.compile(r"[-+]?[1-9][0-9]{0,2},[0-9]{3}")
UNIT_ALIASES = {"%": ("%", "percent", "per cent", "pct"),
                "h": ("h", "hr", "hrs", "hour", "hours"),
                "min": ("min", "mins", "minute", "minutes"),
                "mg": ("mg", "milligram", "milligrams")}
MESSAGES = {  # every text grading gives; kapquiz.js reads the same table from the course data
    "choose_one": "Choose one option, then check.",
    "choose_many": "Select every option that applies, then check.",
    "choose_tf": "Choose True or False, then check.",
    "type_answer": "Type your answer, then check.",
    "order_all": "Use each step exactly once, then check.",
    "not_number": "Please type a number ({example}).",
    "thousands": "Please type the number without a thousands separator, with a point for "
                 "decimals ({example}).",
    "wrong_unit": "Give the answer {expected} ({example}).",
    "correct": "Correct.",
    "not_quite": "Not quite.",
    "common_error": "Not quite. {feedback}",
    "too": "Not quite: {value} is too {direction}.",
    "multiple_right": "Correct: you selected exactly the right options.",
    "multiple_wrong": "Not quite: {missed} correct option(s) missed, {extra} incorrect selected.",
    "order_right": "Correct order.",
    "order_wrong": "Not quite: {placed} of {count} steps in place.",
    # after a first wrong try (see reveal()): a hint, not the key
    "look_again": "Look again at the feedback on your choice, then try again or show the "
                  "answer.",
    "look_again_number": "Look again at your working, then try again or show the answer.",
    "look_again_order": "Look again at the steps marked not in place, then try again or show "
                        "the answer.",
    "revealed": "Feedback and the explanation are shown below.",
    "shown_answer": "The answer, feedback and explanation are shown below.",
    "lesson_score": "Lesson score: {right} of {total} right now · {first} of {total} first-try "
                    "right.",
    # a reopened lesson: answered questions folded, and a retake of the lesson's questions
    "fold": "Answered · first try {mark} · {action} feedback",
    "retake": "Retake this lesson's questions",
    "retake_confirm": "Yes, clear my answers to this lesson's questions",
    "retake_ask": "This clears your current answers to this lesson's questions; your first-try "
                  "results are kept. Click again to confirm.",
    "retake_done": "Your answers to this lesson's questions were cleared: answer them again.",
}
# Wrong tries (in a row, since the question was last opened or retaken) after which the
# key is revealed without the learner asking for it.
REVEAL_AFTER = 2


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


@dataclass(frozen=True)
class Reveal:
    """What a graded answer shows: the one rule both views follow (kapquiz.js reveal()).

    ``key``: the correct option(s) are marked and the explanation and sources are shown;
    ``chosen_only``: feedback on the chosen option(s) only (an ordering shows which positions
    are wrong either way, never the right order); ``note``: what the status line says after
    the grade's message; ``offer``: offer "Show answer" (the key is still hidden).
    """

    key: bool
    chosen_only: bool
    note: str
    offer: bool


def status_line(result: Grade, shown: Reveal) -> str:
    """The status line of a graded answer (kapquiz.js statusLine() writes the same)."""
    return f"{'✓' if result.correct else '✗'} {result.message} {shown.note}"


def option_label(chosen: bool, is_correct: bool, kind: str) -> str:
    """The words before each option's feedback (colour is never the only cue)."""
    if chosen:
        return "✓ Your choice: correct." if is_correct else "✗ Your choice: incorrect."
    if is_correct:
        return "✓ The correct answer." if kind != "multiple" else "✓ Correct, not selected."
    return "Incorrect option."


def say(key: str, **values) -> str:
    """A message of the shared table with its values filled in."""
    return MESSAGES[key].format(**values)



def ungraded(key: str, **values) -> Grade:
    """No grade yet: the response is not complete, and the hint says what is missing."""
    return Grade(None, hint=say(key, **values))


def _number_text(text: str) -> tuple[str, str] | None:
    """(the number as typed, the rest) or None; linear time, and only MAX_ANSWER characters."""
    if len(text) > MAX_ANSWER:
        return None
    text = text.strip(SPACE)
    match = _NUMBER.match(text)
    return (match.group(), text[match.end():]) if match else None


def parse_number(text: str, unit: str) -> tuple[float | None, str]:
    """Parse "40", "40 mg", "0,5": returns (value, "") or (None, hint)."""
    example = f"for example 12.5 {unit}".rstrip()
    parts = _number_text(text or "")
    if parts is None:
        return None, say("not_number", example=example)
    number, given_unit = parts
    if _AMBIGUOUS.fullmatch(number):
        return None, say("thousands", example=example)
    if given_unit and _norm(given_unit) not in _unit_names(unit):
        expected = f"in {unit}" if unit else "without a unit"
        return None, say("wrong_unit", expected=expected, example=example)
    return float(_decimal_point(number)), ""


def _decimal_point(number: str) -> str:
    return number.replace(",", ".") if number.count(",") == 1 and "." not in number else number


def _norm(unit: str) -> str:
    return _SPACES.sub(" ", unit.strip(SPACE).lower())


def _unit_names(unit: str) -> set[str]:
    base = _norm(unit)
    return set(UNIT_ALIASES.get(base, ())) | {base, base.replace(" ", "")}


def plain(markdown: str) -> str:
    """Bank Markdown as the plain text the book shows (formatting rendered, then dropped)."""
    return html.unescape(re.sub(r"<[^>]*>", "", inline(markdown)))


def shown_number(text: str) -> str:
    """The learner's number as they typed it, with a decimal comma shown as a point: the
    same text in both renderers (formatting a float differs between Python and JavaScript)."""
    return _decimal_point(_number_text(text)[0])


def script_data() -> dict:
    """The grading rules' constants, for kapquiz.js (written into the book's course data)."""
    return {"units": {unit: list(names) for unit, names in UNIT_ALIASES.items()},
            "messages": MESSAGES, "max_answer": MAX_ANSWER, "space": SPACE,
            "reveal_after": REVEAL_AFTER, "final_bank": FINAL_BANK,
            "number": _NUMBER.pattern, "ambiguous": _AMBIGUOUS.pattern}


def shared_data() -> dict:
    """Every constant the book's scripts share with Python: ``window.kapcourseShared``."""
    from kapcourse.record.summary import script_data as import_rules

    return {"grading": script_data(), "progress": import_rules()}


def shared_script() -> str:
    """``_static/kapquiz-data/shared.js``: the constants both scripts read (one truth)."""
    import json

    text = json.dumps(shared_data(), ensure_ascii=True, sort_keys=True).replace("</", "<\\/")
    return f"window.kapcourseShared = {text};\n"
