"""Steps to put in order. Response: the steps' bank indices in the learner's order."""

from __future__ import annotations

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import Question
from kapcourse.quiz.grading import Feedback, Grade, say, ungraded


class Ordering:
    name = "ordering"
    hint = "look_again_order"
    positional = True  # feedback rows are the positions, all shown, in order

    @staticmethod
    def grade(question: Question, response) -> Grade:
        order = [int(i) for i in (response or ())]
        count = len(question.steps)
        if sorted(order) != list(range(count)):
            return ungraded("order_all")
        feedback = tuple(
            Feedback(position, question.steps[step], step == position, True)
            for position, step in enumerate(order)
        )
        placed = sum(1 for f in feedback if f.is_correct)
        correct = placed == count
        message = (say("order_right") if correct
                   else say("order_wrong", placed=placed, count=count))
        return Grade(correct, message=message, feedback=feedback)

    @staticmethod
    def markup(question: Question) -> str:
        # data-s is the step's position on the page, not its place in the answer (security
        # review m12); the bank data's "o" maps positions back to bank indices, as for options.
        steps = "".join(f'<li data-s="{position}">{inline(question.steps[i])}</li>'
                        for position, i in enumerate(question.shuffled_steps))
        return f'<ol class="kq-ord">{steps}</ol>'

    @staticmethod
    def data(question: Question) -> dict:
        return {"o": list(question.shuffled_steps)}

    @staticmethod
    def widget(question: Question):
        import ipywidgets as widgets  # the JupyterLab view only; grading runs without it

        # one dropdown per position, starting in the shuffled order
        steps = [(text, i) for i, text in enumerate(question.steps)]
        dropdowns = [widgets.Dropdown(options=steps, value=start, description=f"Step {pos + 1}",
                                      layout={"width": "100%"})
                     for pos, start in enumerate(question.shuffled_steps)]
        keep_steps_distinct(dropdowns)
        return widgets.VBox(dropdowns)

    @staticmethod
    def response(view):
        return [dropdown.value for dropdown in view.answer.children]

    @staticmethod
    def set_response(view, response) -> None:
        for dropdown, step in zip(view.answer.children, response, strict=True):
            dropdown.value = step

    @staticmethod
    def clear(view) -> None:
        for dropdown, start in zip(view.answer.children, view.question.shuffled_steps,
                                   strict=True):
            dropdown.value = start

    @staticmethod
    def feedback_row(question: Question, fb) -> str:
        state = "in the right place" if fb.is_correct else "not in the right place"
        return f"<li>Step {fb.index + 1}, {state}: {inline(fb.text)}</li>"


def keep_steps_distinct(dropdowns) -> None:
    """Choosing a step already placed elsewhere swaps the two, so an order never holds one
    step twice (the book's list moves steps; learner-experience review, problem 5)."""
    def swap(change) -> None:
        for other in dropdowns:
            if other is not change["owner"] and other.value == change["new"]:
                other.value = change["old"]

    for dropdown in dropdowns:
        dropdown.observe(swap, names="value")
