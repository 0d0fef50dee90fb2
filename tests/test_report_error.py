"""Reporting an error without a GitHub account (learner review, finding 11): kapcourse_contact.

A small Sphinx project with the course's theme and kapcourse.book.sphinx_learner is built with the
setting empty, set to an email, set to a web form, and set to something unsafe."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from sphinx.application import Sphinx
from sphinx.errors import ConfigError

from kapcourse.book.sphinx_learner import NO_CONTACT, REPORT_LINK_TEXT, contact_problem

pytestmark = pytest.mark.book

HOW_TO = """# How to use

## Reporting an error

```{kapcourse-report-error}
```
"""


def build(tmp_path: Path, contact: str) -> tuple[str, str]:
    """Build the small project; return the How to use page's article and its extra footer."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['myst_parser', 'kapcourse.book.sphinx_learner']\n"
        "html_theme = 'sphinx_book_theme'\n"
        "html_theme_options = {'extra_footer': '<p>Licence text.</p>'}\n"
        f"kapcourse_contact = {contact!r}\n", encoding="utf-8")
    (source / "index.md").write_text(HOW_TO, encoding="utf-8")
    app = Sphinx(str(source), str(source), str(tmp_path / "html"), str(tmp_path / "doctrees"),
                 "html", status=None, warning=None, freshenv=True)
    app.build()
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    footer = page.split('class="extra_footer"', 1)[1].split("</div>", 1)[0]
    return article, footer


def test_without_a_contact_learners_are_told_to_ask_their_facilitator(tmp_path):
    article, footer = build(tmp_path, "")
    assert NO_CONTACT[:60] in article
    assert "facilitator" in article
    assert REPORT_LINK_TEXT not in article and REPORT_LINK_TEXT not in footer
    assert "Licence text." in footer  # the publisher's own footer is kept


def test_an_email_shows_report_an_error_in_the_footer_and_on_how_to_use(tmp_path):
    contact = "mailto:errors@example.org?subject=Course%20error&body=a&b"
    article, footer = build(tmp_path, contact)
    escaped = contact.replace("&", "&amp;")
    assert f'<a href="{escaped}">{REPORT_LINK_TEXT}</a>' in footer
    # Sphinx hides addresses from harvesters (character references, %40); a browser reads them.
    link = re.search(r'<a [^>]*href="([^"]*)"[^>]*>Report an error</a>', article)
    assert link and unquote(html.unescape(link.group(1))) == unquote(contact)
    assert "Licence text." in footer


def test_a_web_form_works_too(tmp_path):
    article, footer = build(tmp_path, "https://forms.example.org/course-errors")
    assert 'href="https://forms.example.org/course-errors"' in footer
    assert 'href="https://forms.example.org/course-errors"' in article


@pytest.mark.parametrize("value", [
    "javascript:alert(1)", "http://example.org/form", "errors@example.org", "mailto:not-an-email",
    'https://example.org/"><script>alert(1)</script>', "https://", "ftp://example.org",
])
def test_anything_else_stops_the_build_with_a_clear_message(tmp_path, value):
    with pytest.raises(ConfigError, match="kapcourse_contact"):
        build(tmp_path, value)


def test_contact_problem_names_what_is_wrong():
    assert contact_problem("") is None
    assert contact_problem("mailto:a.b@example.org") is None
    assert contact_problem("https://example.org/form?x=1") is None
    assert "mailto:" in contact_problem("javascript:alert(1)")
    assert "spaces" in contact_problem("mailto:a @example.org")
    assert "text" in contact_problem(42)
