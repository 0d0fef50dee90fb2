"""True or false. Response: True or False."""

from __future__ import annotations

from html import escape

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import Question
from kapcourse.quiz.grading import Feedback, Grade, say, ungraded
from kapcourse.quiz.types.single import choice_list, option_row


class TrueFalse:
    name = "truefalse"
    hint = "look_again"
    positional = False

    @staticmethod
    def grade(question: Question, response) -> Grade:
        if response is None:
            return ungraded("choose_tf")
        said_true = bool(response)
        correct = said_true == bool(question.answer)
        feedback = (
            Feedback(0, question.feedback_true, bool(question.answer), said_true),
            Feedback(1, question.feedback_false, not question.answer, not said_true),
        )
        return Grade(correct, message=say("correct" if correct else "not_quite"),
                     feedback=feedback)

    @staticmethod
    def markup(question: Question) -> str:
        return choice_list(question, ["True", "False"],
                           f'type="radio" name="{escape(question.id, quote=True)}"')

    @staticmethod
    def data(question: Question) -> dict:
        return {"c": [0 if question.answer else 1],
                "f": [inline(question.feedback_true), inline(question.feedback_false)]}

    @staticmethod
    def widget(question: Question):
        import ipywidgets as widgets  # the JupyterLab view only; grading runs without it

        return widgets.RadioButtons(options=[("True", True), ("False", False)], value=None,
                                    layout={"width": "auto"})

    @staticmethod
    def response(view):
        return view.answer.value

    @staticmethod
    def set_response(view, response) -> None:
        view.answer.value = response

    @staticmethod
    def clear(view) -> None:
        view.answer.value = None

    @staticmethod
    def feedback_row(question: Question, fb) -> str:
        return option_row(question, fb, "True" if fb.index == 0 else "False")
