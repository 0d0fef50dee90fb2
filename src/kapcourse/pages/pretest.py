"""The pre-test's page: ipywidgets in JupyterLab (answers saved in the learner's progress file
under ``"pretest"``), and the same questions as static HTML that ``_static/kappretest.js``
runs in the online book (answers kept in the browser). Also My progress's "Pre-test and
final" section (``comparison_html``; kappretest.js writes the same).
"""

from __future__ import annotations

import contextlib
import html
from pathlib import Path

import ipywidgets as widgets
import traitlets

from kapcourse.bank.course import bibliography, course_root
from kapcourse.bank.markdown import block
from kapcourse.bank.model import Question, Vignette
from kapcourse.pages.final import FinalQuestionView, review_html
from kapcourse.quiz.display import dual_bundle
from kapcourse.quiz.static import render_quiz, status_html
from kapcourse.quiz.types import grade
from kapcourse.record.final import FinalAssessment, read_course
from kapcourse.record.pretest import (
    Comparison,
    comparison,
    items,
    minutes,
    questions,
    read_saved,
    save,
)
from kapcourse.record.pretest import answer as with_answer
from kapcourse.record.pretest import submit as submitted_block
from kapcourse.record.store import ProgressStore, os_reason

PLACEHOLDER = ('<div class="kpt" id="kpt-pretest"><p class="kp-msg">Your pre-test appears here.'
               "</p></div>")
STARTED = ("You have already answered questions in the lessons: the pre-test will show some of "
           "what you learned there, so your gain will look smaller than it is. You can still "
           "take it.")


def intro_html(final: FinalAssessment) -> str:
    count = len(questions(final))
    return (f'<div class="kpt-intro"><p><strong>{count} questions, about {minutes(final)} '
            "minutes.</strong> One question for each learning objective of the course. There "
            "is <strong>no feedback until you submit</strong>: answer what you can and leave "
            "a question blank if you do not know (it counts as not right). Then press "
            "<em>Submit</em>, once: you see your score per lesson and, for every question, the "
            "right answer with its feedback.</p><p>The questions are the other version of the "
            "final assessment's: the final's first attempt asks different questions on the "
            "same objectives, so your gain is measured on parallel questions, not on the same "
            "question twice.</p></div>")


def score_html(found: Comparison) -> str:
    """After Submit: the pre-test's score per lesson."""
    rows = "".join(f"<tr><td>{html.escape(r.title)}</td><td>{r.pre_right} of {r.pre_asked}"
                   "</td></tr>" for r in found.lessons)
    right = sum(r.pre_right for r in found.lessons)
    asked = sum(r.pre_asked for r in found.lessons)
    return (f'<p class="kpt-score"><strong>Submitted: {right} of {asked} right.</strong> This '
            "is your starting point; My progress sets it beside your final assessment.</p>"
            '<table class="kp-table"><tr><th>Lesson</th><th>Right</th></tr>'
            f"{rows}</table>")


def _gain(value: int | None) -> str:
    return "" if value is None else f"{value:+d}"


def comparison_html(found: Comparison | None) -> str:
    """My progress: the pre-test beside the final's first submitted attempt, per lesson and
    per objective ("" before the pre-test is submitted)."""
    if found is None:
        return ""
    final = found.final_attempt

    def table(rows, head: str, label: str) -> str:
        heads = [head, "Pre-test right"] + (
            [f"Final (attempt {final}) right", "Gain (points)"] if final else [])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in (
                [r.title, f"{r.pre_right} of {r.pre_asked}"]
                + ([f"{r.final_right} of {r.final_asked}", _gain(r.gain)] if final else [])))
            + "</tr>" for r in rows)
        return (f'<div class="kp-scroll" role="region" aria-label="{label}" tabindex="0">'
                '<table class="kp-table kpt-compare"><tr>'
                + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
                + f"</tr>{body}</table></div>")

    when = html.escape(found.submitted[:10])
    lead = (f"<p>Your pre-test ({when}) beside the first final-assessment attempt you "
            "submitted. Gain: the final's share right minus the pre-test's, in percentage "
            "points. With one pre-test question per objective, one answer moves an "
            "objective's gain a long way: read the lessons' rows first.</p>" if final else
            f"<p>Your pre-test ({when}). Submit the final assessment in lesson 09 to see your "
            "gain beside it.</p>")
    return ('<div class="kpt-progress"><h2>Pre-test and final</h2>' + lead
            + table(found.lessons, "Lesson", "Pre-test and final by lesson")
            + "<h3>By learning objective</h3>"
            + table(found.objectives, "Learning objective", "Pre-test and final by objective")
            + "</div>")


