"""The final assessment's display: the rules stated up front, the questions of this attempt
with no feedback, Submit, then a review page (score, per-lesson breakdown, safety questions,
"confidently wrong" answers first, and every question's answer, feedback and explanation).
Widgets in a kernel; in the book ``_static/kapprogress.js`` does the same with the questions
that ``static_view`` writes into the page.
"""

from __future__ import annotations

import html
import itertools

import ipywidgets as widgets
import traitlets

from kapcourse.bank.markdown import block
from kapcourse.bank.model import Question, Vignette
from kapcourse.quiz.grading import Feedback
from kapcourse.quiz.static import sources_html, status_html
from kapcourse.quiz.types import grade
from kapcourse.quiz.widget import QuestionView, feedback_row
from kapcourse.record.final import BANK, CONFIDENCE, FinalAssessment, FinalResult, result
from kapcourse.record.store import ProgressStore

CONFIDENCE_LABELS = {"guessing": "Guessing", "fairly sure": "Fairly sure", "certain": "Certain"}
SAFETY_RULE = ("To pass you need the pass mark overall <strong>and every safety question right"
               "</strong>: a safety question answered wrong fails the final, whatever the score.")


def intro_html(final: FinalAssessment) -> str:
    count = len(final.drawn(1))
    return (f'<div class="kf-intro"><p><strong>Pass mark: {final.pass_mark}%</strong> of the '
            f"{count} questions of an attempt. {SAFETY_RULE}</p><p>The questions cover the "
            "lessons' objectives. Answer them all and say how "
            "sure you are of each (guessing, fairly sure or certain), then press "
            "<em>Submit</em>: there is no feedback until then. The review page then shows your "
            "score, every answer with its feedback and explanation, and first the answers you "
            "were certain of but got wrong. Your answers are saved as you go. <em>Start a new "
            "attempt</em> (after submitting) gives you the other version of each question; "
            "your lesson answers are never changed.</p></div>")


def results_placeholder(final: FinalAssessment) -> str:
    return (f'<div class="kf" id="kf-final" data-pass="{final.pass_mark}">'
            '<p class="kf-msg">Your attempt and its result appear here.</p></div>')


def question_label(final: FinalAssessment, question_id: str) -> str:
    objective = {q.id: q.objective for q in final.questions}[question_id]
    texts = {o.id: o.text for o in final.bank.objectives}
    lesson = final.lesson_titles.get(final.lesson_of[question_id], "")
    return f"{lesson}: {texts.get(objective, objective)}"


def result_html(outcome: FinalResult, final: FinalAssessment | None = None) -> str:
    """The attempt's state, or after Submit its verdict, safety line, confidently-wrong list
    and per-lesson breakdown (kapprogress.js writes the same)."""
    head = f"Attempt {outcome.attempt}: "
    if not outcome.submitted:
        verdict = (f"{head}{outcome.answered} of {outcome.total} questions answered and rated. "
                   "Your score and the feedback appear when you submit.")
    elif outcome.passed:
        verdict = f"{head}passed: {outcome.percent}% (pass mark {outcome.pass_mark}%)."
    else:
        why = [f"{outcome.percent}% is below the pass mark of {outcome.pass_mark}%"] \
            if not outcome.mark_met else []
        if outcome.safety_missed:
            why.append(f"{len(outcome.safety_missed)} safety question(s) answered wrong")
        verdict = (f"{head}not passed: {'; '.join(why)}. Review the questions below, then "
                   "start a new attempt.")
    out = f'<p class="kf-verdict"><strong>{html.escape(verdict)}</strong></p>'
    if not outcome.submitted:
        return out
    out += (f'<p class="kf-safety">Safety questions right: '
            f"{outcome.safety_total - len(outcome.safety_missed)} of {outcome.safety_total}."
            "</p>")
    if final is not None and outcome.safety_missed:
        out += ('<p>Safety questions answered wrong (each one fails the final):</p><ul '
                'class="kf-safety-missed">' + "".join(
                    f"<li>{html.escape(question_label(final, i))}</li>"
                    for i in outcome.safety_missed) + "</ul>")
    if final is not None and outcome.confident_wrong:
        out += ('<p><strong>Review these first:</strong> you were certain, and wrong.</p><ul '
                'class="kf-confident-wrong">' + "".join(
                    f"<li>{html.escape(question_label(final, i))}</li>"
                    for i in outcome.confident_wrong) + "</ul>")
    rows = "".join(f"<tr><td>{html.escape(p.title)}</td><td>{p.right} of {p.total}</td></tr>"
                   for p in outcome.by_lesson if p.total)
    return (out + f"<p>Right: {outcome.right} of {outcome.total}.</p>"
            '<table class="kp-table"><tr><th>Lesson</th><th>Right</th></tr>'
            f"{rows}</table>")


