"""Spaced review (issue #19): the questions a learner answered in the lessons come back for
review, scheduled by FSRS. No display code here (``review_view.py`` shows a session in
JupyterLab, ``_static/kapreview.js`` in the book).

Scheduling uses kept implementations of the same algorithm in both renderers: the ``fsrs``
package (py-fsrs 6.3) here, ``ts-fsrs`` 5.4 (shipped unchanged in
``static/kapvendor/ts-fsrs.umd.js``) in the book, both with the settings in :data:`SETTINGS`
(the libraries' default FSRS-6 weights, desired retention 0.9, no fuzz). Two choices make the
two libraries give the same dates (tests/golden/review.yml runs every case through both):

* No short-term learning steps, and every review is made at midnight UTC of the learner's
  local day (``day_time``): a course is reviewed day by day, and the libraries count the
  days between two reviews differently within a day (py-fsrs counts whole 24-hour periods,
  ts-fsrs calendar days), but identically between midnights.
* ts-fsrs keeps a Good review's interval at least one day longer than a Hard review's would
  be; py-fsrs does not, so a low-stability card rated Good could be due a day earlier in
  JupyterLab. :func:`schedule` applies ts-fsrs's rule to py-fsrs's result (it asks py-fsrs
  for the Hard interval too) and caps stability at ts-fsrs's maximum (36500 days).

The saved record, kept in the kernel's progress file under the top-level key ``"review"``
(beside ``items``) and in the book's browser storage under :data:`STORAGE_KEY`::

    {"version": 1,
     "cards": {"<question id>": {"state": 1 | 2 | 3,        # learning, review, relearning
                                 "step": <whole number> | null,  # null in state 2
                                 "stability": <days, > 0>, "difficulty": <1 to 10>,
                                 "due": "YYYY-MM-DDTHH:MM:SSZ",
                                 "last_review": "YYYY-MM-DDTHH:MM:SSZ"}},
     "days": ["YYYY-MM-DD", ...]}   # local days with a completed review session

The card fields are py-fsrs's ``Card.to_dict()`` without its ``card_id``. A question answered
in its lesson and never reviewed has no card yet: it is due at once. A record that breaks
these rules is unreadable as a whole (:func:`problem`, the same rule and message in
kapreview.js): it is kept aside, never dropped, and a new one is started.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from kapcourse.record.rules import MAX_TEXT

STORAGE_KEY = "kapcourse:review"  # localStorage key used by _static/kapreview.js
PROGRESS_KEY = "review"  # key of the saved review record in the kernel's progress file
UNREADABLE_KEY = "review-unreadable"  # where an unreadable one is kept, never dropped
VERSION = 1
SESSION_SIZE = 10  # questions asked in one review session
MAX_STABILITY = 36500.0  # ts-fsrs's S_MAX (days); py-fsrs has no cap
MAX_STEP = 20
MAX_DAYS = 5000  # session days kept (more than 13 years of daily review)
MAX_CARDS = 5000
AGAIN, GOOD = int(Rating.Again), int(Rating.Good)

# One set of settings, shipped to kapreview.js (window.kapcourseReview.settings).
SETTINGS = {"parameters": list(DEFAULT_PARAMETERS), "desired_retention": 0.9,
            "learning_steps": [], "relearning_steps": [],  # minutes
            "maximum_interval": 36500, "enable_fuzz": False}

MESSAGES = {
    "record": "it is not a saved review record",
    "version": "it was saved by a newer version of the course (review version {found})",
    "cards": "'cards' must map question ids to cards",
    "card": "the card for question '{id}' is malformed ({field})",
    "days": "'days' must be a list of dates such as 2026-12-01",
}
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SHOWN = 40  # characters of a question id quoted back in a message


def empty() -> dict:
    return {"version": VERSION, "cards": {}, "days": []}


# --- checking a saved record (kapreview.js problem() applies the same rules) ------------------


def _number(value, low: float, high: float) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float)
            and math.isfinite(value) and low <= value <= high)


def _whole(value, low: int, high: int) -> bool:
    return _number(value, low, high) and float(value).is_integer()


def _time(value) -> bool:
    return isinstance(value, str) and bool(TIME.fullmatch(value)) and parse_time(value) is not None


def _day(value) -> bool:
    if not (isinstance(value, str) and DAY.fullmatch(value)):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def card_problem(card) -> str:
    """The first malformed field of a card ("" when it is usable)."""
    if not isinstance(card, dict):
        return "card"
    if not _whole(card.get("state"), 1, 3):
        return "state"
    step = card.get("step", "missing")
    if not (step is None if card["state"] == 2 else _whole(step, 0, MAX_STEP)):
        return "step"
    if not _number(card.get("stability"), 0.001, MAX_STABILITY):
        return "stability"
    if not _number(card.get("difficulty"), 1, 10):
        return "difficulty"
    for name in ("due", "last_review"):
        if not _time(card.get(name)):
            return name
    return ""


def problem(saved) -> str:
    """Why a saved review record cannot be used ("" when it can)."""
    if not isinstance(saved, dict):
        return MESSAGES["record"]
    version: Any = saved.get("version")
    if not _whole(version, 1, VERSION):
        if _whole(version, VERSION + 1, 10**9):
            return MESSAGES["version"].format(found=int(version))
        return MESSAGES["record"]
    cards = saved.get("cards")
    if not isinstance(cards, dict) or len(cards) > MAX_CARDS:
        return MESSAGES["cards"]
    for question_id in sorted(cards):
        if not 0 < len(question_id) <= MAX_TEXT:
            return MESSAGES["cards"]
        field = card_problem(cards[question_id])
        if field:
            return MESSAGES["card"].format(id=question_id[:SHOWN], field=field)
    days = saved.get("days")
    if not (isinstance(days, list) and len(days) <= MAX_DAYS and all(_day(d) for d in days)):
        return MESSAGES["days"]
    return ""


def clean(saved: dict) -> dict:
    """The record with known fields only, days sorted and unique (call after problem())."""
    cards = {qid: {"state": int(c["state"]), "step": None if c["step"] is None else int(c["step"]),
                   "stability": float(c["stability"]), "difficulty": float(c["difficulty"]),
                   "due": c["due"], "last_review": c["last_review"]}
             for qid, c in sorted(saved["cards"].items())}
    return {"version": VERSION, "cards": cards, "days": sorted(set(saved["days"]))}


# --- dates -------------------------------------------------------------------------------------


def parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def checked_time(text: str) -> dt.datetime:
    """A time the record's rules have already accepted (see :func:`problem`)."""
    moment = parse_time(text)
    if moment is None:
        raise ValueError(f"not a review time: {text!r}")
    return moment


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_time(day: str) -> str:
    """The review time of a session on the learner's local day ``day`` (YYYY-MM-DD)."""
    return f"{day}T00:00:00Z"


