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
from functools import lru_cache
from pathlib import Path

import ipywidgets as widgets
from jinja2 import Environment, StrictUndefined

from kapcourse import __version__
from kapcourse.bank.course import course_root
from kapcourse.pages.final import question_label, result_html
from kapcourse.quiz.display import dual_bundle
from kapcourse.record import review as spaced_review
from kapcourse.record.completion import (
    NotComplete,
    Status,
    make_record,
    record_html,
    record_pdf,
    status,
)
from kapcourse.record.files import write_private
from kapcourse.record.final import FinalAssessment, FinalResult, last_review, read_course
from kapcourse.record.results import make_export
from kapcourse.record.store import MalformedEntry, ProgressStore, os_reason
from kapcourse.record.summary import (
    ImportProblem,
    LessonInfo,
    course_structure,
    known_questions,
    lesson_results,
    parse_import,
    review_next,
    to_csv,
)

PLACEHOLDER = ('<div class="kp" id="kp-progress"><p class="kp-msg">Your progress appears '
               "here.</p></div>")


# Jinja2 with autoescape: every value written into the table is escaped, including the dates
# and titles that come from the learner's (possibly imported) progress file.
_PAGES = Environment(autoescape=True, undefined=StrictUndefined)
TABLE = _PAGES.from_string(
    # A phone is narrower than the table: it scrolls inside a labelled, focusable region.
    '<div class="kp-scroll" role="region" aria-label="Results by lesson" tabindex="0">'
    '<table class="kp-table"><tr><th>Lesson</th><th>Questions attempted</th>'
    "<th>First-try right</th><th>Right now</th><th>Last worked on</th></tr>"
    "{% for r in results %}"
    '<tr><td><a href="{{ prefix }}notebooks/{{ r.stem }}.html">{{ r.title }}</a></td>'
    "<td>{{ r.attempted }} of {{ r.total }}</td><td>{{ r.first_try }} of {{ r.total }}</td>"
    "<td>{{ r.correct }} of {{ r.total }}</td><td>{{ r.last[:10] or 'not yet' }}</td></tr>"
    "{% endfor %}</table></div>"
    "<p>First-try right: answered right at the first try. Right now: the latest answer is "
    "right (retries count).</p><h2>What to review next</h2>"
    "{% if review %}<p>The learning objectives whose questions you missed at the first try "
    "most often:</p><ol>{% for r in review %}"
    '<li><a href="{{ prefix }}{{ r.objective.link }}">{{ r.objective.text }}</a> '
    "(missed at the first try: {{ r.missed }} of {{ r.answered }} answered)</li>"
    "{% endfor %}</ol>"
    "{% elif items %}<p>Nothing to review: every question you have answered was right at "
    "the first try.</p>"
    "{% else %}<p>Nothing to review yet: answer some questions first.</p>{% endif %}")


def table_html(items: dict, lessons: list[LessonInfo], link_prefix: str = "") -> str:
    answered = any(q in items for lesson in lessons for q in lesson.questions)
    return TABLE.render(results=lesson_results(items, lessons), prefix=link_prefix,
                        review=review_next(items, lessons), items=answered)


def confident_wrong_html(review: FinalResult | None, final: FinalAssessment) -> str:
    """First on the page: the final-assessment answers the learner was certain of and got
    wrong in their latest submitted attempt (kapprogress.js writes the same)."""
    if review is None or not review.confident_wrong:
        return ""
    rows = "".join(f"<li>{html.escape(question_label(final, i))}</li>"
                   for i in review.confident_wrong)
    return ('<div class="kf-confident-first"><h2>Review these first</h2><p>In your final '
            f"assessment (attempt {review.attempt}) you were <strong>certain</strong> of these "
            "answers, and they were wrong:</p>"
            f'<ul class="kf-confident-wrong">{rows}</ul></div>')