class FinalQuestionView(QuestionView):
    """One question of an attempt: the answer and "How sure are you?", saved on every change;
    no grading is shown until the attempt is submitted. Reuses the lesson view's answer
    widgets only (its Check and feedback are not used)."""

    def __init__(self, question: Question, owner: FinalView):  # no super(): no Check button
        self.question, self.owner = question, owner
        self.prompt = widgets.HTML(status_html(question.currency) + block(question.prompt))
        self.answer = self._answer_widget()
        self.confidence = widgets.RadioButtons(
            options=[(CONFIDENCE_LABELS[c], c) for c in CONFIDENCE], value=None,
            description="How sure are you?", style={"description_width": "initial"})
        self.status = widgets.HTML("")
        self.review = widgets.HTML("")
        self.on_saved = None  # set by a case to reveal its next part
        self.box = widgets.VBox([self.prompt, self.answer, self.confidence, self.status,
                                 self.review], layout={"margin": "0 0 1em 0"})
        self.box.add_class("kq-widget")
        self._restoring = True
        self.saved = self._restore_final(_saved(owner.items, question.id, owner.attempt))
        self._restoring = False
        for widget in self._inputs():
            widget.observe(lambda _: self.changed(), names="value")

    def _inputs(self) -> list[widgets.Widget]:
        children = list(getattr(self.answer, "children", ())) or [self.answer]
        return [*children, self.confidence]

    def _restore_final(self, entry: dict | None) -> bool:
        if entry is None:
            return False
        try:
            self.set_response(entry.get("last_response"))
            self.confidence.value = entry.get("confidence")
        except (TypeError, ValueError, KeyError, traitlets.TraitError):
            return False  # a record that no longer fits the question is not shown
        return True

    def changed(self) -> None:
        if self._restoring or self.owner.submitted:
            return
        graded = grade(self.question, self.response)
        if graded.correct is None:  # "type a number" and the like: a format hint, not feedback
            hint = graded.hint if self.question.type == "numeric" else "Choose your answer too."
            self.status.value = f'<p class="kq-hint">{html.escape(hint)}</p>'
            return
        self.owner.store.record_final(self.question.id, bool(graded.correct), self.response,
                                      self.owner.attempt, self.confidence.value)
        self.saved = True
        self.status.value = ('<p class="kf-saved">Saved.' + ("" if self.confidence.value else
                             " Now say how sure you are.") + "</p>")
        if self.on_saved:
            self.on_saved()
        self.owner.refresh()

    def lock(self) -> None:
        for widget in self._inputs():
            widget.disabled = True
        self.status.value = ""
        self.review.value = review_html(self.question, self.response, self.confidence.value,
                                        self.owner.references)


def _saved(items: dict, question_id: str, attempt: int) -> dict | None:
    """This attempt's saved answer, rated or not yet (``final.answer_of`` counts rated ones)."""
    entry = items.get(question_id)
    if isinstance(entry, dict) and entry.get("bank") == BANK and entry.get("attempt") == attempt:
        return entry
    return None


def review_html(question: Question, response, confidence: str | None, references,
                rated: bool = True) -> str:
    """After Submit: the learner's answer marked right or wrong, how sure they were (unless
    not ``rated``: the pre-test asks no confidence), the feedback on every option and the
    explanation with its sources. A question left unanswered (the pre-test allows it) shows
    the key (kapprogress.js reviewNode writes the same)."""
    graded = grade(question, response)
    mark = "✓" if graded.correct else "✗"
    headline = "Not answered." if response is None else graded.message or graded.hint
    rows = [feedback_row(question, fb) for fb in graded.feedback or _key(question)]
    label = CONFIDENCE_LABELS.get(confidence or "", "not rated")
    sure = f" How sure you were: {html.escape(label)}." if rated else ""
    safety = ' <span class="kf-tag">Safety question</span>' if question.safety else ""
    return (f'<div class="kq-result kf-review"><p><strong>{mark} '
            f"{html.escape(headline)}</strong>{sure}{safety}</p><ul>{''.join(rows)}</ul>"
            f"{block(question.explanation)}{sources_html(question.cite, references)}</div>")


