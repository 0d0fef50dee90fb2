"""The completion record: when it may be produced, and the record as HTML and as PDF.

The HTML record (:func:`record_html`, print-ready A4) is the canonical one: the static book
builds the same page and prints it with the browser. In the kernel, :func:`record_pdf` writes
the same lines with fpdf2 and the DejaVu Sans font that matplotlib ships.

The criteria: every lesson's questions all answered with a current score at or above the
pass mark (retries allowed), and the final assessment submitted and passed (the pass mark and
every safety question drawn right). Until they are
met, :func:`record_html` and :func:`record_pdf` refuse (``NotComplete``). The static book
mirrors this in ``_static/kapprogress.js``. The record says plainly that it is self-attested
and not accredited continuing education. No display code here.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF, XPos, YPos

from kapcourse.bank.course import record_title
from kapcourse.record.evaluation import one_line
from kapcourse.record.final import FinalAssessment, FinalResult, result
from kapcourse.record.record_text import COMMITMENT_HEADING, CSS, MAX_NAME, STATEMENT
from kapcourse.record.rules import Items
from kapcourse.record.summary import LessonInfo, lesson_results


class NotComplete(ValueError):
    """The criteria are not met (the message lists what is missing), or no name was given."""


@dataclass(frozen=True)
class LessonStatus:
    stem: str
    title: str
    correct: int
    total: int
    attempted: int
    pass_mark: int

    @property
    def passed(self) -> bool:
        return self.attempted == self.total and 100 * self.correct >= self.pass_mark * self.total


@dataclass(frozen=True)
class Status:
    lessons: tuple[LessonStatus, ...]
    final: FinalResult

    @property
    def complete(self) -> bool:
        return all(lesson.passed for lesson in self.lessons) and self.final.passed

    def unmet(self) -> list[str]:
        """What is still missing, in words a learner can act on."""
        out = [f"{lesson.title}: {lesson.attempted} of {lesson.total} questions answered, "
               f"{lesson.correct} right now (pass mark {lesson.pass_mark}%)"
               for lesson in self.lessons if not lesson.passed]
        final = self.final
        if not final.submitted:
            out.append(f"Final assessment: attempt {final.attempt}, {final.answered} of "
                       f"{final.total} questions answered and rated; then submit")
        elif not final.passed:
            why = f"{final.right} of {final.total} right ({final.percent}%; pass mark " \
                  f"{final.pass_mark}%)"
            if final.safety_missed:
                why += f", {len(final.safety_missed)} safety question(s) wrong"
            out.append(f"Final assessment: attempt {final.attempt}, {why}: start a new attempt")
        return out


def status(items: Items, lessons: list[LessonInfo], final: FinalAssessment,
           state: dict | None = None) -> Status:
    """``state``: the progress data's ``final`` mapping (the attempt, and if it was submitted)."""
    lesson_status = tuple(
        LessonStatus(r.stem, r.title, r.correct, r.total, r.attempted, final.pass_mark)
        for r in lesson_results(items, lessons))
    return Status(lesson_status, result(items, final, state))


@dataclass(frozen=True)
class Record:
    name: str
    date: str
    version: str
    status: Status
    commitment: str = ""  # the learner's commitment to change, when they chose to include it
    course_title: str = ""  # from the course's configuration (course.record_title)

    def lines(self) -> list[tuple[str, str]]:
        """The record's content as (style, text) lines, shared by the HTML and the PDF."""
        final = self.status.final
        out = [("title", "Record of course completion"), ("subtitle", self.course_title),
               ("gap", ""), ("field", f"Name: {self.name}"), ("field", f"Date: {self.date}"),
               ("field", f"Course version: {self.version}"), ("gap", ""),
               ("heading", f"Lesson quizzes (current score; pass mark {final.pass_mark}%)")]
        out += [("row", f"{lesson.stem[:2]} {lesson.title} \u2014 {lesson.correct} of "
                        f"{lesson.total}") for lesson in self.status.lessons]
        out += [("gap", ""), ("heading", f"Final assessment (attempt {final.attempt}; pass mark "
                                         f"{final.pass_mark}% and every safety question right): "
                                         f"{final.right} of {final.total} ({final.percent}%)"),
                ("row", f"Safety questions: {final.safety_total} of {final.safety_total} right")]
        out += [("row", f"{part.stem[:2]} {part.title} \u2014 {part.right} of {part.total}")
                for part in final.by_lesson if part.total]
        if self.commitment:
            out += [("gap", ""), ("heading", COMMITMENT_HEADING), ("field", self.commitment)]
        out += [("gap", ""), ("heading", "What this record is"), ("statement", STATEMENT)]
        return out


