"""The course evaluation page: ipywidgets in JupyterLab (answers saved in the learner's
progress file under their own key), and a placeholder that ``_static/kapeval.js`` fills with
the same form in the online book (answers kept in the browser).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from kapcourse.bank.course import course_root
from kapcourse.quiz.display import dual_bundle
from kapcourse.record.evaluation import (
    FORM_FILE,
    MAX_ANSWER,
    Form,
    clean,
    export_block,
    load_form,
    problem,
    read_saved,
    save,
    to_csv,
)
from kapcourse.record.files import write_private
from kapcourse.record.store import ProgressStore, os_reason

PLACEHOLDER = ('<div class="ke" id="ke-evaluation"><p class="kp-msg">The evaluation form '
               "appears here.</p></div>")
ON_RECORD = "Include my commitment to change on my completion record"


class EvaluationForm:
    """Display with ``EvaluationForm()`` as the last line of a cell."""

    def __init__(self, root: Path | None = None, store: ProgressStore | None = None,
                 folder: Path | None = None):
        self.root = root or course_root()
        self.store = store or ProgressStore.default()
        self.folder = folder or Path.cwd()  # where "Export my evaluation (CSV)" writes
        self.form: Form = load_form(self.root / FORM_FILE)
        self.notice = widgets.HTML()
        self.likert: dict[str, widgets.RadioButtons] = {}
        self.texts: dict[str, widgets.Textarea] = {}
        self.on_record = widgets.Checkbox(description=ON_RECORD, indent=False,
                                          layout={"width": "40rem"})
        self.save_button = widgets.Button(description="Save my evaluation", icon="check")
        self.message = widgets.HTML()
        self.csv_button = widgets.Button(description="Export my evaluation (CSV)",
                                         icon="download", layout={"width": "max-content"})
        self.save_button.on_click(lambda _: self.save())
        self.csv_button.on_click(lambda _: self.export_csv())
        self.widget = widgets.VBox([self.notice, *self._rows(),
                                    widgets.HBox([self.save_button, self.csv_button]),
                                    self.message])
        self.restore()

    def _rows(self) -> list:
        rows = []
        for question in self.form.questions:
            label = widgets.HTML(f"<strong>{html.escape(question.text)}</strong>")
            if question.kind == "likert":
                choice = widgets.RadioButtons(
                    options=[(text, point) for point, text in enumerate(self.form.scale, 1)],
                    value=None, layout={"width": "max-content"})
                self.likert[question.id] = choice
                rows.append(widgets.VBox([label, choice]))
                continue
            # Textarea has no maxlength: the length is checked on saving (the book's matches)
            area = widgets.Textarea(rows=3, layout={"width": "40rem"},
                                    placeholder=f"At most {MAX_ANSWER} characters")
            self.texts[question.id] = area
            rows.append(widgets.VBox([label, area]))
            if question.commitment:
                rows.append(self.on_record)
        return rows

    def answers(self) -> dict:
        """The form's current answers, as they would be saved."""
        answers: dict = {qid: w.value for qid, w in self.likert.items() if w.value is not None}
        answers.update((qid, w.value) for qid, w in self.texts.items())
        return {"answers": answers, "on_record": self.on_record.value}

    def restore(self) -> None:
        """Show the saved evaluation (checked when read); a bad one is explained, and kept."""
        saved, warning = read_saved(self.store, self.form)
        self.notice.value = (f'<p class="kq-warning">\u26a0 {html.escape(warning)}</p>'
                             if warning else "")
        answers = saved["answers"] if saved else {}
        for qid, choice in self.likert.items():
            choice.value = answers.get(qid)
        for qid, area in self.texts.items():
            area.value = answers.get(qid, "")
        self.on_record.value = bool(saved and saved["on_record"])

    def save(self) -> bool:
        current = self.answers()
        why = problem(current, self.form)
        if why:
            self.message.value = f"<p>Not saved: {html.escape(why)}.</p>"
            return False
        try:
            save(self.store, clean(current, self.form), self.form)
        except OSError as exc:
            self.message.value = (f"<p>Not saved: your progress file cannot be written "
                                  f"({html.escape(os_reason(exc))}).</p>")
            return False
        self.message.value = ("<p>Saved your evaluation in your progress file. Nobody else "
                              "sees it unless you export your results without your name on "
                              "My progress.</p>")
        return True

    def export_csv(self) -> Path | None:
        """The saved evaluation as an anonymous CSV file (kapeval.js writes the same)."""
        saved, _ = read_saved(self.store, self.form)
        block = export_block(saved, self.form)
        if block is None:
            self.message.value = "<p>Nothing to export yet: save your evaluation first.</p>"
            return None
        path = self.folder / "kapcourse-evaluation.csv"
        try:
            write_private(path, to_csv(block, self.form).encode("utf-8"))
        except OSError as exc:
            self.message.value = (f"<p>Could not save {html.escape(str(path))} "
                                  f"({html.escape(os_reason(exc))}).</p>")
            return None
        self.message.value = (f"<p>Exported your saved evaluation to {html.escape(str(path))} "
                              "(CSV, without your name).</p>")
        return path

    def _repr_mimebundle_(self, include=None, exclude=None):
        return dual_bundle("Course evaluation", PLACEHOLDER, self.widget)