class PretestQuestionView(FinalQuestionView):
    """One pre-test question: its answer is saved on every change, with no feedback until the
    pre-test is submitted (the final's question view, without "How sure are you?")."""

    def __init__(self, question: Question, owner: PreTest, saved: dict | None):  # no super()
        self.question, self.owner = question, owner
        self.prompt = widgets.HTML(status_html(question.currency) + block(question.prompt))
        self.answer = self._answer_widget()
        self.status = widgets.HTML("")
        self.review = widgets.HTML("")
        self.box = widgets.VBox([self.prompt, self.answer, self.status, self.review],
                                layout={"margin": "0 0 1em 0"})
        self.box.add_class("kq-widget")
        self._restoring = True
        if saved is not None and saved["response"] is not None:
            # an answer that no longer fits the question is not shown
            with contextlib.suppress(TypeError, ValueError, KeyError, traitlets.TraitError):
                self.set_response(saved["response"])
        self._restoring = False
        for widget in self._inputs():
            widget.observe(lambda _: self.changed(), names="value")

    def _inputs(self) -> list[widgets.Widget]:
        return list(getattr(self.answer, "children", ())) or [self.answer]

    def changed(self) -> None:
        if self._restoring or self.owner.submitted:
            return
        graded = grade(self.question, self.response)
        if graded.correct is None:  # "type a number" and the like: a format hint, not feedback
            self.status.value = f'<p class="kq-hint">{html.escape(graded.hint)}</p>'
            return
        if self.owner.save(lambda b: with_answer(b, self.question, bool(graded.correct),
                                                 self.response)):
            self.status.value = '<p class="kf-saved">Saved.</p>'

    def lock(self, saved: dict | None) -> None:
        for widget in self._inputs():
            widget.disabled = True
        self.status.value = ""
        response = saved["response"] if saved else None
        self.review.value = review_html(self.question, response, None, self.owner.references,
                                        rated=False)


class PreTest:
    """Display with ``PreTest()`` as the last line of a cell."""

    def __init__(self, root: Path | None = None, store: ProgressStore | None = None):
        self.root = root or course_root()
        self.store = store or ProgressStore.default()
        self.references = bibliography(self.root)
        self.final = read_course(self.root, set(self.references)).final
        if self.final is None:
            raise ValueError("This course has no final assessment, so it has no pre-test.")
        self.notice = widgets.HTML()
        self.body = widgets.VBox()
        self.submit_button = widgets.Button(description="Submit", button_style="primary",
                                            tooltip="Submit the pre-test and see the answers")
        self.submit_button.on_click(lambda _: self.submit())
        self.message = widgets.HTML()
        self.result = widgets.HTML()
        self.widget = widgets.VBox([widgets.HTML(intro_html(self.final)), self.notice,
                                    self.body, self.submit_button, self.message, self.result])
        self.questions: list[PretestQuestionView] = []
        self._build()

    def _load(self) -> None:
        self.block, warning = read_saved(self.store)
        self.submitted = bool(self.block and "submitted" in self.block)
        started = any(isinstance(e, dict) and e.get("bank") in self._lessons
                      for e in self.store.load()["items"].values())
        notes = [warning] if warning else []
        if started and not self.submitted:
            notes.append(STARTED)
        self.notice.value = "".join(f'<p class="kq-warning">\u26a0 {html.escape(n)}</p>'
                                    for n in notes)

    @property
    def _lessons(self) -> set[str]:
        return set(self.final.lesson_titles)

    def _saved(self, question_id: str) -> dict | None:
        return (self.block or {}).get("answers", {}).get(question_id)

    def _build(self) -> None:
        self._load()
        self.questions = []
        self.body.children = [self._item_box(item) for item in items(self.final)]
        self.submit_button.layout.display = "none" if self.submitted else None
        if self.submitted:
            for view in self.questions:
                view.lock(self._saved(view.question.id))
            self.result.value = score_html(comparison(self.block, {}, self.final))

    def _item_box(self, item) -> widgets.Widget:
        if not isinstance(item, Vignette):
            view = PretestQuestionView(item, self, self._saved(item.id))
            self.questions.append(view)
            return view.box
        views = [PretestQuestionView(p, self, self._saved(p.id)) for p in item.parts]
        self.questions.extend(views)  # a case's first question only (pretest.items)
        case = widgets.HTML(f"<p><strong>Case</strong></p>{status_html(item.currency)}"
                            f"{block(item.case)}")
        return widgets.VBox([case, *(v.box for v in views)],
                            layout={"border": "1px solid #888", "padding": "0.5em"})

    def save(self, change) -> bool:
        """Save a change of the block; False (with the reason shown) if it cannot be."""
        try:
            self.block = save(self.store, change)
        except OSError as exc:
            self.message.value = (f"<p>Not saved: your progress file cannot be written "
                                  f"({html.escape(os_reason(exc))}).</p>")
            return False
        return True

    def submit(self) -> bool:
        if self.submitted:
            return False
        if not self.save(lambda b: submitted_block(b, self.final)):
            return False
        self.message.value = ""
        self._build()
        return True

    def _repr_mimebundle_(self, include=None, exclude=None):
        quiz = render_quiz(self.final.bank, list(items(self.final)), final=True)
        return dual_bundle("Pre-test", intro_html(self.final) + quiz + PLACEHOLDER,
                           self.widget)
