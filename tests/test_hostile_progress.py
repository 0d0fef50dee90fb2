"""Hostile and broken progress files in JupyterLab (security review 2026-12: C1, M3, M4, m3,
m4, m8, m18): the learner always gets a working page and a reason, never loses answers."""

from __future__ import annotations

import datetime as dt
import errno
import json
import multiprocessing
import os
import random
import re
import stat
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kapcourse
from kapcourse import cli
from kapcourse.record import store as progress
from kapcourse.record.store import ProgressStore
from kapcourse.record.summary import LessonInfo

from .conftest import FIXTURE_COURSE, ROOT

# The folder holding the kapcourse under test (src/), for subprocesses: a module deeper in the
# package would give src/kapcourse/, and the subprocess would import the installed copy.
SOURCE = str(Path(kapcourse.__file__).parents[1])
WIDGET = "application/vnd.jupyter.widget-view+json"
WHEN = "2026-11-01T10:00:00+00:00"
C1_PAYLOADS = ["<style x='", "'onload='`", "`;__p=1'"]


def entry(bank="01_sample", **changes) -> dict:
    return {"bank": bank, "attempts": 1, "first_correct": True, "correct": True,
            "first": WHEN, "last": WHEN, "first_response": 0, "last_response": 0, **changes}


def progress_file(items: dict) -> str:
    return json.dumps({"format": "kapcourse-progress", "version": 1, "items": items})


class _Tags(HTMLParser):
    """Every element and attribute in a fragment, as a browser's parser would see them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


SAFE_TAGS = {"div", "table", "tr", "th", "td", "a", "h2", "h3", "ol", "ul", "li", "p", "strong"}
SAFE_ATTRIBUTES = {"class", "role", "aria-label", "tabindex", "href"}


def live_markup(fragment: str) -> list:
    """Elements or attributes that the page's own markup never uses (a style, a script, an
    event handler, a javascript: link)."""
    parser = _Tags()
    parser.feed(fragment)
    parser.close()  # a tag left open by a payload is still a tag to a browser:
    unclosed = re.findall(r"<(?:script|style|img|svg)", fragment, re.IGNORECASE)
    return unclosed + [(tag, attrs) for tag, attrs in parser.tags if tag not in SAFE_TAGS or any(
        name not in SAFE_ATTRIBUTES or "script" in (value or "") for name, value in attrs)]


def displayed(obj) -> dict:
    """What JupyterLab receives: IPython's display formatter (it swallows exceptions)."""
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(obj)
    return data


# --- C1: the "Last worked on" column -----------------------------------------------------------


def test_c1_last_worked_on_is_escaped_in_the_table():
    from kapcourse.pages.progress import table_html

    lessons = [LessonInfo(f"0{n}_l", f"Lesson {n}", (f"q{n}",), ()) for n in (1, 2, 3)]
    items = {f"q{n}": entry(f"0{n}_l", last=last) for n, last in zip((1, 2, 3), C1_PAYLOADS,
                                                                     strict=True)}
    page = table_html(items, lessons)
    assert live_markup(page) == []
    assert "&lt;style x=&#39;" in page  # shown as text, not dropped
    script = table_html({"q1": entry("01_l", last="<script>window.__p=1</script>")}, lessons)
    assert live_markup(script) == [] and "<script" not in script


def test_c1_my_progress_page_shows_no_live_markup(isolated_progress):
    from kapcourse.pages.progress import MyProgress

    isolated_progress.parent.mkdir(parents=True)
    isolated_progress.write_text(progress_file(
        {"fx-single": entry(last="<script>__p=1</script>"), "fx-numeric": entry()}))
    page = MyProgress(root=FIXTURE_COURSE, store=ProgressStore(isolated_progress))
    assert live_markup(page.summary.value) == []


# --- M3: ill-typed records are set aside, the rest works ---------------------------------------


@pytest.mark.parametrize("bad", [{"last": 5}, {"last": {}}, {"first": {}}, {"attempts": True},
                                 {"correct": "yes"}, {"last_response": {"a": 1}}])
def test_m3_an_ill_typed_record_is_set_aside_and_the_rest_kept(isolated_progress, bad):
    from kapcourse.pages.progress import MyProgress

    isolated_progress.parent.mkdir(parents=True)
    original = progress_file({"fx-single": entry(**bad), "fx-numeric": entry()})
    isolated_progress.write_text(original)
    store = ProgressStore(isolated_progress)
    page = MyProgress(root=FIXTURE_COURSE, store=store)  # the review: TypeError, every time
    assert "could not be read" in page.summary.value  # the learner sees why
    assert list(store.load()["items"]) == ["fx-numeric"]  # the other answer is kept
    (backup,) = isolated_progress.parent.glob("progress.json.corrupt-*")
    assert backup.read_text() == original and str(backup) in store.warning
    assert json.loads(isolated_progress.read_text())["items"].keys() == {"fx-numeric"}
    MyProgress(root=FIXTURE_COURSE, store=ProgressStore(isolated_progress))  # and next time


