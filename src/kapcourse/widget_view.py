"""The live-kernel quiz: ipywidgets that grade in Python and save progress.

Each question is a :class:`QuestionView` with an ``answer`` widget (set its ``.value`` in
tests), a ``check`` button (call ``.click()``) and a ``result`` HTML widget with the feedback.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import itertools

import ipywidgets as widgets
import traitlets

from .course import Reference
from .grading import Grade, grade
from .markdown import block, inline
from .model import Bank, Item, Question, Vignette, fingerprint
from .progress import ProgressStore
from .static_view import sources_html, status_html
from .versions import CHANGED, CHANGED_HINT


def option_label(chosen: bool, is_correct: bool, kind: str) -> str:
    """The words before each option's feedback (colour is never the only cue)."""
    if chosen:
        return "✓ Your choice: correct." if is_correct else "✗ Your choice: incorrect."
    if is_correct:
        return "✓ The correct answer." if kind != "multiple" else "✓ Correct, not selected."
    return "Incorrect option."


class QuestionView:
    """Widgets for one question."""

    def __init__(self, question: Question, quiz: QuizView):
        self.question = question
        self.quiz = quiz
        self.prompt = widgets.HTML(status_html(question.currency) + block(question.prompt))
        self.answer = self._answer_widget()
        self.check = widgets.Button(description="Check", button_style="primary",
                                    tooltip="Check your answer")
        self.retry = widgets.Button(description="Try again", layout={"display": "none"})
        self.result = widgets.HTML("")
        self.check.on_click(lambda _: self.grade())
        self.retry.on_click(lambda _: self.reset())
        self.on_graded = None  # set by a vignette to reveal its next part
        self.box = widgets.VBox([self.prompt, self.answer, widgets.HBox([self.check, self.retry]),
                                 self.result], layout={"margin": "0 0 1em 0"})
        self.box.add_class("kq-widget")
        saved = quiz.saved.get(question.id, {})
        if saved.get("fp", self.fingerprint) != self.fingerprint:
            # the question changed since it was answered: the old answer is kept, not shown
            self.result.value = (f'<p class="kq-changed"><strong>{html.escape(CHANGED)}'
                                 f"</strong> {html.escape(CHANGED_HINT)}</p>")
            self.restored = False
        else:
            self.restored = self._restore(saved.get("last_response"))

    @functools.cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.question)

    def _answer_widget(self) -> widgets.Widget:
        question = self.question
        layout = {"width": "auto"}
        if question.type == "single":
            choices = [(question.options[i].text, i) for i in question.option_order]
            return widgets.RadioButtons(options=choices, value=None, layout=layout)
        if question.type == "truefalse":
            return widgets.RadioButtons(options=[("True", True), ("False", False)], value=None,
                                        layout=layout)
        if question.type == "multiple":
            return widgets.VBox([widgets.Checkbox(value=False, indent=False, layout=layout,
                                                  description=question.options[i].text)
                                 for i in question.option_order])
        if question.type == "numeric":
            unit = f" ({question.unit})" if question.unit else ""
            return widgets.Text(placeholder=f"Your answer{unit}", layout={"width": "16em"})
        # ordering: one dropdown per position, starting in the shuffled order
        steps = [(text, i) for i, text in enumerate(question.steps)]
        return widgets.VBox([
            widgets.Dropdown(options=steps, value=start, description=f"Step {pos + 1}",
                             layout={"width": "100%"})
            for pos, start in enumerate(question.shuffled_steps)])

    def choice(self, option_index: int) -> widgets.Checkbox:
        """The tick box of a multiple-select option, by its index in the bank."""
        return self.answer.children[self.question.option_order.index(option_index)]

    @property
    def response(self):
        if self.question.type == "ordering":
            return [dropdown.value for dropdown in self.answer.children]
        if self.question.type == "multiple":
            return sorted(i for i, box in zip(self.question.option_order, self.answer.children,
                                              strict=True) if box.value)
        return self.answer.value

    def _restore(self, response) -> bool:
        """Show a saved answer and its feedback (as the book does after a reload); a record
        that no longer fits the question (the bank changed) is ignored."""
        if response is None:
            return False
        try:
            if self.question.type == "ordering":
                for dropdown, step in zip(self.answer.children, response, strict=True):
                    dropdown.value = step
            elif self.question.type == "multiple":
                for index in self.question.option_order:
                    self.choice(index).value = index in response
            else:
                self.answer.value = response
            if self.grade(save=False).correct is not None:
                return True
        except (TypeError, ValueError, KeyError, traitlets.TraitError):
            pass
        self.reset()
        return False

    def grade(self, save: bool = True) -> Grade:
        result = grade(self.question, self.response)
        if result.correct is None:
            self.result.value = f'<p class="kq-hint">{html.escape(result.hint)}</p>'
            return result
        if save:
            self.quiz.save(self.question, result, self.response)
        else:
            result = dataclasses.replace(result, message=f"{result.message} (your saved answer)")
        self.result.value = self._feedback_html(result)
        self.retry.layout.display = None
        if self.on_graded:
            self.on_graded()
        return result

    def reset(self) -> None:
        if self.question.type == "ordering":
            for dropdown, start in zip(self.answer.children, self.question.shuffled_steps,
                                       strict=True):
                dropdown.value = start
        elif self.question.type == "multiple":
            for box in self.answer.children:
                box.value = False
        elif self.question.type == "numeric":
            self.answer.value = ""
        else:
            self.answer.value = None
        self.result.value = ""
        self.retry.layout.display = "none"

    def _feedback_html(self, result: Grade) -> str:
        question = self.question
        mark = "✓" if result.correct else "✗"
        rows = []
        shown = result.feedback if question.type == "ordering" else [
            result.feedback[i] for i in question.option_order]
        for fb in shown:
            if question.type == "ordering":
                state = "in the right place" if fb.is_correct else "not in the right place"
                rows.append(f"<li>Step {fb.index + 1}, {state}: {inline(fb.text)}</li>")
                continue
            label = option_label(fb.chosen, fb.is_correct, question.type)
            text = ("True" if fb.index == 0 else "False") if question.type == "truefalse" \
                else question.options[fb.index].text
            rows.append(f"<li><strong>{html.escape(label)}</strong> <em>{inline(text)}</em> — "
                        f"{inline(fb.text)}</li>")
        feedback = f"<ul>{''.join(rows)}</ul>" if rows else ""
        return (f'<div class="kq-result"><p><strong>{mark} {html.escape(result.message)}</strong>'
                f"</p>{feedback}{block(question.explanation)}"
                f"{sources_html(question.cite, self.quiz.references)}"
                f"<p>{html.escape(self.quiz.score_text())}</p></div>")


