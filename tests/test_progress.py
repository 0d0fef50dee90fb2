"""The JupyterLab progress store: atomic, safe under concurrent writers, never loses data."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from kapcourse.record import store as progress
from kapcourse.record.store import ProgressStore


def test_records_attempts_and_first_try(isolated_progress):
    store = ProgressStore(isolated_progress)
    store.record("01_sample", "fx-single", False, 1)
    entry = store.record("01_sample", "fx-single", True, 0)
    assert entry["attempts"] == 2
    assert entry["first_correct"] is False and entry["correct"] is True
    assert entry["first_response"] == 1 and entry["last_response"] == 0
    assert store.bank_score("01_sample", ["fx-single", "fx-multiple"]) == (1, 2)
    saved = json.loads(isolated_progress.read_text())
    assert saved["format"] == "kapcourse-progress" and "fx-single" in saved["items"]


@pytest.mark.parametrize("garbage", ["{not json", "[]", '{"format": "other", "items": {}}',
                                     '{"format": "kapcourse-progress", "items": {"x": 3}}'])
def test_corrupt_file_is_backed_up_with_a_warning(isolated_progress, garbage):
    isolated_progress.parent.mkdir(parents=True)
    isolated_progress.write_text(garbage)
    store = ProgressStore(isolated_progress)
    store.record("01_sample", "fx-single", True, 0)
    backups = list(isolated_progress.parent.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == garbage
    assert "could not be read" in store.warning and str(backups[0]) in store.warning
    assert store.load()["items"]["fx-single"]["correct"] is True


def _answer_many(path, worker, count):
    store = ProgressStore(path)
    for index in range(count):
        store.record("01_sample", f"w{worker}-q{index}", True, index)


def test_concurrent_writers_lose_nothing(isolated_progress):
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_answer_many, args=(isolated_progress, w, 25))
               for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    items = ProgressStore(isolated_progress).load()["items"]
    assert len(items) == 100


def test_interrupted_write_keeps_the_previous_file(isolated_progress, monkeypatch):
    store = ProgressStore(isolated_progress)
    store.record("01_sample", "fx-single", True, 0)
    before = isolated_progress.read_text()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # e.g. the kernel is interrupted mid-write

    monkeypatch.setattr(progress.json, "dump", crash)
    with pytest.raises(KeyboardInterrupt):
        store.record("01_sample", "fx-multiple", True, [0, 1])
    assert isolated_progress.read_text() == before
    assert not list(isolated_progress.parent.glob(".progress-*.tmp"))


def test_hub_users_get_separate_files(monkeypatch, tmp_path):
    monkeypatch.delenv("KAPCOURSE_PROGRESS")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    assert progress.default_path() == tmp_path / ".kapcourse" / "progress-alice.json"
