"""The quiz data model and the item-bank loader.

No IPython or widget imports here: this module is shared by the validator, both renderers,
the Sphinx extension and the tests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kapcourse.bank.jsonschema_import import jsonschema
from kapcourse.bank.markdown import unsafe_links

CHOICE_TYPES = ("single", "multiple")
QUESTION_TYPES = ("single", "multiple", "truefalse", "numeric", "ordering")
COMMON_FIELDS = ("id", "type", "objective", "prompt", "explanation", "cite", "currency")


# ---------------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a course file, located as precisely as the file allows."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {where}{self.message}"


class BankError(ValueError):
    """Raised when an item bank (or another course file) is invalid.

    ``str(error)`` lists every problem as ``file:line:column: key.path: message``, one per
    line, exactly as ``kapcourse validate`` prints them.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# ---------------------------------------------------------------------------------------------
# YAML with source positions


MAX_BYTES = 1_000_000  # the largest bank is about 40 KB
MAX_DEPTH = 50  # a bank nests 8 deep; PyYAML's composer recurses and fails near 450


class _Refused(yaml.MarkedYAMLError):
    """YAML that is valid but not allowed in a course file (anchors, aliases, deep nesting)."""


class _Loader(yaml.SafeLoader):
    """Safe loader for course files: YAML 1.2 scalars, dates kept as strings (the schema checks
    their form), no anchors or aliases, bounded nesting.

    Aliases are refused because nothing in a course file needs them and a few hundred bytes of
    nested aliases expand to billions of nodes (a "billion laughs" bomb). Both checks run while
    the node tree is composed, before any Python object is built.
    """

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(None, None, "anchors and aliases (&name, *name) are not allowed in "
                           "course files: write the value out", event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep",
                           event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# YAML 1.1 (PyYAML's default) reads yes/no/on/off as booleans, 9:30 as the base-60 number 570
# and 2026-01-01 as a date. Course files get YAML 1.2's core schema for these: only true/false
# are booleans, numbers are decimal, and dates stay text.
_YAML_1_1_SCALARS = {f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "timestamp")}
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in _YAML_1_1_SCALARS]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+"
               r"|\.[0-9]+[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))

KeyPath = tuple[str | int, ...]


class _Where:
    """Finding a key path's position, for :class:`Located` and its read-only view."""

    marks: Mapping[KeyPath, tuple[int, int]]
    key_marks: Mapping[KeyPath, tuple[int, int]]

    def where(self, path: KeyPath, at_key: bool = False) -> tuple[int, int]:
        """Best-known position for a key path: the nearest ancestor that was recorded."""
        table = self.key_marks if at_key else self.marks
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.marks:
                return self.marks[prefix]
        return (1, 1)


@dataclass
class Located(_Where):
    """Parsed YAML data plus the (line, column) of every key path in it."""

    data: Any
    marks: dict[KeyPath, tuple[int, int]]
    key_marks: dict[KeyPath, tuple[int, int]]
    duplicates: list[tuple[KeyPath, tuple[int, int]]] = field(default_factory=list)


@dataclass(frozen=True)
class FrozenLocated(_Where):
    """A read-only :class:`Located`: mappings are ``MappingProxyType`` and lists are tuples,
    all the way down, so a caller cannot change what the bank cache keeps."""

    data: Any
    marks: Mapping[KeyPath, tuple[int, int]]
    key_marks: Mapping[KeyPath, tuple[int, int]]

    @classmethod
    def of(cls, located: Located) -> FrozenLocated:
        return cls(_frozen(located.data), MappingProxyType(dict(located.marks)),
                   MappingProxyType(dict(located.key_marks)))


def _frozen(value: Any) -> Any:
    """A read-only deep copy of parsed YAML (the scalars are immutable already)."""
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _walk(node: yaml.Node, path: KeyPath, located: Located) -> None:
    located.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            child = (*path, key)
            mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                located.duplicates.append((child, mark))
            seen.add(key)
            located.key_marks[child] = mark
            _walk(value_node, child, located)
    elif isinstance(node, yaml.SequenceNode):
        for index, value_node in enumerate(node.value):
            _walk(value_node, (*path, index), located)


