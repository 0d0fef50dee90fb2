"""Sphinx extension: learner-facing extras of the book (issue #13, learner review 9, 11, 14).

- **Figures link to their full-size image.** A figure shrinks to a phone's width; a tap opens
  the picture itself (an SVG), which the phone can zoom. Sphinx already links an image that has
  a display width to its file (``html_scaled_image_link``), so each figure's image is given
  one, the column's width.
- **Key-points handouts.** The Handouts page (``book/handouts.md``) is generated at build time,
  one section per lesson, from the lesson's objectives (its item bank) and its "Key points"
  section (its notebook): see :mod:`kapcourse.book.handouts`. ``_static/kaphandout.css`` prints each
  on its own A4 page; each lesson's key points link to its handout.
- **Reporting an error without a GitHub account.** ``kapcourse_contact`` (``_config.yml``,
  ``sphinx: config:``) is empty unless a publisher sets an email (``mailto:``) or a form
  (``https://``) address; then every page's footer and How to use show "Report an error".
  When it is empty, How to use says to tell the course facilitator or provider.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx.util.docutils import SphinxDirective

from kapcourse.book.handouts import HANDOUTS_DOC, KEY_POINTS, anchor, handouts_markdown

HANDOUTS_MARKER = "```{kapcourse-handouts}\n```"
HANDOUT_CLASS = "kap-handout"
PRINT_LINK_TEXT = "Print this lesson's key points"

# ------------------------------------------------------------------ reporting an error


#: What a learner is told when the publisher has set no contact address.
NO_CONTACT = ("Found a mistake, an out-of-date fact or something unclear? Tell your course "
              "facilitator or the organisation that gave you this course; they can pass it on "
              "to the course's authors.")
WITH_CONTACT = "Found a mistake, an out-of-date fact or something unclear? "
REPORT_LINK_TEXT = "Report an error"
_EMAIL = re.compile(r"[^@\s<>\"'()\\,;:]+@[^@\s<>\"'()\\,;:]+\.[^@\s<>\"'()\\,;:]+")


def contact_problem(value: object) -> str | None:
    """Why ``kapcourse_contact`` cannot be used (None when it can): it must be empty, a
    ``mailto:`` address or an ``https://`` link."""
    if not isinstance(value, str):
        return f"must be text, not {type(value).__name__}"
    if not value:
        return None
    if any(c.isspace() or c in "<>\"'`" for c in value):
        return "must not contain spaces, quotes or angle brackets"
    parts = urlsplit(value)
    if parts.scheme == "mailto":
        address = parts.path.split("?", 1)[0]
        return None if _EMAIL.fullmatch(address) else "has no valid email address after mailto:"
    if parts.scheme == "https":
        return None if parts.netloc else "has no host after https://"
    return "must start with mailto: (an email address) or https:// (a web form)"


def _check_contact(app, config) -> None:
    problem = contact_problem(config.kapcourse_contact)
    if problem:
        raise ConfigError(f"_config.yml, sphinx: config: kapcourse_contact {problem} "
                          f"(got {config.kapcourse_contact!r}); leave it empty to tell learners "
                          "to contact their course facilitator or provider")
    if config.kapcourse_contact:
        # The theme writes extra_footer as it stands: the address is escaped here.
        options = dict(config.html_theme_options or {})
        link = (f'<p class="kap-report"><a href="{html.escape(config.kapcourse_contact)}">'
                f"{REPORT_LINK_TEXT}</a> in this course.</p>")
        options["extra_footer"] = (options.get("extra_footer") or "") + link
        config.html_theme_options = options


class ReportError(SphinxDirective):
    """``{kapcourse-report-error}``: how to report an error, from ``kapcourse_contact``."""

    def run(self):
        contact = self.config.kapcourse_contact
        paragraph = nodes.paragraph(classes=["kap-report"])
        if contact:
            paragraph += nodes.Text(WITH_CONTACT)
            paragraph += nodes.reference("", REPORT_LINK_TEXT, refuri=contact)
            paragraph += nodes.Text(
                " (the course's publisher reads these; please do not include anything about a "
                "client or patient).")
        else:
            paragraph += nodes.Text(NO_CONTACT)
        return [paragraph]


# ------------------------------------------------------------------ handouts


def _lessons(app) -> list[dict]:
    from kapcourse.book.sphinx_nav import lessons

    return lessons(Path(app.srcdir))


def _fill_handouts(app, docname: str, source: list[str]) -> None:
    if HANDOUTS_MARKER not in source[0]:
        return
    root = Path(app.srcdir)
    found = _lessons(app)
    for lesson in found:
        app.env.note_dependency(str(root / f"{lesson['doc']}.ipynb"))
        app.env.note_dependency(str(root / "quizzes" / f"{lesson['stem']}.yml"))
    source[0] = source[0].replace(HANDOUTS_MARKER, handouts_markdown(root, found))


def _mark_handouts(app, doctree) -> None:
    """Each lesson's section on the Handouts page gets a class the print stylesheet uses."""
    if app.env.docname != HANDOUTS_DOC:
        return
    for section in doctree.findall(nodes.section):
        if any(i.startswith("kap-handout-") for i in section["ids"]):
            section["classes"].append(HANDOUT_CLASS)


def _link_lessons_to_handouts(app, doctree, docname: str) -> None:
    """Under each lesson's "Key points": a link to that lesson's one-page handout."""
    if HANDOUTS_DOC not in app.env.all_docs:
        return
    stems = {lesson["doc"]: lesson["stem"] for lesson in _lessons(app)}
    if docname not in stems:
        return
    title = KEY_POINTS.lstrip("# ")
    for section in doctree.findall(nodes.section):
        if not (section.children and isinstance(section[0], nodes.title)
                and section[0].astext() == title):
            continue
        uri = f"{app.builder.get_relative_uri(docname, HANDOUTS_DOC)}#{anchor(stems[docname])}"
        link = nodes.reference("", PRINT_LINK_TEXT, refuri=uri, classes=["kap-handout-link"])
        section += nodes.paragraph("", "", nodes.Text("🖨 "), link,
                                   nodes.Text(" (one page: objectives and key points)"))
        return


# ------------------------------------------------------------------ figures


def _link_figures_to_full_size(app, doctree) -> None:
    """Give each figure's image the column's width, so Sphinx links it to its own file."""
    for figure in doctree.findall(nodes.figure):
        for image in figure.findall(nodes.image):
            if isinstance(image.parent, nodes.reference):
                continue
            if not any(key in image for key in ("width", "scale", "height")):
                image["width"] = "100%"


def setup(app):
    app.add_config_value("kapcourse_contact", "", "html", types=[str])
    app.connect("config-inited", _check_contact)
    app.add_directive("kapcourse-report-error", ReportError)
    app.connect("source-read", _fill_handouts)
    app.connect("doctree-read", _mark_handouts)
    app.connect("doctree-read", _link_figures_to_full_size)
    app.connect("doctree-resolved", _link_lessons_to_handouts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