def completion_html(state: Status, pass_mark: int, final: FinalAssessment | None = None) -> str:
    """The completion section's text (kapprogress.js writes the same)."""
    where = f" in lesson {final.host[:2]}" if final else ""  # the host lesson is data
    rules = ("<p>The record becomes available when every lesson's questions are all answered "
             f"and at least {pass_mark}% of them are right now (retries count), and the final "
             f"assessment{where} is submitted and passed: {pass_mark}% right and every "
             "safety question right. It is a self-attested record of a self-assessment, not "
             "accredited continuing education.</p>")
    rules += f"<h3>Final assessment</h3>{result_html(state.final, final)}"
    if state.complete:
        return (f"{rules}<p class=\"kp-ready\"><strong>All criteria met.</strong> Type your name "
                "as it should appear on the record, then save it.</p>")
    todo = "".join(f"<li>{html.escape(line)}</li>" for line in state.unmet())
    return f"{rules}<p><strong>Not available yet.</strong> Still to do:</p><ul>{todo}</ul>"


def chart_png(items: dict, lessons: list[LessonInfo]) -> bytes:
    """The per-lesson bar chart as PNG bytes. My progress refreshes after every save; most
    refreshes leave the bars as they were, so an unchanged chart is not drawn again."""
    bars = tuple((f"{r.stem[:2]} {r.title[:40]}", r.correct / r.total, r.first_try / r.total)
                 for r in lesson_results(items, lessons))
    return _drawn(bars)


@lru_cache(maxsize=16)
def _drawn(bars: tuple[tuple[str, float, float], ...]) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 0.45 * len(bars) + 1.2))
    axes = figure.subplots()
    labels = [label for label, _, _ in bars]
    axes.barh(labels, [right for _, right, _ in bars], color="#0072B2", label="right now")
    axes.barh(labels, [first for _, _, first in bars], color="none",
              edgecolor="#000000", hatch="//", label="first-try right")
    axes.set_xlim(0, 1)
    axes.set_xlabel("share of the lesson's questions")
    axes.invert_yaxis()
    axes.legend(loc="lower right")
    figure.tight_layout()
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=90)
    return png.getvalue()


