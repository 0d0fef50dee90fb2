"""Sphinx extension for a learner's way through the book (listed in _config.yml).

- ``{course-lessons}``: the landing page's list of lessons with each lesson's time and the
  course total, from the notebooks' ``kapcourse.minutes`` metadata (the same number each
  lesson's header shows), so no time is typed twice.
- ``_static/kapnav-data/lessons.js`` on every page: each lesson's page, title, minutes and
  question ids, for ``_static/kapnav.js`` (the sidebar's completion marks and "Continue where
  you left off", read from the same browser storage as My progress).
- The last lesson of the "Lessons" part of ``_toc.yml`` leads to My progress, not to the
  next part of the book (the facilitator guide): whichever lesson is last, by its place in
  the table of contents, not by its file name.
- Glossary terms show their definition on hover and on tap (sphinx-tippy, with tippy.js and
  Popper shipped in ``kapcourse/book/static/kapvendor/``: the book is built and read offline, so no
  script comes from a CDN). The tips are the glossary's own text, escaped, in place of
  sphinx-tippy's copy of the glossary's ``<dt>``/``<dd>`` (a ``<dd>`` outside a ``<dl>``,
  which axe reports).
- Social-preview metadata (sphinxext-opengraph) and a sitemap (sphinx-sitemap) for the
  address in ``html.baseurl`` in ``_config.yml``.
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

PACKAGE = Path(__file__).parent
LESSONS_CAPTION = "Lessons"
PROGRESS_DOC = "book/progress"
GLOSSARY_DOC = "book/glossary"
NAV_DATA = "kapnav-data/lessons.js"
VENDOR = ("kapvendor/popper.min.js", "kapvendor/tippy.umd.min.js")


def toc_lessons(root: Path) -> list[str]:
    """The docnames of the "Lessons" part of ``_toc.yml``, in teaching order."""
    path = root / "_toc.yml"
    toc = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    toc = toc if isinstance(toc, dict) else {}
    for part in toc.get("parts", []):
        if part.get("caption") == LESSONS_CAPTION:
            return [str(Path(c["file"]).with_suffix("")) for c in part.get("chapters", [])]
    return []


def lessons(root: Path) -> list[dict]:
    """Each lesson of the table of contents: docname, stem, title, minutes, question ids."""
    from kapcourse.bank.course import notebook_minutes
    from kapcourse.record.summary import course_structure

    structure = {lesson.stem: lesson for lesson in course_structure(root)}
    found = []
    for docname in toc_lessons(root):
        stem = Path(docname).name
        notebook = json.loads((root / f"{docname}.ipynb").read_text(encoding="utf-8"))
        info = structure.get(stem)
        found.append({"doc": docname, "stem": stem, "title": info.title if info else stem,
                      "minutes": notebook_minutes(notebook) or 0,
                      "questions": list(info.questions) if info else []})
    return found


def duration(minutes: int) -> str:
    """45 -> '45 min', 490 -> '8 h 10 min', 120 -> '2 h'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


class CourseLessons(SphinxDirective):
    """The numbered list of lessons with their times, then the course's total time."""

    def run(self):
        root = Path(self.env.srcdir)
        self.env.note_dependency(str(root / "_toc.yml"))
        found = lessons(root)
        listing = nodes.enumerated_list(enumtype="arabic", classes=["kn-lessons"])
        for lesson in found:
            self.env.note_dependency(str(root / f"{lesson['doc']}.ipynb"))
            link = addnodes.pending_xref("", refdomain="std", reftype="doc",
                                         reftarget=f"/{lesson['doc']}", refexplicit=True,
                                         refdoc=self.env.docname)
            link += nodes.inline(text=lesson["title"])
            paragraph = nodes.paragraph("", "", link,
                                        nodes.Text(f" · {duration(lesson['minutes'])}"))
            listing += nodes.list_item("", paragraph)
        total = sum(lesson["minutes"] for lesson in found)
        questions = sum(len(lesson["questions"]) for lesson in found)
        summary = nodes.paragraph(text=f"All {len(found)} lessons take about {duration(total)} "
                                       f"in all, with {questions} quiz questions.",
                                  classes=["kn-total"])
        return [listing, summary]


