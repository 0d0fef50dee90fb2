"""The course evaluation in Python and JupyterLab: the form's checks (file:line), the widgets
(answers saved in the progress file under their own key, checked when read), the anonymous
export, the commitment on the completion record, and the cohort summary of `kapcourse report`."""

from __future__ import annotations

import io
import json
import os
import random

import pytest
from pypdf import PdfReader

from kapcourse.bank.model import BankError
from kapcourse.pages.evaluation import EvaluationForm
from kapcourse.record.evaluation import (
    MAX_ANSWER,
    PROGRESS_KEY,
    UNREADABLE_KEY,
    add_to_export,
    course_form,
    form_problems,
    load_form,
    summarise,
)
from kapcourse.record.results import make_export
from kapcourse.record.store import ProgressStore
from kapcourse.workshop.evaluation_report import write_summary

from .conftest import BUILT, ROOT
from .course_data import everything_right

FORM = course_form(ROOT)
GOOD = """version: 1
scale: [No, Maybe, Yes]
questions:
  - {id: useful, kind: likert, text: It was useful.}
  - {id: change, kind: text, commitment: true, text: "What will you change?"}
"""


# --- the definition ---------------------------------------------------------------------------


def test_the_course_form_asks_what_ce_evaluations_ask():
    kinds = {q.id: q.kind for q in FORM.questions}
    assert [k for k in kinds.values() if k == "likert"] and FORM.commitment.id == "change"
    assert {"relevance", "objectives", "balance", "recommend"} <= set(kinds)
    assert FORM.question("balance-where").follows == "balance"
    assert form_problems(ROOT) == []


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("kind: likert", "kind: scale"), "evaluation.yml:4:"),
    (GOOD + "colour: red\n", "evaluation.yml:6:1: colour: unknown key 'colour'"),
    (GOOD.replace("id: change", "id: useful"), "questions[1].id: id 'useful' is used twice"),
    (GOOD.replace("commitment: true", "follows: nowhere"),
     "questions[1].follows: a text question follows up a Likert statement"),
    (GOOD.replace("kind: likert,", "kind: likert, commitment: true,"),
     "questions[0].commitment: the commitment to change is a text question"),
    (GOOD + "  - {id: other, kind: text, commitment: true, text: 'And then?'}\n",
     "at most one question is the commitment to change"),
    (GOOD.replace("It was useful.", "'<b>useful</b>'"), "evaluation.yml:4:"),
    (GOOD.replace("scale: [No, Maybe, Yes]", "scale: [No, Yes]"), "scale"),
])
def test_a_bad_form_is_reported_with_file_line_and_key(tmp_path, text, expected):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "evaluation.yml").write_text(text, encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_form(tmp_path / "book" / "evaluation.yml")
    assert expected in str(caught.value)
    problems = form_problems(tmp_path)  # what `kapcourse validate` prints
    assert problems and all(str(p).startswith("book/evaluation.yml:") for p in problems)


def test_validate_checks_the_form(tmp_path, monkeypatch):
    from kapcourse import checks

    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "evaluation.yml").write_text(GOOD.replace("kind: likert", "kind: x"))
    monkeypatch.setattr(checks, "agenda_problems", lambda root: [])
    assert any("book/evaluation.yml:4:" in str(p) for p in checks._course_problems(tmp_path, {}))


# --- JupyterLab -------------------------------------------------------------------------------


def fill(form: EvaluationForm, commitment: str = "Screen blood pressure before each session.",
         on_record: bool = True) -> None:
    form.likert["relevance"].value = 5
    form.likert["balance"].value = 2
    form.texts["balance-where"].value = "Lesson 04"
    form.texts["change"].value = commitment
    form.on_record.value = on_record


