"""Course updates that never strand a learner's answers (issue #16).

Three things let an answer saved under one release be read under another:

- **fingerprints** (``model.fingerprint``): every saved answer records the fingerprint of the
  question it answered, so a later release can tell whether the question changed since;
- **format versions with upgrade functions** (the nbformat pattern): the progress file, the
  browser's storage and results exports carry ``version``; ``upgrade`` applies the steps
  v1 -> v2 -> ... in turn. ``kapquiz.js`` applies the same steps (tests/golden/versions.yml);
- **the migration table** ``quizzes/migrations.yml``: renamed lessons (banks) and questions,
  applied whenever answers are read, so that answers follow their question.

The rule for a version 1 record (releases up to 0.2.0 saved no fingerprint): it is kept and
counts as an answer to the current question, unless the question is known to have changed,
that is, unless its fingerprint in release 0.2.0 (``quizzes/fingerprints/0.2.0.json``)
differs from the current one. The upgrade gives it that 0.2.0 fingerprint, so the ordinary
comparison decides. CONTRIBUTING.md states the same rule.

An answer whose fingerprint differs from its question's is *changed*: kept, flagged, left out
of scores until the question is answered again. An answer to a question the course no longer
has is *removed*: kept in the progress and its exports, never scored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kapcourse.bank.course import bank_files, course_root
from kapcourse.bank.model import (
    FINGERPRINT_LENGTH,
    Bank,
    BankError,
    Problem,
    file_problems,
    fingerprint,
    read_yaml,
)
from kapcourse.record.final import read_course
from kapcourse.record.rules import AnswerRecord, Items

FORMAT_VERSION = 2  # progress file, browser storage, results export (JSON) and CSV
LEGACY_RELEASE = "0.2.0"  # the last release that saved version 1 records (no fingerprint)
FINGERPRINTS = Path("quizzes") / "fingerprints"
MIGRATIONS = Path("quizzes") / "migrations.yml"
FINAL_PREFIX = "final-"  # final-assessment answers are saved under final-<question id>
# What a learner reads on a question whose saved answer was given to an earlier version of it
# (the widget, the book's quiz, My progress, What changed).
CHANGED = "This question changed since you answered it."
CHANGED_HINT = ("Your earlier answer is kept, but it does not count toward your scores until "
                "you answer the question again.")
FP = re.compile(f"[0-9a-f]{{{FINGERPRINT_LENGTH}}}")


@dataclass(frozen=True)
class Tables:
    """What reading old answers needs: the current fingerprints, those of the release that
    wrote version 1 records, question ids released before and gone now, and the renames."""

    current: dict[str, str] = field(default_factory=dict)
    legacy: dict[str, str] = field(default_factory=dict)
    retired: frozenset[str] = frozenset()
    banks: dict[str, str] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)

    def script_data(self) -> dict:
        """For the book's scripts (``window.kapcourseVersions``): they never hash."""
        return {"version": FORMAT_VERSION, "changed": CHANGED, "changed_hint": CHANGED_HINT,
                "current": self.current, "legacy": self.legacy,
                "retired": sorted(self.retired), "banks": self.banks,
                "questions": self.questions}

    def page_script_data(self, ids: set[str]) -> dict:
        """The tables a lesson page needs, which shows only the questions ``ids`` and never
        the whole record: their current and 0.2.0 fingerprints (under any older name) and
        every rename, a third of the whole tables' bytes. ``partial`` tells kapquiz.js that
        the other questions' 0.2.0 fingerprints are missing, so it upgrades this page's
        answers of a version 1 record but leaves the record at version 1: a page with the
        whole tables (My progress) upgrades the rest, by the same rule (an answer that has
        a fingerprint keeps it)."""
        return {**self.script_data(),
                "current": {k: v for k, v in self.current.items() if k in ids},
                "legacy": {k: v for k, v in self.legacy.items()
                           if renamed_question(k, self) in ids},
                "retired": [], "partial": True}


# --- format versions and their upgrade functions -------------------------------------------


def _v1_to_v2(items: Items, tables: Tables) -> dict:
    """Version 1 (releases up to 0.2.0) had no fingerprints: each record gets the question's
    fingerprint in that release where it is known (see the module's rule)."""
    upgraded = {}
    for item_id, entry in items.items():
        if isinstance(entry, dict) and "fp" not in entry and item_id in tables.legacy:
            entry = {**entry, "fp": tables.legacy[item_id]}
        upgraded[item_id] = entry
    return upgraded


UPGRADES = {1: _v1_to_v2}  # from_version -> the step to from_version + 1


def file_version(data: dict) -> int:
    """The format version a file says it has; 0.2.0 imports without one are version 1."""
    version = data.get("version", 1)
    if isinstance(version, float) and version.is_integer():
        version = int(version)  # JSON's 2.0 (JavaScript cannot tell it from 2)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return 1
    return version