class QuizView:
    """The widgets for one ``lesson.quiz(...)`` call."""

    def __init__(self, bank: Bank, items: list[Item], references: dict[str, Reference],
                 store: ProgressStore):
        self.bank = bank
        self.references = references
        self.store = store
        self.questions: list[QuestionView] = []
        self.listeners: list = []  # called after every saved answer
        self.saved = store.load()["items"]  # answers to show again, as the book does
        self.notice = widgets.HTML("")
        self._show_warning()
        boxes = [self.notice] + [self._item_box(item) for item in items]
        self.widget = widgets.VBox(boxes)

    def _item_box(self, item: Item) -> widgets.Widget:
        if not isinstance(item, Vignette):
            view = QuestionView(item, self)
            self.questions.append(view)
            return view.box
        views = [QuestionView(part, self) for part in item.parts]
        self.questions.extend(views)
        for view, following in itertools.pairwise(views):
            following.box.layout.display = None if view.restored else "none"
            view.on_graded = lambda nxt=following: setattr(nxt.box.layout, "display", None)
        case = widgets.HTML(f"<p><strong>Case</strong></p>{status_html(item.currency)}"
                            f"{block(item.case)}")
        return widgets.VBox([case, *(v.box for v in views)],
                            layout={"border": "1px solid #888", "padding": "0.5em"})

    def view(self, question_id: str) -> QuestionView:
        for view in self.questions:
            if view.question.id == question_id:
                return view
        raise KeyError(question_id)

    def save(self, question: Question, result: Grade, response) -> None:
        self.store.record(self.bank.stem, question.id, bool(result.correct), response,
                          fingerprint(question))
        for listener in self.listeners:
            listener()
        self._show_warning()

    def _show_warning(self) -> None:
        if self.store.warning:
            self.notice.value = f'<p class="kq-warning">⚠ {html.escape(self.store.warning)}</p>'

    def score_text(self) -> str:
        right, total = self.store.bank_score(self.bank.stem, [q.id for q in self.bank.questions])
        return f"Lesson score: {right} of {total} questions answered correctly."
