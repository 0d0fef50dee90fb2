"""A number, with a tolerance, a unit and the common wrong answers. Response: the learner's
text ("40", "40 mg", "0,5")."""

from __future__ import annotations

from html import escape

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import Question
from kapcourse.quiz.grading import SPACE, Grade, parse_number, plain, say, shown_number, ungraded


class Numeric:
    name = "numeric"
    hint = "look_again_number"
    positional = False

    @staticmethod
    def grade(question: Question, response) -> Grade:
        if response is None or not str(response).strip(SPACE):
            return ungraded("type_answer")
        value, hint = parse_number(str(response), question.unit)
        if value is None:
            return Grade(None, hint=hint)
        target = float(question.answer)
        if abs(value - target) <= question.tolerance + 1e-9:
            return Grade(True, message=say("correct"))
        for common in question.common_errors:
            if abs(value - common.value) <= question.tolerance + 1e-9:
                return Grade(False, message=say("common_error", feedback=plain(common.feedback)))
        direction = "high" if value > target else "low"
        return Grade(False, message=say("too", value=shown_number(str(response)),
                                        direction=direction))

    @staticmethod
    def markup(question: Question) -> str:
        unit = f" ({escape(question.unit)})" if question.unit else ""
        return (f'<label class="kq-n">Your answer{unit} <input type="text" inputmode="decimal" '
                'autocomplete="off"></label>')

    @staticmethod
    def data(question: Question) -> dict:
        return {"a": question.answer, "t": question.tolerance, "u": question.unit,
                "e": [[c.value, inline(c.feedback)] for c in question.common_errors]}

    @staticmethod
    def widget(question: Question):
        import ipywidgets as widgets  # the JupyterLab view only; grading runs without it

        unit = f" ({question.unit})" if question.unit else ""
        return widgets.Text(placeholder=f"Your answer{unit}", layout={"width": "16em"})

    @staticmethod
    def response(view):
        return view.answer.value

    @staticmethod
    def set_response(view, response) -> None:
        view.answer.value = response

    @staticmethod
    def clear(view) -> None:
        view.answer.value = ""

    @staticmethod
    def feedback_row(question: Question, fb) -> str:
        return ""  # a number's feedback is its message (a common error's, or too high/low)