def changed_html(items: dict) -> str:
    """The learner's answers whose question changed since (kept, not counted), escaped."""
    from kapcourse.record.versions import CHANGED, changed, course_tables

    ids = changed(items, course_tables().current)
    if not ids:
        return ""
    rows = "".join(f"<li><code>{html.escape(i)}</code> ({html.escape(items[i]['bank'])})</li>"
                   for i in ids)
    return (f"<p><strong>{html.escape(CHANGED)}</strong> These answers are kept but do not "
            f"count toward your scores until you answer the questions again:</p><ul>{rows}</ul>")


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
        self.final: FinalAssessment | None = read_course(self.root).final
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
        data = self.store.load()
        return status(self.store.scored_items(), self.lessons, self.final, data.get("final"))

    def refresh(self) -> None:
        data = self.store.load()
        items = self.store.scored_items()  # answers to changed questions are kept, not counted
        # A backed-up or unsavable progress file: the learner reads why, above the table.
        notice = (f'<p class="kq-warning">\u26a0 {html.escape(self.store.warning)}</p>'
                  if self.store.warning else "")
        first = (confident_wrong_html(last_review(items, self.final, data.get("final")),
                                      self.final) if self.final else "")
        self.summary.value = (notice + first + table_html(items, self.lessons, link_prefix="../")
                              + self._pretest_html(items, data) + changed_html(data["items"]))
        self.picture.value = chart_png(items, self.lessons)
        state = self.status()
        if state is not None:
            self.completion.value = completion_html(state, self.final.pass_mark, self.final)
            for control in (self.record_name, self.save_html, self.save_pdf):
                control.disabled = not state.complete

    def _save(self, path: Path, content: bytes, what: str) -> Path | None:
        """Write a file only the learner can read (it holds a name and answers)."""
        try:
            write_private(path, content)
        except OSError as exc:
            self.message.value = (f"<p>Could not save {html.escape(str(path))} "
                                  f"({html.escape(os_reason(exc))}).</p>")
            return None
        self.message.value = f"<p>{what.format(html.escape(str(path)))}</p>"
        return path

    def save_record(self, kind: str) -> Path | None:
        """Write the completion record; refuses (with the reason) before the criteria are met."""
        try:
            record = make_record(self.record_name.value, self.status(), __version__,
                                 commitment=self._commitment())
            # NotPrintable (a NotComplete): the PDF font cannot set a letter of the name
            content = record_pdf(record) if kind == "pdf" else record_html(record).encode("utf-8")
        except NotComplete as exc:
            self.message.value = f"<p>{html.escape(str(exc))}</p>"
            return None
        path = self.folder / f"kapcourse-completion-record-{record.date}.{kind}"
        return self._save(path, content, "Saved your completion record to {}. Open it to print it.")

    def export(self, kind: str) -> Path | None:
        items = self.store.load()["items"]
        stamp = dt.date.today().isoformat()
        path = self.folder / f"kapcourse-progress-{stamp}.{kind}"
        if kind == "json":
            export = make_export({"items": items}, __version__, self.name.value)
            self._add_evaluation(export)
            spaced_review.add_to_export(export, spaced_review.read_saved(self.store)[0])
            self._add_pretest(export)
            text = json.dumps(export, indent=1, sort_keys=True)
        else:
            text = to_csv(items)
        return self._save(path, text.encode("utf-8"), "Saved {}.")

    def _evaluation(self):
        """(the course's evaluation form or None, the learner's saved evaluation or None)."""
        from kapcourse.record.evaluation import course_form, read_saved

        form = course_form(self.root)
        return form, (read_saved(self.store, form)[0] if form else None)

    def _add_evaluation(self, export: dict) -> None:
        """An anonymous export carries the evaluation (evaluation.add_to_export)."""
        from kapcourse.record.evaluation import add_to_export

        form, saved = self._evaluation()
        add_to_export(export, saved, form)

    def _commitment(self) -> str:
        """The commitment to change, if the learner chose to include it on the record."""
        from kapcourse.record.evaluation import record_commitment

        form, saved = self._evaluation()
        return record_commitment(saved, form) if form else ""

    def import_uploaded(self) -> bool:
        if not self.upload.value:
            self.message.value = "<p>Choose a JSON or CSV file exported from the course first.</p>"
            return False
        upload = self.upload.value[0]
        known = known_questions(self.lessons, self.final)  # also checks each answer's lesson
        try:
            text = bytes(upload["content"]).decode("utf-8")
            count = self.store.merge(parse_import(text, known))
            note = spaced_review.import_note(self.store, text)
        except UnicodeDecodeError:
            return self._not_imported("The file is not text.")
        except (ImportProblem, MalformedEntry) as exc:
            return self._not_imported(str(exc))
        except (TypeError, AttributeError, KeyError, RecursionError):
            # A file the parser did not foresee (a short CSV row, a row with only a lesson,
            # JSON nested too deeply): the learner gets a reason, never a traceback.
            return self._not_imported("The file is not laid out as the course exports it "
                                      "(a row or a field is missing or of the wrong kind).")
        except OSError as exc:
            return self._not_imported(f"Your progress could not be saved ({os_reason(exc)}).")
        pretest_note = self._import_pretest(text)
        self.message.value = (f"<p>Imported {count} answers from {html.escape(upload['name'])}."
                              f"{html.escape(note)}"
                              f"{' ' + html.escape(pretest_note) if pretest_note else ''}</p>")
        self.refresh()
        return True

    def _not_imported(self, reason: str) -> bool:
        self.message.value = (f"<p>Not imported: {html.escape(reason)} Your saved progress "
                              "has not been changed.</p>")
        return False

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle("My progress", PLACEHOLDER, self.widget)

    # the pre-test (issue #19): its comparison with the final, export and import ------------
    def _pretest_html(self, items: dict, data: dict) -> str:
        """The "Pre-test and final" section ("" before a pre-test is submitted)."""
        from kapcourse.pages.pretest import comparison_html
        from kapcourse.record.pretest import comparison, read_saved

        if self.final is None:
            return ""
        block, _ = read_saved(self.store)
        return comparison_html(comparison(block, items, self.final, data.get("final")))

    def _add_pretest(self, export: dict) -> None:
        """A results export carries the pre-test (pretest.add_to_export)."""
        from kapcourse.record.pretest import add_to_export, read_saved

        add_to_export(export, read_saved(self.store)[0])

    def _import_pretest(self, text: str) -> str:
        """Merge the file's pre-test, if it has one (pretest.import_into)."""
        from kapcourse.record.pretest import import_into

        try:
            return import_into(self.store, text)
        except OSError as exc:
            return f"The pre-test in the file could not be saved ({os_reason(exc)})."