def upgrade_items(items: Items, from_version: int, tables: Tables) -> dict:
    """Apply every upgrade step from ``from_version`` to FORMAT_VERSION. A newer version
    (written by a later release) is left as it is: its records are checked as usual."""
    for version in range(from_version, FORMAT_VERSION):
        items = UPGRADES[version](items, tables)
    return items


def upgrade(data: dict, tables: Tables, from_version: int | None = None) -> dict:
    """A progress file or results export brought to FORMAT_VERSION (a new dict)."""
    version = file_version(data) if from_version is None else from_version
    if version >= FORMAT_VERSION or not isinstance(data.get("items"), dict):
        return data
    return {**data, "version": FORMAT_VERSION,
            "items": upgrade_items(data["items"], version, tables)}


# --- renames --------------------------------------------------------------------------------


def _follow(name: str, renames: dict[str, str]) -> str:
    if name not in renames:  # most names: no set to build (a report follows millions)
        return name
    seen = {name}
    while name in renames and renames[name] not in seen:  # validate refuses cycles
        name = renames[name]
        seen.add(name)
    return name


def renamed_question(item_id: str, tables: Tables) -> str:
    if item_id.startswith(FINAL_PREFIX):
        return FINAL_PREFIX + _follow(item_id[len(FINAL_PREFIX):], tables.questions)
    return _follow(item_id, tables.questions)


def migrate(items: Items, tables: Tables) -> dict:
    """Records under their questions' and lessons' current names. Where an old and a new id
    both have a record, the more recently answered one is kept (kapquiz.js: the same)."""
    banks = tables.banks
    if not tables.questions:  # no question renamed: no two records can meet under one id
        return {item_id: _in_current_lesson(items[item_id], banks) for item_id in sorted(items)}
    moved: dict = {}
    for item_id in sorted(items):
        entry = _in_current_lesson(items[item_id], banks)
        new_id = renamed_question(item_id, tables)
        if new_id in moved and _last(moved[new_id]) >= _last(entry):
            continue
        moved[new_id] = entry
    return moved


def _in_current_lesson(entry, banks: dict[str, str]):
    """The record, copied under its lesson's current name if that lesson was renamed. Only
    then: as _v1_to_v2 copies only what it changes, since copying every record cost a report
    about 0.2 ms per export (#19)."""
    if isinstance(entry, dict) and isinstance(entry.get("bank"), str) and entry["bank"] in banks:
        return {**entry, "bank": _follow(entry["bank"], banks)}
    return entry


def _last(entry) -> str:
    last = entry.get("last") if isinstance(entry, dict) else None
    return last if isinstance(last, str) else ""


def up_to_date(items: Items, from_version: int, tables: Tables) -> dict:
    """Upgrade, then rename: what every reader of saved answers does first."""
    return migrate(upgrade_items(items, from_version, tables), tables)


# --- changed and removed questions ----------------------------------------------------------


def answer_state(item_id: str, entry: AnswerRecord, current: dict[str, str]) -> str:
    """"current", "changed" (the question changed since it was answered) or "removed"."""
    if item_id not in current:
        return "removed"
    saved = entry.get("fp")
    return "changed" if saved and saved != current[item_id] else "current"


def scored(items: Items, current: dict[str, str]) -> dict:
    """The answers that count toward scores: not those whose question changed since (an
    answer to a removed question never matches a current question, so it never counts)."""
    return {k: v for k, v in items.items() if answer_state(k, v, current) != "changed"}


def changed(items: Items, current: dict[str, str]) -> list[str]:
    """Ids of the answers whose question changed since they were given."""
    return sorted(k for k, v in items.items() if answer_state(k, v, current) == "changed")


# --- the course's tables --------------------------------------------------------------------


def course_fingerprints(root: Path) -> dict[str, str]:
    """Question id -> fingerprint for every lesson question and final-assessment question."""
    return {q.id: fingerprint(q) for bank in read_course(root).banks for q in bank.questions}


