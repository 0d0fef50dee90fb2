"""The kernel's PDF record (fpdf2 with DejaVu Sans): every name prints exactly, and the PDF says
what the canonical HTML record says (code review, sections 2 and 3: the hand-written writer
printed '?' for Ł, and the book's copy of it also for Š, Ž, Œ and †)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from kapcourse.completion import NotComplete, NotPrintable, make_record, record_html, record_pdf
from kapcourse.completion import status as record_status

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


@pytest.mark.parametrize("name", NAMES)
def test_every_name_prints_exactly(complete, name):
    text = pdf_text(record_pdf(make_record(name, complete, "0.1.0", DAY)))
    assert f"Name: {name}\n" in text + "\n"
    assert "?" not in text  # no letter was replaced


@pytest.mark.parametrize("name", NAMES)
def test_the_pdf_says_what_the_html_record_says(complete, name):
    record = make_record(name, complete, "0.1.0", DAY)
    parser = _Text()
    parser.feed(record_html(record))
    assert words(pdf_text(record_pdf(record))) == words(" ".join(parser.parts))
    assert len(PdfReader(io.BytesIO(record_pdf(record))).pages) == 1


def test_a_letter_the_font_lacks_is_refused_with_a_clear_message(complete):
    """DejaVu Sans has no CJK characters: the record is refused (naming the first missing
    letter and pointing to the HTML record), never printed with the letter dropped."""
    record = make_record("李小龍 Bruce Lee", complete, "0.1.0", DAY)
    with pytest.raises(NotPrintable, match=re.escape("no letter '李' (U+674E). Save the HTML")):
        record_pdf(record)
    assert issubclass(NotPrintable, NotComplete)  # the pages show it like any refusal
    assert "Name: 李小龍 Bruce Lee" in record_html(record)  # the HTML record has every letter
