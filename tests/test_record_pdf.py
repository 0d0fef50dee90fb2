"""The kernel's PDF record (fpdf2 with DejaVu Sans): every name prints exactly, and the PDF says
what the canonical HTML record says (code review, sections 2 and 3: the hand-written writer
printed '?' for Ł, and the book's copy of it also for Š, Ž, Œ and †)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from kapcourse.record.completion import (
    NotComplete,
    NotPrintable,
    make_record,
    record_html,
    record_pdf,
)
from kapcourse.record.completion import status as record_status

from .test_completion import DAY, course, everything_right  # noqa: F401 (course is a fixture)

NAMES = ["Łucja Šťastná", "Žofia Œuvre", "François †", "Ada Lovelace", "Zoë (O\u2019Brien)"]


class _Text(HTMLParser):
    """The visible text of the record's body, one string per element."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = False

    def handle_starttag(self, tag, attrs):
        self.skip = tag in ("style", "title")

    def handle_endtag(self, tag):
        self.skip = False

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(data)


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def complete(course):  # noqa: F811 (the fixture imported above)
    lessons, final = course
    return record_status(everything_right(lessons, final), lessons, final)


@pytest.fixture(scope="module")
def printed():
    """record_pdf, drawn once per record in this module: both tests below print the same five
    records (fonts, layout and drawing are most of their time), and an equal record gives
    the same PDF. A record that cannot be printed still raises, every time."""
    pdfs: dict = {}

    def pdf(record) -> bytes:
        if record not in pdfs:
            pdfs[record] = record_pdf(record)
        return pdfs[record]

    return pdf


@pytest.mark.parametrize("name", NAMES)
def test_every_name_prints_exactly(complete, printed, name):
    text = pdf_text(printed(make_record(name, complete, "0.1.0", DAY)))
    assert f"Name: {name}\n" in text + "\n"
    assert "?" not in text  # no letter was replaced


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_says_what_the_html_record_says(complete, printed, name):
    record = make_record(name, complete, "0.1.0", DAY)
    parser = _Text()
    parser.feed(record_html(record))
    assert words(pdf_text(printed(record))) == words(" ".join(parser.parts))
    assert len(PdfReader(io.BytesIO(printed(record))).pages) == 1


@pytest.mark.parametrize(("name", "first"), [
    ("李小龍 Bruce Lee", "'李' (U+674E)"),  # DejaVu Sans has no CJK characters
    ("Ada ליאורה", "'ל' (U+05DC)"),  # Hebrew: right to left, which fpdf2 alone cannot set
    ("Ada ليلى", "'ل' (U+0644)"),  # Arabic: right to left and joined
])
def test_a_name_the_pdf_cannot_print_is_refused_with_a_clear_message(complete, name, first):
    """The record is refused (naming the first letter it cannot print and pointing to the HTML
    record), never printed with letters dropped, reversed or replaced by '?'."""
    record = make_record(name, complete, "0.1.0", DAY)
    with pytest.raises(NotPrintable, match=re.escape(f"cannot print the letter {first} with "
                                                     "its font (DejaVuSans). Save the HTML")):
        record_pdf(record)
    assert issubclass(NotPrintable, NotComplete)  # the pages show it like any refusal
    assert f"Name: {name}" in record_html(record)  # the HTML record has every letter


def test_my_progress_in_the_kernel_says_why_and_still_saves_the_html(tmp_path):
    from kapcourse.pages.progress import MyProgress
    from kapcourse.record.store import ProgressStore

    from .conftest import ROOT
    from .course_data import everything_right as whole_course_right

    store = ProgressStore(tmp_path / "p.json")
    store.merge(whole_course_right(ROOT)["items"])
    page = MyProgress(root=ROOT, store=store, folder=tmp_path)
    page.record_name.value = "李小龍"
    assert page.save_record("pdf") is None
    assert "cannot print the letter" in page.message.value and not list(tmp_path.glob("*.pdf"))
    assert "Name: 李小龍" in page.save_record("html").read_text(encoding="utf-8")
    page.record_name.value = "Łucja Šťastná"
    assert "Name: Łucja Šťastná" in pdf_text(page.save_record("pdf").read_bytes())
