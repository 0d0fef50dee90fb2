"""The Review page: a spaced-review session with ipywidgets in JupyterLab (the lesson's own
question widgets and feedback; cards saved in the learner's progress file under ``review``),
and, for the online book, the same questions as static HTML that ``_static/kapreview.js`` runs
one at a time (kapquiz.js grades them in review mode: nothing is saved to the lessons).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from kapcourse.bank.course import bibliography, course_root
from kapcourse.bank.markdown import block
from kapcourse.bank.model import Bank, Question, Vignette
from kapcourse.quiz.display import dual_bundle
from kapcourse.quiz.grading import Grade
from kapcourse.quiz.static import render_quiz
from kapcourse.quiz.widget import QuestionView, QuizView
from kapcourse.record import review
from kapcourse.record.final import Course, read_course
from kapcourse.record.store import ProgressStore, os_reason
from kapcourse.record.summary import course_structure

PLACEHOLDER = ('<div class="kv" id="kv-review"><p class="kp-msg">Your review session appears '
               "here.</p></div>")


class _ReviewQuiz(QuizView):
    """A lesson quiz that shows one question for review: its answers go to the review session,
    not to the lesson's saved answers (and no earlier answer is shown again)."""

    def __init__(self, bank: Bank, references: dict, store: ProgressStore, on_answer):
        # QuizView.__init__ builds a whole quiz; review shows one question at a time
        self.bank, self.references, self.store = bank, references, store
        self.questions, self.listeners, self.saved = [], [], {}
        self.notice = widgets.HTML("")
        self.on_answer = on_answer

    def save(self, question: Question, result: Grade, response) -> None:
        self.on_answer(question.id, bool(result.correct))

    def show_answer(self, question: Question) -> None:
        """Asking for the answer changes nothing saved: the first try has rated the card."""

    def score_text(self) -> str:
        return ""


def course_data(root: Path, course: Course | None = None) -> dict:
    """The deck's course data (review.course_json) for this course (``course``: already read)."""
    final = (course or read_course(root, set(bibliography(root)))).final
    return review.course_json(course_structure(root), final)


