"""The completion record: when it may be produced, and the record as HTML and as PDF.

The criteria: every lesson's questions all answered with a current score at or above the
pass mark (retries allowed), and the final assessment passed on first tries. Until they are
met, :func:`record_html` and :func:`record_pdf` refuse (``NotComplete``). The static book
mirrors this in ``_static/kapprogress.js``. The record says plainly that it is self-attested
and not accredited continuing education. No display code here.
"""

from __future__ import annotations

import datetime as dt
import html
import textwrap
from dataclasses import dataclass

from .final import FinalAssessment, FinalResult, result
from .summary import LessonInfo, lesson_results

COURSE_TITLE = "Ketamine and Psychedelic-Assisted Therapy: An Evidence-Based Course for Clinicians"
STATEMENT = (
    "This is a self-attested record of a self-assessment. The learner typed the name above "
    "and the scores come from their own saved answers, which nobody has checked. It is not "
    "accredited continuing education (CE, CME or CPD), not a qualification, and not evidence "
    "of competence to provide ketamine- or psychedelic-assisted therapy."
)
MAX_NAME = 100


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
        if not self.final.complete:
            out.append(f"Final assessment: {self.final.answered} of {self.final.total} "
                       "questions answered")
        elif not self.final.passed:
            out.append(f"Final assessment: {self.final.right} of {self.final.total} right at "
                       f"the first try ({self.final.percent}%; pass mark "
                       f"{self.final.pass_mark}%): start a new attempt")
        return out


def status(items: dict, lessons: list[LessonInfo], final: FinalAssessment) -> Status:
    lesson_status = tuple(
        LessonStatus(r.stem, r.title, r.correct, r.total, r.attempted, final.pass_mark)
        for r in lesson_results(items, lessons))
    return Status(lesson_status, result(items, final))


@dataclass(frozen=True)
class Record:
    name: str
    date: str
    version: str
    status: Status

    def lines(self) -> list[tuple[str, str]]:
        """The record's content as (style, text) lines, shared by the HTML and the PDF."""
        final = self.status.final
        out = [("title", "Record of course completion"), ("subtitle", COURSE_TITLE),
               ("gap", ""), ("field", f"Name: {self.name}"), ("field", f"Date: {self.date}"),
               ("field", f"Course version: {self.version}"), ("gap", ""),
               ("heading", f"Lesson quizzes (current score; pass mark {final.pass_mark}%)")]
        out += [("row", f"{lesson.stem[:2]} {lesson.title} \u2014 {lesson.correct} of "
                        f"{lesson.total}") for lesson in self.status.lessons]
        out += [("gap", ""), ("heading", f"Final assessment (first try; pass mark "
                                         f"{final.pass_mark}%): {final.right} of {final.total} "
                                         f"({final.percent}%)")]
        out += [("row", f"{part.stem[:2]} {part.title} \u2014 {part.right} of {part.total}")
                for part in final.by_lesson]
        out += [("gap", ""), ("heading", "What this record is")]
        out += [("text", line) for line in textwrap.wrap(STATEMENT, 92, break_on_hyphens=False)]
        return out


def make_record(name: str, status: Status, version: str, date: dt.date | None = None) -> Record:
    """A record for a learner who met the criteria; raises NotComplete otherwise."""
    if not status.complete:
        raise NotComplete("The completion record is not available yet. Still to do: "
                          + "; ".join(status.unmet()) + ".")
    clean = " ".join(name.split())
    if not clean:
        raise NotComplete("Type your name as it should appear on the record.")
    if len(clean) > MAX_NAME:
        raise NotComplete(f"The name is longer than {MAX_NAME} characters.")
    return Record(clean, (date or dt.date.today()).isoformat(), version, status)


CSS = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 44rem; margin: 2rem auto;
       padding: 0 1rem; color: #000; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } .subtitle { margin-top: 0; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 0.3rem; } ul { margin: 0; padding-left: 1.2rem; }
.statement { border: 2px solid #000; padding: 0.6rem 0.8rem; }
@page { size: A4; margin: 18mm; } @media print { body { margin: 0; max-width: none; } }
"""


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
                      "gap": "", "text": ""}[style].format(html.escape(text)))
    body = "\n".join(p for p in parts if p)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Record of course completion: {html.escape(record.name)}</title>"
            f"<style>{CSS}</style></head><body>\n{body}\n"
            f'<p class="statement">{html.escape(STATEMENT)}</p>\n</body></html>\n')


# --- PDF: one A4 page of Helvetica text, written directly (no dependency) --------------------

FONTS = {"title": ("F2", 18), "subtitle": ("F1", 11), "field": ("F1", 11),
         "heading": ("F2", 11), "row": ("F1", 10), "text": ("F1", 10), "gap": ("F1", 6)}


def pdf_text(text: str) -> str:
    """Text as a PDF string in WinAnsi encoding; characters it lacks become '?'."""
    encoded = text.encode("cp1252", errors="replace").decode("latin-1")
    return "(" + encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def record_pdf(record: Record) -> bytes:
    """The record as a one-page PDF (A4)."""
    commands, y = [], 800.0
    for style, text in record.lines():
        font, size = FONTS[style]
        y -= size * 1.45
        if text:
            x = 72 if style != "row" else 86
            commands.append(f"BT /{font} {size} Tf {x} {y:.1f} Td {pdf_text(text)} Tj ET")
    return pdf_document("\n".join(commands))


def pdf_document(content: str) -> bytes:
    """A one-page PDF whose page draws ``content`` (Helvetica as F1, Helvetica-Bold as F2)."""
    stream = content.encode("latin-1")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream.decode('latin-1')}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")
