"""Pool learners' results exports into an item analysis for facilitators.

Definitions (also printed in the report):
- first-try share: of the learners who answered a question, the share right at the first try;
- discrimination index (upper-lower, Kelley's 27%): learners are ranked by their overall
  first-try share; with k = max(1, round(0.27 n)) learners in each of the top and bottom groups,
  D = (first-try share in the top group) - (in the bottom group). Needs at least 4 learners;
- most-chosen wrong option: the wrong option (or common numeric error) most often chosen at
  the first try, with the misconception its feedback names;
- objective mastered: a learner answered every question of the objective, at least 80% of
  them right at the first try; the share is over learners who answered any of them.

The final assessment is analysed apart from the lesson items, from its submitted answers (in
any attempt: each attempt draws other forms, so one learner may answer several):
- per question and per form (an objective's form 1, 2, ...): n answers and % right;
- confidently wrong: the share of a question's answers that were wrong and rated "certain"
  (the learner did not know they did not know: the first thing to teach again);
- a safety question is flagged when more than 20% of its answers were wrong.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, StrictUndefined

from kapcourse.bank.model import Bank, Question
from kapcourse.quiz.grading import parse_number
from kapcourse.record.final import BANK as FINAL_BANK
from kapcourse.record.final import CERTAIN, FinalAssessment
from kapcourse.record.results import ResultsError, read_export
from kapcourse.record.versions import course_tables

MASTERY = 0.8
SAFETY_FLAG = 0.2  # a safety question more than this share of a cohort got wrong is flagged


@dataclass
class Pooled:
    exports: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    changed: int = 0  # answers set aside: their question changed since they were given
    removed: int = 0  # answers set aside: their question is no longer in the course
    versions: dict[str, int] = field(default_factory=dict)  # course version -> exports


# A course version as the package writes it (0.2.0, 0.3.0rc1, a local build's name): letters,
# digits and . + _ -. Anything else (markup, control characters) is not an export.
COURSE_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_-]{0,39}")


@dataclass
class ItemStat:
    id: str
    bank: str
    objective: str
    learners: int
    first_try: float | None
    discrimination: float | None
    top_wrong: tuple[str, int, str] | None  # (option, learners who chose it, its feedback)


@dataclass
class ObjectiveStat:
    id: str
    text: str
    learners: int
    mastered: float | None


@dataclass
class FinalStat:
    """One final-assessment question: its submitted answers across the cohort."""

    id: str
    lesson: str
    objective: str
    form: int
    safety: bool
    answers: int
    right: float | None
    confidently_wrong: float | None  # share of its answers wrong and rated "certain"

    @property
    def flagged(self) -> bool:
        return self.safety and self.right is not None and 1 - self.right > SAFETY_FLAG


@dataclass
class FormStat:
    objective: str
    form: int
    answers: int
    right: float | None


@dataclass
class Report:
    learners: int
    items: list[ItemStat]
    objectives: list[ObjectiveStat]
    skipped: list[tuple[str, str]]
    changed: int = 0  # answers set aside because their question changed since
    removed: int = 0  # answers set aside because the course no longer has their question
    versions: dict[str, int] = field(default_factory=dict)
    final_questions: list[FinalStat] = field(default_factory=list)  # confidently wrong first
    final_forms: list[FormStat] = field(default_factory=list)


def pool(paths: list[Path], course_version: str, known_ids: set[str], progress=sys.stderr,
         tables=None) -> Pooled:
    """Read every export, of this course version (``course_version``) or another; name and
    skip the files that cannot be used. Exports of other versions pool question by question,
    by id and fingerprint (``tables``, default: this course's; see kapcourse.record.versions): an
    answer to a question that changed since, or that the course no longer has, is set aside
    and counted, never pooled with answers to the question as it is now."""
    tables = course_tables() if tables is None else tables
    pooled, seen = Pooled(), set()
    for number, path in enumerate(paths, 1):
        if len(paths) >= 20 and progress is not None:
            done = int(30 * number / len(paths))
            progress.write(f"\rPooling results [{'#' * done}{'.' * (30 - done)}] "
                           f"{number}/{len(paths)}")
        try:
            export = read_export(path, tables)
            if not COURSE_VERSION.fullmatch(export["course_version"]):
                raise ResultsError(f"has course version {export['course_version'][:40]!r}, "
                                   "which is not a version of the course")
            unknown = sorted(set(export["items"]) - known_ids - tables.retired)
            if unknown:
                listed = ", ".join(item_id[:40] for item_id in unknown[:3])
                raise ResultsError(f"has items this course does not have ({listed})")
            if export["export_id"] in seen:
                raise ResultsError("is a duplicate of a file already pooled (same export id)")
        except ResultsError as exc:
            pooled.skipped.append((str(path), str(exc)))
            continue
        seen.add(export["export_id"])
        pooled.exports.append(_set_aside(export, known_ids, tables.current, pooled))
        version = export["course_version"]
        pooled.versions[version] = pooled.versions.get(version, 0) + 1
    if len(paths) >= 20 and progress is not None:
        progress.write("\n")
    return pooled


def _set_aside(export: dict, known_ids: set[str], current: dict[str, str], pooled: Pooled
               ) -> dict:
    """The export with only the answers to the questions as they are now; counts the rest."""
    kept = {}
    for item_id, entry in export["items"].items():
        if item_id not in known_ids:
            pooled.removed += 1
        elif entry.get("fp") and item_id in current and entry["fp"] != current[item_id]:
            pooled.changed += 1
        else:
            kept[item_id] = entry
    return {**export, "items": kept}


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _first_try(export: dict, question_id: str) -> bool | None:
    entry = export["items"].get(question_id)
    return None if entry is None else entry["first_correct"]


def _discrimination(exports: list[dict], question_id: str, ranked: list[dict]) -> float | None:
    if len(exports) < 4:
        return None
    k = max(1, round(0.27 * len(exports)))
    groups = (ranked[-k:], ranked[:k])
    shares = [_share([v for e in g if (v := _first_try(e, question_id)) is not None])
              for g in groups]
    return None if None in shares else shares[0] - shares[1]


def _wrong_choices(question: Question, response) -> list[tuple[str, str]]:
    """(option label, feedback) of each wrong choice in a first response."""
    if question.type == "truefalse" and isinstance(response, bool) and response != question.answer:
        return [(str(response), question.feedback_true if response else question.feedback_false)]
    if question.type in ("single", "multiple"):
        chosen = response if isinstance(response, list) else [response]
        return [(question.options[i].text, question.options[i].feedback) for i in chosen
                if isinstance(i, int) and 0 <= i < len(question.options)
                and not question.options[i].correct]
    if question.type == "numeric" and isinstance(response, str):
        value, _ = parse_number(response, question.unit)
        return [(f"{c.value:g} {question.unit}".strip(), c.feedback) for c in question.common_errors
                if value is not None and abs(value - c.value) <= question.tolerance + 1e-9]
    return []


def _top_wrong(exports: list[dict], question: Question) -> tuple[str, int, str] | None:
    counts: dict[tuple[str, str], int] = {}
    for export in exports:
        entry = export["items"].get(question.id)
        if entry and not entry["first_correct"]:
            for choice in _wrong_choices(question, entry.get("first_response")):
                counts[choice] = counts.get(choice, 0) + 1
    if not counts:
        return None
    (label, feedback), count = max(counts.items(), key=lambda kv: kv[1])
    return label, count, feedback


def _submitted(export: dict, question_id: str) -> dict | None:
    """A submitted final-assessment answer (0.3.0); 0.2.0's and unsubmitted ones are not."""
    entry = export["items"].get(question_id)
    if entry and entry.get("bank") == FINAL_BANK and entry.get("submitted") is True:
        return entry
    return None


def analyse_final(exports: list[dict], final: FinalAssessment) -> tuple[list[FinalStat],
                                                                         list[FormStat]]:
    """Per question and per form: n and % right; the confidently-wrong rate per question."""
    stats, tally = [], {}  # tally: (objective, form) -> [answers, right]
    for item in final.bank.items:
        for question in item.questions:
            answers = [e for x in exports if (e := _submitted(x, question.id)) is not None]
            count = tally.setdefault((item.objective, item.form), [0, 0])
            count[0] += len(answers)
            count[1] += sum(1 for e in answers if e.get("correct"))
            wrong_certain = [not e.get("correct") and e.get("confidence") == CERTAIN
                             for e in answers]
            stats.append(FinalStat(question.id, final.lesson_of[question.id], item.objective,
                                   item.form, item.safety, len(answers),
                                   _share([bool(e.get("correct")) for e in answers]),
                                   _share(wrong_certain)))
    forms = [FormStat(objective, form, n, right / n if n else None)
             for (objective, form), (n, right) in tally.items()]
    stats.sort(key=lambda s: (-(s.confidently_wrong or 0), s.id))
    return stats, forms


def analyse(pooled: Pooled, banks: list[Bank], final: FinalAssessment | None = None) -> Report:
    """The lesson items' analysis; with ``final``, the final assessment's, kept apart."""
    exports = pooled.exports
    if final is not None:  # the final's questions are analysed by analyse_final
        banks = [bank for bank in banks if bank.stem != FINAL_BANK]
    questions = [(bank, q) for bank in banks for q in bank.questions]

    def overall(export: dict) -> float:
        return _share([e["first_correct"] for e in export["items"].values()]) or 0.0

    ranked = sorted(exports, key=lambda e: (overall(e), e["export_id"]))
    items = []
    for bank, question in questions:
        answers = [v for e in exports if (v := _first_try(e, question.id)) is not None]
        items.append(ItemStat(question.id, bank.stem, question.objective, len(answers),
                              _share(answers), _discrimination(exports, question.id, ranked),
                              _top_wrong(exports, question)))
    objectives = []
    for bank in banks:
        if bank.stem == FINAL_BANK:
            continue  # its objectives are the lessons'; mastery is judged in the lessons
        for objective in bank.objectives:
            ids = [q.id for q in bank.questions if q.objective == objective.id]
            answered = [e for e in exports if any(i in e["items"] for i in ids)]
            mastered = [all(i in e["items"] for i in ids)
                        and sum(e["items"][i]["first_correct"] for i in ids) >= MASTERY * len(ids)
                        for e in answered]
            objectives.append(ObjectiveStat(objective.id, objective.text, len(answered),
                                            _share(mastered)))
    report = Report(len(exports), items, objectives, pooled.skipped, changed=pooled.changed,
                    removed=pooled.removed, versions=dict(sorted(pooled.versions.items())))
    if final is not None:
        report.final_questions, report.final_forms = analyse_final(exports, final)
    return report


def set_aside_text(report: Report) -> str:
    """One plain line for the facilitator: the versions pooled and what was set aside."""
    versions = ", ".join(f"{v} ({n})" for v, n in report.versions.items()) or "none"
    return (f"Course versions pooled (exports): {versions}. Answers set aside because their "
            f"question changed since: {report.changed}; because the course no longer has "
            f"their question: {report.removed}.")


# --- writing -------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _d(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def _charts(report: Report, folder: Path) -> list[tuple[str, str]]:
    """Bar charts as PNG files; returns (file name, alt text) pairs."""
    from matplotlib.figure import Figure

    charts = []
    item_rows = [(i.id, i.first_try) for i in report.items if i.first_try is not None]
    objective_rows = [(o.id, o.mastered) for o in report.objectives if o.mastered is not None]
    for name, rows, label, title in (
        ("items.png", item_rows, "share right at first try", "First-try share per question"),
        ("objectives.png", objective_rows, "share of learners who mastered it",
         "Mastery per objective"),
    ):
        if not rows:
            continue
        figure = Figure(figsize=(8, max(2.0, 0.28 * len(rows) + 1)))
        axes = figure.subplots()
        axes.barh([r[0] for r in rows], [r[1] for r in rows], color="#0072B2")
        axes.set_xlim(0, 1)
        axes.set_xlabel(label)
        axes.set_title(title)
        axes.invert_yaxis()
        figure.tight_layout()
        figure.savefig(folder / name, dpi=100)
        weakest = min(rows, key=lambda r: r[1])
        charts.append((name, f"{title}: {len(rows)} bars; the lowest is {weakest[0]} at "
                             f"{weakest[1]:.0%}."))
    return charts


def _md(text: str) -> str:
    """Untrusted text (file names, and the course versions and item ids read from files) as
    inert Markdown: one line, every ASCII punctuation character backslash-escaped (CommonMark
    allows that for all of them), so no HTML, link, code span or table cell can start."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()))


def write_report(report: Report, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    charts = _charts(report, folder)
    md = [f"# Workshop results: {report.learners} learners", "",
          "Definitions: see `kapcourse.workshop.report` (first-try share; discrimination "
          "index, upper minus lower 27%; most-chosen wrong option; objective mastered = every "
          "question answered, at least 80% right at the first try).", ""]
    md += [set_aside_text(report), ""]  # numbers and checked version numbers only
    md += [f"![{alt}]({name})" for name, alt in charts] + [""]
    md += ["## Questions", "", "| question | lesson | objective | learners | first try | "
           "discrimination | most-chosen wrong option (misconception) |", "|---" * 7 + "|"]
    for i in report.items:
        wrong = f"{i.top_wrong[0]} ({i.top_wrong[1]}): {i.top_wrong[2]}" if i.top_wrong else ""
        md.append(f"| {i.id} | {i.bank} | {i.objective} | {i.learners} | {_pct(i.first_try)} | "
                  f"{_d(i.discrimination)} | {wrong.replace('|', '/')} |")
    md += ["", "## Objectives", "", "| objective | learners | mastered |", "|---|---|---|"]
    md += [f"| {o.id}: {o.text} | {o.learners} | {_pct(o.mastered)} |" for o in report.objectives]
    if report.final_questions:
        md += ["", "## Final assessment", "", "Submitted answers, every attempt; confidently "
               "wrong = wrong and rated certain. Safety questions more than 20% of the cohort "
               "got wrong are flagged.", "", "| question | lesson | objective | form | "
               "answers | right | confidently wrong | safety |", "|---" * 8 + "|"]
        md += [f"| {s.id} | {s.lesson} | {s.objective} | {s.form} | {s.answers} | "
               f"{_pct(s.right)} | {_pct(s.confidently_wrong)} | {_safety(s)} |"
               for s in report.final_questions]
        md += ["", "| objective | form | answers | right |", "|---|---|---|---|"]
        md += [f"| {f.objective} | {f.form} | {f.answers} | {_pct(f.right)} |"
               for f in report.final_forms]
    if report.skipped:
        md += ["", "## Files skipped", ""]
        md += [f"- {_md(f)}: {_md(why)}" for f, why in report.skipped]
    md_path = folder / "report.md"
    md_path.write_text("\n".join(md) + "\n", encoding="utf-8")
    html_path = folder / "report.html"
    html_path.write_text(_html(report, charts), encoding="utf-8")
    return html_path, md_path


def _safety(stat: FinalStat) -> str:
    if not stat.safety:
        return ""
    return "FLAGGED: more than 20% wrong" if stat.flagged else "safety"


# Jinja2 with autoescape: file names, course versions and item ids come from learners' files.
_PAGES = Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
PAGE = _PAGES.from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Workshop results: {{ report.learners }} learners</title><style>"
    "body{font-family:sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3rem;"
    "vertical-align:top}img{max-width:100%}</style></head><body>"
    "<h1>Workshop results: {{ report.learners }} learners</h1>"
    "<p>First-try share; discrimination index (upper minus lower 27%, n/a under 4 "
    "learners); most-chosen wrong option with the misconception its feedback names; an "
    "objective is mastered when every question of it was answered, at least 80% right at "
    "the first try.</p><p>{{ set_aside }}</p>"
    '{% for name, alt in charts %}<img src="{{ name }}" alt="{{ alt }}">{% endfor %}'
    "<h2>Questions</h2><table><tr><th>question</th><th>lesson</th><th>objective</th>"
    "<th>learners</th><th>first try</th><th>discrimination</th>"
    "<th>most-chosen wrong option (misconception)</th></tr>"
    "{% for i in report.items %}<tr><td>{{ i.id }}</td><td>{{ i.bank }}</td>"
    "<td>{{ i.objective }}</td><td>{{ i.learners }}</td><td>{{ pct(i.first_try) }}</td>"
    "<td>{{ d(i.discrimination) }}</td><td>{% if i.top_wrong %}{{ i.top_wrong[0] }} "
    "({{ i.top_wrong[1] }}): {{ i.top_wrong[2] }}{% endif %}</td></tr>{% endfor %}</table>"
    "<h2>Objectives</h2><table><tr><th>objective</th><th>learners</th><th>mastered</th></tr>"
    "{% for o in report.objectives %}<tr><td>{{ o.id }}: {{ o.text }}</td>"
    "<td>{{ o.learners }}</td><td>{{ pct(o.mastered) }}</td></tr>{% endfor %}</table>"
    "{% if report.final_questions %}<h2>Final assessment</h2><p>Submitted answers, every "
    "attempt; confidently wrong = wrong and rated certain (listed first). Safety questions "
    "more than 20% of the cohort got wrong are flagged.</p><table><tr><th>question</th>"
    "<th>lesson</th><th>objective</th><th>form</th><th>answers</th><th>right</th>"
    "<th>confidently wrong</th><th>safety</th></tr>{% for s in report.final_questions %}"
    "<tr><td>{{ s.id }}</td><td>{{ s.lesson }}</td><td>{{ s.objective }}</td>"
    "<td>{{ s.form }}</td><td>{{ s.answers }}</td><td>{{ pct(s.right) }}</td>"
    "<td>{{ pct(s.confidently_wrong) }}</td><td>{% if s.flagged %}<strong>{{ safety(s) }}"
    "</strong>{% else %}{{ safety(s) }}{% endif %}</td></tr>{% endfor %}</table>"
    "<table><tr><th>objective</th><th>form</th><th>answers</th><th>right</th></tr>"
    "{% for f in report.final_forms %}<tr><td>{{ f.objective }}</td><td>{{ f.form }}</td>"
    "<td>{{ f.answers }}</td><td>{{ pct(f.right) }}</td></tr>{% endfor %}</table>"
    "{% endif %}"
    "{% if report.skipped %}<h2>Files skipped</h2><ul>{% for file, why in report.skipped %}"
    "<li><code>{{ file }}</code>: {{ why }}</li>{% endfor %}</ul>{% endif %}"
    "</body></html>\n")


def _html(report: Report, charts: list[tuple[str, str]]) -> str:
    return PAGE.render(report=report, charts=charts, pct=_pct, d=_d, safety=_safety,
                       set_aside=set_aside_text(report))
