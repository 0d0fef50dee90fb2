"""The built book speaks to clinicians, and tells search engines and link previews about itself.

- Learner pages (the front page, How to use, Scope and safety, My progress, Review and every
  lesson's visible text outside code cells) name no repository file, Python module, environment
  variable, make target or question id: those belong to the repository's own guides.
- The front page lists each lesson with its time and the course's total, from the notebooks'
  metadata (the number each lesson's header shows).
- Every page has social-preview metadata for its published address, and the book a sitemap.
- The readiness guide, a page the book ships but Sphinx does not write, has the book's icon.
- The last lesson of the Lessons part leads to My progress, not to the facilitator guide.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from kapcourse.book.sphinx_ext import _add_favicon
from kapcourse.book.sphinx_nav import duration, glossary_tip, toc_lessons

from .conftest import ROOT, up_to_date_book

# What a clinician should not have to read (the repository's guides explain these).
DEVELOPER_WORDS = re.compile(r"""(?x)
    \b[\w.-]+\.(?:md|cff|ya?ml|ipynb|py|json|toml|txt|bib|js|css)\b   # a file name
  | \bkapcourse\.[a-z_]+                                             # a module
  | \b(?:final-)?l\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\b                    # a question id
  | \bKAPCOURSE_[A-Z_]+                                              # an environment variable
  | \bmake\s+(?:lab|book|test|build|execute|validate|bench)\b        # a make target
  | (?:^|\s)(?:notebooks|quizzes|src|tests|_static)/                 # a repository folder
""")
URL = re.compile(r"https?://\S+")
LEARNER_PAGES = ["book/intro.html", "book/how_to_use.html", "book/safety.html",
                 "book/progress.html", "book/review.html"]


@pytest.fixture(scope="module")
def html() -> Path:
    return up_to_date_book()


def visible_text(path: Path) -> str:
    """The page's article as a reader sees it: no code cells' input, scripts or link targets."""
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(
        "article.bd-article")
    for hidden in article.select("div.cell_input, script, style"):
        hidden.decompose()
    return URL.sub(" ", article.get_text(" "))


def developer_words(text: str) -> list[str]:
    return [text[max(0, m.start() - 40):m.end() + 20].replace("\n", " ")
            for m in DEVELOPER_WORDS.finditer(text)]


def learner_pages(html: Path) -> list[str]:
    return LEARNER_PAGES + [f"{doc}.html" for doc in toc_lessons(ROOT)]


def test_the_scan_finds_what_it_looks_for():
    found = developer_words("see README.md, kapcourse.content.pk, l01-racemate, "
                            "KAPCOURSE_PROGRESS, "
                            "make lab, the quizzes/ folder, final-l05-red-flags")
    assert len(found) == 7


def test_learner_pages_name_no_repository_files_modules_or_question_ids(html):
    problems = {page: developer_words(visible_text(html / page)) for page in learner_pages(html)}
    assert {page: words for page, words in problems.items() if words} == {}


def test_how_to_use_puts_the_online_book_first_and_self_hosting_last(html):
    soup = BeautifulSoup((html / "book/how_to_use.html").read_text(encoding="utf-8"),
                         "html.parser")
    headings = [h.get_text(" ", strip=True).rstrip("#").strip()
                for h in soup.select("article.bd-article h2")]
    assert headings[0] == "Reading the online book"
    assert headings[-1].startswith("For IT staff")


def test_an_error_can_be_reported_without_a_github_account(html):
    text = visible_text(html / "book/safety.html")
    assert "Without a GitHub account" in text


def lesson_minutes() -> list[int]:
    minutes = []
    for doc in toc_lessons(ROOT):
        notebook = json.loads((ROOT / f"{doc}.ipynb").read_text(encoding="utf-8"))
        minutes.append(notebook["metadata"]["kapcourse"]["minutes"])
    return minutes


def test_front_page_lists_each_lessons_time_and_the_total(html):
    soup = BeautifulSoup((html / "book/intro.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("ol.kn-lessons > li")
    minutes = lesson_minutes()
    assert len(items) == len(minutes) == len(toc_lessons(ROOT))
    for item, lesson_time in zip(items, minutes, strict=True):
        assert item.get_text(" ", strip=True).endswith(duration(lesson_time))
        assert item.select_one("a")["href"].startswith("../notebooks/")
    assert f"about {duration(sum(minutes))} in all" in soup.select_one(".kn-total").get_text()


def test_durations_read_as_hours_and_minutes():
    assert [duration(m) for m in (45, 60, 490, 120)] == ["45 min", "1 h", "8 h 10 min", "2 h"]


def test_glossary_tips_are_escaped_text():
    tip = glossary_tip("<b>NMDA</b>", 'A "receptor" & <script>x</script>')
    assert "<script>" not in tip and "<b>" not in tip
    assert "&lt;script&gt;" in tip and "&amp;" in tip


def test_every_page_has_social_preview_metadata(html):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    base = config["html"]["baseurl"]
    for page in ["book/intro.html", "notebooks/01_what_is_ketamine.html"]:
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        meta = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
        assert meta["og:url"] == base + page
        assert meta["og:title"] and meta["og:type"] == "website"
        assert meta.get("og:description")


def test_the_sitemap_lists_every_page_at_its_published_address(html):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    base = config["html"]["baseurl"]
    tree = ET.parse(html / "sitemap.xml")
    urls = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert base + "book/intro.html" in urls
    assert {base + f"{doc}.html" for doc in toc_lessons(ROOT)} <= urls
    assert all(url.startswith(base) for url in urls)


def test_the_last_lesson_leads_to_my_progress(html):
    last = toc_lessons(ROOT)[-1]
    soup = BeautifulSoup((html / f"{last}.html").read_text(encoding="utf-8"), "html.parser")
    following = soup.select_one("a.right-next")
    assert following["href"] == "../book/progress.html"
    assert "My progress" in following.get_text()


def test_the_readiness_guide_has_the_books_icon(html):
    text = (html / "readiness-guide.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="_static/favicon.svg">' in text
    assert (html / "_static" / "favicon.svg").is_file()


def test_the_icon_link_is_made_of_a_plain_file_name(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html>\n<html>\n<head>\n<title>x</title>\n</head></html>\n")
    _add_favicon(page, '_static/"><script>.svg')
    assert "icon" not in page.read_text()
    _add_favicon(page, "_static/favicon.svg")
    assert page.read_text().count('<link rel="icon" href="_static/favicon.svg">') == 1
