"""What a saved answer record may hold: one rule for every place that reads one.

A record comes from the kernel's progress file, an imported JSON or CSV file, or an export;
``record_problem`` says why one is unusable, with the message the learner sees. The book's
``kapprogress.js`` applies the same rules with the same messages (tests/golden/import.yml
runs every case through both; the limits and messages reach it through
``summary.script_data``). A leaf module, so the storage layer can use it without importing
the domain logic.
"""

from __future__ import annotations

import re
from typing import NotRequired, TypedDict

CSV_SPECIAL = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads these as a formula
MAX_TEXT = 200  # characters in a saved typed answer or a lesson name
MAX_ATTEMPTS = 1_000_000
MAX_INDICES = 50  # chosen options or ordered steps in one answer
# Final-assessment answers (release 0.3.0) also say which attempt they belong to, how sure
# the learner was and whether the attempt was submitted; all optional, so records saved by
# 0.2.0 stay usable.
CONFIDENCE = ("guessing", "fairly sure", "certain")
# Groups that capture nothing: the same dates, matched about a third faster (every answer of
# every export a report reads has two).
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                  r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
                  r"(?:Z|[+-][0-9]{2}:[0-9]{2})?)?")
# The fingerprint of the question an answer was given to (model.fingerprint: 16 hex digits;
# written out here because this module imports nothing of the package).
FINGERPRINT = re.compile(r"[0-9a-f]{16}")

# A saved answer as the course writes it (what record_problem accepts). Checked by mypy in
# `make lint`; a record read from a file is only an AnswerRecord after record_problem says "".
Response = int | str | list[int] | None


class AnswerRecord(TypedDict):
    bank: str  # the lesson's stem, or "final"
    attempts: int
    first_correct: bool
    first_response: Response
    first: str  # ISO date-time
    correct: NotRequired[bool]  # right now (false after a retake until answered again)
    last_response: NotRequired[Response]
    last: NotRequired[str]
    answer_shown: NotRequired[bool]  # the learner used "Show answer"
    fp: NotRequired[str]  # the question's fingerprint when answered
    attempt: NotRequired[int]  # final assessment: its attempt, confidence and submission
    confidence: NotRequired[str | None]
    submitted: NotRequired[bool]


Items = dict[str, AnswerRecord]  # question id -> its record


class ProgressData(TypedDict):
    """The kernel's progress file (record.store) and the body of an export."""

    format: str
    version: int
    items: Items
    final: NotRequired[dict[str, int]]  # the final-assessment attempt started
    evaluation: NotRequired[dict]  # record.evaluation's saved block


REASONS = {
    "record": "it is not a record",
    "bank": "'bank' must name a lesson",
    "attempts": f"'attempts' must be a whole number from 1 to {MAX_ATTEMPTS}",
    "boolean": "'{field}' must be true or false",
    "date": "'{field}' must be a date such as 2026-11-30",
    "response": "'{field}' is not an answer the course could have saved",
    "attempt": f"'attempt' must be a whole number from 1 to {MAX_ATTEMPTS}",
    "confidence": "'confidence' must be one of: " + ", ".join(CONFIDENCE),
    "fp": "'fp' must be a question's fingerprint (16 characters, 0-9 and a-f)",
}


def whole_number(value, low: int, high: int) -> bool:
    """A whole number in range; JSON's 1.0 counts (JavaScript cannot tell it from 1)."""
    if type(value) is int:  # the usual case first (not a bool: that is type bool)
        return low <= value <= high
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):  # float() of an int of 309 digits or more would overflow
        return low <= value <= high
    return value.is_integer() and low <= value <= high


def is_response(value) -> bool:
    if value is None or value is True or value is False:  # bool has no subclasses
        return True
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, list):
        return len(value) <= MAX_INDICES and _indices(value)
    return whole_number(value, 0, MAX_INDICES)


def _indices(values: list) -> bool:
    """Every value an option's or a step's index: a loop over plain ints first (the usual
    case, and faster than a generator), the full rule for anything else."""
    for value in values:
        if type(value) is not int or not 0 <= value <= MAX_INDICES:
            return all(whole_number(i, 0, MAX_INDICES) for i in values)
    return True


def _date_problem(value) -> bool:
    return not (value == "" or (isinstance(value, str) and DATE.fullmatch(value)))


def record_problem(entry) -> str:
    """Why an answer record (imported, or read back from a progress file) is unusable; ""
    when it is usable. kapprogress.js reason() applies the same rules.

    The checks come in a fixed order (the first failing one is the reason given) and are
    written out one by one: ``kapcourse report`` runs this on every answer of every export,
    millions of records for a large cohort."""
    if not isinstance(entry, dict):
        return REASONS["record"]
    get = entry.get
    bank = get("bank")
    if not isinstance(bank, str) or not 0 < len(bank) <= MAX_TEXT:
        return REASONS["bank"]
    if not whole_number(get("attempts"), 1, MAX_ATTEMPTS):
        return REASONS["attempts"]
    first_correct = get("first_correct")
    if not isinstance(first_correct, bool):
        return REASONS["boolean"].format(field="first_correct")
    if not isinstance(get("correct", first_correct), bool):  # absent: as first_correct
        return REASONS["boolean"].format(field="correct")
    # optional (records saved by 0.2.0 have none): the learner used "Show answer"
    if not isinstance(get("answer_shown", False), bool):
        return REASONS["boolean"].format(field="answer_shown")
    first, last = get("first", ""), get("last", "")
    if _date_problem(first):
        return REASONS["date"].format(field="first")
    # an answer given once has its first date as its last: a string equal to a good date
    # is one, so the pattern is not matched again
    if last != first and _date_problem(last):
        return REASONS["date"].format(field="last")
    for name in ("first_response", "last_response"):
        if not is_response(get(name)):
            return REASONS["response"].format(field=name)
    if "attempt" in entry and not whole_number(entry["attempt"], 1, MAX_ATTEMPTS):
        return REASONS["attempt"]
    if get("confidence") is not None and entry["confidence"] not in CONFIDENCE:
        return REASONS["confidence"]
    if "submitted" in entry and not isinstance(entry["submitted"], bool):
        return REASONS["boolean"].format(field="submitted")
    fp = get("fp")  # optional: records saved before release 0.3.0 have none
    if "fp" in entry and not (isinstance(fp, str) and FINGERPRINT.fullmatch(fp)):
        return REASONS["fp"]
    return ""


# Merging lives here, beside the rules, so the progress store can merge an import without
# importing the export and import logic above it (record.summary).
def merge(current: Items, incoming: Items) -> Items:
    """Union of two item records; where both have a question, the more recent answer wins,
    keeping the earliest first attempt."""
    merged = dict(current)
    for item_id, entry in incoming.items():
        mine = merged.get(item_id)
        if mine is None:
            merged[item_id] = entry.copy()
            continue
        newer = entry if (entry.get("last") or "") > (mine.get("last") or "") else mine
        older = mine if newer is entry else entry
        if mine.get("fp") and entry.get("fp") and mine["fp"] != entry["fp"]:
            merged[item_id] = newer.copy()  # answers to two versions of a question: the newer
            continue
        first = mine if (mine.get("first") or "~") <= (entry.get("first") or "~") else entry
        merged[item_id] = {**older, **newer, "first": first.get("first") or "",
                           "first_correct": first["first_correct"],
                           "first_response": first.get("first_response"),
                           "attempts": max(mine["attempts"], entry["attempts"])}
    return merged
