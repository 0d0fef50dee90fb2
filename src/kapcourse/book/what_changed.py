"""The book's "What changed" page: for each release in CHANGELOG.md, which questions changed,
left or joined the course since, from the fingerprints kept in ``quizzes/fingerprints/``.

The page also holds a box that ``kapprogress.js`` fills with the questions THIS learner
answered that changed since (from the browser's storage; see kapcourse.record.versions)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kapcourse.record.versions import CHANGED, CHANGED_HINT, released_fingerprints, tables

CHANGELOG = Path("CHANGELOG.md")
RELEASE = re.compile(r"^## \[([0-9]+\.[0-9]+\.[0-9]+)\] - ([0-9]{4}-[0-9]{2}-[0-9]{2})[ \t]*$",
                     re.MULTILINE)
SECTION = re.compile(r"^### (.+)$", re.MULTILINE)
BOX = ('<div class="kp" id="kp-changed"><p class="kp-msg">The answers saved in this browser '
       'whose question changed appear here.</p></div>')


def releases(changelog: str) -> list[tuple[str, str, list[str]]]:
    """(version, date, its ``###`` section names) of every released section, newest first."""
    found = []
    starts = list(RELEASE.finditer(changelog))
    for number, match in enumerate(starts):
        end = starts[number + 1].start() if number + 1 < len(starts) else len(changelog)
        body = changelog[match.end():end]
        found.append((match.group(1), match.group(2), SECTION.findall(body)))
    return found


def _text(text: str) -> str:
    """Plain text as inert Markdown (every ASCII punctuation character escaped)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()))


def _id(question: str) -> str:
    """A question id as code (ids are lower-case letters, digits and hyphens: checked)."""
    return f"`{question}`" if re.fullmatch(r"[a-z0-9-]+", question) else _text(question)


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _lesson_titles(root: Path) -> dict[str, str]:
    """Question id -> the title of its lesson (or "Final assessment")."""
    from kapcourse.record.final import read_course

    return {q.id: ("Final assessment" if bank.stem == "final" else bank.title)
            for bank in read_course(root).banks for q in bank.questions}


def changes(old: dict[str, str], current: dict[str, str]) -> dict[str, list[str]]:
    """The question ids that changed, were removed and were added between two tables."""
    return {"changed": sorted(q for q in old if q in current and old[q] != current[q]),
            "removed": sorted(q for q in old if q not in current),
            "added": sorted(q for q in current if q not in old)}


def what_changed_markdown(root: Path) -> str:
    """The page's body (MyST Markdown)."""
    course = tables(root)
    kept = released_fingerprints(root)
    titles = _lesson_titles(root)
    changelog = (root / CHANGELOG).read_text(encoding="utf-8")
    lines = ["## Your answers", "",
             f"When a question changes after you answered it, your answer is kept and the "
             f"question says: *{_text(CHANGED)}* {_text(CHANGED_HINT)} An answer to a question "
             "the course no longer has stays in your exports but leaves your scores. Renamed "
             "lessons and questions keep your answers.", "", BOX, ""]
    for version, date, sections in releases(changelog):
        lines += [f"## Since release {version} ({_day(date)})", ""]
        if sections:
            lines += [f"The changelog lists for this release: {_text(', '.join(sections))}.", ""]
        if version not in kept:
            lines += ["No fingerprints of its questions were kept (they start with release "
                      "0.2.0): answers saved with it count as answers to the current questions "
                      "unless the question changed since 0.2.0.", ""]
            continue
        diff = changes(kept[version], course.current)
        lines += [f"Since this release, {len(diff['changed'])} question(s) changed, "
                  f"{len(diff['removed'])} left the course and {len(diff['added'])} are new.", ""]
        by_lesson: dict[str, list[str]] = {}
        for question in diff["changed"]:
            by_lesson.setdefault(titles.get(question, "Other"), []).append(question)
        if by_lesson:
            lines += ["| Lesson | Questions that changed |", "|---|---|"]
            lines += [f"| {_text(title)} | {', '.join(_id(q) for q in ids)} |"
                      for title, ids in by_lesson.items()]
            lines += [""]
        if diff["removed"]:
            lines += [f"Questions no longer in the course: "
                      f"{', '.join(_id(q) for q in diff['removed'])}.", ""]
    return "\n".join(lines)