def test_m3_merge_of_an_ill_typed_record_raises_a_clear_error_and_writes_nothing(
        isolated_progress):
    store = ProgressStore(isolated_progress)
    store.record("01_sample", "fx-single", True, 0)
    before = isolated_progress.read_bytes()
    with pytest.raises(ValueError, match="fx-single"):  # the review: TypeError from merge
        store.merge({"fx-single": entry(first={})})
    assert isolated_progress.read_bytes() == before


# --- M4: not UTF-8, or nested too deeply ------------------------------------------------------

UNREADABLE = {
    "random bytes": random.Random(11).randbytes(4096),
    "UTF-16 JSON": progress_file({"fx-single": entry()}).encode("utf-16"),
    "one 0xFF byte": progress_file({"fx-single": entry()}).encode()
                     .replace(b"01_sample", b"01_sample\xff", 1),
    "100,000 [": b"[" * 100_000,
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_m4_unreadable_file_is_backed_up_and_every_quiz_works(isolated_progress, sample_lesson,
                                                              tmp_path, capsys, name):
    isolated_progress.parent.mkdir(parents=True)
    isolated_progress.write_bytes(UNREADABLE[name])
    store = sample_lesson.store
    assert store.load()["items"] == {}
    (backup,) = isolated_progress.parent.glob("progress.json.corrupt-*")
    assert backup.read_bytes() == UNREADABLE[name]
    assert "could not be read" in store.warning
    assert store.record("01_sample", "fx-single", True, 0)["attempts"] == 1
    assert WIDGET in displayed(sample_lesson.quiz("fx-single"))
    assert cli.main(["export", "--output", str(tmp_path)]) == 0
    assert "1 answered questions" in capsys.readouterr().out


# --- filelock: the package imports (and saves) where fcntl does not exist (Windows) ----------


def test_progress_works_without_fcntl(tmp_path):
    code = ("import sys; sys.modules['fcntl'] = None\n"
            "from pathlib import Path\n"
            "from kapcourse import Lesson\n"
            "from kapcourse.record.store import ProgressStore\n"
            f"store = ProgressStore(Path({str(tmp_path / 'p.json')!r}))\n"
            "store.record('01_sample', 'fx-single', True, 0)\n"
            "print(store.load()['items']['fx-single']['attempts'])\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": SOURCE}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "1"


def _answer_with_a_shared_question(path, worker, count):
    store = ProgressStore(path)
    for index in range(count):
        store.record("01_sample", f"w{worker}-q{index}", True, index)
        store.record("01_sample", "shared", index % 2 == 0, index)


def test_filelock_serialises_writers_on_one_question(isolated_progress):
    """The review's check of the old fcntl lock, repeated with filelock: no attempt lost."""
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_answer_with_a_shared_question,
                               args=(isolated_progress, w, 40)) for w in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    items = ProgressStore(isolated_progress).load()["items"]
    assert len(items) == 121 and items["shared"]["attempts"] == 120
    assert not list(isolated_progress.parent.glob(".progress-*.tmp"))


# --- m3: a location where nothing can be saved ----------------------------------------------


