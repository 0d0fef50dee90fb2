"""The JupyterLab view (ipywidgets) and :class:`ReadinessGuide`, what a lesson displays.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from kapcourse.bank.course import Reference, bibliography, course_root
from kapcourse.bank.markdown import block
from kapcourse.content.readiness.loading import load_guide
from kapcourse.content.readiness.model import Advice, Guide
from kapcourse.content.readiness.pieces import steps_html
from kapcourse.content.readiness.plan import write_plan
from kapcourse.content.readiness.static import render_static
from kapcourse.quiz.display import dual_bundle


class ReadinessView:
    """The ipywidgets: one control per question, a button and the results area.

    Tests set ``controls[question_id].value`` (single) or
    ``controls[question_id].children[i].value`` (multiple), then call ``show.click()`` or
    ``save.click()`` (the plan is written into ``folder``, by default the current folder: in
    JupyterLab the lesson's folder).
    """

    def __init__(self, guide: Guide, references: dict[str, Reference],
                 folder: Path | None = None):
        import ipywidgets as widgets

        self.guide, self.references, self.folder = guide, references, folder
        self.controls: dict[str, Any] = {}
        rows: list[Any] = [widgets.HTML(f'<div class="kr-notice">{block(guide.notice)}</div>')]
        for number, question in enumerate(guide.questions, 1):
            label = widgets.HTML(f"<strong>{number}. {escape(question.text)}</strong>")
            if question.kind == "single":
                control = widgets.RadioButtons(
                    options=[(o.text, o.id) for o in question.options], value=None,
                    layout={"width": "auto"})
            else:
                control = widgets.VBox([widgets.Checkbox(value=False, description=o.text,
                                                         indent=False, layout={"width": "auto"})
                                        for o in question.options])
            self.controls[question.id] = control
            rows.append(widgets.VBox([label, control], layout={"margin": "0 0 0.75em 0"}))
        self.show = widgets.Button(description="Show my next steps", button_style="primary",
                                   tooltip="List the next steps for your answers",
                                   layout={"width": "auto"})
        self.result = widgets.HTML("")
        self.show.on_click(lambda _: self.update())
        self.save = widgets.Button(description="Save my plan", icon="download",
                                   tooltip="Save your answers and next steps as a web page",
                                   layout={"width": "auto"})
        self.saved = widgets.HTML("")
        self.save.on_click(lambda _: self.save_plan())
        rows += [self.show, self.result, widgets.HBox([self.save, self.saved]), widgets.HTML(
            "<p>The printable guide (every question and all the advice) is "
            "<code>readiness-guide.html</code> in the online book, or run "
            "<code>from kapcourse.content.readiness import write_printable_guide; "
            "write_printable_guide('readiness-guide.html')</code>.</p>")]
        self.widget = widgets.VBox(rows)
        self.widget.add_class("kr-widget")

    @property
    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for question in self.guide.questions:
            control = self.controls[question.id]
            if question.kind == "single":
                out[question.id] = control.value
            else:
                out[question.id] = [o.id for o, box in zip(question.options, control.children,
                                                           strict=True) if box.value]
        return out

    def update(self) -> list[Advice]:
        answers = self.answers
        steps = self.guide.next_steps(answers)
        self.result.value = steps_html(self.guide, steps, self.references, "lab",
                                       len(self.guide.unanswered(answers)))
        return steps

    def save_plan(self) -> Path | None:
        """Show the steps and write the plan (a web page, readable by this user only)."""
        self.update()
        folder = self.folder or Path.cwd()
        try:
            path = write_plan(self.guide, self.references, self.answers, folder)
        except OSError as exc:
            self.saved.value = (f"<span>Your plan could not be saved in {escape(str(folder))}: "
                                f"{escape(exc.strerror or str(exc))}. Your answers are still "
                                "here; try again from a folder you can write to.</span>")
            return None
        self.saved.value = (f"<span>Your plan was saved as <code>{escape(str(path))}</code> "
                            "(open it in a browser to print it).</span>")
        return path


class ReadinessGuide:
    """Display the self-assessment: ``from kapcourse.content.readiness import ReadinessGuide;
    ReadinessGuide()``."""

    def __init__(self, root: Path | None = None, path: Path | None = None):
        self.root = root or course_root()
        self.references = bibliography(self.root)
        self.guide = load_guide(path, root=self.root, citations=set(self.references))
        self._view: ReadinessView | None = None

    @property
    def view(self) -> ReadinessView:
        if self._view is None:
            self._view = ReadinessView(self.guide, self.references)
        return self._view

    def html(self) -> str:
        return render_static(self.guide, self.references)

    def __repr__(self) -> str:
        return f"Practice readiness self-assessment ({len(self.guide.questions)} questions)"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle(repr(self), self.html(), self.view.widget)
