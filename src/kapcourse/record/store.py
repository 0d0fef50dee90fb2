"""The learner's saved progress in JupyterLab: one JSON file per learner.

Writes are atomic (temporary file + ``os.replace``) and serialised with a lock file
(``filelock``, which works on Windows too), so two notebooks answering at once never lose an
answer. A corrupt file is kept as a backup, a fresh one is started, and the caller gets a
warning to show: never a crash, never silent loss. An answer record that is not well formed
is set aside the same way (the whole file is kept as a backup) and the other answers stay.
A location where nothing can be saved (read-only, or a folder where the file should be)
gives a warning too: quizzes still work, their answers are just not kept.

The folder, the lock and the progress file are readable by the learner only (0700/0600):
they hold the learner's answers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from kapcourse.record.files import PRIVATE_FILE, write_private
from kapcourse.record.rules import AnswerRecord, Items, merge, record_problem

FORMAT = "kapcourse-progress"
VERSION = 2  # kapcourse.record.versions.FORMAT_VERSION; version 1 files are upgraded when read
PRIVATE_FOLDER = 0o700
TEMP_PREFIX, TEMP_SUFFIX = ".progress-", ".tmp"
# A write takes milliseconds; a temporary file older than this was left by a killed writer.
STALE_TEMP_SECONDS = 60


class ProgressUnavailable(OSError):
    """The progress file exists but cannot be read (or backed up); the message says why."""


class MalformedEntry(ValueError):
    """An answer record to be merged is not well formed; the message names the question."""


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


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")


def os_reason(exc: OSError) -> str:
    """A short reason for a failed file operation, for a learner (no errno, no traceback)."""
    if isinstance(exc, ProgressUnavailable):
        return str(exc)
    return exc.strerror or str(exc) or exc.__class__.__name__


def _cannot_save(path: Path, exc: OSError) -> str:
    """The learner's warning when answers cannot be kept (the quiz still works)."""
    cause = (str(exc) if isinstance(exc, ProgressUnavailable) else
             f"Your progress cannot be saved in {path} ({os_reason(exc)}).")
    return (f"{cause} Answers you give now are not kept after this notebook closes. To keep "
            "them, set KAPCOURSE_PROGRESS to a file in a folder you can write to (or ask your "
            "course administrator), then restart the kernel.")