def _write_nav_data(app) -> None:
    if app.builder.format != "html":
        return
    from kapcourse.record.summary import PROGRESS_FORMAT

    root = Path(app.srcdir)
    data = {"format": PROGRESS_FORMAT, "progress": f"{PROGRESS_DOC}.html",
            "lessons": [{"page": f"{lesson['doc']}.html", "title": lesson["title"],
                         "minutes": lesson["minutes"], "questions": lesson["questions"]}
                        for lesson in lessons(root)]}
    path = Path(app.outdir) / "_static" / NAV_DATA
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")  # never ends a script
    path.write_text(f"window.kapnavCourse = {text};\n", encoding="utf-8")


def _next_after_the_last_lesson(app, pagename, templatename, context, doctree) -> None:
    found = toc_lessons(Path(app.srcdir))
    if found and pagename == found[-1] and PROGRESS_DOC in app.env.titles:
        title = app.env.titles[PROGRESS_DOC].astext()
        context["next"] = {"link": app.builder.get_relative_uri(pagename, PROGRESS_DOC),
                           "title": html.escape(title)}


def _configure(app, config) -> None:
    """Settings of the kept extensions that follow from this course (one place for them)."""
    config.html_static_path = [*config.html_static_path, str(PACKAGE / "static")]
    config.html_js_files = [*config.html_js_files, NAV_DATA]  # every page, as _static/'s files
    config.tippy_js = VENDOR  # shipped with the book: it is read offline
    config.tippy_enable_doitips = False  # these fetch tips from the internet at build time
    config.tippy_enable_wikitips = False
    config.tippy_skip_urls = [".*"]  # every tip is a glossary term's (custom tips come first)
    config.tippy_custom_tips = {}  # filled once the glossary page has been read
    config.tippy_props = {"placement": "auto", "maxWidth": 400}
    if config.html_baseurl and not config.ogp_site_url:
        config.ogp_site_url = config.html_baseurl
    if not config.ogp_site_name:
        config.ogp_site_name = config.html_title  # the book's title from _config.yml
    config.ogp_social_cards = {"enable": False}  # would draw an image per page with matplotlib
    config.sitemap_url_scheme = "{link}"


def glossary_tip(term: str, definition: str) -> str:
    """A glossary tip's HTML: the glossary's plain text, escaped."""
    return (f'<p class="kn-tip"><strong>{html.escape(term)}</strong>: '
            f"{html.escape(definition)}</p>")


def _glossary_tips(app, env) -> None:
    """Point every page's link to a glossary term at a tip with the term's definition."""
    from kapcourse.bank.course import load_glossary

    path = Path(app.srcdir) / "book" / "glossary.yml"
    if not path.is_file():  # a book without a glossary (the benchmark's) has no tips
        return
    definitions = {" ".join(e["term"].split()).lower(): e for e in load_glossary(path)}
    objects = env.get_domain("std").objects
    folders = {posixpath.dirname(doc) for doc in env.found_docs}
    tips = app.config.tippy_custom_tips
    tips.clear()
    for (kind, name), (docname, anchor) in objects.items():
        entry = definitions.get(" ".join(name.split()).lower())
        if kind != "term" or docname != GLOSSARY_DOC or entry is None:
            continue
        tip = glossary_tip(entry["term"], entry["definition"])
        for folder in folders:
            page = posixpath.relpath(f"{GLOSSARY_DOC}.html", folder or ".")
            tips[f"{page}#{anchor}"] = tip


def setup(app):
    app.setup_extension("sphinx_tippy")
    app.setup_extension("sphinxext.opengraph")
    app.setup_extension("sphinx_sitemap")
    app.add_directive("course-lessons", CourseLessons)
    app.add_css_file("kapvendor/tippy.css")
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _write_nav_data)
    app.connect("env-updated", _glossary_tips)
    app.connect("html-page-context", _next_after_the_last_lesson)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
