"""One module per question type: how it is graded, drawn as ipywidgets in JupyterLab, written
as HTML for the book and described to the book's ``kapquiz.js``. The registry below is the
only list of types besides the bank schema (``schema/bank.schema.json``, which also gives
``bank.model.type_fields``) and the script's own code: adding a type is a module here, its
schema branch and its JavaScript (ARCHITECTURE.md, "Where to add").

A type module defines a class with:
- ``name``: the ``type:`` written in a bank;
- ``grade(question, response) -> Grade``: the rules kapquiz.js mirrors (tests/golden/grading.yml);
- ``hint``: the message key after a first wrong try (``grading.reveal``);
- ``markup(question) -> str``: the answer controls in the book's HTML (escaped);
- ``data(question) -> dict``: the answers and feedback kapquiz.js needs (beside ``x``);
- ``widget(question)``, ``response(view)``, ``set_response(view, response)``: the JupyterLab
  controls, the response they hold, and a saved response put back into them.
"""

from __future__ import annotations

from kapcourse.bank.model import Question
from kapcourse.quiz.grading import REVEAL_AFTER, Feedback, Grade, Reveal, say
from kapcourse.quiz.types import multiple, numeric, ordering, single, truefalse

REGISTRY = {kind.name: kind for kind in (single.Single, multiple.Multiple, truefalse.TrueFalse,
                                         numeric.Numeric, ordering.Ordering)}


def type_of(question: Question):
    """The type class of a question (a bank only loads with a known type)."""
    return REGISTRY[question.type]


def grade(question: Question, response) -> Grade:
    return type_of(question).grade(question, response)


def reveal(question_type: str, correct: bool, wrong_tries: int,
           answer_shown: bool = False) -> Reveal:
    """What to show after a graded answer. ``wrong_tries`` counts this answer if wrong.

    A right answer, a second wrong try in a row, or "Show answer" reveals everything; a
    first wrong try shows the feedback on the learner's own choice and a hint, so that
    "Try again" is a second attempt at the question, not a click on the marked answer
    (learner-experience review, problem 2).
    """
    if correct:
        return Reveal(True, False, say("revealed"), False)
    if answer_shown:
        return Reveal(True, False, say("shown_answer"), False)
    if wrong_tries >= REVEAL_AFTER:
        return Reveal(True, False, say("revealed"), False)
    return Reveal(False, True, say(REGISTRY[question_type].hint), True)


def shown_feedback(question: Question, result: Grade, shown: Reveal) -> tuple[Feedback, ...]:
    """The option rows a view shows, in bank order: every row once the key is revealed,
    otherwise the chosen ones (an ordering's positions are all shown: they are the feedback)."""
    if shown.key or type_of(question).positional:
        return result.feedback
    return tuple(f for f in result.feedback if f.chosen)