@dataclass
class ProgressStore:
    """Read and record answers in one progress file."""

    path: Path
    warning: str = ""  # set when a file was backed up or cannot be saved; the views show it

    @classmethod
    def default(cls) -> ProgressStore:
        return cls(default_path())

    @contextlib.contextmanager
    def _locked(self):
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        with FileLock(self.path.with_name(self.path.name + ".lock"), mode=PRIVATE_FILE):
            yield

    def read(self) -> dict:
        """The saved progress (a fresh record if there is none or it was corrupt); raises
        ProgressUnavailable when the file exists but cannot be read."""
        try:
            with self._locked():
                return self._read()
        except ProgressUnavailable:
            raise
        except OSError as exc:
            # Nothing can be written here (a read-only location, say). Reading needs no lock:
            # every write replaces the file atomically.
            self.warning = ""
            data = self._read(writable=False)
            self.warning = " ".join(filter(None, [self.warning, _cannot_save(self.path, exc)]))
            return data

    def load(self) -> dict:
        """The saved progress, or a fresh record (with a warning) if it cannot be read."""
        try:
            return self.read()
        except ProgressUnavailable as exc:
            self.warning = _cannot_save(self.path, exc)
            return empty()

    def _read(self, writable: bool = True) -> dict:
        """Read, check and (when ``writable``) repair the file. Raises OSError when it cannot
        be repaired, so that callers never write over answers that were not backed up."""
        raw = self._raw()
        if raw is None:
            return empty()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8 or not JSON, or nested too deeply
            data = None
        if not _well_formed(data):
            return self._start_afresh(writable)
        data = _up_to_date(data)
        bad = sorted(k for k, v in data["items"].items() if not well_formed_entry(k, v))
        if bad:
            data["items"] = {k: v for k, v in data["items"].items() if k not in bad}
            self._set_aside(raw, bad, data, writable)
        return data

    def _raw(self) -> bytes | None:
        """The file's bytes; None if there is none. Only a regular file is read (a FIFO
        would block forever, a device would never end)."""
        try:
            if not stat.S_ISREG(self.path.stat().st_mode):
                raise ProgressUnavailable(f"Your progress file {self.path} is not a file, so it "
                                          "cannot be read.")
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except ProgressUnavailable:
            raise
        except OSError as exc:
            raise ProgressUnavailable(f"Your progress file {self.path} cannot be read "
                                      f"({exc.strerror or exc.__class__.__name__}).") from None

    def _start_afresh(self, writable: bool) -> dict:
        if not writable:
            raise ProgressUnavailable(f"Your progress file {self.path} could not be read and "
                                      "cannot be backed up here.")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}")
        os.replace(self.path, backup)  # keeps the file's own 0600 mode
        self.warning = (f"Your progress file could not be read, so it was kept as "
                        f"{backup} and a new one was started.")
        return empty()

    def _set_aside(self, raw: bytes, bad: list[str], data: dict, writable: bool) -> None:
        """Keep the whole file as a backup and save it without the ill-formed records."""
        listed = ", ".join(repr(k[:40]) for k in bad[:3]) + (" …" if len(bad) > 3 else "")
        if not writable:
            self.warning = (f"{len(bad)} saved answer(s) could not be read ({listed}) and were "
                            "left out; your other answers are shown.")
            return
        backup = self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}")
        write_private(backup, raw)
        self._write(data)
        self.warning = (f"{len(bad)} saved answer(s) could not be read ({listed}), so the file "
                        f"was kept as {backup}; your other answers were kept.")

    def record(self, bank: str, item_id: str, correct: bool, response, fp: str = "") -> dict:
        """Record one graded attempt; returns the item's updated record. ``fp`` is the
        question's fingerprint (model.fingerprint). Where nothing can be saved, the warning
        says so and the quiz goes on."""
        try:
            with self._locked():
                data = self._read()
                entry = _attempt(data["items"], bank, item_id, correct, response, fp)
                self._write(data)
        except OSError as exc:
            self.warning = _cannot_save(self.path, exc)
            entry = _attempt({}, bank, item_id, correct, response, fp)
        return dict(entry)

    def _write(self, data: dict) -> None:
        self._remove_stale_temps()
        handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=TEMP_PREFIX,
                                        suffix=TEMP_SUFFIX)
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

    def _remove_stale_temps(self) -> None:
        """A writer killed mid-write (kill -9) leaves its temporary file; remove old ones."""
        limit = time.time() - STALE_TEMP_SECONDS
        for temp in self.path.parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):  # another writer may have removed it already
                if temp.is_file() and temp.stat().st_mtime < limit:
                    temp.unlink()

    def merge(self, incoming: dict) -> int:
        """Merge imported answers (rules.merge); returns how many were imported.
        Raises MalformedEntry (nothing written) if any record is not well formed."""
        if not isinstance(incoming, dict):
            raise MalformedEntry("The file has no list of answers.")
        for item_id, entry in incoming.items():
            if not well_formed_entry(item_id, entry):
                raise MalformedEntry(f"The answer record for question {item_id[:40]!r} is "
                                     "malformed.")
        with self._locked():
            data = self._read()
            data["items"] = merge(data["items"], incoming)
            self._write(data)
        return len(incoming)

    def remove_bank(self, bank: str) -> int:
        """Forget every answer saved for ``bank`` (a new final-assessment attempt). Where
        nothing can be saved, nothing is removed and the warning says why."""
        try:
            with self._locked():
                data = self._read()
                kept = {k: v for k, v in data["items"].items() if v.get("bank") != bank}
                removed = len(data["items"]) - len(kept)
                data["items"] = kept
                self._write(data)
        except OSError as exc:
            self.warning = _cannot_save(self.path, exc)
            return 0
        return removed

    def record_final(self, item_id: str, correct: bool, response, attempt: int,
                     confidence: str | None) -> None:
        """Save a final-assessment answer as it stands (no grading is shown during an
        attempt, so it is replaced, not counted as a retry). Where nothing can be saved, the
        warning says so."""
        try:
            with self._locked():
                data = self._read()
                now = _now()
                data["items"][item_id] = {
                    "bank": "final", "attempts": 1, "first_correct": correct,
                    "correct": correct, "first_response": response, "last_response": response,
                    "first": now, "last": now, "attempt": attempt, "confidence": confidence}
                self._write(data)
        except OSError as exc:
            self.warning = _cannot_save(self.path, exc)

    def submit_final(self, item_ids: list[str]) -> None:
        """Mark these final-assessment answers submitted (the attempt's review is shown)."""
        try:
            with self._locked():
                data = self._read()
                for item_id in item_ids:
                    if item_id in data["items"]:
                        data["items"][item_id]["submitted"] = True
                self._write(data)
        except OSError as exc:
            self.warning = _cannot_save(self.path, exc)

    def start_final_attempt(self, attempt: int) -> None:
        """Start final-assessment attempt ``attempt`` (its answers are saved as they come)."""
        try:
            with self._locked():
                data = self._read()
                data["final"] = {"attempt": attempt}
                self._write(data)
        except OSError as exc:
            self.warning = _cannot_save(self.path, exc)

    def update(self, change) -> None:
        """Apply ``change(data)`` to the whole saved record under the lock and write it: for
        what is kept beside the answers (the course evaluation). Raises OSError."""
        with self._locked():
            data = self._read()
            change(data)
            self._write(data)

    def scored_items(self) -> dict:
        """The saved answers that count toward scores: an answer to a question that changed
        since it was given is kept but not counted (kapcourse.record.versions)."""
        from kapcourse.record.versions import course_tables, scored

        return scored(self.load()["items"], course_tables().current)

    def bank_score(self, bank: str, item_ids: list[str]) -> tuple[int, int]:
        """(items answered correctly at the latest attempt, items in the bank)."""
        items = self.scored_items()
        right = sum(1 for i in item_ids if items.get(i, {}).get("correct"))
        return right, len(item_ids)

    def first_try_score(self, item_ids: list[str]) -> int:
        """Items right at the first try (kapquiz.js firstTry() counts the same)."""
        items = self.load()["items"]
        return sum(1 for i in item_ids if items.get(i, {}).get("first_correct") is True)

    def show_answer(self, bank: str, item_id: str) -> dict:
        """Note that the learner asked to see the answer to a question they have answered
        (``answer_shown``: it was not right at the first try); returns the updated record."""
        return self._change(lambda items: _shown(items, bank, item_id))

    def retake(self, bank: str) -> int:
        """Clear the current answers to a lesson's questions, keeping each record's first-try
        history (first_correct, first_response, first, attempts); returns how many."""
        cleared = []
        self._change(lambda items: cleared.extend(_clear_current(items, bank)))
        return len(cleared)

    def _change(self, change):
        """Apply ``change`` to the saved items under the lock; where nothing can be saved, the
        warning says why and nothing changes."""
        try:
            with self._locked():
                data = self._read()
                outcome = change(data["items"])
                self._write(data)
        except OSError as exc:
            self.warning = _cannot_save(self.path, exc)
            return {}
        return outcome


