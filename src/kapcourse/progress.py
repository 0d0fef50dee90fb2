"""The learner's saved progress in JupyterLab: one JSON file per learner.

Writes are atomic (temporary file + ``os.replace``) and serialised with a lock file, so two
notebooks answering at once never lose an answer. A corrupt file is kept as a backup, a fresh
one is started, and the caller gets a warning to show: never a crash, never silent loss.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FORMAT = "kapcourse-progress"
VERSION = 1


def default_path() -> Path:
    """``$KAPCOURSE_PROGRESS``, else ``~/.kapcourse/progress[-<hub user>].json``."""
    if os.environ.get("KAPCOURSE_PROGRESS"):
        return Path(os.environ["KAPCOURSE_PROGRESS"]).expanduser()
    user = os.environ.get("JUPYTERHUB_USER", "")
    name = f"progress-{user}.json" if user else "progress.json"
    return Path.home() / ".kapcourse" / name


def empty() -> dict:
    return {"format": FORMAT, "version": VERSION, "items": {}}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass
class ProgressStore:
    """Read and record answers in one progress file."""

    path: Path
    warning: str = ""  # set when a corrupt file was backed up; the view shows it

    @classmethod
    def default(cls) -> ProgressStore:
        return cls(default_path())

    @contextlib.contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def load(self) -> dict:
        """The saved progress (a fresh record if there is none or it was corrupt)."""
        with self._locked():
            return self._read()

    def _read(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty()
        try:
            data = json.loads(text)
            if not _well_formed(data):
                raise ValueError("not a kapcourse progress file")
        except ValueError:
            backup = self.path.with_name(
                f"{self.path.name}.corrupt-{dt.datetime.now().strftime('%Y%m%dT%H%M%S%f')}")
            os.replace(self.path, backup)
            self.warning = (f"Your progress file could not be read, so it was kept as "
                            f"{backup} and a new one was started.")
            return empty()
        return data

    def record(self, bank: str, item_id: str, correct: bool, response) -> dict:
        """Record one graded attempt; returns the item's updated record."""
        with self._locked():
            data = self._read()
            entry = data["items"].setdefault(item_id, {
                "bank": bank, "attempts": 0, "first_correct": correct,
                "first_response": response, "first": _now()})
            entry["attempts"] += 1
            entry.update(correct=correct, last_response=response, last=_now())
            self._write(data)
            return dict(entry)

    def _write(self, data: dict) -> None:
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise

    def merge(self, incoming: dict) -> int:
        """Merge imported answers (see summary.merge); returns how many were imported."""
        from .summary import merge

        with self._locked():
            data = self._read()
            data["items"] = merge(data["items"], incoming)
            self._write(data)
        return len(incoming)

    def remove_bank(self, bank: str) -> int:
        """Forget every answer saved for ``bank`` (a new final-assessment attempt)."""
        with self._locked():
            data = self._read()
            kept = {k: v for k, v in data["items"].items() if v.get("bank") != bank}
            removed = len(data["items"]) - len(kept)
            data["items"] = kept
            self._write(data)
        return removed

    def bank_score(self, bank: str, item_ids: list[str]) -> tuple[int, int]:
        """(items answered correctly at the latest attempt, items in the bank)."""
        items = self.load()["items"]
        right = sum(1 for i in item_ids if items.get(i, {}).get("correct"))
        return right, len(item_ids)


def _well_formed(data) -> bool:
    return (isinstance(data, dict) and data.get("format") == FORMAT
            and isinstance(data.get("items"), dict)
            and all(isinstance(v, dict) and isinstance(v.get("attempts"), int)
                    for v in data["items"].values()))
