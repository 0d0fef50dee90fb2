"""The "My progress" page: ipywidgets in JupyterLab, and a placeholder that
``_static/kapprogress.js`` fills from the browser's saved progress in the online book.
Both show the same layout: a table per lesson, a chart, what to review next, export, import,
and the completion record (saved as HTML or PDF once its criteria are met).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
from pathlib import Path

import ipywidgets as widgets

from . import __version__
from .completion import NotComplete, Status, make_record, record_html, record_pdf, status
from .course import course_root
from .display import dual_bundle
from .final import FinalAssessment
from .final import load as load_final
from .final_view import result_html
from .progress import ProgressStore
from .results import make_export
from .summary import (
    ImportProblem,
    LessonInfo,
    course_structure,
    lesson_results,
    parse_import,
    review_next,
    to_csv,
)

PLACEHOLDER = ('<div class="kp" id="kp-progress"><p class="kp-msg">Your progress in this '
               "browser appears here.</p></div>")


def table_html(items: dict, lessons: list[LessonInfo], link_prefix: str = "") -> str:
    rows = []
    for r in lesson_results(items, lessons):
        score = f"{r.correct} of {r.total}"
        rows.append(f"<tr><td><a href=\"{link_prefix}notebooks/{r.stem}.html\">"
                    f"{html.escape(r.title)}</a></td><td>{r.attempted} of {r.total}</td>"
                    f"<td>{r.first_try}</td><td>{score}</td><td>{r.last[:10] or 'not yet'}</td>"
                    "</tr>")
    head = ("<tr><th>Lesson</th><th>Questions attempted</th><th>Right at first try</th>"
            "<th>Current score</th><th>Last worked on</th></tr>")
    review = review_next(items, lessons)
    advice = ("<p>Nothing to review yet: answer some questions first.</p>" if not review else
              "<ol>" + "".join(f'<li><a href="{link_prefix}{o.link}">{html.escape(o.text)}</a></li>'
                               for o in review) + "</ol>")
    # A phone is narrower than the table: it scrolls inside a labelled, focusable region.
    return (f'<div class="kp-scroll" role="region" aria-label="Results by lesson" tabindex="0">'
            f'<table class="kp-table">{head}{"".join(rows)}</table></div>'
            f"<h2>What to review next</h2>{advice}")


def completion_html(state: Status, pass_mark: int) -> str:
    """The completion section's text (kapprogress.js writes the same)."""
    rules = ("<p>The record becomes available when every lesson's questions are all answered "
             f"and at least {pass_mark}% of them are right now (retries count), and the final "
             f"assessment in lesson 08 is passed: {pass_mark}% right at the first try. It is a "
             "self-attested record of a self-assessment, not accredited continuing education."
             "</p>")
    rules += f"<h3>Final assessment</h3>{result_html(state.final)}"
    if state.complete:
        return (f"{rules}<p class=\"kp-ready\"><strong>All criteria met.</strong> Type your name "
                "as it should appear on the record, then save it.</p>")
    todo = "".join(f"<li>{html.escape(line)}</li>" for line in state.unmet())
    return f"{rules}<p><strong>Not available yet.</strong> Still to do:</p><ul>{todo}</ul>"


def chart(items: dict, lessons: list[LessonInfo]):
    from matplotlib.figure import Figure

    results = lesson_results(items, lessons)
    figure = Figure(figsize=(8, 0.45 * len(results) + 1.2))
    axes = figure.subplots()
    labels = [f"{r.stem[:2]} {r.title[:40]}" for r in results]
    axes.barh(labels, [r.correct / r.total for r in results], color="#0072B2",
              label="current score")
    axes.barh(labels, [r.first_try / r.total for r in results], color="none",
              edgecolor="#000000", hatch="//", label="right at first try")
    axes.set_xlim(0, 1)
    axes.set_xlabel("share of the lesson's questions")
    axes.invert_yaxis()
    axes.legend(loc="lower right")
    figure.tight_layout()
    return figure