def local_day(moment: dt.datetime | None = None) -> str:
    """The learner's calendar date (kapprogress.js localDay() gives the browser's)."""
    return (moment or dt.datetime.now()).astimezone().date().isoformat()


# --- scheduling with py-fsrs ------------------------------------------------------------------


def scheduler(settings: dict = SETTINGS) -> Scheduler:
    return Scheduler(parameters=settings["parameters"],
                     desired_retention=settings["desired_retention"],
                     learning_steps=[dt.timedelta(minutes=m) for m in settings["learning_steps"]],
                     relearning_steps=[dt.timedelta(minutes=m)
                                       for m in settings["relearning_steps"]],
                     maximum_interval=settings["maximum_interval"],
                     enable_fuzzing=settings["enable_fuzz"])


def _to_fsrs(card: dict | None, at: dt.datetime) -> Card:
    if card is None:  # never reviewed: a new card, due now
        return Card(card_id=0, due=at)
    return Card(card_id=0, state=State(card["state"]), step=card["step"],
                stability=card["stability"], difficulty=card["difficulty"],
                due=checked_time(card["due"]), last_review=checked_time(card["last_review"]))


def schedule(card: dict | None, rating: int, at: str, settings: dict = SETTINGS) -> dict:
    """The card after a review rated ``rating`` (1 Again to 4 Easy) at ``at`` (an ISO time
    as :data:`TIME`); ``card`` None is a new card."""
    moment = checked_time(at)
    chosen = scheduler(settings)
    before = _to_fsrs(card, moment)
    after, _ = chosen.review_card(before, Rating(rating), moment)
    if before.state == State.Review and rating == GOOD:
        # ts-fsrs's rule (see the module docstring): Good is at least a day beyond Hard.
        hard, _ = chosen.review_card(before, Rating.Hard, moment)
        good_days, hard_days = (after.due - moment).days, (hard.due - moment).days
        after.due = moment + dt.timedelta(days=max(good_days, min(hard_days, good_days) + 1))
    if after.stability is None:  # py-fsrs sets it on every review; its type allows None
        raise ValueError("the scheduler gave no stability")
    return {"state": int(after.state), "step": after.step,
            "stability": min(after.stability, MAX_STABILITY), "difficulty": after.difficulty,
            "due": format_time(after.due), "last_review": format_time(moment)}