def load_yaml(text: str, file: str) -> Located:
    """Parse YAML text, raising BankError (with line and column) on a syntax error."""
    try:
        loader = _Loader(text)  # checks for characters YAML forbids (NUL, form feed ...)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        message = (f"character U+{exc.character:04X} is not allowed in a YAML file "
                   "(control characters such as NUL or form feed)")
        raise BankError([Problem(file, line, column, "", message)]) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        mark = exc.problem_mark
        raise BankError([Problem(file, mark.line + 1, mark.column + 1, "", exc.problem)]
                        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        raise BankError([Problem(file, line, column, "", message)]) from None
    except yaml.YAMLError as exc:
        raise BankError([Problem(file, 1, 1, "", f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    located = Located(data, {}, {})
    if node is not None:
        _walk(node, (), located)
    return located


def read_yaml(path: Path, file: str) -> Located:
    """Read and parse a course YAML file (a bank, the glossary, the agenda).

    Every way the file can be unreadable is a :class:`BankError` naming ``file``: missing, a
    directory or a special file, larger than ``MAX_BYTES``, not UTF-8, or not YAML.
    """
    return load_yaml(read_text(path, file), file)


def read_text(path: Path, file: str) -> str:
    """A course file's text; a :class:`BankError` naming ``file`` if it cannot be read (see
    :func:`read_yaml`)."""
    def refuse(message: str, line: int = 1, column: int = 1) -> BankError:
        return BankError([Problem(file, line, column, "", message)])

    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            raise refuse("cannot read file: not a regular file")  # a FIFO would block
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise refuse(f"the file is larger than {MAX_BYTES // 1_000_000} MB; a course file "
                     "is far smaller (split it, or look for pasted data)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        raise refuse(f"byte 0x{raw[exc.start]:02x} is not UTF-8 text: save the file as UTF-8",
                     raw.count(b"\n", 0, exc.start) + 1, exc.start - line_start + 1) from None


def dotted(path: KeyPath) -> str:
    """``("items", 3, "options")`` -> ``items[3].options``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Currency:
    """A claim that can expire (a rule, a status, a guideline): when it was checked
    (``as_of``), when it must be checked again (``review_by``), and the source to re-check
    (a citation key of ``book/references.bib`` or an official http(s) address)."""

    as_of: dt.date
    review_by: dt.date
    source: str
    note: str = ""
    line: int = field(default=1, compare=False)  # of ``review_by`` in the bank, for messages


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class CommonError:
    value: float
    feedback: str


@dataclass(frozen=True)
class Question:
    """An answerable question: a top-level item or one part of a case vignette."""

    id: str
    type: str
    prompt: str
    explanation: str
    objective: str
    cite: tuple[str, ...]
    options: tuple[Option, ...] = ()
    answer: bool | float | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    tolerance: float = 0.0
    unit: str = ""
    common_errors: tuple[CommonError, ...] = ()
    steps: tuple[str, ...] = ()
    currency: Currency | None = None
    form: int = 0  # final-assessment items: which parallel form of the objective (0: a lesson item)
    safety: bool = False  # final-assessment items: must be right to pass the final

    @property
    def questions(self) -> tuple[Question, ...]:
        """The answerable questions of this item: itself (a case has its parts)."""
        return (self,)

    @property
    def shuffled_steps(self) -> tuple[int, ...]:
        """Deterministic presentation order for an ordering item (never the correct one)."""
        return shuffle_order(self.id, len(self.steps))

    @property
    def option_order(self) -> tuple[int, ...]:
        """Presentation order of the options, so the correct one is not always where the
        author wrote it (True/False stays in that order). Responses keep bank indices."""
        if self.type == "truefalse":
            return (0, 1)
        return shuffle_order(self.id, len(self.options))


@dataclass(frozen=True)
class Vignette:
    id: str
    objective: str
    cite: tuple[str, ...]
    case: str
    parts: tuple[Question, ...]
    explanation: str = ""
    type: str = "vignette"
    currency: Currency | None = None
    form: int = 0
    safety: bool = False

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.parts


@dataclass(frozen=True)
class Objective:
    id: str
    text: str


Item = Question | Vignette


@dataclass(frozen=True)
class FinalSpec:
    """A bank's ``final_assessment`` section (the final's items are every bank's
    ``final_items``: see :mod:`kapcourse.record.final`)."""

    pass_mark: int  # per cent


@dataclass(frozen=True)
class Bank:
    """One lesson's item bank."""

    stem: str
    path: Path
    title: str
    reviewed: dt.date
    objectives: tuple[Objective, ...]
    items: tuple[Item, ...]
    final: FinalSpec | None = None
    final_items: tuple[Item, ...] = ()  # written for the final assessment, not shown in the lesson

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        known = ", ".join(i.id for i in self.items)
        raise KeyError(f"{self.path.name} has no item {item_id!r}; its items are: {known}")

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every gradable question: plain items, and each part of every vignette."""
        return tuple(question for item in self.items for question in item.questions)

    def cited_keys(self) -> set[str]:
        keys: set[str] = set()
        for item in self.items + self.final_items:
            keys.update(item.cite)
            if isinstance(item, Vignette):
                for part in item.parts:
                    keys.update(part.cite)
        return keys


FINGERPRINT_LENGTH = 16  # hex digits: 64 bits, no collision among a course's few hundred


def fingerprint(question: Question) -> str:
    """A short hash of what a learner's answer refers to: the question's type, prompt,
    options (text and which are correct), key (answer, tolerance, unit) and steps. Feedback,
    explanations and citations are left out, so correcting them keeps learners' answers.
    The book never recomputes it: Python ships the values in the course data."""
    answer = question.answer
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        answer = float(answer)  # 35 and 35.0 are the same key
    content = {"type": question.type, "prompt": question.prompt,
               "options": [[o.text, o.correct] for o in question.options],
               "answer": answer, "tolerance": float(question.tolerance),
               "unit": question.unit, "steps": list(question.steps)}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def shuffle_order(seed: str, count: int) -> tuple[int, ...]:
    """A fixed permutation of range(count) derived from ``seed``; never the identity."""
    order = list(range(count))
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return tuple(order)


# ---------------------------------------------------------------------------------------------
# Loading and checking


@cache
def schema(kind: str = "bank") -> dict[str, Any]:
    """The shipped JSON Schema for a kind of course file: bank, glossary, agenda or readiness."""
    path = f"schema/{kind}.schema.json"
    return json.loads(resources.files("kapcourse").joinpath(path).read_text("utf-8"))


def type_fields() -> dict[str, tuple[str, ...]]:
    """Each question type's own keys, read from the bank schema's per-type branches: the
    schema is the one place a type's fields are written (kapcourse.quiz.types has its
    behaviour)."""
    return {branch["if"]["properties"]["type"]["const"]: tuple(branch["then"]["properties"])
            for branch in schema("bank")["$defs"]["question"]["allOf"]}


def file_problems(located: Located, file: str, kind: str) -> list[Problem]:
    """The checks every authored file gets: duplicate keys and its JSON Schema."""
    problems = [Problem(file, line, col, dotted(p), f"duplicate key '{p[-1]}'")
                for p, (line, col) in located.duplicates]
    return problems + _schema_problems(located, file, kind)


# An HTML tag, end tag, comment, doctype or processing instruction starts with "<" and then a
# letter, "/", "!" or "?" (a "<" before a space or a digit is plain text to HTML and Markdown).
_RAW_HTML = re.compile(r"<[a-zA-Z/!?]")


def html_problems(located: Located, file: str, only: tuple[str, ...] = ()) -> list[Problem]:
    """Raw HTML in the file's text (in the top-level keys ``only``, or everywhere), written
    out or as entities that decode to a tag (``&lt;script&gt;``).

    The pages never run it (quiz text goes through the safe Markdown renderer, the rest is
    escaped), but an author who writes HTML expects it to work: say so at the line.
    """
    problems = []
    for path, text in _strings(located.data, ()):
        if only and (not path or path[0] not in only):
            continue
        found = _RAW_HTML.search(text) or _RAW_HTML.search(html.unescape(text))
        if found:
            line, column = located.where(path)
            problems.append(Problem(
                file, line, column, dotted(path),
                f"raw HTML is not allowed (found '{found.group()}'); use Markdown (*emphasis*, "
                "**strong**, `code`, [link](https://...)) or put a space after '<'"))
        for url in unsafe_links(text):
            line, column = located.where(path)
            problems.append(Problem(file, line, column, dotted(path),
                                    f"link to '{url}' is not allowed: links are http(s), "
                                    "mailto or relative (the page would show its text only)"))
    return problems


def _strings(data: Any, path: KeyPath):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _schema_problems(located: Located, file: str, kind: str = "bank") -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema(kind))
    found: dict[tuple[KeyPath, str], Problem] = {}
    for error in validator.iter_errors(located.data):
        for path, message, at_key in _describe(error):
            line, column = located.where(path, at_key)
            found.setdefault((path, message), Problem(file, line, column, dotted(path), message))
    return _widest_enum_only(list(found.values()))


def _widest_enum_only(problems: list[Problem]) -> list[Problem]:
    """An item's bad 'type' fails two enums (items, vignette parts): keep the wider list."""
    enums: dict[str, Problem] = {}
    for problem in problems:
        if "is not one of:" in problem.message:
            best = enums.get(problem.path)
            if best is None or len(problem.message) > len(best.message):
                enums[problem.path] = problem
    return [p for p in problems if "is not one of:" not in p.message or enums[p.path] is p]


# Validators whose failure a schema may word itself, with an "errorMessage" beside them.
WORDED = ("pattern", "minItems", "maxItems", "minLength")


def _describe(error: jsonschema.ValidationError) -> list[tuple[KeyPath, str, bool]]:
    """Turn one jsonschema error into author-friendly (path, message, at_key) triples."""
    path: KeyPath = tuple(error.absolute_path)
    if error.validator == "unevaluatedProperties":
        # jsonschema also calls a type's own fields "unevaluated" when their branch failed,
        # so judge unknown keys against the item's type here.
        kind = error.instance.get("type")
        fields = type_fields()
        if kind not in fields:
            return []  # the bad 'type' is reported on its own
        allowed = sorted(COMMON_FIELDS + fields[kind])
        extra = [key for key in error.instance if key not in allowed]
        return [((*path, key), f"unknown key '{key}' for a {kind} item (allowed: "
                               f"{', '.join(allowed)})", True) for key in extra]
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = re.findall(r"'([^']+)'", error.message.split("(")[-1])
        hint = f" (allowed here: {', '.join(allowed)})" if allowed else ""
        return [((*path, key), f"unknown key '{key}'{hint}", True) for key in extra]
    if error.validator == "required":
        missing = re.findall(r"'([^']+)'", error.message)[:1]
        return [(path, f"missing required key '{missing[0] if missing else error.message}'", False)]
    if error.validator == "type":
        return [(path, f"must be of type {error.validator_value}, not {_yaml_type(error.instance)}",
                 False)]
    if error.validator == "enum":
        choices = ", ".join(map(str, error.validator_value))
        return [(path, f"{error.instance!r} is not one of: {choices}", False)]
    if error.validator == "not" and "errorMessage" in error.schema:  # a removed key
        return [(path, error.schema["errorMessage"], True)]
    if error.validator in WORDED and "errorMessage" in error.schema:
        return [(path, error.schema["errorMessage"], False)]
    if error.validator == "pattern" and path and path[-1] == "reviewed":
        return [(path, "must be a date written YYYY-MM-DD", False)]
    if error.validator == "pattern":
        return [(path, "ids use lower-case letters, digits and hyphens only", False)]
    if error.validator in ("if", "then", "else", "allOf", "const"):
        return []  # the branch's own errors are reported separately
    return [(path, error.message, False)]


def _yaml_type(value: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list",
             dict: "mapping", type(None): "empty"}
    return names.get(type(value), type(value).__name__)


def _semantic_problems(data: dict[str, Any], located: Located, file: str) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: KeyPath, message: str) -> None:
        line, column = located.where(path)
        problems.append(Problem(file, line, column, dotted(path), message))

    try:
        reviewed = dt.date.fromisoformat(data["reviewed"])
    except ValueError:
        report(("reviewed",), f"{data['reviewed']!r} is not a real date")
    else:
        if reviewed > dt.date.today():
            report(("reviewed",), "the review date is in the future")

    objective_ids: dict[str, int] = {}
    for index, objective in enumerate(data["objectives"]):
        if objective["id"] in objective_ids:
            report(("objectives", index, "id"), f"duplicate objective id '{objective['id']}'")
        objective_ids.setdefault(objective["id"], index)

    seen_ids: set[str] = set()

    def check_id(path: KeyPath, ident: str) -> None:
        if ident in seen_ids:
            report((*path, "id"), f"duplicate item id '{ident}'")
        seen_ids.add(ident)

    assessed: dict[str, set[str]] = {}
    kinds: dict[str, set[str]] = {}
    forms: dict[str, set[int]] = {}
    sections = [("items", item) for item in data["items"]]
    sections += [("final_items", item) for item in data.get("final_items", [])]
    counters = {"items": 0, "final_items": 0}
    for section, item in sections:
        index = counters[section]
        counters[section] += 1
        base = (section, index)
        check_id(base, item["id"])
        _form_problems(section, item, base, report)
        if item["type"] == "vignette":
            questions = [((*base, "parts", i), part) for i, part in enumerate(item["parts"])]
            for qpath, part in questions:
                check_id(qpath, part["id"])
        else:
            questions = [(base, item)]
        tagged = [(base, item), *questions] if item["type"] == "vignette" else questions
        for cpath, claim in tagged:  # a case and each of its parts may have a currency
            if "currency" in claim:
                _currency_problems(claim["currency"], (*cpath, "currency"), report)
        for qpath, question in questions:
            _question_problems(question, qpath, report)
            objective = question.get("objective", item.get("objective"))
            if objective not in objective_ids:
                where = (*qpath, "objective") if "objective" in question else (*base, "objective")
                report(where, f"unknown objective '{objective}' (objectives: "
                              f"{', '.join(objective_ids)})")
            if section == "final_items":
                forms.setdefault(objective, set()).add(item.get("form", 0))
                continue
            assessed.setdefault(objective, set()).add(item["id"])
            kinds.setdefault(objective, set()).add(item["type"])

    for objective_id, index in objective_ids.items():
        count = len(assessed.get(objective_id, ()))
        if count < 2:
            report(("objectives", index, "id"),
                   f"objective '{objective_id}' is assessed by {count} item(s); at least 2 needed")
        elif len(kinds.get(objective_id, ())) < 2:
            report(("objectives", index, "id"),
                   f"objective '{objective_id}' is assessed by items of one kind only "
                   f"({', '.join(sorted(kinds[objective_id]))}); use at least two kinds")
        if "final_items" in data and len(forms.get(objective_id, ())) < 2:
            report(("objectives", index, "id"),
                   f"objective '{objective_id}' has {len(forms.get(objective_id, ()))} "
                   "final-assessment form(s) in 'final_items'; at least 2 needed")
    return problems


def _form_problems(section: str, item: dict[str, Any], path: KeyPath, report) -> None:
    """'form' and 'safety' belong to final-assessment items, and every one has a form."""
    if section == "final_items":
        if "form" not in item:
            report(path, "a final-assessment item needs 'form' (1, 2, ...): which parallel "
                         "form of its objective it is")
    else:
        for key in ("form", "safety"):
            if key in item:
                report((*path, key), f"'{key}' belongs to items under 'final_items'")
    for index, part in enumerate(item.get("parts", [])):
        for key in ("form", "safety"):
            if key in part:
                report((*path, "parts", index, key),
                       f"'{key}' is set on the whole case, not on one part")


def parse_date(text: str) -> dt.date | None:
    """A real calendar date written YYYY-MM-DD (the loader keeps dates as text), or None."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # 2026-02-30, or a form the schema let through
        return None


def _currency_problems(currency: dict[str, Any], path: KeyPath, report) -> None:
    dates = {}
    for key in ("as_of", "review_by"):
        dates[key] = parse_date(currency[key])
        if dates[key] is None:
            report((*path, key), f"{currency[key]!r} is not a real date")
    if None not in dates.values() and dates["review_by"] < dates["as_of"]:
        report((*path, "review_by"), "the review date is before the 'as_of' date")


def _question_problems(question: dict[str, Any], path: KeyPath, report) -> None:
    kind = question["type"]
    if kind in CHOICE_TYPES:
        correct = sum(1 for option in question["options"] if option["correct"])
        if kind == "single" and correct != 1:
            report((*path, "options"), f"a single-choice item needs exactly one correct option, "
                                       f"found {correct}")
        if kind == "multiple" and correct < 1:
            report((*path, "options"), "a multiple-select item needs at least one correct option")
        texts = [option["text"].strip().lower() for option in question["options"]]
        if len(set(texts)) != len(texts):
            report((*path, "options"), "two options have the same text")
    if kind == "numeric":
        for index, common in enumerate(question.get("common_errors", [])):
            if abs(common["value"] - question["answer"]) <= question["tolerance"]:
                report((*path, "common_errors", index, "value"),
                       "this 'common error' would be graded correct (within tolerance)")
    if kind == "ordering" and len(set(question["steps"])) != len(question["steps"]):
        report((*path, "steps"), "two steps have the same text")


def _build(located: Located, stem: str, path: Path) -> Bank:
    data = located.data
    return Bank(
        stem=stem,
        path=path,
        title=data["title"],
        reviewed=dt.date.fromisoformat(data["reviewed"]),
        objectives=tuple(Objective(o["id"], o["text"]) for o in data["objectives"]),
        items=_items(located, "items"),
        final=_final_spec(located),
        final_items=_items(located, "final_items"),
    )


def _items(located: Located, section: str) -> tuple[Item, ...]:
    items: list[Item] = []
    for index, raw in enumerate(located.data.get(section, [])):
        base = (section, index)
        form, safety = raw.get("form", 0), raw.get("safety", False)
        if raw["type"] == "vignette":
            cite = tuple(raw["cite"])
            parts = tuple(dataclasses.replace(
                _question(p, raw["objective"], cite, _currency(located, (*base, "parts", i))),
                form=form, safety=safety) for i, p in enumerate(raw["parts"]))
            items.append(Vignette(raw["id"], raw["objective"], cite, raw["case"], parts,
                                  raw.get("explanation", ""), currency=_currency(located, base),
                                  form=form, safety=safety))
        else:
            question = _question(raw, raw["objective"], tuple(raw["cite"]),
                                 _currency(located, base))
            items.append(dataclasses.replace(question, form=form, safety=safety))
    return tuple(items)


def _final_spec(located: Located) -> FinalSpec | None:
    section = located.data.get("final_assessment")
    if section is None:
        return None
    return FinalSpec(section["pass_mark"])


def _currency(located: Located, path: KeyPath) -> Currency | None:
    """The checked ``currency`` of the item or part at ``path``, if it has one."""
    raw = located.data
    for part in path:
        raw = raw[part]
    if "currency" not in raw:
        return None
    claim = raw["currency"]
    return Currency(as_of=dt.date.fromisoformat(claim["as_of"]),
                    review_by=dt.date.fromisoformat(claim["review_by"]),
                    source=claim["source"], note=claim.get("note", ""),
                    line=located.where((*path, "currency", "review_by"))[0])


def _question(raw: dict[str, Any], objective: str, cite: tuple[str, ...],
              currency: Currency | None = None) -> Question:
    answer = raw.get("answer")
    return Question(
        id=raw["id"],
        type=raw["type"],
        prompt=raw["prompt"],
        explanation=raw["explanation"],
        objective=raw.get("objective", objective),
        cite=tuple(raw.get("cite", cite)),
        options=tuple(Option(o["text"], o["correct"], o["feedback"])
                      for o in raw.get("options", ())),
        answer=float(answer) if raw["type"] == "numeric" else answer,
        feedback_true=raw.get("feedback_true", ""),
        feedback_false=raw.get("feedback_false", ""),
        tolerance=float(raw.get("tolerance", 0.0)),
        unit=raw.get("unit", ""),
        common_errors=tuple(CommonError(float(c["value"]), c["feedback"])
                            for c in raw.get("common_errors", ())),
        steps=tuple(raw.get("steps", ())),
        currency=currency,
    )


# The bank text that lesson pages and the agenda pass to MyST as Markdown (escaped, see
# markdown.plain_markdown): raw HTML there is refused on every load, so a build stops on it.
MYST_TEXT = ("title", "objectives")


# Files in quizzes/ that are not item banks: the table of renamed banks and questions
# (quizzes/migrations.yml), which carries learners' saved answers across a rename.
NOT_BANKS = frozenset({"migrations.yml"})


def bank_paths(folder: Path) -> list[Path]:
    """The item banks in a quizzes folder, sorted: every *.yml file except NOT_BANKS (so a
    misnamed bank is still found, and reported, by ``kapcourse validate``)."""
    return sorted(path for path in folder.glob("*.yml") if path.name not in NOT_BANKS)


def load_bank(path: str | Path, known_citations: set[str] | None = None,
              display_name: str | None = None, all_text: bool = False) -> Bank:
    """Load and check one item bank.

    ``known_citations``: the BibTeX keys that exist; when given, unknown ``cite`` keys are
    errors. ``all_text``: refuse raw HTML in every text field (``kapcourse validate``), not
    only in the title and objectives; quiz text is always rendered inertly, which the
    tests' fixture bank (with a ``<script>`` in a prompt) keeps proving.
    Raises :class:`BankError` listing every problem found.
    """
    path = Path(path)
    file = display_name or str(path)
    checked = _checked(path, file)
    problems = _named(checked.schema, path, file)
    problems += html_problems(checked.located, file, () if all_text else MYST_TEXT)
    if problems:
        raise BankError(problems)
    problems = _named(checked.semantic, path, file)
    if known_citations is not None:
        problems += _citation_problems(checked.located, file, known_citations)
    if problems or checked.bank is None:
        raise BankError(problems)
    return checked.bank


def bank_located(path: Path, file: str) -> FrozenLocated:
    """A bank file parsed with the positions of its keys (shared with :func:`load_bank`: the
    item-writing checks read the same parse), read-only because the cache keeps it."""
    return _checked(path, file).frozen


def _checked(path: Path, file: str) -> _Checked:
    try:
        return _checked_bank(read_text(path, file), path)
    except BankError as exc:  # a YAML syntax error, raised afresh
        raise BankError(_named(exc.problems, path, file)) from None


def _named(problems, path: Path, file: str) -> list[Problem]:
    """The problems with the file called as the caller calls it (the cache uses its path)."""
    return [dataclasses.replace(p, file=file) if p.file == str(path) else p for p in problems]


@dataclass(frozen=True)
class _Checked:
    located: Located
    schema: tuple[Problem, ...]
    semantic: tuple[Problem, ...]  # checked only when the schema holds
    bank: Bank | None  # when there are no problems of either kind

    @cached_property
    def frozen(self) -> FrozenLocated:
        """The read-only view that :func:`bank_located` hands out, made on first use (only
        ``kapcourse validate``'s item-writing checks ask for it)."""
        return FrozenLocated.of(self.located)


# Keyed on the file's text (read afresh every call), so an edited bank is checked again. Why a
# cache: validate, My progress, the final, the pre-test, the review page and the report each
# load every bank, and one load (pure-Python PyYAML, kept for line numbers, then the schema and
# the checks) takes about 0.2 s; a Bank is immutable, so the same text always gives an equal
# one. The Located it keeps stays inside this module (bank_located hands out a read-only
# copy). YAML that does not parse raises afresh each time.
@lru_cache(maxsize=64)
def _checked_bank(text: str, path: Path) -> _Checked:
    file = str(path)
    located = load_yaml(text, file)
    schema = tuple(file_problems(located, file, "bank"))
    if schema:
        return _Checked(located, schema, (), None)
    semantic = tuple(_semantic_problems(located.data, located, file))
    return _Checked(located, (), semantic, None if semantic else _build(located, path.stem, path))


def _citation_problems(located: Located, file: str, known: set[str]) -> list[Problem]:
    problems = []
    for path, value in _find_key(located.data, "cite", ()):
        for index, key in enumerate(value):
            if key not in known:
                line, column = located.where((*path, index))
                problems.append(Problem(file, line, column, dotted((*path, index)),
                                        f"citation key '{key}' is not in book/references.bib"))
    for path, value in _find_key(located.data, "currency", ()):
        source = value["source"]
        if not source.lower().startswith(("http://", "https://")) and source not in known:
            line, column = located.where((*path, "source"))
            problems.append(Problem(file, line, column, dotted((*path, "source")),
                                    f"source '{source}' is neither a citation key in "
                                    "book/references.bib nor an http(s) address"))
    return problems


def _find_key(data: Any, key: str, path: KeyPath):
    if isinstance(data, dict):
        for name, value in data.items():
            if name == key:
                yield (*path, name), value
            else:
                yield from _find_key(value, key, (*path, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _find_key(value, key, (*path, index))