class MyProgress:
    """Display with ``MyProgress()`` as the last line of a cell."""

    def __init__(self, root: Path | None = None, store: ProgressStore | None = None,
                 folder: Path | None = None):
        self.root = root or course_root()
        self.store = store or ProgressStore.default()
        self.folder = folder or Path.cwd()
        self.lessons = course_structure(self.root)
        self.summary = widgets.HTML()
        self.picture = widgets.Image(format="png", layout={"max_width": "48rem"})
        self.name = widgets.Text(placeholder="optional: leave empty to stay anonymous",
                                 description="Your name", layout={"width": "32rem"})
        self.export_json = widgets.Button(description="Export JSON", icon="download")
        self.export_csv = widgets.Button(description="Export CSV", icon="download")
        self.upload = widgets.FileUpload(accept=".json,.csv", multiple=False,
                                         description="Choose file")
        self.import_button = widgets.Button(description="Import", icon="upload")
        self.message = widgets.HTML()
        self.export_json.on_click(lambda _: self.export("json"))
        self.export_csv.on_click(lambda _: self.export("csv"))
        self.import_button.on_click(lambda _: self.import_uploaded())
        self.final: FinalAssessment | None = load_final(self.root)
        self.completion = widgets.HTML()
        self.record_name = widgets.Text(placeholder="as it should appear on the record",
                                        description="Your name", layout={"width": "32rem"})
        self.save_html = widgets.Button(description="Save record (HTML)", icon="file")
        self.save_pdf = widgets.Button(description="Save record (PDF)", icon="file")
        self.save_html.on_click(lambda _: self.save_record("html"))
        self.save_pdf.on_click(lambda _: self.save_record("pdf"))
        record = ([widgets.HTML("<h2>Completion record</h2>"), self.completion, self.record_name,
                   widgets.HBox([self.save_html, self.save_pdf])] if self.final else [])
        self.widget = widgets.VBox([
            self.summary, self.picture, self.name,
            widgets.HBox([self.export_json, self.export_csv]),
            widgets.HBox([self.upload, self.import_button]), *record, self.message])
        self.refresh()

    def status(self) -> Status | None:
        if self.final is None:
            return None
        return status(self.store.load()["items"], self.lessons, self.final)

    def refresh(self) -> None:
        items = self.store.load()["items"]
        self.summary.value = table_html(items, self.lessons, link_prefix="../")
        png = io.BytesIO()
        chart(items, self.lessons).savefig(png, format="png", dpi=90)
        self.picture.value = png.getvalue()
        state = self.status()
        if state is not None:
            self.completion.value = completion_html(state, self.final.pass_mark)
            for control in (self.record_name, self.save_html, self.save_pdf):
                control.disabled = not state.complete

    def save_record(self, kind: str) -> Path | None:
        """Write the completion record; refuses (with the reason) before the criteria are met."""
        try:
            record = make_record(self.record_name.value, self.status(), __version__)
        except NotComplete as exc:
            self.message.value = f"<p>{html.escape(str(exc))}</p>"
            return None
        path = self.folder / f"kapcourse-completion-record-{record.date}.{kind}"
        if kind == "pdf":
            path.write_bytes(record_pdf(record))
        else:
            path.write_text(record_html(record), encoding="utf-8")
        self.message.value = (f"<p>Saved your completion record to {html.escape(str(path))}. "
                              "Open it to print it.</p>")
        return path

    def export(self, kind: str) -> Path:
        items = self.store.load()["items"]
        stamp = dt.date.today().isoformat()
        path = self.folder / f"kapcourse-progress-{stamp}.{kind}"
        if kind == "json":
            export = make_export({"items": items}, __version__, self.name.value)
            path.write_text(json.dumps(export, indent=1, sort_keys=True), encoding="utf-8")
        else:
            path.write_text(to_csv(items), encoding="utf-8")
        self.message.value = f"<p>Saved {html.escape(str(path))}.</p>"
        return path

    def import_uploaded(self) -> bool:
        if not self.upload.value:
            self.message.value = "<p>Choose a JSON or CSV file exported from the course first.</p>"
            return False
        upload = self.upload.value[0]
        try:
            text = bytes(upload["content"]).decode("utf-8")
            known = {q for lesson in self.lessons for q in lesson.questions}
            known |= set(self.final.lesson_of) if self.final else set()
            count = self.store.merge(parse_import(text, known))
        except (UnicodeDecodeError, ImportProblem) as exc:
            reason = str(exc) if isinstance(exc, ImportProblem) else "The file is not text."
            self.message.value = (f"<p>Not imported: {html.escape(reason)} Your saved progress "
                                  "has not been changed.</p>")
            return False
        self.message.value = f"<p>Imported {count} answers from {html.escape(upload['name'])}.</p>"
        self.refresh()
        return True

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle("My progress", PLACEHOLDER, self.widget)