def make_record(name: str, status: Status, version: str, date: dt.date | None = None,
                commitment: str = "", course_title: str | None = None) -> Record:
    """A record for a learner who met the criteria; raises NotComplete otherwise.
    ``commitment``: the commitment-to-change statement to include ("" for none)."""
    if not status.complete:
        raise NotComplete("The completion record is not available yet. Still to do: "
                          + "; ".join(status.unmet()) + ".")
    clean = " ".join(name.split())
    if not clean:
        raise NotComplete("Type your name as it should appear on the record.")
    if len(clean) > MAX_NAME:
        raise NotComplete(f"The name is longer than {MAX_NAME} characters.")
    title = record_title() if course_title is None else course_title
    return Record(clean, (date or dt.date.today()).isoformat(), version, status,
                  one_line(commitment), title)





def record_html(record: Record) -> str:
    """A standalone, print-ready page: inline CSS, no scripts, no external requests."""
    parts, in_list = [], False
    for style, text in record.lines():
        if style != "row" and in_list:
            parts.append("</ul>")
            in_list = False
        if style == "row" and not in_list:
            parts.append("<ul>")
            in_list = True
        parts.append({"title": "<h1>{}</h1>", "subtitle": '<p class="subtitle">{}</p>',
                      "field": "<p>{}</p>", "heading": "<h2>{}</h2>", "row": "<li>{}</li>",
                      "statement": '<p class="statement">{}</p>',
                      "gap": ""}[style].format(html.escape(text)))
    body = "\n".join(p for p in parts if p)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Record of course completion: {html.escape(record.name)}</title>"
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


# --- PDF (kernel only): fpdf2 with an embedded Unicode font ----------------------------------
# The book prints the HTML record with the browser instead (kapprogress.js). DejaVu Sans comes
# with matplotlib, a dependency already, so no font file is kept in this repository.

FONT = "DejaVuSans"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# (weight: "" or "B" for bold, size in points) per line style; rows are indented like the HTML list
STYLES = {"title": ("B", 18), "subtitle": ("", 11), "field": ("", 11), "heading": ("B", 11),
          "row": ("", 10), "statement": ("", 10), "gap": ("", 6)}
MARGIN, INDENT = 51, 14  # points: 18 mm, as the HTML record's @page rule


class NotPrintable(NotComplete):
    """The PDF cannot set a letter of the record: its font lacks it (CJK), or it is written
    right to left (Hebrew, Arabic). The HTML record shows every letter."""


def font_path(weight: str) -> Path:
    """DejaVu Sans ("") or DejaVu Sans Bold ("B"), as matplotlib installs them."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONT_FILES[weight]


@functools.cache
def _glyphs(weight: str) -> frozenset[int]:
    """The code points the font can draw (its best Unicode cmap)."""
    return frozenset(TTFont(font_path(weight), lazy=True).getBestCmap())


def _printable(char: str, weight: str) -> bool:
    """The font has the letter, and it needs no right-to-left shaping (fpdf2 sets text left to
    right letter by letter unless uharfbuzz is installed, so Hebrew or Arabic would come out
    reversed or unjoined)."""
    return char.isspace() or (ord(char) in _glyphs(weight)
                              and unicodedata.bidirectional(char) not in ("R", "AL"))


def check_printable(record: Record) -> None:
    """Refuse clearly, naming the letter, rather than print a record with letters missing."""
    for style, text in record.lines():
        bad = next((c for c in text if not _printable(c, STYLES[style][0])), None)
        if bad is not None:
            raise NotPrintable(
                f"The PDF record cannot print the letter {bad!r} (U+{ord(bad):04X}) with its "
                f"font ({FONT}). Save the HTML record instead: it shows every letter, and your "
                "browser can print it or save it as a PDF.")


def record_pdf(record: Record) -> bytes:
    """The record as an A4 PDF with the same content as :func:`record_html`.

    Raises NotPrintable for a letter it cannot set (a CJK or right-to-left name)."""
    check_printable(record)
    pdf = FPDF(orientation="portrait", unit="pt", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    for weight in FONT_FILES:
        pdf.add_font(FONT, weight, str(font_path(weight)))
    pdf.set_title(f"Record of course completion: {record.name}")
    pdf.set_lang("en")
    pdf.add_page()
    for style, text in record.lines():
        weight, size = STYLES[style]
        pdf.set_font(FONT, weight, size)
        if style == "gap":
            pdf.ln(size)
            continue
        pdf.set_x(MARGIN + (INDENT if style == "row" else 0))
        boxed = style == "statement"  # framed, as the HTML record's .statement
        pdf.multi_cell(0, size * 1.45, text, border=1 if boxed else 0, padding=6 if boxed else 0,
                       align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # left, as the HTML
    return bytes(pdf.output())
