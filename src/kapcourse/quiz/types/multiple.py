"""Multiple select: every right option, and no wrong one. Response: the chosen indices."""

from __future__ import annotations

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import Question
from kapcourse.quiz.grading import Feedback, Grade, say, ungraded
from kapcourse.quiz.types.single import choice_list, option_row


class Multiple:
    name = "multiple"
    hint = "look_again"
    positional = False

    @staticmethod
    def grade(question: Question, response) -> Grade:
        chosen = {int(i) for i in (response or ())}
        if not chosen:
            return ungraded("choose_many")
        options = question.options
        feedback = tuple(Feedback(i, o.feedback, o.correct, i in chosen)
                         for i, o in enumerate(options))
        right = {i for i, o in enumerate(options) if o.correct}
        correct = chosen == right
        if correct:
            message = say("multiple_right")
        else:
            message = say("multiple_wrong", missed=len(right - chosen), extra=len(chosen - right))
        return Grade(correct, message=message, feedback=feedback)

    @staticmethod
    def markup(question: Question) -> str:
        # checkboxes need no name: nothing is submitted
        return choice_list(question, [o.text for o in question.options], 'type="checkbox"')

    @staticmethod
    def data(question: Question) -> dict:
        return {"c": [i for i, o in enumerate(question.options) if o.correct],
                "f": [inline(o.feedback) for o in question.options],
                "o": list(question.option_order)}

    @staticmethod
    def widget(question: Question):
        import ipywidgets as widgets  # the JupyterLab view only; grading runs without it

        return widgets.VBox([widgets.Checkbox(value=False, indent=False,
                                              layout={"width": "auto"},
                                              description=question.options[i].text)
                             for i in question.option_order])

    @staticmethod
    def response(view):
        return sorted(i for i, box in zip(view.question.option_order, view.answer.children,
                                          strict=True) if box.value)

    @staticmethod
    def set_response(view, response) -> None:
        for index in view.question.option_order:
            view.choice(index).value = index in response

    @staticmethod
    def clear(view) -> None:
        for box in view.answer.children:
            box.value = False

    @staticmethod
    def feedback_row(question: Question, fb) -> str:
        return option_row(question, fb, question.options[fb.index].text)
