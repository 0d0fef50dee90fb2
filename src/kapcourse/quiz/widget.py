"""The live-kernel quiz: ipywidgets that grade in Python and save progress.

Each question is a :class:`QuestionView` with an ``answer`` widget (set its ``.value`` in
tests), a ``check`` button (call ``.click()``) and a ``result`` HTML widget with the feedback.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import itertools
import weakref

import ipywidgets as widgets
import traitlets

from kapcourse.bank.course import Reference
from kapcourse.bank.markdown import block
from kapcourse.bank.model import Bank, Item, Question, Vignette, fingerprint
from kapcourse.quiz.grading import (
    Grade,
    Reveal,
    option_label,
    say,
    status_line,
)
from kapcourse.quiz.static import sources_html, status_html
from kapcourse.quiz.types import grade, reveal, shown_feedback, type_of
from kapcourse.record.final import BANK as FINAL_BANK
from kapcourse.record.store import ProgressStore
from kapcourse.record.versions import CHANGED, CHANGED_HINT

__all__ = ["QuestionView", "QuizView", "option_label"]

_LIVE: weakref.WeakSet = weakref.WeakSet()  # every quiz shown in this kernel (for Retake)


def fold_label(first_correct: bool, expanded: bool) -> str:
    """The line an answered question folds into when a lesson is reopened (kapquiz.js
    foldLabel() writes the same)."""
    return say("fold", mark="✓" if first_correct else "✗",
               action="hide" if expanded else "show")


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
        self.show = widgets.Button(description="Show answer", layout={"display": "none"},
                                   tooltip="Show the correct answer and the explanation")
        self.result = widgets.HTML("")
        self.check.on_click(lambda _: self.grade())
        self.retry.on_click(lambda _: self.reset())
        self.show.on_click(lambda _: self.show_answer())
        self.on_graded = None  # set by a vignette to reveal its next part
        self.follows = False  # a later step of a case: hidden until the one before is settled
        self.wrong_tries = 0  # since the question was opened or retaken (see grading.reveal)
        saved = quiz.saved.get(question.id, {})
        self.answer_shown = saved.get("answer_shown") is True
        # An answered question comes back folded into one line (review problem 8).
        self.fold = widgets.Button(layout={"display": "none", "width": "auto"})
        self.fold.on_click(lambda _: self.toggle())
        self.body = widgets.VBox([self.answer, widgets.HBox([self.check, self.retry, self.show]),
                                  self.result])
        self.box = widgets.VBox([self.prompt, self.fold, self.body],
                                layout={"margin": "0 0 1em 0"})
        self.box.add_class("kq-widget")
        changed = saved.get("fp", self.fingerprint) != self.fingerprint
        self.first_correct = saved.get("first_correct") is True and not changed
        if changed:
            # the question changed since it was answered: the old answer is kept, not shown
            self.result.value = (f'<p class="kq-changed"><strong>{html.escape(CHANGED)}'
                                 f"</strong> {html.escape(CHANGED_HINT)}</p>")
            self.restored = False
        else:
            self.restored = self._restore(saved.get("last_response"))
        if self.restored:
            self.fold.layout.display = None
            self.body.layout.display = "none"
            self.fold.description = fold_label(self.first_correct, expanded=False)

    @functools.cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.question)

    def _answer_widget(self) -> widgets.Widget:
        return type_of(self.question).widget(self.question)

    def choice(self, option_index: int) -> widgets.Checkbox:
        """The tick box of a multiple-select option, by its index in the bank."""
        return self.answer.children[self.question.option_order.index(option_index)]

    @property
    def response(self):
        return type_of(self.question).response(self)

    def set_response(self, response) -> None:
        """Put a saved response into the answer widgets (the final's page restores through it
        too). Raises TypeError, ValueError, KeyError or TraitError when it does not fit."""
        type_of(self.question).set_response(self, response)

    def _restore(self, response) -> bool:
        """Show a saved answer and its feedback (as the book does after a reload); a record
        that no longer fits the question (the bank changed) is ignored."""
        if response is None:
            return False
        try:
            self.set_response(response)
            result = self.grade(save=False)
            if result.correct is not None:
                self.wrong_tries = 0 if result.correct else 1
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
            self.wrong_tries += 0 if result.correct else 1
            self.quiz.save(self.question, result, self.response)
        else:
            result = dataclasses.replace(result, message=f"{result.message} (your saved answer)")
        # a restored wrong answer counts as one wrong try (its key stays hidden)
        shown = reveal(self.question.type, bool(result.correct), max(self.wrong_tries, 1),
                       self.answer_shown)
        self._show(result, shown)
        return result

    def _show(self, result: Grade, shown: Reveal) -> None:
        self.result.value = self._feedback_html(result, shown)
        self.retry.layout.display = None
        self.show.layout.display = None if shown.offer else "none"
        if shown.key and self.on_graded:  # a case's next step follows once this one is settled
            self.on_graded()

    def show_answer(self) -> None:
        """Reveal the key of a wrong answer, and save that the learner asked for it."""
        result = grade(self.question, self.response)
        if result.correct is None:  # the answer was changed since it was checked
            self.result.value = f'<p class="kq-hint">{html.escape(result.hint)}</p>'
            return
        self.answer_shown = True
        self.quiz.show_answer(self.question)
        self._show(result, reveal(self.question.type, bool(result.correct), self.wrong_tries,
                                  answer_shown=True))

    def toggle(self) -> None:
        """Show or hide a folded answered question (the button keeps the focus)."""
        expanded = self.body.layout.display == "none"
        self.body.layout.display = None if expanded else "none"
        self.fold.description = fold_label(self.first_correct, expanded)

    def retake(self) -> None:
        """Forget the current answer on screen (the store has cleared it): a fresh question."""
        self.reset()
        self.wrong_tries, self.answer_shown = 0, False
        self.fold.layout.display = "none"
        self.body.layout.display = None
        if self.follows:
            self.box.layout.display = "none"

    def reset(self) -> None:
        type_of(self.question).clear(self)
        self.result.value = ""
        self.retry.layout.display = "none"
        self.show.layout.display = "none"

    def _feedback_html(self, result: Grade, shown: Reveal) -> str:
        question = self.question
        rows = []
        visible = shown_feedback(question, result, shown)
        if not type_of(question).positional:  # options in the order the learner sees them
            visible = sorted(visible, key=lambda fb: question.option_order.index(fb.index))
        for fb in visible:
            rows.append(feedback_row(question, fb))
        feedback = f"<ul>{''.join(rows)}</ul>" if rows else ""
        key = (block(question.explanation) + sources_html(question.cite, self.quiz.references)
               if shown.key else "")
        return (f'<div class="kq-result"><p><strong>{html.escape(status_line(result, shown))}'
                f"</strong></p>{feedback}{key}"
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
        self.retake_button = widgets.Button(description=say("retake"), layout={"width": "auto"})
        self.retake_button.on_click(lambda _: self.retake())
        self.retake_status = widgets.HTML("")
        # the quiz that shows a lesson's first item offers it (the final has its own restart)
        if bank.stem != FINAL_BANK and bank.items and bank.items[0] in items:
            boxes += [self.retake_button, self.retake_status]
        self.widget = widgets.VBox(boxes)
        _LIVE.add(self)

    def _item_box(self, item: Item) -> widgets.Widget:
        if not isinstance(item, Vignette):
            view = QuestionView(item, self)
            self.questions.append(view)
            return view.box
        views = [QuestionView(part, self) for part in item.parts]
        self.questions.extend(views)
        for view, following in itertools.pairwise(views):
            following.follows = True
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

    def show_answer(self, question: Question) -> None:
        self.store.show_answer(self.bank.stem, question.id)
        self._show_warning()

    def retake(self) -> None:
        """First click: ask. Second: clear the lesson's current answers (first tries are
        kept) here and in every other quiz of this lesson shown in this kernel."""
        if self.retake_button.description == say("retake"):
            self.retake_button.description = say("retake_confirm")
            self.retake_status.value = f"<p>{html.escape(say('retake_ask'))}</p>"
            return
        self.store.retake(self.bank.stem)
        for quiz in list(_LIVE):
            if quiz.bank.stem == self.bank.stem and quiz.store.path == self.store.path:
                for view in quiz.questions:
                    view.retake()
        self.retake_button.description = say("retake")
        self.retake_status.value = f"<p>{html.escape(say('retake_done'))}</p>"
        self._show_warning()

    def _show_warning(self) -> None:
        if self.store.warning:
            self.notice.value = f'<p class="kq-warning">⚠ {html.escape(self.store.warning)}</p>'

    def score_text(self) -> str:
        """Both scores, labelled (review problem 2; kapquiz.js scoreText() writes the same)."""
        ids = [q.id for q in self.bank.questions]
        right, total = self.store.bank_score(self.bank.stem, ids)
        return say("lesson_score", right=right, first=self.store.first_try_score(ids),
                   total=total)


def feedback_row(question: Question, fb) -> str:
    """One line of feedback (an option's, or an ordering step's), escaped: the lesson quiz
    and the final's review page write the same rows."""
    return type_of(question).feedback_row(question, fb)
