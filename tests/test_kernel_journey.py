"""A learner's whole journey in a live Jupyter kernel (nbclient), with the widgets a learner
uses: answer in two lessons and the final assessment, open My progress, export, clear,
import, and save the completion record once (and only once) the criteria are met."""

from __future__ import annotations

import io
import json

import nbformat
from nbclient import NotebookClient
from pypdf import PdfReader

from kapcourse.record.final import read_course

from .conftest import ROOT
from .course_data import everything_right

CELLS = [
    # 1. answer one question in lesson 01, right
    """
import datetime as dt, json, os
from pathlib import Path
from kapcourse import Lesson
from kapcourse.pages.progress import MyProgress

folder = Path(os.environ["JOURNEY_FOLDER"])
progress_file = Path(os.environ["KAPCOURSE_PROGRESS"])
lesson01 = Lesson("01_what_is_ketamine")
one_of = f"<td>1 of {len(lesson01.bank.questions)}</td>"
quiz = lesson01.quiz("l01-racemate").view.view("l01-racemate")
quiz.answer.value = next(i for i, o in enumerate(quiz.question.options) if o.correct)
quiz.check.click()
assert quiz.result.value.count("✓ Correct.") == 1, quiz.result.value
""",
    # 2. the final assessment in lesson 09: a wrong answer, rated; no feedback before Submit
    """
final = Lesson("09_case_studies").final_assessment().view
total = len(final.final.drawn(1))
first = next(view for view in final.questions if view.question.type == "single")
options = first.question.options
first.answer.value = next(i for i, o in enumerate(options) if not o.correct)
first.confidence.value = "certain"
assert "Saved." in first.status.value and first.review.value == "", first.status.value
assert f"Attempt 1: 1 of {total} questions answered and rated" in final.result.value, \
    final.result.value
""",
    # 3. My progress: the figures, and no record before the criteria are met
    """
page = MyProgress(folder=folder)
# lesson 01: 1 question attempted, 1 first-try right, 1 right now
assert page.summary.value.count(one_of) == 3, page.summary.value
assert f"attempt 1, 1 of {total} questions answered and rated" in page.completion.value
assert page.save_pdf.disabled and page.save_html.disabled and page.record_name.disabled
page.record_name.value = "Ada Lovelace"
assert page.save_record("pdf") is None
assert "not available yet" in page.message.value and not list(folder.glob("*record*"))
""",
    # 4. export, clear, import, check again
    """
exported = page.export("json")
progress_file.unlink()
page.refresh()
assert page.summary.value.count(one_of) == 0

def upload(path):
    content = path.read_bytes()
    page.upload.value = ({"name": path.name, "type": "application/json", "size": len(content),
                          "content": memoryview(content),
                          "last_modified": dt.datetime.now()},)
    page.import_button.click()
    assert "Imported" in page.message.value, page.message.value

upload(exported)
assert page.summary.value.count(one_of) == 3
items = json.loads(progress_file.read_text())["items"]
assert sum(1 for e in items.values() if e["bank"] == "final") == 1
""",
    # 5. meet the criteria (an export of a learner who got everything right), save the record
    """
upload(folder / "complete.json")
assert "All criteria met" not in page.completion.value  # the final is not submitted yet
final.submit.click()  # every question now has an answer: the learner's own and the imported
assert "Attempt 1: passed" in final.result.value, final.result.value
page.refresh()
assert not page.save_pdf.disabled and "All criteria met" in page.completion.value
html_record = page.save_record("html")
pdf_record = page.save_record("pdf")
assert "Name: Ada Lovelace" in html_record.read_text()
assert pdf_record.read_bytes().startswith(b"%PDF-")
""",
]


def test_the_whole_journey_in_a_live_kernel(tmp_path, monkeypatch):
    folder = tmp_path / "journey"
    folder.mkdir()
    complete = everything_right(ROOT)
    first_single = next(q.id for q in read_course(ROOT).final.drawn(1) if q.type == "single")
    complete["items"].pop(first_single)  # the learner's own (wrong) answer above stands
    (folder / "complete.json").write_text(json.dumps(complete))
    monkeypatch.setenv("JOURNEY_FOLDER", str(folder))
    monkeypatch.setenv("KAPCOURSE_PROGRESS", str(tmp_path / "progress.json"))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    records = {path.suffix: path for path in folder.glob("kapcourse-completion-record-*")}
    assert set(records) == {".html", ".pdf"}
    text = " ".join(PdfReader(io.BytesIO(records[".pdf"].read_bytes())).pages[0]
                    .extract_text().split())
    assert "Name: Ada Lovelace" in text and "not accredited continuing education" in text
    final = read_course(ROOT).final
    total = len(final.drawn(1))
    assert (f"Final assessment (attempt 1; pass mark {final.pass_mark}% and every safety "
            f"question right): {total - 1} of {total}") in text
