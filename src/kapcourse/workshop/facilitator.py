"""Workshop tools: agendas timed from the lessons' own metadata, and printable answer keys.

Single sources: a lesson's length is its notebook's ``kapcourse.minutes``; its title is its
bank's ``title``; the answer keys are rendered from the banks. ``book/facilitator/agenda.yml``
only says which lessons go where, the other blocks' lengths, and which quizzes run live.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path

from kapcourse.bank.course import bibliography, notebook_minutes
from kapcourse.bank.markdown import block, inline, plain_markdown
from kapcourse.bank.model import (
    Bank,
    BankError,
    Problem,
    Vignette,
    bank_paths,
    file_problems,
    html_problems,
    load_bank,
    read_yaml,
)
from kapcourse.quiz.static import sources_html

AGENDA = Path("book") / "facilitator" / "agenda.yml"


@dataclass(frozen=True)
class Slot:
    start: dt.time
    end: dt.time
    label: str
    minutes: int
    live: tuple[str, ...] = ()
    lesson: str | None = None


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    slots: tuple[Slot, ...]
    before: tuple[tuple[str, str, int], ...]  # self-paced lessons: (stem, title, minutes)


def _lesson(root: Path, stem: str) -> tuple[str, int, Bank]:
    bank = load_bank(root / "quizzes" / f"{stem}.yml")
    try:
        notebook = json.loads((root / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # validate reports a missing or broken notebook itself
        notebook = {}
    return bank.title, notebook_minutes(notebook) or 0, bank


def load_plans(root: Path) -> dict[str, Plan]:
    """Read agenda.yml; raises BankError naming the file, line and key of any problem."""
    file = str(AGENDA)
    located = read_yaml(root / AGENDA, file)
    problems = file_problems(located, file, "agenda") + html_problems(located, file)
    if problems:
        raise BankError(problems)

    read: dict[str, tuple[str, int, Bank]] = {}  # a lesson can appear in several plans

    def lesson(stem: str) -> tuple[str, int, Bank]:
        if stem not in read:
            read[stem] = _lesson(root, stem)
        return read[stem]

    def report(key_path: tuple, message: str) -> None:
        line, column = located.where(key_path)
        problems.append(Problem(file, line, column, ".".join(map(str, key_path)), message))

    plans = {}
    for plan_id, spec in located.data.items():  # the schema checked the form of every field
        clock = dt.datetime.combine(dt.date.today(), dt.time.fromisoformat(spec["start"]))
        slots = []
        for index, entry in enumerate(spec.get("blocks", [])):
            where = (plan_id, "blocks", index)
            live: tuple[str, ...] = ()
            if "lesson" in entry:
                stem = entry["lesson"]
                if not (root / "quizzes" / f"{stem}.yml").exists():
                    report((*where, "lesson"), f"no lesson '{stem}'")
                    continue
                title, minutes, bank = lesson(stem)
                label = f"Lesson {stem[:2]}: {title}"
                known = {item.id for item in bank.items}
                live = tuple(entry.get("live", []))
                for bad in [i for i in live if i not in known]:
                    report((*where, "live"), f"'{bad}' is not an item of {stem}")
            else:
                label, minutes, stem = entry["activity"], entry["minutes"], None
            end = clock + dt.timedelta(minutes=minutes)
            slots.append(Slot(clock.time(), end.time(), label, minutes, live, stem))
            clock = end
        before = []
        for index, stem in enumerate(spec.get("before", [])):
            if (root / "quizzes" / f"{stem}.yml").exists():
                before.append((stem, *lesson(stem)[:2]))
            else:
                report((plan_id, "before", index), f"no lesson '{stem}'")
        plans[plan_id] = Plan(plan_id, spec["title"], tuple(slots), tuple(before))
    if problems:
        raise BankError(problems)
    return plans


def agenda_markdown(plan: Plan) -> str:
    """A MyST table of the plan, with lesson links and the live quiz ids.

    Titles and activities are plain text (``plain_markdown``): HTML or Markdown in a bank
    title or the agenda cannot become markup on the page. Stems and ids are schema-checked.
    """
    rows = ["| time | activity | minutes | quizzes run live |", "|---|---|---|---|"]
    for slot in plan.slots:
        text = plain_markdown(slot.label)
        label = f"[{text}](../../notebooks/{slot.lesson}.ipynb)" if slot.lesson else text
        live = ", ".join(f"`{item}`" for item in slot.live)
        when = f"{slot.start:%H:%M} to {slot.end:%H:%M}"
        rows.append(f"| {when} | {label} | {slot.minutes} | {live} |")
    total = sum(slot.minutes for slot in plan.slots)
    out = "\n".join(rows) + f"\n\nIn all: {total // 60} h {total % 60:02d} min.\n"
    if plan.before:
        out += "\nBefore the workshop, self-paced:\n\n" + "\n".join(
            f"- [Lesson {stem[:2]}: {plain_markdown(title)}](../../notebooks/{stem}.ipynb), "
            f"about {minutes} min"
            for stem, title, minutes in plan.before) + "\n"
    return out


# --- answer keys ---------------------------------------------------------------------------


def _question_key(question, references) -> str:
    if question.type == "truefalse":
        answers = f"<p><strong>Answer: {question.answer}.</strong></p>"
    elif question.type in ("single", "multiple"):
        # in the order learners see them, so "B" on the key is "B" on their screen
        shown = [question.options[i] for i in question.option_order]
        answers = "<ol type=\"A\">" + "".join(
            f"<li>{'<strong>✓ ' if o.correct else ''}{inline(o.text)}"
            f"{'</strong>' if o.correct else ''}<br><small>{inline(o.feedback)}</small></li>"
            for o in shown) + "</ol>"
    elif question.type == "numeric":
        answers = (f"<p><strong>Answer: {question.answer:g} {escape(question.unit)}</strong> "
                   f"(accepted within ± {question.tolerance:g})</p>")
    else:
        answers = "<ol>" + "".join(f"<li>{inline(step)}</li>" for step in question.steps) + "</ol>"
    return (f'<section><h3>{escape(question.id)}</h3>{block(question.prompt)}{answers}'
            f"{block(question.explanation)}{sources_html(question.cite, references)}</section>")


def answer_key_html(bank: Bank, references: dict) -> str:
    body = []
    for item in bank.items:
        if isinstance(item, Vignette):
            parts = "".join(_question_key(p, references) for p in item.parts)
            body.append(f"<section><h2>Case {escape(item.id)}</h2>{block(item.case)}{parts}"
                        f"{block(item.explanation) if item.explanation else ''}</section>")
        else:
            body.append(_question_key(item, references))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Answer key: {escape(bank.title)}</title><style>body{{font-family:serif;"
            "max-width:48rem;margin:1.5rem auto;padding:0 1rem}section{break-inside:avoid}"
            "small{color:#333}</style></head><body>"
            f"<h1>Answer key: {escape(bank.title)}</h1><p>For facilitators: not for learners "
            f"before they have answered. Generated from <code>quizzes/{escape(bank.stem)}.yml"
            f"</code> (reviewed {bank.reviewed.isoformat()}). Educational material, not medical "
            "advice.</p>" + "".join(body) + "</body></html>\n")


def write_answer_keys(root: Path, folder: Path) -> list[Path]:
    references = bibliography(root)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path in bank_paths(root / "quizzes"):
        bank = load_bank(path, set(references))
        out = folder / f"answer-key-{bank.stem}.html"
        out.write_text(answer_key_html(bank, references), encoding="utf-8")
        written.append(out)
    return written
