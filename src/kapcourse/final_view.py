"""The final assessment's display: the rules stated up front, the quiz, and the result with
a per-lesson breakdown. Widgets in a kernel; in the book the same placeholder is filled by
``_static/kapprogress.js`` from the browser's saved answers.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .final import BANK, FinalAssessment, FinalResult, result
from .progress import ProgressStore
from .widget_view import QuizView


def intro_html(final: FinalAssessment) -> str:
    count = len(final.questions)
    return (f'<div class="kf-intro"><p><strong>Pass mark: {final.pass_mark}%</strong> of the '
            f"{count} questions right at your first try.</p><p>The questions come from every "
            "lesson's objectives. Each is scored on your first answer; the feedback and "
            "explanation follow, and a retry does not change the score. Your answers here are "
            "saved apart from your lesson answers. To try again from the start, use "
            "<em>Start a new attempt</em> below the questions: it clears the answers of the "
            "final assessment only.</p></div>")


def results_placeholder(final: FinalAssessment) -> str:
    return (f'<div class="kf" id="kf-final" data-pass="{final.pass_mark}">'
            '<p class="kf-msg">Your result appears here as you answer.</p></div>')


def result_html(outcome: FinalResult) -> str:
    """The result and its per-lesson breakdown (kapprogress.js writes the same)."""
    if outcome.passed:
        verdict = f"Passed: {outcome.percent}% (pass mark {outcome.pass_mark}%)."
    elif outcome.complete:
        verdict = (f"Not passed: {outcome.percent}% (pass mark {outcome.pass_mark}%). Review "
                   "the lessons with the lowest scores below, then start a new attempt.")
    else:
        verdict = f"{outcome.answered} of {outcome.total} questions answered so far."
    rows = "".join(f"<tr><td>{html.escape(p.title)}</td><td>{p.right} of {p.total}</td></tr>"
                   for p in outcome.by_lesson)
    return (f'<p class="kf-verdict"><strong>{verdict}</strong> Right at the first try: '
            f"{outcome.right} of {outcome.total}.</p>"
            '<table class="kp-table"><tr><th>Lesson</th><th>Right at first try</th></tr>'
            f"{rows}</table>")


class FinalQuizView(QuizView):
    def __init__(self, final: FinalAssessment, references, store: ProgressStore):
        self.final = final  # score_text() needs it while restored answers are shown
        super().__init__(final.bank, list(final.bank.items), references, store)

    def score_text(self) -> str:
        outcome = result(self.store.scored_items(), self.final)
        return (f"Final assessment: {outcome.right} of {outcome.total} right at the first try "
                f"({outcome.answered} answered).")


class FinalView:
    """The final assessment in JupyterLab: the quiz, the result, and a new-attempt button."""

    def __init__(self, final: FinalAssessment, references, store: ProgressStore):
        self.final, self.references, self.store = final, references, store
        self.result = widgets.HTML()
        self.new_attempt = widgets.Button(description="Start a new attempt", icon="refresh",
                                          tooltip="Clear the final assessment's answers only")
        self.new_attempt.on_click(lambda _: self.restart())
        self.quiz = self._quiz()
        self.widget = widgets.VBox([widgets.HTML(intro_html(final)), self.quiz.widget,
                                    self.result, self.new_attempt])
        self.refresh()

    def _quiz(self) -> FinalQuizView:
        quiz = FinalQuizView(self.final, self.references, self.store)
        quiz.listeners.append(self.refresh)
        return quiz

    def outcome(self) -> FinalResult:
        return result(self.store.scored_items(), self.final)

    def refresh(self) -> None:
        self.result.value = result_html(self.outcome())

    def restart(self) -> None:
        self.store.remove_bank(BANK)
        self.quiz = self._quiz()
        self.widget.children = (self.widget.children[0], self.quiz.widget,
                                *self.widget.children[2:])
        self.refresh()