def rating(first_try_right: bool) -> int:
    """A review answer right at the first try is Good; any wrong first try is Again (a right
    answer after a wrong try was not recalled, so it is not rated Hard)."""
    return GOOD if first_try_right else AGAIN


# --- what is due, in which order, and the streak ----------------------------------------------


def course_json(lessons, final=None) -> dict:
    """The course's questions for the deck, in lesson order, each with its objective group
    ("<lesson>/<objective>"); the final's questions with theirs (a confidently wrong final
    answer brings its objective's lesson questions forward)."""
    order, group = [], {}
    for lesson in lessons:
        for objective in lesson.objectives:
            for question_id in objective.questions:
                group[question_id] = f"{lesson.stem}/{objective.id}"
        order.extend(lesson.questions)
    final_group = {}
    if final is not None:
        objective_of = {q.id: item.objective for item in final.bank.items for q in item.questions}
        final_group = {qid: f"{final.lesson_of[qid]}/{objective_of[qid]}"
                       for qid in sorted(final.lesson_of) if qid in objective_of}
    return {"order": order, "group": group, "final_group": final_group}


def _answered(items: dict, question_id: str) -> bool:
    entry = items.get(question_id)
    return isinstance(entry, dict) and entry.get("bank") != "final"


def is_due(card: dict | None, today: str) -> bool:
    return card is None or card["due"][:10] <= today


def due_questions(items: dict, cards: dict, today: str, course: dict) -> list[str]:
    """Every due question, first-try misses and confidently wrong objectives first, then by
    due date (a new card's is the day it was first answered), then in course order."""
    shaky = {course["final_group"][qid] for qid, entry in items.items()
             if qid in course["final_group"] and isinstance(entry, dict)
             and entry.get("bank") == "final" and entry.get("confidence") == "certain"
             and entry.get("correct") is False}
    keyed = []
    for position, question_id in enumerate(course["order"]):
        card = cards.get(question_id)
        if not _answered(items, question_id) or not is_due(card, today):
            continue
        entry = items[question_id]
        first = entry.get("first_correct") is not True or course["group"].get(question_id) in shaky
        due = card["due"][:10] if card else str(entry.get("first") or "")[:10]
        keyed.append((not first, due, position, question_id))
    return [key[-1] for key in sorted(keyed)]


def deck(items: dict, cards: dict, today: str, course: dict) -> list[str]:
    """The questions of today's session (at most :data:`SESSION_SIZE`)."""
    return due_questions(items, cards, today, course)[:SESSION_SIZE]


def due_count(items: dict, cards: dict, today: str, course: dict) -> int:
    return len(due_questions(items, cards, today, course))


