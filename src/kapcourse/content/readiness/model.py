"""The readiness guide's model: priorities, topics, questions, advice and the guide,
with the rule that turns answers into next steps. No display code, no file reading.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GUIDE_FILE = Path("book") / "readiness.yml"
STORAGE_KEY = "kapcourse:readiness"  # localStorage key used by _static/kapreadiness.js
LINK = re.compile(r"^notebooks/(?P<stem>\d\d_[a-z0-9_]+)\.ipynb#(?P<anchor>[a-z][a-z0-9-]*)$")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
AS_OF = re.compile(r"\bAs of (\d{1,2} [A-Z][a-z]+ \d{4})\b")



@dataclass(frozen=True)
class Priority:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    advice: tuple[str, ...] = ()
    advice_if_missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    kind: str  # "single" (one answer) or "multiple" (tick all that apply)
    text: str
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        known = ", ".join(o.id for o in self.options)
        raise ValueError(f"question '{self.id}' has no option '{option_id}' (options: {known})")


@dataclass(frozen=True)
class Advice:
    id: str
    topic: str
    priority: int
    text: str
    link: str  # notebooks/NN_slug.ipynb#anchor
    cite: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    title: str
    reviewed: dt.date
    notice: str
    priorities: tuple[Priority, ...]
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]
    advice: tuple[Advice, ...]  # in presentation order: priority, then topic, then file order
    section_titles: dict[str, str]  # link -> section heading, when the notebooks were read
    lesson: str = ""  # the lesson that holds the self-assessment (a course fact in the YAML)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise ValueError(f"no question '{question_id}' (questions: {known})")

    def advice_item(self, advice_id: str) -> Advice:
        for item in self.advice:
            if item.id == advice_id:
                return item
        raise KeyError(advice_id)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def priority(self, level: int) -> Priority:
        return next(p for p in self.priorities if p.level == level)

    def cited_keys(self) -> list[str]:
        keys: list[str] = []
        for item in self.advice:
            keys += [k for k in item.cite if k not in keys]
        return keys

    def unanswered(self, answers: dict[str, Any]) -> list[str]:
        """Single-choice questions without an answer (a multiple one is never unanswered)."""
        return [q.id for q in self.questions if q.kind == "single" and not answers.get(q.id)]

    def next_steps(self, answers: dict[str, Any]) -> list[Advice]:
        """The advice these answers lead to, each once, most urgent first."""
        chosen: set[str] = set()
        for question_id in answers:
            self.question(question_id)  # unknown questions are an error, not silently ignored
        for question in self.questions:
            answer = answers.get(question.id)
            if question.kind == "single":
                if answer in (None, ""):
                    continue
                if not isinstance(answer, str):
                    raise ValueError(f"question '{question.id}' takes one option id")
                chosen.update(question.option(answer).advice)
                continue
            ticked = [] if answer is None else ([answer] if isinstance(answer, str) else answer)
            picked = {question.option(option_id).id for option_id in ticked}
            for option in question.options:
                chosen.update(option.advice if option.id in picked else option.advice_if_missing)
        return [item for item in self.advice if item.id in chosen]