def released_fingerprints(root: Path) -> dict[str, dict[str, str]]:
    """Release -> its fingerprints, from quizzes/fingerprints/<release>.json."""
    found = {}
    for path in sorted((root / FINGERPRINTS).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = {k: v for k, v in data.get("fingerprints", {}).items()
                            if isinstance(k, str) and isinstance(v, str) and FP.fullmatch(v)}
    return found


def load_migrations(path: Path, file: str = str(MIGRATIONS)) -> tuple[dict, dict]:
    """(bank renames, question renames) from the migration table; raises BankError naming
    the file, line and key. A course without the file has no renames."""
    if not path.exists():
        return {}, {}
    located = read_yaml(path, file)
    problems = file_problems(located, file, "migrations")
    if problems:
        raise BankError(problems)
    return tuple({r["from"]: r["to"] for r in located.data[kind]}  # type: ignore[return-value]
                 for kind in ("banks", "questions"))


def migration_problems(root: Path, banks: set[str], questions: set[str]
                       ) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for ``kapcourse validate``: the table loads, each old name is
    listed once, no chain of renames comes back to where it started, and each new name
    exists. A new name that does not exist while the old one still does is a rename that has
    not landed yet (another branch makes it): a warning, and the rename is not applied (see
    ``tables``). When neither exists, answers would belong to nothing: an error."""
    path = root / MIGRATIONS
    if not path.exists():
        return [], []
    try:
        located = read_yaml(path, str(MIGRATIONS))
    except BankError as exc:
        return exc.problems, []
    problems = file_problems(located, str(MIGRATIONS), "migrations")
    if problems:
        return problems, []
    pending: list[Problem] = []
    for kind, known, what in (("banks", banks, "lesson"), ("questions", questions, "question")):
        renames: dict[str, str] = {}
        for number, rename in enumerate(located.data[kind]):
            line, column = located.where((kind, number))
            where = f"{kind}[{number}]"
            if rename["from"] in renames:
                problems.append(Problem(str(MIGRATIONS), line, column, where,
                                        f"'{rename['from']}' is renamed twice"))
            renames[rename["from"]] = rename["to"]
            if rename["to"] in known:
                continue
            if rename["from"] in known:
                pending.append(Problem(
                    str(MIGRATIONS), line, column, f"{where}.to",
                    f"{what} '{rename['to']}' does not exist yet and '{rename['from']}' still "
                    "does: the rename is not applied until it lands"))
            else:
                problems.append(Problem(
                    str(MIGRATIONS), line, column, f"{where}.to",
                    f"{what} '{rename['to']}' does not exist, nor does '{rename['from']}': "
                    f"answers renamed to it would belong to no {what}. Add it, or fix the "
                    "entry"))
        for start in renames:
            if _cycles(start, renames):
                line, column = located.where((kind,))
                problems.append(Problem(str(MIGRATIONS), line, column, kind,
                                        f"the renames of '{start}' go round in a cycle"))
    return problems, pending


def _cycles(start: str, renames: dict[str, str]) -> bool:
    name, seen = start, set()
    while name in renames:
        if name in seen:
            return True
        seen.add(name)
        name = renames[name]
    return False


def tables(root: Path, course: list[Bank] | None = None) -> Tables:
    """The course's tables. A rename applies once its target exists: until then it is
    pending (``kapcourse validate`` warns), so answers never move to a lesson or question
    that is not there. ``course``: the course's banks (``final.read_course(root).banks``) when the
    caller has loaded them already, so they are not read again."""
    banks, questions = load_migrations(root / MIGRATIONS)
    current = (course_fingerprints(root) if course is None else
               {q.id: fingerprint(q) for bank in course for q in bank.questions})
    stems = {path.stem for path in bank_files(root)}
    banks = {old: new for old, new in banks.items() if _follow(new, banks) in stems}
    questions = {old: new for old, new in questions.items()
                 if _follow(new, questions) in current}
    released = released_fingerprints(root)
    partial = Tables(banks=banks, questions=questions)
    ever = {renamed_question(q, partial) for fps in released.values() for q in fps}
    return Tables(current, released.get(LEGACY_RELEASE, {}), frozenset(ever - set(current)),
                  banks, questions)


def course_tables() -> Tables:
    """The tables of the course this code runs in (cached until a bank or a fingerprints
    file changes); none (nothing to upgrade or rename) when the course folder cannot be
    found, so a saved answer is never refused for it."""
    try:
        root = course_root()
    except FileNotFoundError:
        return Tables()
    return _cached(str(root), _stamp(root))


def _stamp(root: Path) -> tuple:
    """Modification times of the files the tables come from."""
    paths = [*(root / "quizzes").glob("*.yml"), *(root / FINGERPRINTS).glob("*.json")]
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in paths if p.is_file()))


_CACHE: dict[tuple, Tables] = {}


def _cached(root: str, stamp: tuple) -> Tables:
    key = (root, stamp)
    if key not in _CACHE:
        _CACHE.clear()  # one course per process; an edited bank replaces the old tables
        _CACHE[key] = tables(Path(root))
    return _CACHE[key]


def fingerprints_file(root: Path, release: str) -> dict:
    """The content of quizzes/fingerprints/<release>.json (``kapcourse fingerprints``)."""
    return {"release": release, "fingerprints": dict(sorted(course_fingerprints(root).items()))}