def test_widgets_save_in_the_progress_file_beside_the_answers(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    store.record("01_what_is_ketamine", "l01-racemate", True, 0)
    form = EvaluationForm(root=ROOT, store=store)
    fill(form, "  Screen blood pressure before each session.\n")
    form.save_button.click()
    assert "Saved your evaluation" in form.message.value
    data = json.loads((tmp_path / "p.json").read_text())
    assert data[PROGRESS_KEY] == {"answers": {
        "relevance": 5, "balance": 2, "balance-where": "Lesson 04",
        "change": "Screen blood pressure before each session."}, "on_record": True}
    assert "l01-racemate" in data["items"]
    store.record("01_what_is_ketamine", "l01-racemate", False, 1)  # answering keeps it
    again = EvaluationForm(root=ROOT, store=store)  # reopened: the answers come back
    assert again.likert["relevance"].value == 5 and again.likert["objectives"].value is None
    assert again.texts["change"].value == "Screen blood pressure before each session."
    assert again.on_record.value is True


def test_widgets_export_the_saved_evaluation_as_an_anonymous_csv(tmp_path):
    import csv

    store = ProgressStore(tmp_path / "p.json")
    form = EvaluationForm(root=ROOT, store=store, folder=tmp_path)
    assert form.export_csv() is None and "save your evaluation first" in form.message.value
    fill(form, "=cmd|' /C calc'!A0")
    form.csv_button.click()  # not saved yet: the CSV holds what is saved
    assert "save your evaluation first" in form.message.value
    form.save_button.click()
    form.csv_button.click()
    path = tmp_path / "kapcourse-evaluation.csv"
    assert "Exported your saved evaluation" in form.message.value
    assert path.stat().st_mode & 0o777 == 0o600  # only the learner can read it
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["id", "question", "answer"]
    assert ["relevance", "The course is relevant to my practice.", "5 (Strongly agree)"] in rows
    assert ["change", FORM.commitment.text, "'=cmd|' /C calc'!A0"] in rows  # never a formula


def test_widgets_refuse_a_text_over_the_limit_and_save_nothing(tmp_path):
    store = ProgressStore(tmp_path / "p.json")
    form = EvaluationForm(root=ROOT, store=store)
    fill(form)
    form.texts["improve"].value = "x" * (MAX_ANSWER + 1)
    form.save_button.click()
    assert f"at most {MAX_ANSWER} characters" in form.message.value
    assert PROGRESS_KEY not in store.load()


def test_an_unreadable_saved_evaluation_is_explained_and_kept(tmp_path):
    path = tmp_path / "p.json"
    bad = {"answers": {"relevance": 9}}
    path.write_text(json.dumps({"format": "kapcourse-progress", "version": 1, "items": {},
                                PROGRESS_KEY: bad}))
    form = EvaluationForm(root=ROOT, store=ProgressStore(path))
    assert "could not be read" in form.notice.value and "from 1 to 5" in form.notice.value
    assert form.likert["relevance"].value is None
    fill(form)
    form.save_button.click()
    data = json.loads(path.read_text())
    assert data[UNREADABLE_KEY] == bad and data[PROGRESS_KEY]["answers"]["relevance"] == 5


def test_escaped_where_written(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"format": "kapcourse-progress", "items": {},
                                PROGRESS_KEY: {"answers": {"relevance": "<img src=x>"}}}))
    form = EvaluationForm(root=ROOT, store=ProgressStore(path))
    assert "<img" not in form.notice.value


# --- the export and the record ----------------------------------------------------------------


def saved_evaluation(folder, on_record: bool = True) -> ProgressStore:
    folder.mkdir(parents=True, exist_ok=True)
    store = ProgressStore(folder / "p.json")
    store.merge(everything_right(ROOT)["items"])
    form = EvaluationForm(root=ROOT, store=store)
    fill(form, "Ask <every> client & 'family' about bladder symptoms.", on_record)
    assert form.save()
    return store


def test_an_anonymous_export_carries_the_evaluation_a_named_one_does_not(tmp_path):
    from kapcourse.pages.progress import MyProgress

    page = MyProgress(root=ROOT, store=saved_evaluation(tmp_path), folder=tmp_path)
    anonymous = json.loads(page.export("json").read_text())
    assert anonymous["learner"] is None
    assert anonymous["evaluation"] == {"version": FORM.version, "answers": {
        "relevance": 5, "balance": 2, "balance-where": "Lesson 04",
        "change": "Ask <every> client & 'family' about bladder symptoms."}}
    page.name.value = "Sam Example"
    named = json.loads(page.export("json").read_text())
    assert named["learner"] == "Sam Example" and "evaluation" not in named
    assert "evaluation" not in page.export("csv").read_text()  # the CSV stays importable


def test_the_cli_export_carries_the_evaluation_anonymously(tmp_path, monkeypatch):
    from kapcourse.cli import main

    store = saved_evaluation(tmp_path)
    monkeypatch.setenv("KAPCOURSE_PROGRESS", str(store.path))
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "--output", str(out)]) == 0
    (export,) = [json.loads(p.read_text()) for p in out.glob("*.json")]
    assert export["evaluation"]["answers"]["relevance"] == 5


