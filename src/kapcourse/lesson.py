"""What a lesson notebook imports: ``Lesson("NN_slug")``, ``.header()`` and ``.quiz(...)``."""

from __future__ import annotations

import json
from pathlib import Path

from kapcourse.bank.course import bibliography, course_root, notebook_minutes
from kapcourse.bank.markdown import plain_markdown
from kapcourse.bank.model import Bank, load_bank
from kapcourse.quiz.display import dual_bundle
from kapcourse.quiz.static import render_quiz
from kapcourse.record.store import ProgressStore


class Lesson:
    """One lesson: its item bank, its notebook metadata and the learner's progress."""

    def __init__(self, stem: str, root: Path | None = None, store: ProgressStore | None = None):
        self.root = root or course_root()
        self.stem = stem
        self.references = bibliography(self.root)
        self.bank: Bank = load_bank(self.root / "quizzes" / f"{stem}.yml", set(self.references),
                                    f"quizzes/{stem}.yml")
        self.store = store or ProgressStore.default()

    @property
    def minutes(self) -> int | None:
        path = self.root / "notebooks" / f"{self.stem}.ipynb"
        try:
            return notebook_minutes(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None

    def header(self) -> LessonHeader:
        """Time to complete (notebook metadata) and objectives (item bank), never retyped."""
        return LessonHeader(self.minutes, [o.text for o in self.bank.objectives],
                            self.bank.reviewed.isoformat())

    def quiz(self, *item_ids: str) -> QuizDisplay:
        """Display these items as one quiz: widgets in a kernel, HTML + JS in the book."""
        if not item_ids:
            raise ValueError("Name the items to show, e.g. lesson.quiz('l01-racemate').")
        try:
            items = [self.bank.item(item_id) for item_id in item_ids]
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        return QuizDisplay(self, items)

    def final_assessment(self) -> FinalDisplay:
        """The course's final assessment (defined in this lesson's bank)."""
        from kapcourse.record.final import read_course

        final = read_course(self.root, set(self.references)).final
        if final is None or final.host != self.stem:
            raise ValueError(f"quizzes/{self.stem}.yml has no final_assessment section.")
        return FinalDisplay(self, final)


class LessonHeader:
    def __init__(self, minutes: int | None, objectives: list[str], reviewed: str):
        self.minutes, self.objectives, self.reviewed = minutes, objectives, reviewed

    def __repr__(self) -> str:
        return f"Lesson header ({self.minutes} minutes, {len(self.objectives)} objectives)"

    def _repr_markdown_(self) -> str:
        time = f"about {self.minutes} minutes" if self.minutes else "not stated"
        # Objectives are plain text: escaped so that no HTML or Markdown in a bank becomes
        # markup (MyST-NB and JupyterLab render this output's inline HTML as it stands).
        goals = "\n".join(f"{i}. {plain_markdown(text)}"
                          for i, text in enumerate(self.objectives, 1))
        return (f"**Time to complete:** {time} · "
                f"**Last reviewed against its sources:** {plain_markdown(self.reviewed)}\n\n"
                f"**By the end of this lesson you will be able to:**\n\n{goals}\n")


class _Display:
    """One output, two views: ipywidgets in a live kernel (``.view``, made on first use) and
    static HTML that ``_static/kapquiz.js`` brings to life in the book."""

    _view = None

    def _make_view(self):
        raise NotImplementedError

    @property
    def view(self):
        if self._view is None:
            self._view = self._make_view()
        return self._view

    def html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle(repr(self), self.html(), self.view.widget)


class QuizDisplay(_Display):
    """Returned by ``lesson.quiz()``."""

    def __init__(self, lesson: Lesson, items: list):
        self.lesson = lesson
        self.items = items

    def __repr__(self) -> str:
        return f"Quiz ({', '.join(item.id for item in self.items)})"

    def _make_view(self):
        from kapcourse.quiz.widget import QuizView

        return QuizView(self.lesson.bank, self.items, self.lesson.references, self.lesson.store)

    def html(self) -> str:
        return render_quiz(self.lesson.bank, self.items)


class FinalDisplay(_Display):
    """Returned by ``lesson.final_assessment()``."""

    def __init__(self, lesson: Lesson, final):
        self.lesson = lesson
        self.final = final

    def __repr__(self) -> str:
        return f"Final assessment ({len(self.final.drawn(1))} questions an attempt)"

    def _make_view(self):
        from kapcourse.pages.final import FinalView

        return FinalView(self.final, self.lesson.references, self.lesson.store)

    def html(self) -> str:
        from kapcourse.pages.final import intro_html, results_placeholder

        # every form is in the page; kapprogress.js shows the ones this attempt draws
        quiz = render_quiz(self.final.bank, list(self.final.bank.items), final=True)
        return intro_html(self.final) + quiz + results_placeholder(self.final)