def _previous(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def streak(days: list[str], today: str) -> int:
    """Consecutive local days with a completed session, ending today (or yesterday: a
    streak is not lost before the day is over)."""
    done = set(days)
    day = today if today in done else _previous(today)
    count = 0
    while day in done:
        count += 1
        day = _previous(day)
    return count


def next_due(cards: dict) -> str:
    """The earliest day a card is due (YYYY-MM-DD), "" when there is no card."""
    return min((card["due"][:10] for card in cards.values()), default="")


def finish(saved: dict, reviewed: dict, today: str) -> dict:
    """The record after a completed session: the reviewed cards and today's day added."""
    return {"version": VERSION, "cards": {**saved["cards"], **reviewed},
            "days": sorted({*saved["days"], today})}


def merge(mine: dict, theirs: dict) -> dict:
    """Two usable records as one: the card reviewed last wins per question (mine on a tie),
    session days are united."""
    cards = dict(mine["cards"])
    for question_id, card in theirs["cards"].items():
        if question_id not in cards or card["last_review"] > cards[question_id]["last_review"]:
            cards[question_id] = card
    return {"version": VERSION, "cards": dict(sorted(cards.items())),
            "days": sorted({*mine["days"], *theirs["days"]})}


def script_data(course: dict) -> dict:
    """The rules and settings for kapreview.js (``window.kapcourseReview``)."""
    return {"storage_key": STORAGE_KEY, "version": VERSION, "session_size": SESSION_SIZE,
            "settings": SETTINGS, "messages": MESSAGES, "max_stability": MAX_STABILITY,
            "max_step": MAX_STEP, "max_days": MAX_DAYS, "max_cards": MAX_CARDS,
            "max_id": MAX_TEXT, "shown": SHOWN, "course": course}


# --- the kernel's progress file ---------------------------------------------------------------


def read_saved(store) -> tuple[dict, str]:
    """(the usable saved record, or an empty one, and a warning for the learner or "")."""
    saved = store.load().get(PROGRESS_KEY)
    if saved is None:
        return empty(), store.warning
    why = problem(saved)
    if why:
        return empty(), (f"Your saved review could not be read ({why}). It is kept in your "
                         "progress file; your next review session starts a new one beside it.")
    return clean(saved), store.warning


def _update(store, change) -> dict:
    """Apply ``change(record)`` to the saved review record; an unreadable one is kept under
    :data:`UNREADABLE_KEY`, never dropped. Returns the record saved. Raises OSError."""
    result = {}

    def apply(data: dict) -> None:
        earlier = data.get(PROGRESS_KEY)
        if earlier is not None and problem(earlier):
            data[UNREADABLE_KEY] = earlier
            earlier = None
        result.update(change(clean(earlier) if earlier is not None else empty()))
        data[PROGRESS_KEY] = result

    store.update(apply)
    return result


def save_card(store, question_id: str, card: dict) -> dict:
    """Keep one reviewed card at once (a session left half-way keeps what was reviewed)."""
    return _update(store, lambda saved: finish_cards(saved, {question_id: card}))


def complete(store, today: str) -> dict:
    """Note a completed session on ``today`` (the streak counts it)."""
    return _update(store, lambda saved: finish(saved, {}, today))


def finish_cards(saved: dict, reviewed: dict) -> dict:
    return {**saved, "cards": {**saved["cards"], **reviewed}}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_day(day: str) -> str:
    """"3 December 2026" for a YYYY-MM-DD day (kapreview.js longDay() writes the same)."""
    return f"{int(day[8:10])} {MONTHS[int(day[5:7]) - 1]} {day[:4]}"


def due_line(items: dict, saved: dict, today: str, course: dict) -> str:
    """My progress's line (kapreview.js dueLine() writes the same)."""
    if not any(_answered(items, q) for q in course["order"]):
        return ("No questions due for review yet: answer a lesson's questions and they come "
                "back here.")
    count = due_count(items, saved["cards"], today, course)
    if count == 0:
        day = next_due(saved["cards"])
        return "No questions due for review today" + (
            f": the next are due on {long_day(day)}." if day else ".")
    return f"{count} question{'' if count == 1 else 's'} due for review."


# --- exports and imports ----------------------------------------------------------------------

IMPORT_NOTE = " Its review schedule could not be read ({why}) and was left out."


def add_to_export(export: dict, saved: dict) -> bool:
    """A JSON export carries the usable review record (kapreview.js addToExport())."""
    if not (saved["cards"] or saved["days"]):
        return False
    export[PROGRESS_KEY] = saved
    return True


def import_note(store, text: str) -> str:
    """Merge the review record of an imported JSON file into the saved one (the card reviewed
    last wins); returns a note for the learner when the file's record is unreadable (it is
    left out, nothing else changes). Raises OSError."""
    import json

    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except (ValueError, RecursionError):
        return ""  # a CSV file (the import itself has read it)
    block = data.get(PROGRESS_KEY) if isinstance(data, dict) else None
    if block is None:
        return ""
    why = problem(block)
    if why:
        return IMPORT_NOTE.format(why=why)
    _update(store, lambda saved: merge(saved, clean(block)))
    return ""