class ReviewSession:
    """Display with ``ReviewSession()`` as the last line of a cell. ``today`` (YYYY-MM-DD)
    is for tests; by default it is the learner's local day."""

    def __init__(self, root: Path | None = None, store: ProgressStore | None = None,
                 today: str | None = None):
        self.root = root or course_root()
        self.store = store or ProgressStore.default()
        self.today = today or review.local_day()
        self.references = bibliography(self.root)
        course = read_course(self.root, set(self.references))  # the banks, read once
        self.banks = {bank.stem: bank for bank in course.lessons}
        self.course = course_data(self.root, course)
        self.owner = {q.id: (stem, item) for stem, bank in self.banks.items()
                      for item in bank.items for q in item.questions}
        items = self.store.load()["items"]
        saved, warning = review.read_saved(self.store)
        self.ids = [i for i in review.deck(items, saved["cards"], self.today, self.course)
                    if i in self.owner]
        self.index = 0
        self.first: dict[str, bool] = {}
        self.view: QuestionView | None = None
        self.notice = widgets.HTML(f'<p class="kq-warning">\u26a0 {html.escape(warning)}</p>'
                                   if warning else "")
        self.streak = widgets.HTML(self._streak_text(saved))
        self.count = widgets.HTML("")
        self.slot = widgets.VBox([])
        self.next_button = widgets.Button(description="Next question",
                                          layout={"display": "none", "width": "auto"})
        self.next_button.on_click(lambda _: self.advance())
        self.status = widgets.HTML("")
        self.widget = widgets.VBox([self.notice, self.streak, self.count, self.slot,
                                    self.next_button, self.status])
        if self.ids:
            self._show_question()
        else:
            line = review.due_line(items, saved, self.today, self.course)
            self.status.value = f"<p>{html.escape(line)}</p>"

    def _streak_text(self, saved: dict) -> str:
        days = review.streak(saved["days"], self.today)
        if not days:
            return "<p>No review streak yet.</p>"
        return f"<p>Review streak: {days} {'day' if days == 1 else 'days in a row'}.</p>"

    def _show_question(self) -> None:
        question_id = self.ids[self.index]
        stem, item = self.owner[question_id]
        quiz = _ReviewQuiz(self.banks[stem], self.references, self.store, self.answered)
        question = next(q for q in item.questions if q.id == question_id)
        self.view = QuestionView(question, quiz)
        parts = [self.view.box]
        if isinstance(item, Vignette):  # a case's part is asked with its case
            parts.insert(0, widgets.HTML(f"<p><strong>Case</strong></p>{block(item.case)}"))
        self.slot.children = parts
        self.count.value = f"<p>Question {self.index + 1} of {len(self.ids)}</p>"
        self.next_button.layout.display = "none"

    def answered(self, question_id: str, correct: bool) -> None:
        """The first check of a question rates its card; later tries only show feedback."""
        if question_id in self.first:
            return
        self.first[question_id] = correct
        saved, _ = review.read_saved(self.store)
        card = review.schedule(saved["cards"].get(question_id), review.rating(correct),
                               review.day_time(self.today))
        try:
            review.save_card(self.store, question_id, card)
        except OSError as exc:
            self.status.value = (f"<p>Not saved: your progress file cannot be written "
                                 f"({html.escape(os_reason(exc))}).</p>")
        last = self.index + 1 == len(self.ids)
        self.next_button.description = "Finish review" if last else "Next question"
        self.next_button.layout.display = None

    def advance(self) -> None:
        if self.index + 1 < len(self.ids):
            self.index += 1
            self._show_question()
            return
        try:
            saved = review.complete(self.store, self.today)
        except OSError as exc:
            self.status.value = (f"<p>Not saved: your progress file cannot be written "
                                 f"({html.escape(os_reason(exc))}).</p>")
            return
        self.slot.children = []
        self.count.value = ""
        self.next_button.layout.display = "none"
        self.streak.value = self._streak_text(saved)
        self.status.value = f"<p>{html.escape(summary_line(len(self.ids), saved, self.today))}</p>"

    def book_html(self) -> str:
        """The placeholder kapreview.js fills, and every lesson question (hidden) for it."""
        # data-review after data-bank: the build finds a page's banks by 'class="kq" data-bank'
        quizzes = "".join(render_quiz(bank, list(bank.items)).replace(
            " data-total=", ' data-review="1" data-total=', 1) for bank in self.banks.values())
        return (f'<div class="kv-page">{PLACEHOLDER}<div class="kv-bank" hidden>{quizzes}</div>'
                '<div class="kv-controls"></div></div>')

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle("Review session", self.book_html(), self.widget)


def summary_line(count: int, saved: dict, today: str) -> str:
    """ "3 questions reviewed, next review due on 5 December 2026. Review streak: 2 days."
    (kapreview.js writes the same)."""
    day = review.next_due(saved["cards"])
    days = review.streak(saved["days"], today)
    return (f"{count} question{'' if count == 1 else 's'} reviewed"
            + (f", next review due on {review.long_day(day)}." if day else ".")
            + f" Review streak: {days} day{'' if days == 1 else 's'}.")


DUE_PLACEHOLDER = ('<div class="kv-due-box"><p><span class="kv-due">Questions you have answered in '
                   'the lessons come back for review.</span> <a href="review.html">Go to Review'
                   '</a>.</p></div>')


class ReviewDue:
    """My progress's line "N questions due for review", linking to the Review page: computed
    from the progress file in JupyterLab; in the book kapreview.js fills the placeholder from
    the stored due dates (no scheduling library needed)."""

    def __init__(self, root: Path | None = None, store: ProgressStore | None = None,
                 today: str | None = None):
        root = root or course_root()
        store = store or ProgressStore.default()
        saved, _ = review.read_saved(store)
        line = review.due_line(store.load()["items"], saved, today or review.local_day(),
                               course_data(root))
        self.widget = widgets.HTML(f'<p>{html.escape(line)} <a href="review.ipynb">Go to '
                                   "Review</a>.</p>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle("Questions due for review", DUE_PLACEHOLDER, self.widget)