def test_m3_progress_path_is_a_folder(isolated_progress, sample_lesson, tmp_path, capsys):
    isolated_progress.mkdir(parents=True)
    store = sample_lesson.store
    assert store.load()["items"] == {} and "not a file" in store.warning
    quiz = displayed(sample_lesson.quiz("fx-single"))
    assert WIDGET in quiz  # the quiz still displays
    view = sample_lesson.quiz("fx-single").view
    view.view("fx-single").answer.value = 0
    view.view("fx-single").check.click()
    assert "not kept" in view.notice.value  # and says its answers are not saved
    assert cli.main(["export", "--output", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kapcourse: ") and "Traceback" not in err
    assert isolated_progress.is_dir() and not list(tmp_path.glob("kapcourse-results-*"))


class _ReadOnlyLock:
    """What a read-only mount does to the lock file (root can write through chmod 0500)."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        raise OSError(errno.EROFS, "Read-only file system", "progress.json.lock")

    def __exit__(self, *exc):
        return False


def test_m3_read_only_location_keeps_quizzes_working(isolated_progress, sample_lesson,
                                                     monkeypatch, tmp_path, capsys):
    store = sample_lesson.store
    store.record("01_sample", "fx-numeric", True, "35")
    monkeypatch.setattr(progress, "FileLock", _ReadOnlyLock, raising=False)
    assert "fx-numeric" in store.load()["items"]  # readable: the answers are still shown
    assert "cannot be saved" in store.warning and "Read-only file system" in store.warning
    assert store.record("01_sample", "fx-single", True, 0)["attempts"] == 1
    assert WIDGET in displayed(sample_lesson.quiz("fx-single"))
    assert cli.main(["export", "--output", str(tmp_path)]) == 0  # exporting needs no writing
    assert "1 answered questions" in capsys.readouterr().out


def test_m3_new_final_attempt_in_a_folder_location_warns(isolated_progress):
    isolated_progress.mkdir(parents=True)
    store = ProgressStore(isolated_progress)
    assert store.remove_bank("final") == 0  # the review: IsADirectoryError from the button
    assert "not a file" in store.warning


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root writes through file modes")
def test_m3_read_only_folder_for_real(isolated_progress, tmp_path, capsys):
    ProgressStore(isolated_progress).record("01_sample", "fx-numeric", True, "35")
    isolated_progress.parent.chmod(0o500)
    try:
        store = ProgressStore(isolated_progress)
        store.record("01_sample", "fx-single", True, 0)
        assert "cannot be saved" in store.warning
        assert list(store.load()["items"]) == ["fx-numeric"]
        assert cli.main(["export", "--output", str(tmp_path)]) == 0
    finally:
        isolated_progress.parent.chmod(0o700)


# --- m4: temporary files of a killed writer ---------------------------------------------------


def _write_and_hang(path):
    def hang(*args):
        time.sleep(120)

    progress.os.replace = hang  # the writer is killed between writing and renaming
    ProgressStore(path).record("01_sample", "fx-multiple", True, [0, 1])


def test_m4_temporary_files_of_a_killed_writer_are_removed(isolated_progress):
    store = ProgressStore(isolated_progress)
    store.record("01_sample", "fx-single", True, 0)
    writer = multiprocessing.get_context("fork").Process(target=_write_and_hang,
                                                         args=(isolated_progress,))
    writer.start()
    folder = isolated_progress.parent
    for _ in range(200):
        if list(folder.glob(".progress-*.tmp")):
            break
        time.sleep(0.05)
    writer.kill()  # SIGKILL: no cleanup runs
    writer.join()
    (leaked,) = folder.glob(".progress-*.tmp")
    fresh = folder / ".progress-another-writer.tmp"  # a concurrent write in progress
    fresh.write_text("{}")
    old = time.time() - 3600
    os.utime(leaked, (old, old))
    store.record("01_sample", "fx-numeric", True, "35")
    assert not leaked.exists() and fresh.exists()
    assert set(store.load()["items"]) == {"fx-single", "fx-numeric"}


# --- m18: who can read the learner's files ----------------------------------------------------


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_m18_progress_folder_lock_and_exports_are_private(monkeypatch, tmp_path):
    monkeypatch.delenv("KAPCOURSE_PROGRESS")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    previous = os.umask(0o022)
    try:
        ProgressStore.default().record("01_sample", "fx-single", True, 0)
        folder = tmp_path / ".kapcourse"
        assert mode(folder) == 0o700
        assert mode(folder / "progress.json") == 0o600
        assert mode(folder / "progress.json.lock") == 0o600
        out = tmp_path / "out"
        out.mkdir()
        assert cli.main(["export", "--output", str(out), "--name", "Sam"]) == 0
        (export,) = out.glob("kapcourse-results-*.json")
        assert mode(export) == 0o600
    finally:
        os.umask(previous)


def test_m18_my_progress_exports_and_records_are_private(tmp_path):
    from kapcourse.pages.progress import MyProgress

    from .course_data import everything_right

    previous = os.umask(0o022)
    try:
        store = ProgressStore(tmp_path / "p.json")
        store.merge(everything_right(ROOT)["items"])
        page = MyProgress(root=ROOT, store=store, folder=tmp_path)
        page.record_name.value = "Sam Example"
        written = [page.export("json"), page.export("csv"), page.save_record("html"),
                   page.save_record("pdf")]
        assert all(path is not None and mode(path) == 0o600 for path in written), written
        assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".progress-*"))
    finally:
        os.umask(previous)


# --- m8: a malformed CSV upload in JupyterLab --------------------------------------------------

HEADER = "lesson,item,attempts,first_correct,correct,first,last\n"


@pytest.mark.parametrize("content", [
    HEADER + "01_sample,fx-single,1\n",  # a short row
    HEADER + "01_sample\n",  # a row with only a lesson
    '{"format": "kapcourse-progress", "items": ' + "[" * 100_000,  # nested too deeply
    progress_file({"fx-single": entry(first={})}),  # passes the import check, breaks merge
])
def test_m8_malformed_upload_shows_a_reason_and_writes_nothing(tmp_path, content):
    from kapcourse.pages.progress import MyProgress

    store = ProgressStore(tmp_path / "p.json")
    store.record("01_sample", "fx-single", True, 0)
    before = (tmp_path / "p.json").read_bytes()
    page = MyProgress(root=FIXTURE_COURSE, store=store, folder=tmp_path)
    data = content.encode()
    page.upload.value = ({"name": "bad.csv", "type": "text/csv", "size": len(data),
                          "content": memoryview(data), "last_modified": dt.datetime(2026, 12, 1)},)
    assert page.import_uploaded() is False
    assert page.message.value.startswith("<p>Not imported: ")
    assert "has not been changed" in page.message.value
    assert (tmp_path / "p.json").read_bytes() == before
