"""Reading ``book/readiness.yml``: checked by the same JSON Schema reporter as the banks
(``file:line:column: key path: message``), its links checked against the lessons' sections.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kapcourse.bank.course import course_root, section_anchor
from kapcourse.bank.model import (
    BankError,
    KeyPath,
    Located,
    Problem,
    dotted,
    file_problems,
    load_yaml,
    parse_date,
)
from kapcourse.content.readiness.model import (
    GUIDE_FILE,
    HEADING,
    LINK,
    Advice,
    Guide,
    Option,
    Priority,
    Question,
    Topic,
)


def notebook_sections(path: Path) -> dict[str, str]:
    """{anchor: heading text} for the Markdown headings of a notebook."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    sections: dict[str, str] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        in_fence = False
        for line in "".join(cell.get("source", "")).splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            match = None if in_fence else HEADING.match(line)
            if match:
                sections.setdefault(section_anchor(match.group(1)), match.group(1))
    return sections


class _Checker:
    """Collects the guide's cross-reference problems (ids, topics, links, citations) once its
    shape has passed the JSON Schema (``schema/readiness.schema.json``)."""

    def __init__(self, located: Located, file: str):
        self.located, self.file = located, file
        self.problems: list[Problem] = []

    def report(self, path: KeyPath, message: str) -> None:
        line, column = self.located.where(path)
        self.problems.append(Problem(self.file, line, column, dotted(path), message))

    def ident(self, value: dict, path: KeyPath, seen: set[str], what: str) -> None:
        if value["id"] in seen:
            self.report((*path, "id"), f"duplicate {what} id '{value['id']}'")
        seen.add(value["id"])


def _check(data: dict[str, Any], located: Located, file: str, root: Path | None,
           citations: set[str] | None) -> tuple[list[Problem], dict[str, str]]:
    check = _Checker(located, file)
    if parse_date(data["reviewed"]) is None:
        check.report(("reviewed",), f"{data['reviewed']!r} is not a real date")
    levels: set[int] = set()
    for index, raw in enumerate(data["priorities"]):
        if raw["level"] in levels:
            check.report(("priorities", index, "level"), f"duplicate priority level {raw['level']}")
        levels.add(raw["level"])
    topics: set[str] = set()
    for index, raw in enumerate(data["topics"]):
        check.ident(raw, ("topics", index), topics, "topic")
    advice_ids: set[str] = set()
    for index, raw in enumerate(data["advice"]):
        _check_advice(check, raw, ("advice", index), advice_ids, topics, levels, citations)
    sections = _link_sections(check, data["advice"], root)
    used = _check_questions(check, data["questions"], topics, advice_ids)
    for index, raw in enumerate(data["advice"]):
        if raw["id"] not in used:
            check.report(("advice", index, "id"), f"advice '{raw['id']}' is never given: "
                                                  "no answer option leads to it")
    return check.problems, sections


def _check_advice(check: _Checker, raw: dict, path: KeyPath, advice_ids: set[str],
                  topics: set[str], levels: set[int], citations: set[str] | None) -> None:
    check.ident(raw, path, advice_ids, "advice")
    if raw["topic"] not in topics:
        check.report((*path, "topic"), f"unknown topic '{raw['topic']}' (topics: "
                                       f"{', '.join(sorted(topics))})")
    if raw["priority"] not in levels:
        check.report((*path, "priority"), f"unknown priority {raw['priority']} (levels: "
                                          f"{', '.join(map(str, sorted(levels)))})")
    for k, key in enumerate(raw.get("cite", [])):
        if citations is not None and key not in citations:
            check.report((*path, "cite", k), f"citation key '{key}' is not in "
                                             "book/references.bib")


