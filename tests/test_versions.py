"""Course updates never strand a learner's answers (issue #16), in the kernel and the tools:
files made with release 0.2.0 (tests/fixtures/v0.2.0) load, upgrade and keep every answer;
a changed question's answer is kept and flagged and leaves the scores until answered again;
a removed question's answer stays in exports; a renamed lesson keeps its answers; and
`kapcourse report` pools exports of different course versions question by question."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
import yaml

from kapcourse.bank.model import fingerprint, load_bank
from kapcourse.cli import main
from kapcourse.record import versions
from kapcourse.record.final import read_course
from kapcourse.record.results import make_export, read_export
from kapcourse.record.store import ProgressStore
from kapcourse.record.summary import course_structure, known_questions, parse_import
from kapcourse.workshop.report import analyse, pool

from .conftest import FIXTURE_COURSE, FIXTURES, ROOT

V020 = FIXTURES / "v0.2.0"
FIELDS = ("bank", "attempts", "first_correct", "correct", "first", "last", "first_response",
          "last_response")


@pytest.fixture(scope="module")
def course() -> versions.Tables:
    return versions.tables(ROOT)


def same_answers(before: dict, after: dict) -> None:
    """Every answer of ``before`` is in ``after`` with every field it had."""
    assert sorted(after) == sorted(before)
    for item_id, entry in before.items():
        assert {k: after[item_id].get(k) for k in FIELDS if k in entry} == \
            {k: entry[k] for k in FIELDS if k in entry}, item_id


def check_fingerprints(items: dict, course: versions.Tables) -> None:
    """Each version 1 answer got its question's 0.2.0 fingerprint, and it is flagged exactly
    when the question changed since 0.2.0, or removed when it left the course (0.2.0's final
    reused lesson items under final- ids; the final is now written for itself)."""
    for item_id, entry in items.items():
        assert entry["fp"] == course.legacy[item_id]
        if item_id not in course.current:
            assert versions.answer_state(item_id, entry, course.current) == "removed"
            continue
        changed = course.legacy[item_id] != course.current[item_id]
        assert versions.answer_state(item_id, entry, course.current) == (
            "changed" if changed else "current")


# --- fingerprints ---------------------------------------------------------------------------


def test_a_fingerprint_follows_what_an_answer_refers_to():
    bank = load_bank(FIXTURE_COURSE / "quizzes" / "01_sample.yml")
    single = bank.item("fx-single")
    numeric = bank.item("fx-numeric")
    same = fingerprint(single)
    options = list(single.options)
    options[0] = dataclasses.replace(options[0], feedback="Reworded feedback.")
    assert fingerprint(dataclasses.replace(single, options=tuple(options))) == same
    assert fingerprint(dataclasses.replace(single, explanation="New explanation.")) == same
    assert fingerprint(dataclasses.replace(single, cite=("other",))) == same
    assert fingerprint(dataclasses.replace(single, id="fx-renamed")) == same  # renames keep it
    options[0] = dataclasses.replace(options[0], text="A new option")
    assert fingerprint(dataclasses.replace(single, options=tuple(options))) != same
    options = list(single.options)
    options[0] = dataclasses.replace(options[0], correct=not options[0].correct)
    assert fingerprint(dataclasses.replace(single, options=tuple(options))) != same
    assert fingerprint(dataclasses.replace(single, prompt="Another prompt")) != same
    assert fingerprint(dataclasses.replace(numeric, answer=float(numeric.answer) + 1)) != \
        fingerprint(numeric)
    assert fingerprint(dataclasses.replace(numeric, answer=int(numeric.answer))) == \
        fingerprint(numeric)  # 35 and 35.0 are the same key
    assert len(same) == 16 and versions.FP.fullmatch(same)


def test_the_kept_fingerprints_of_020_are_those_of_its_questions():
    data = json.loads((ROOT / versions.FINGERPRINTS / "0.2.0.json").read_text())
    assert data["release"] == "0.2.0" and len(data["fingerprints"]) == 181
    kept = json.loads((V020 / "progress.json").read_text())["items"]
    assert set(kept) <= set(data["fingerprints"])


def test_kapcourse_fingerprints_writes_a_release_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    out = tmp_path / "9.9.9.json"
    assert main(["fingerprints", "--release", "9.9.9", "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["release"] == "9.9.9"
    assert data["fingerprints"] == versions.course_fingerprints(ROOT)
    assert "9.9.9" in capsys.readouterr().out


# --- files made with release 0.2.0 ----------------------------------------------------------


def test_the_020_progress_file_loads_and_keeps_every_answer(tmp_path, course, monkeypatch):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    before = json.loads((V020 / "progress.json").read_text())
    assert before["version"] == 1
    path = tmp_path / "progress.json"
    shutil.copy(V020 / "progress.json", path)
    store = ProgressStore(path)
    data = store.load()
    assert store.warning == "" and data["version"] == 2
    same_answers(before["items"], data["items"])
    check_fingerprints(data["items"], course)
    assert json.loads(path.read_text()) == before  # nothing is rewritten by reading
    changed = versions.changed(data["items"], course.current)
    assert changed  # the December 2026 clinical review changed some of these questions
    assert sorted(store.scored_items()) == sorted(set(before["items"]) - set(changed))
    # the next answer writes version 2 and keeps every other answer
    store.record("07_practice", "l07-telehealth", True, 0, course.current["l07-telehealth"])
    written = json.loads(path.read_text())
    assert written["version"] == 2
    same_answers(before["items"], {k: v for k, v in written["items"].items()
                                   if k != "l07-telehealth"})


@pytest.mark.parametrize("name", ["book-export.json", "book-export.csv", "browser-storage.json"])
def test_the_020_book_files_import_with_every_answer(name, course, monkeypatch):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    known = known_questions(course_structure(ROOT), read_course(ROOT).final)
    items = parse_import((V020 / name).read_text(encoding="utf-8"), known, course)
    exported = json.loads((V020 / "book-export.json").read_text())["items"]
    expected = {k: {f: v for f, v in e.items() if not f.endswith("_response")}
                for k, e in exported.items()} if name.endswith(".csv") else exported
    same_answers(expected, items)
    check_fingerprints(items, course)


def test_a_020_export_is_read_as_version_2(course):
    export = read_export(V020 / "book-export.json", course)
    assert export["version"] == 2 and export["course_version"] == "0.2.0"
    check_fingerprints(export["items"], course)


def test_report_pools_exports_of_020_and_now_and_says_what_it_set_aside(
        tmp_path, course, monkeypatch, capsys):
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(V020 / "book-export.json", folder / "a-020.json")
    old = json.loads((V020 / "book-export.json").read_text())["items"]
    still = [i for i in old if i in course.current]  # 0.2.0's reused final questions left
    now = {item_id: {**old[item_id], "fp": course.current[item_id]} for item_id in still}
    (folder / "b-now.json").write_text(json.dumps(make_export({"items": now}, "0.3.0")))
    banks = read_course(ROOT).banks
    pooled = pool(sorted(folder.glob("*.json")), "0.3.0", banks, None, None, course)
    changed = [i for i in still if course.legacy[i] != course.current[i]]
    assert pooled.skipped == [] and len(pooled.exports) == 2
    assert pooled.changed == len(changed) and pooled.removed == len(old) - len(still) > 0
    assert pooled.versions == {"0.2.0": 1, "0.3.0": 1}
    stats = {item.id: item for item in analyse(pooled, banks).items}
    for item_id in still:  # question by question: the 0.2.0 answer only where it still applies
        assert stats[item_id].learners == (1 if item_id in changed else 2), item_id
    assert main(["report", str(folder), "--output", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert f"Answers set aside because their question changed since: {len(changed)}" in out
    assert "0.2.0 (1), 0.3.0 (1)" in out
    assert f"changed since: {len(changed)}" in (tmp_path / "out" / "report.md").read_text()


# --- a fixture course changes: a question changes, one leaves, the lesson is renamed -------


def _release(course_folder: Path) -> dict:
    """Answer every fixture question with the current code; returns the saved items."""
    from kapcourse import Lesson

    store = ProgressStore(course_folder / "progress.json")
    lesson = Lesson("01_sample", root=course_folder, store=store)
    view = lesson.quiz("fx-single", "fx-multiple", "fx-truefalse")._make_view()
    view.view("fx-truefalse").answer.value = True
    view.view("fx-truefalse").check.click()
    single = view.view("fx-single")
    single.answer.value = next(i for i, o in enumerate(single.question.options) if o.correct)
    single.check.click()
    return store.load()["items"]


@pytest.fixture
def changed_course(tmp_path, monkeypatch):
    """The fixture course answered, then released again: fx-single's prompt changed,
    fx-truefalse removed, lesson 01_sample renamed 02_sample (in the migration table)."""
    folder = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, folder)
    (folder / "_config.yml").write_text("title: fixture\n")
    monkeypatch.setenv("KAPCOURSE_ROOT", str(folder))
    before = _release(folder)
    assert {e["fp"] for e in before.values()} <= set(versions.course_fingerprints(folder).values())
    main(["fingerprints", "--release", "0.1.0"])  # what the "old" release kept
    bank = yaml.safe_load((folder / "quizzes" / "01_sample.yml").read_text())
    bank["items"] = [i for i in bank["items"] if i["id"] != "fx-truefalse"]
    next(i for i in bank["items"] if i["id"] == "fx-single")["prompt"] = "Which colour is the sea?"
    (folder / "quizzes" / "02_sample.yml").write_text(yaml.safe_dump(bank, sort_keys=False))
    (folder / "quizzes" / "01_sample.yml").unlink()
    (folder / "notebooks" / "01_sample.ipynb").rename(folder / "notebooks" / "02_sample.ipynb")
    (folder / "quizzes" / "migrations.yml").write_text(
        "banks:\n  - {from: 01_sample, to: 02_sample, release: 0.2.0}\nquestions: []\n")
    return folder, before


def test_a_changed_question_removed_question_and_renamed_lesson_keep_every_answer(
        changed_course):
    folder, before = changed_course
    store = ProgressStore(folder / "progress.json")
    items = store.load()["items"]
    assert sorted(items) == sorted(before)  # every answer kept
    assert {e["bank"] for e in items.values()} == {"02_sample"}  # followed the rename
    current = versions.course_tables().current
    assert versions.answer_state("fx-single", items["fx-single"], current) == "changed"
    assert versions.answer_state("fx-truefalse", items["fx-truefalse"], current) == "removed"
    assert "fx-truefalse" in versions.course_tables().retired
    assert store.bank_score("02_sample", ["fx-single"]) == (0, 1)  # not counted until answered
    export = make_export(store.load(), "0.2.0")
    assert set(export["items"]) == {"fx-single", "fx-truefalse"}  # the removed one too
    assert export["items"]["fx-single"]["fp"] == before["fx-single"]["fp"]


def test_the_widget_flags_a_changed_question_and_counts_it_once_answered_again(changed_course):
    from kapcourse import Lesson

    folder, before = changed_course
    store = ProgressStore(folder / "progress.json")
    view = Lesson("02_sample", root=folder, store=store).quiz("fx-single")._make_view()
    single = view.view("fx-single")
    assert "This question changed since you answered it." in single.result.value
    assert single.answer.value is None  # the old answer is not shown on the new question
    single.answer.value = next(i for i, o in enumerate(single.question.options) if o.correct)
    single.check.click()
    saved = store.load()["items"]["fx-single"]
    assert saved["fp"] == fingerprint(single.question) != before["fx-single"]["fp"]
    assert saved["attempts"] == 1 and saved["bank"] == "02_sample"
    assert store.bank_score("02_sample", ["fx-single"]) == (1, 1)
    assert "fx-truefalse" in store.load()["items"]  # the removed question's answer stays


def test_my_progress_lists_changed_answers_escaped(changed_course):
    from kapcourse.pages.progress import changed_html

    folder, _ = changed_course
    items = ProgressStore(folder / "progress.json").load()["items"]
    page = changed_html(items)
    assert "This question changed since you answered it." in page and "fx-single" in page
    assert "fx-truefalse" not in page  # removed, not changed
    items["fx-single"]["bank"] = "<b>x</b>"
    assert "&lt;b&gt;x&lt;/b&gt;" in changed_html(items)


# --- the migration table --------------------------------------------------------------------


def write_table(folder: Path, text: str) -> Path:
    (folder / "quizzes").mkdir(parents=True, exist_ok=True)
    path = folder / "quizzes" / "migrations.yml"
    path.write_text(text)
    return path


def test_the_real_table_is_the_agreed_one():
    """The other branch creates the same file: identical content merges cleanly."""
    assert (ROOT / versions.MIGRATIONS).read_text() == (
        "# Renamed lessons (banks) and questions, so that learners' saved answers follow them.\n"
        "# Never edit or remove an entry once released: see CONTRIBUTING.md.\n"
        "banks:\n"
        "  - {from: 08_case_studies, to: 09_case_studies, release: 0.3.0}\n"
        "questions: []\n")


@pytest.mark.parametrize(("text", "errors", "pending"), [
    ("banks:\n  - {from: a_old, to: a_new, release: 0.3.0}\nquestions: []\n", [], []),
    ("banks:\n  - {from: a_new, to: b_new, release: 0.3.0}\nquestions: []\n", [],
     ["quizzes/migrations.yml:2:5: banks[0].to: lesson 'b_new' does not exist yet and "
      "'a_new' still does: the rename is not applied until it lands"]),
    ("banks:\n  - {from: gone, to: nowhere, release: 0.3.0}\nquestions: []\n",
     ["quizzes/migrations.yml:2:5: banks[0].to: lesson 'nowhere' does not exist, nor does "
      "'gone': answers renamed to it would belong to no lesson. Add it, or fix the entry"], []),
    ("banks: []\nquestions:\n  - {from: q-1, to: q-2, release: 0.3.0}\n"
     "  - {from: q-2, to: q-1, release: 0.3.0}\n",
     ["quizzes/migrations.yml:3:3: questions: the renames of 'q-1' go round in a cycle",
      "quizzes/migrations.yml:3:3: questions: the renames of 'q-2' go round in a cycle"], []),
    ("banks: []\nquestions:\n  - {from: q-0, to: q-1, release: 0.3.0}\n"
     "  - {from: q-0, to: q-2, release: 0.3.0}\n",
     ["quizzes/migrations.yml:4:5: questions[1]: 'q-0' is renamed twice"], []),
    ("banks:\n  - {from: a_old, to: a_new, release: soon}\nquestions: []\n",
     ["quizzes/migrations.yml:2:39: banks[0].release: the release that renamed it, such as "
      "0.3.0"], []),
    ("banks: []\n", ["quizzes/migrations.yml:1:1: missing required key 'questions'"], []),
])
def test_validate_checks_the_migration_table(tmp_path, text, errors, pending):
    write_table(tmp_path, text)
    found, waiting = versions.migration_problems(tmp_path, {"a_new"}, {"q-1", "q-2"})
    assert [str(p) for p in found] == errors
    assert [str(p) for p in waiting] == pending


def test_a_pending_rename_is_not_applied(tmp_path):
    """On a branch where the renamed lesson does not exist yet, answers stay where they are."""
    folder = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, folder)
    write_table(folder, "banks:\n  - {from: 01_sample, to: 09_sample, release: 0.3.0}\n"
                        "questions: []\n")
    assert versions.tables(folder).banks == {}
    write_table(folder, "banks:\n  - {from: 00_sample, to: 01_sample, release: 0.3.0}\n"
                        "questions: []\n")
    assert versions.tables(folder).banks == {"00_sample": "01_sample"}


def test_the_course_validates_with_its_rename_applied(capsys, monkeypatch):
    """08_case_studies became 09_case_studies in 0.3.0 (a new lesson 08): the table's target
    exists, so validate has nothing to say about it, and 0.2.0's answers follow the rename."""
    monkeypatch.setenv("KAPCOURSE_ROOT", str(ROOT))
    assert main(["validate", "--today", "2026-12-01"]) == 0
    assert "migrations.yml" not in capsys.readouterr().err
    assert (ROOT / "quizzes" / "09_case_studies.yml").is_file()
    assert not (ROOT / "quizzes" / "08_case_studies.yml").exists()


def test_a_lesson_rename_alone_copies_only_the_renamed_records_and_sorts_them():
    """With no question renamed, migrate takes its short way (#19: a report runs it on every
    export); it must give what the general way gives: records sorted by id, a renamed
    lesson's records under its new name, and the caller's records untouched."""
    items = {"q2": {"bank": "old_lesson", "last": "2026-11-01"},
             "q1": {"bank": "kept_lesson", "last": "2026-11-02"}}
    lesson_only = versions.Tables(banks={"old_lesson": "new_lesson"})
    moved = versions.migrate(items, lesson_only)
    assert list(moved) == ["q1", "q2"]
    assert moved["q2"]["bank"] == "new_lesson" and moved["q1"] is items["q1"]
    assert items["q2"]["bank"] == "old_lesson"  # copied, not changed in place
    # the general way (a question rename that touches none of these ids) agrees
    general = versions.Tables(banks=lesson_only.banks, questions={"gone": "q9"})
    assert versions.migrate(items, general) == moved
