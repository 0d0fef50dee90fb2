"""Workshop tools: agendas timed from lesson metadata, answer keys from the banks, and the
facilitator's report notebook."""

from __future__ import annotations

import json
import os

import nbformat
import pytest
from nbclient import NotebookClient

from kapcourse.bank.markdown import inline
from kapcourse.bank.model import BankError, load_bank
from kapcourse.record.results import make_export, write_export
from kapcourse.workshop.facilitator import AGENDA, agenda_markdown, answer_key_html, load_plans

from .conftest import ROOT
from .test_report import COHORT, learner


@pytest.fixture
def course(real_course_copy):
    """A copy of the course whose lesson metadata the test may change (its quizzes must stay
    as they are: see conftest), without _config.yml."""
    (real_course_copy / "_config.yml").unlink()
    return real_course_copy


def test_agenda_times_come_from_lesson_metadata(course):
    before = load_plans(course)["one-day"]
    lesson_01 = next(slot for slot in before.slots if slot.lesson == "01_what_is_ketamine")
    path = course / "notebooks" / "01_what_is_ketamine.ipynb"
    notebook = json.loads(path.read_text())
    assert lesson_01.minutes == notebook["metadata"]["kapcourse"]["minutes"]
    notebook["metadata"]["kapcourse"]["minutes"] += 20
    path.write_text(json.dumps(notebook))
    after = load_plans(course)["one-day"]
    assert sum(s.minutes for s in after.slots) == sum(s.minutes for s in before.slots) + 20
    assert after.slots[-1].end.hour * 60 + after.slots[-1].end.minute == (
        before.slots[-1].end.hour * 60 + before.slots[-1].end.minute + 20)


def test_agenda_table_names_titles_times_and_live_quizzes():
    table = agenda_markdown(load_plans(ROOT)["one-day"])
    assert "| 09:00 to 09:15 | Welcome" in table
    assert "[Lesson 05: Is ketamine safe for continued use?]" in table
    assert "`l05-red-flags`" in table
    assert "Before the workshop, self-paced:" in table


def test_agenda_errors_name_file_line_and_key(course):
    agenda = course / AGENDA
    agenda.write_text(agenda.read_text().replace("live: [l01-case-rebuild]",
                                                 "live: [l01-no-such-item]"))
    with pytest.raises(BankError) as caught:
        load_plans(course)
    message = str(caught.value)
    assert message.startswith("book/facilitator/agenda.yml:")
    assert "one-day.blocks.1.live: 'l01-no-such-item' is not an item of 01_what_is_ketamine" \
        in message


def test_answer_key_marks_the_right_answers():
    from kapcourse.bank.course import bibliography

    bank = load_bank(ROOT / "quizzes" / "01_what_is_ketamine.yml")
    page = answer_key_html(bank, bibliography(ROOT))
    for question in bank.questions:
        assert f"<h3>{question.id}</h3>" in page
    for question in (q for q in bank.questions if q.type == "single"):
        right = next(o for o in question.options if o.correct)
        wrong = next(o for o in question.options if not o.correct)
        assert f"<strong>✓ {inline(right.text)}</strong>" in page
        assert f"<strong>✓ {inline(wrong.text)}</strong>" not in page
    assert "not for learners before they have answered" in page


def test_answer_keys_are_not_in_the_book():
    toc = (ROOT / "_toc.yml").read_text()
    assert "answer" not in toc.lower()


def test_report_notebook_runs_on_a_workshop_folder(tmp_path, monkeypatch):
    folder = tmp_path / "results"
    folder.mkdir()
    for wrong in COHORT.values():
        export = make_export(learner(wrong), __import__("kapcourse").__version__)
        write_export(export, folder)
    (folder / "broken.json").write_text("{")
    notebook = nbformat.read(ROOT / "book" / "facilitator" / "workshop_report.ipynb", 4)
    monkeypatch.setenv("KAPCOURSE_RESULTS", str(folder))
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT / "tests" / "fixtures" / "course"))
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=dict(os.environ))
    text = json.dumps([cell.get("outputs", []) for cell in notebook.cells])
    assert "4 learners; report written to" in text
    assert "skipped" in text and "broken.json" in text
    assert "image/png" in text  # the charts are shown
    assert (folder / "report" / "report.html").exists()