def _key(question: Question) -> tuple[Feedback, ...]:
    """Every option's feedback, none chosen: the key of a question left unanswered."""
    if question.type in ("single", "multiple"):
        return tuple(Feedback(i, o.feedback, o.correct, False)
                     for i, o in enumerate(question.options))
    if question.type == "truefalse":
        return (Feedback(0, question.feedback_true, bool(question.answer), False),
                Feedback(1, question.feedback_false, not question.answer, False))
    return ()


class FinalView:
    """The final assessment in JupyterLab: this attempt's questions, Submit, the review, and
    a new attempt with the other forms."""

    def __init__(self, final: FinalAssessment, references, store: ProgressStore):
        self.final, self.references, self.store = final, references, store
        self.heading = widgets.HTML()
        self.submit = widgets.Button(description="Submit", button_style="primary",
                                     tooltip="Submit every answer and see your result")
        self.submit.on_click(lambda _: self.submit_attempt())
        self.message = widgets.HTML()
        self.result = widgets.HTML()
        self.new_attempt = widgets.Button(description="Start a new attempt", icon="refresh",
                                          tooltip="A new attempt with the other questions")
        self.new_attempt.on_click(lambda _: self.restart())
        self.questions: list[FinalQuestionView] = []
        self.body = widgets.VBox()
        self.widget = widgets.VBox([widgets.HTML(intro_html(final)), self.heading, self.body,
                                    self.submit, self.message, self.result, self.new_attempt])
        self._build()

    # the saved state -------------------------------------------------------------------------
    def _load(self) -> None:
        data = self.store.load()
        self.items, self.state = data["items"], data.get("final")
        self.outcome = result(self.items, self.final, self.state)
        self.attempt, self.submitted = self.outcome.attempt, self.outcome.submitted

    def outcome_now(self) -> FinalResult:
        self._load()
        return self.outcome

    # building and updating -------------------------------------------------------------------
    def _build(self) -> None:
        self._load()
        self.questions = []
        self.body.children = [self._item_box(item) for item in self.final.items_for(self.attempt)]
        if self.submitted:
            for view in self.questions:
                view.lock()
        self.refresh()

    def _item_box(self, item) -> widgets.Widget:
        if not isinstance(item, Vignette):
            view = FinalQuestionView(item, self)
            self.questions.append(view)
            return view.box
        views = [FinalQuestionView(part, self) for part in item.parts]
        self.questions.extend(views)
        for view, following in itertools.pairwise(views):
            # an unfolding case shows its next step once this one is answered (no feedback)
            following.box.layout.display = None if view.saved or self.submitted else "none"
            view.on_saved = lambda nxt=following: setattr(nxt.box.layout, "display", None)
        case = widgets.HTML(f"<p><strong>Case</strong></p>{status_html(item.currency)}"
                            f"{block(item.case)}")
        return widgets.VBox([case, *(v.box for v in views)],
                            layout={"border": "1px solid #888", "padding": "0.5em"})

    def refresh(self) -> None:
        self._load()
        self.heading.value = f"<h3>Attempt {self.attempt}</h3>"
        self.result.value = result_html(self.outcome, self.final)
        self.submit.layout.display = "none" if self.submitted else None
        self.new_attempt.layout.display = None if self.submitted else "none"
        if self.store.warning:
            self.message.value = f'<p class="kq-warning">⚠ {html.escape(self.store.warning)}</p>'

    def submit_attempt(self) -> None:
        outcome = self.outcome_now()
        if not outcome.complete:
            left = outcome.total - outcome.answered
            self.message.value = ('<p class="kf-msg">Answer every question and say how sure you '
                                  f"are before you submit: {left} still to do.</p>")
            return
        self.store.submit_final([q.id for q in self.final.drawn(self.attempt)])
        self.message.value = ""
        self._build()

    def restart(self) -> None:
        """Attempt n + 1, with the other form of every objective; lesson answers are kept."""
        self._load()
        self.store.start_final_attempt(self.attempt + 1)
        self.message.value = ""
        self._build()
