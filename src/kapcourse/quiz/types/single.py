"""Single choice: one option is right. Response: the chosen option's index in the bank."""

from __future__ import annotations

from html import escape

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import Question
from kapcourse.quiz.grading import Feedback, Grade, option_label, say, ungraded


class Single:
    name = "single"
    hint = "look_again"
    positional = False  # feedback rows are options, shown in the learner's order

    @staticmethod
    def grade(question: Question, response) -> Grade:
        if response is None:
            return ungraded("choose_one")
        options = question.options
        chosen = int(response)
        feedback = tuple(Feedback(i, o.feedback, o.correct, i == chosen)
                         for i, o in enumerate(options))
        correct = options[chosen].correct
        return Grade(correct, message=say("correct" if correct else "not_quite"),
                     feedback=feedback)

    @staticmethod
    def markup(question: Question) -> str:
        return choice_list(question, [o.text for o in question.options],
                           f'type="radio" name="{escape(question.id, quote=True)}"')

    @staticmethod
    def data(question: Question) -> dict:
        return {"c": [i for i, o in enumerate(question.options) if o.correct],
                "f": [inline(o.feedback) for o in question.options],
                "o": list(question.option_order)}

    @staticmethod
    def widget(question: Question):
        import ipywidgets as widgets  # the JupyterLab view only; grading runs without it

        choices = [(question.options[i].text, i) for i in question.option_order]
        return widgets.RadioButtons(options=choices, value=None, layout={"width": "auto"})

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
        return option_row(question, fb, question.options[fb.index].text)


def choice_list(question: Question, texts: list[str], control: str) -> str:
    """The book's list of options. The value is the option's position on the page, not its
    index in the bank, so the page source does not show that value 0 is the author's (often
    correct) first option (security review m12); the bank data's "o" maps positions back."""
    rows = "".join(f'<li><label><input {control} value="{position}"> '
                   f"{inline(texts[i])}</label></li>"
                   for position, i in enumerate(question.option_order))
    return f'<ul class="kq-o">{rows}</ul>'


def option_row(question: Question, fb, text: str) -> str:
    """One option's feedback line, escaped (the lesson quiz and the final's review page)."""
    label = option_label(fb.chosen, fb.is_correct, question.type)
    return (f"<li><strong>{escape(label)}</strong> <em>{inline(text)}</em> — "
            f"{inline(fb.text)}</li>")