def test_the_record_quotes_the_commitment_only_when_chosen(tmp_path):
    from kapcourse.pages.progress import MyProgress

    page = MyProgress(root=ROOT, store=saved_evaluation(tmp_path), folder=tmp_path)
    page.record_name.value = "Sam Example"
    html_text = page.save_record("html").read_text()
    assert "My commitment to change" in html_text
    assert "Ask &lt;every&gt; client &amp; &#x27;family&#x27; about bladder symptoms." in html_text
    pdf = PdfReader(io.BytesIO(page.save_record("pdf").read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Ask <every> client & 'family' about bladder symptoms." in text

    off = MyProgress(root=ROOT, store=saved_evaluation(tmp_path / "off", False), folder=tmp_path)
    off.record_name.value = "Sam Example"
    assert "My commitment to change" not in off.save_record("html").read_text()


# --- the cohort summary -----------------------------------------------------------------------


def export_with(answers: dict | None, learner=None) -> dict:
    export = make_export({"items": {}}, "0.0-test", learner)
    saved = None if answers is None else {"answers": answers}
    add_to_export(export, saved, FORM)
    return export


def test_add_to_export_leaves_out_a_named_or_empty_evaluation():
    assert "evaluation" not in export_with({"relevance": 4}, learner="Sam")
    assert "evaluation" not in export_with({})
    assert "evaluation" not in export_with(None)
    assert export_with({"relevance": 4})["evaluation"] == {"version": 1,
                                                           "answers": {"relevance": 4}}


def test_summary_counts_likert_answers_and_shuffles_free_texts():
    texts = [f"comment {n}" for n in range(8)]
    exports = [export_with({"relevance": 1 + n % 5, "improve": texts[n]}) for n in range(8)]
    exports.append(export_with(None))  # no evaluation: not counted
    exports.append({"evaluation": {"version": 1, "answers": {"relevance": 7}}})  # unreadable
    exports.append({"evaluation": {"version": 99, "answers": {}}})  # another version
    summary = summarise(exports, FORM, random.Random(3))
    assert (summary.n, summary.skipped, summary.small) == (8, 2, False)
    assert summary.counts["relevance"] == [2, 2, 2, 1, 1]
    assert sorted(summary.texts["improve"]) == texts
    assert summary.texts["improve"] != texts  # not in the order of the files


def test_the_report_files_escape_the_texts_and_say_when_n_is_small(tmp_path):
    exports = [export_with({"relevance": 4, "improve": "<script>x()</script> | **bold**"})]
    summary, (html_path, md_path) = write_summary(exports, FORM, tmp_path)
    page, md = html_path.read_text(), md_path.read_text()
    assert summary.n == 1 and "fewer than 5" in page and "fewer than 5" in md
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "\\<script\\>" in md and "\\*\\*bold\\*\\*" in md and "\\|" in md
    assert "1 (100%)" in page


def test_kapcourse_report_writes_the_evaluation_summary(tmp_path, monkeypatch, capsys):
    from kapcourse import __version__
    from kapcourse.cli import main

    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    for n in range(6):
        export = make_export({"items": {}}, __version__)  # no answers: no charts to draw
        add_to_export(export, {"answers": {"recommend": 4, "change": f"plan {n}"}}, FORM)
        (tmp_path / f"e{n}.json").write_text(json.dumps(export))
    assert main(["report", str(tmp_path), "--output", str(tmp_path / "report")]) == 0
    assert "Course evaluations: 6" in capsys.readouterr().out
    page = (tmp_path / "report" / "evaluation.html").read_text()
    assert "fewer than" not in page and all(f"plan {n}" in page for n in range(6))


# --- one truth: the book's script reads the form, limits and messages from Python -------------


def test_the_evaluation_script_has_no_copy_of_the_rules():
    from kapcourse.record.evaluation import MESSAGES, STORAGE_KEY

    from .test_one_truth import fragments

    script = (ROOT / "_static" / "kapeval.js").read_text(encoding="utf-8")
    assert not [f for f in fragments(MESSAGES.values()) if f in script]
    assert str(MAX_ANSWER) not in script and STORAGE_KEY not in script
    assert not [q.text for q in FORM.questions if q.text in script]


@pytest.mark.skipif(not (BUILT / "index.html").exists() and not os.environ.get("CI"),
                    reason="needs the built book (make test builds it first; CI never skips)")
def test_the_book_loads_the_evaluation_script_and_form_where_used():
    from kapcourse.record.evaluation import form_json

    course = (BUILT / "_static" / "kapquiz-data" / "course.js").read_text(encoding="utf-8")
    assert f"window.kapcourseEvaluation = {json.dumps(form_json(FORM), ensure_ascii=False)};" \
        in course.replace("<\\/", "</")
    for name in ("evaluation", "progress"):
        page = (BUILT / "book" / f"{name}.html").read_text(encoding="utf-8")
        assert "kapeval.js" in page and "kapquiz-data/course.js" in page, name
    lesson = (BUILT / "notebooks" / "01_what_is_ketamine.html").read_text(encoding="utf-8")
    assert "kapeval.js" not in lesson