def _shown(items: Items, bank: str, item_id: str) -> dict:
    entry = items.get(item_id)
    if entry is None or entry.get("bank") != bank:  # nothing answered: nothing to note
        return {}
    entry["answer_shown"] = True
    return dict(entry)


def _clear_current(items: Items, bank: str) -> list[str]:
    """Drop the current answer (and whether its key was shown) of every record of ``bank``;
    ``correct`` becomes false: nothing is right now until it is answered again."""
    cleared = []
    for item_id, entry in items.items():
        if entry.get("bank") == bank:
            entry.pop("last_response", None)
            entry.pop("answer_shown", None)
            entry["correct"] = False
            cleared.append(item_id)
    return cleared


def _attempt(items: Items, bank: str, item_id: str, correct: bool, response, fp: str = ""
             ) -> AnswerRecord:
    if fp and item_id in items and items[item_id].get("fp", fp) != fp:
        del items[item_id]  # an answer to the question as it is now replaces the outdated one
    entry = items.setdefault(item_id, {
        "bank": bank, "attempts": 0, "first_correct": correct,
        "first_response": response, "first": _now()})
    entry["attempts"] += 1
    entry["correct"], entry["last_response"], entry["last"] = correct, response, _now()
    if fp:
        entry["fp"] = fp
    return entry


def _up_to_date(data: dict) -> dict:
    """An older format upgraded and renamed questions and lessons followed
    (kapcourse.record.versions); the file itself is rewritten at the next answer, so a 0.2.0
    file stays as it was until then."""
    from kapcourse.record.versions import FORMAT_VERSION, course_tables, file_version, up_to_date

    version = file_version(data)
    return {**data, "version": max(version, FORMAT_VERSION),
            "items": up_to_date(data["items"], version, course_tables())}


def _well_formed(data) -> bool:
    return (isinstance(data, dict) and data.get("format") == FORMAT
            and isinstance(data.get("items"), dict))


def well_formed_entry(item_id, entry) -> bool:
    """One answer record has the fields and types every view relies on (the same rule as an
    import: ``records.record_problem``)."""
    return isinstance(item_id, str) and not record_problem(entry)