def _link_sections(check: _Checker, advice: list[dict], root: Path | None) -> dict[str, str]:
    """Each advice link's lesson section title; a link to a missing lesson or section is a
    problem (checked only with ``root``: the schema has already checked the link's form)."""
    sections: dict[str, str] = {}
    if root is None:
        return sections
    read: dict[str, dict[str, str] | None] = {}
    for index, raw in enumerate(advice):
        match = LINK.match(raw["link"])
        notebook = root / "notebooks" / f"{match['stem']}.ipynb"
        if match["stem"] not in read:
            read[match["stem"]] = notebook_sections(notebook) if notebook.is_file() else None
        found = read[match["stem"]]
        if found is None:
            check.report(("advice", index, "link"), f"no notebook {notebook.relative_to(root)}")
        elif match["anchor"] not in found:
            check.report(("advice", index, "link"),
                         f"no section '#{match['anchor']}' in {match['stem']}.ipynb "
                         f"(sections: {', '.join(found)})")
        else:
            sections[raw["link"]] = found[match["anchor"]]
    return sections


def _check_questions(check: _Checker, questions: list[dict], topics: set[str],
                     advice_ids: set[str]) -> set[str]:
    """Check ids and references of the questions; the advice ids their options lead to."""
    used: set[str] = set()
    question_ids: set[str] = set()
    for index, raw in enumerate(questions):
        path = ("questions", index)
        check.ident(raw, path, question_ids, "question")
        if raw["topic"] not in topics:
            check.report((*path, "topic"), f"unknown topic '{raw['topic']}'")
        option_ids: set[str] = set()
        for o, option in enumerate(raw["options"]):
            opath = (*path, "options", o)
            check.ident(option, opath, option_ids, "option")
            if raw["kind"] == "single" and "advice_if_missing" in option:
                check.report((*opath, "advice_if_missing"), "'advice_if_missing' is only for "
                                                            "multiple questions")
            for key in ("advice", "advice_if_missing"):
                for a, advice_id in enumerate(option.get(key, [])):
                    used.add(advice_id)
                    if advice_id not in advice_ids:
                        check.report((*opath, key, a), f"unknown advice id '{advice_id}'")
    return used


def load_guide(path: str | Path | None = None, root: Path | None = None,
               citations: set[str] | None = None, display_name: str | None = None) -> Guide:
    """Load and check the readiness guide (default: ``book/readiness.yml`` of the course).

    With ``root``, each advice link must name an existing lesson section; with ``citations``
    (BibTeX keys), every ``cite`` key must exist. Raises :class:`BankError` listing every problem.
    """
    if path is None:
        root = root or course_root()
        path = root / GUIDE_FILE
    path = Path(path)
    file = display_name or (str(GUIDE_FILE) if root and path == root / GUIDE_FILE else str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BankError([Problem(file, 1, 1, "", f"cannot read file: {exc.strerror}")]) from None
    located = load_yaml(text, file)
    problems = file_problems(located, file, "readiness")  # duplicate keys, then the schema
    if problems:
        raise BankError(problems)
    problems, sections = _check(located.data, located, file, root, citations)
    if problems:
        raise BankError(problems)
    return _build(located.data, sections)


def _build(data: dict[str, Any], sections: dict[str, str]) -> Guide:
    priorities = tuple(sorted((Priority(p["level"], p["label"], p["description"])
                               for p in data["priorities"]), key=lambda p: p.level))
    topics = tuple(Topic(t["id"], t["title"]) for t in data["topics"])
    topic_order = {t.id: i for i, t in enumerate(topics)}
    advice = [Advice(a["id"], a["topic"], a["priority"], " ".join(a["text"].split()), a["link"],
                     tuple(a.get("cite", ()))) for a in data["advice"]]
    order = {item.id: i for i, item in enumerate(advice)}
    advice.sort(key=lambda a: (a.priority, topic_order[a.topic], order[a.id]))
    questions = tuple(
        Question(q["id"], q["topic"], q["kind"], q["text"],
                 tuple(Option(o["id"], o["text"], tuple(o.get("advice", ())),
                              tuple(o.get("advice_if_missing", ()))) for o in q["options"]))
        for q in data["questions"])
    return Guide(data["title"], dt.date.fromisoformat(data["reviewed"]), data["notice"],
                 priorities, topics, questions, tuple(advice), sections, data.get("lesson", ""))

