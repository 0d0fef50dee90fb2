"""Sphinx extension for the course book (listed in _config.yml).

- Never serve stale lessons: jupyter-cache keys only on a notebook's code cells, but the
  outputs also depend on the item banks, the bibliography and this package. A digest of
  those files selects the execution cache folder and is a Sphinx config value, so any change
  re-reads and re-executes the lessons, even on a plain ``jupyter-book build .``.
- Drop the notebooks' widget state from the pages: the book uses the static quiz view.
- Build the glossary page from book/glossary.yml.
- Write each item bank's answers and feedback to ``_static/kapquiz-data/<stem>.js`` and add
  that script to the pages that show the bank's quizzes (the quiz HTML holds questions only).
- Write the course's versions tables (fingerprints, renames) to ``versions.js`` for pages
  that read the whole record. A lesson page gets one ``lesson-<stem>.js`` instead: the shared
  constants, its own questions' versions tables and its bank's data in one file (one request
  the parser waits for, not three: ``make bench`` measures it against jupyterquiz).
- Load the quiz runtime (kapquiz.js, its style sheets) only on pages that use it.
- Ship the course's scripts and style sheets minified (rjsmin, rcssmin); _static/ keeps the
  readable source.
- Write the pharmacokinetic model's numbers (kapcourse.content.pk) to
  ``_static/kapquiz-data/kapsim-model.js`` for the simulator's script, on lesson 03 only.
- ``{status}``: a passage that can expire, as a dated admonition (see StatusDirective).
- Turn the lessons' author-year citation links back into ``{cite:p}`` roles and their status
  admonitions into ``{status}`` before parsing (JupyterLab renders the lessons' own markup;
  the book keeps its reference lists and dated boxes).
- ``{lesson-references}``: the end-of-lesson reference list, made of the sources the lesson's
  text cites (``{cite:p}``) and those its item bank cites. Each citation target stays defined
  once, on the References page, so the strict build has no duplicates.
- Warn about stale lesson references in the notebooks ("(planned)", links to missing
  lessons), so the strict build fails on them (see :mod:`kapcourse.bank.quality`).
- Leave out sphinx-thebe's assets (live code is off in this book): Jupyter Book always loads
  the extension, and its inline config declares ``const THEBE_JS_URL`` twice, a JavaScript
  error on every page, and points at a CDN.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.util.docutils import SphinxDirective

GLOSSARY_MARKER = "```{kapcourse-glossary}\n```"


PACKAGE = Path(__file__).parents[1]  # the kapcourse package


# Read by Sphinx only, never by a lesson's kernel: editing them must not re-execute every lesson.
BOOK_ONLY = "book"  # the book-build subpackage


def dependency_files(root: Path, package: Path = PACKAGE) -> list[Path]:
    """Files that lesson outputs depend on besides the notebooks' own code cells."""
    from kapcourse.bank.course import bank_files

    files = [*bank_files(root), root / "book" / "references.bib",
             root / "book" / "readiness.yml",
             *sorted(package.rglob("*.py")), *sorted(package.rglob("*.json"))]
    return [f for f in files
            if f.is_file() and not f.is_relative_to(package / BOOK_ONLY)]


def digest(root: Path, package: Path = PACKAGE) -> str:
    sha = hashlib.sha256()
    for path in dependency_files(root, package):
        sha.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def _select_cache(app, config) -> None:
    root = Path(app.srcdir)
    config.kapcourse_digest = digest(root)
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if base.name.startswith("deps-"):
        base = base.parent
    config.nb_execution_cache_path = str(base / f"deps-{config.kapcourse_digest}")
    if base.is_dir():  # keep only the cache that matches the current sources
        for old in base.glob("deps-*"):
            if old.name != f"deps-{config.kapcourse_digest}":
                shutil.rmtree(old, ignore_errors=True)


def _drop_widget_state(app, doctree) -> None:
    env = app.env
    metadata = getattr(env, "nb_metadata", {}).get(env.docname, {})
    metadata.get("js_files", {}).pop("ipywidgets_state", None)


def glossary_markdown(path: Path) -> str:
    """The {glossary} directive for book/glossary.yml: checked (a problem stops the build)
    and written as plain text, so no HTML or Markdown in a definition becomes markup."""
    from kapcourse.bank.course import load_glossary
    from kapcourse.bank.markdown import plain_markdown

    lines = ["```{glossary}"]
    for entry in sorted(load_glossary(path), key=lambda e: e["term"].lower()):
        lines.append(plain_markdown(entry["term"]))
        lines.append("  " + plain_markdown(entry["definition"]))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n```"


AGENDA_MARKER = re.compile(r"```\{kapcourse-agenda\} ([\w-]+)\n```")


def _fill_agendas(app, docname: str, source: list[str]) -> None:
    if not AGENDA_MARKER.search(source[0]):
        return
    from kapcourse.bank.course import bank_files
    from kapcourse.workshop.facilitator import AGENDA, agenda_markdown, load_plans

    root = Path(app.srcdir)
    for path in [root / AGENDA, *root.glob("notebooks/*.ipynb"), *bank_files(root)]:
        app.env.note_dependency(str(path))
    plans = load_plans(root)
    source[0] = AGENDA_MARKER.sub(lambda m: agenda_markdown(plans[m.group(1)]), source[0])


WHAT_CHANGED_MARKER = "```{kapcourse-what-changed}\n```"


def _fill_what_changed(app, docname: str, source: list[str]) -> None:
    """The What changed page, from CHANGELOG.md and the kept fingerprints (issue #16)."""
    if WHAT_CHANGED_MARKER not in source[0]:
        return
    from kapcourse.bank.course import bank_files
    from kapcourse.book.what_changed import CHANGELOG, what_changed_markdown
    from kapcourse.record.versions import FINGERPRINTS

    root = Path(app.srcdir)
    for path in [root / CHANGELOG, *bank_files(root), *(root / FINGERPRINTS).glob("*.json")]:
        app.env.note_dependency(str(path))
    source[0] = source[0].replace(WHAT_CHANGED_MARKER, what_changed_markdown(root))


def _fill_glossary(app, docname: str, source: list[str]) -> None:
    if GLOSSARY_MARKER not in source[0]:
        return
    path = Path(app.srcdir) / "book" / "glossary.yml"
    app.env.note_dependency(str(path))
    source[0] = source[0].replace(GLOSSARY_MARKER, glossary_markdown(path))


def _book_markdown(app, docname: str, source: list[str]) -> None:
    """Lessons are written in the MyST that JupyterLab renders; the book turns two things back
    into its own markup before parsing:

    - author-year links to a source into ``{cite:p}``/``{cite:t}`` roles, so its citations link
      to the reference lists (kapcourse.bank.citations). A link whose text is not its source's
      label is a warning: the strict build fails on it;
    - status admonitions into the ``{status}`` directive (kapcourse.bank.currency), which adds
      the source to re-check;
    - the comment line ``% {lesson-references}`` (a MyST comment: JupyterLab shows nothing,
      where it showed the directive as "Unknown Directive") into the lesson's reference list.
    """
    from sphinx.util import logging

    from kapcourse.bank.citations import to_roles
    from kapcourse.bank.course import bibliography

    root = Path(app.srcdir)
    references = bibliography(root)
    app.env.note_dependency(str(root / "book" / "references.bib"))
    problems = []
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        notebook = json.loads(source[0])
        for cell in notebook.get("cells", []):
            if cell.get("cell_type") == "markdown":
                text = cell.get("source", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                cell["source"], found = to_roles(_book_only(text), references)
                problems += found
        source[0] = json.dumps(notebook, ensure_ascii=False)
    else:
        source[0], problems = to_roles(_book_only(source[0]), references)
    logger = logging.getLogger(__name__)
    for problem in problems:
        logger.warning(f"citation link {problem.text}: {problem.message}", location=docname,
                       type="kapcourse", subtype="citation")


LESSON_REFERENCES_MARKER = re.compile(r"^% \{lesson-references\}[ \t]*$", re.MULTILINE)


def _book_only(markdown: str) -> str:
    """The book's directives for what the lessons write in JupyterLab's MyST."""
    from kapcourse.bank.currency import status_directives

    return LESSON_REFERENCES_MARKER.sub("```{lesson-references}\n```", status_directives(markdown))


def _is_thebe_asset(asset) -> bool:
    name = getattr(asset, "filename", None) or ""
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "thebe" in str(name) or "THEBE_JS_URL" in body


def _drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe_asset(a)]


DATA_FOLDER = "kapquiz-data"
BANK_ATTRIBUTE = re.compile(r'class="kq" data-bank="([^"]+)"')


def _write_quiz_data(app) -> None:
    if app.builder.format != "html":
        return
    from kapcourse.bank.course import bibliography, lesson_stems
    from kapcourse.bank.model import load_bank
    from kapcourse.quiz.static import bank_data_script

    root = Path(app.srcdir)
    folder = Path(app.outdir) / "_static" / DATA_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    references = bibliography(root)
    from kapcourse.quiz.grading import shared_script

    shared = shared_script()  # units, messages
    (folder / "shared.js").write_text(shared, encoding="utf-8")
    from kapcourse.record.versions import tables

    # fingerprints, the 0.2.0 ones for version 1 records, retired ids and renames (issue #16)
    course_tables = tables(root)
    _write_versions(folder / VERSIONS_DATA, course_tables.script_data())
    for path in lesson_stems(root)[1]:
        bank = load_bank(path, set(references))
        data = bank_data_script(bank, references)
        (folder / f"{path.stem}.js").write_text(data, encoding="utf-8")
        ids = {question.id for question in bank.questions}
        page_tables = _versions_script(course_tables.page_script_data(ids))
        (folder / lesson_script(path.stem)).write_text(
            shared + page_tables + data, encoding="utf-8")
    from kapcourse import __version__
    from kapcourse.record.final import read_course
    from kapcourse.record.summary import course_structure, final_json, structure_json

    final = read_course(root, set(references)).final
    if final is not None:
        script = bank_data_script(final.bank, references)
        (folder / f"{final.bank.stem}.js").write_text(script, encoding="utf-8")
    values = {"kapcourseStructure": structure_json(course_structure(root)),
              "kapcourseVersion": __version__,
              "kapcourseFinal": final_json(final) if final else None,
              "kapcourseEvaluation": _evaluation_json(root),
              "kapcourseReview": _review_json(root, final),
              "kapcoursePretest": _pretest_json(final)}
    (folder / "course.js").write_text("".join(
        f"window.{name} = {_script_json(value)};\n" for name, value in values.items()),
        encoding="utf-8")
    from kapcourse.content.figures.pk import simulator_data

    # The pharmacokinetic model's numbers for _static/kapsim.js, from kapcourse.content.pk.
    (folder / SIMULATOR_DATA).write_text(
        f"window.kapsimData = {_script_json(simulator_data())};\n", encoding="utf-8")


def _write_versions(path: Path, data: dict) -> None:
    path.write_text(_versions_script(data), encoding="utf-8")


def _versions_script(data: dict) -> str:
    return f"window.kapcourseVersions = {_script_json(data)};\n"


def lesson_script(stem: str) -> str:
    """A lesson page's one data script: shared constants, the versions tables of its own
    questions only (record.versions.page_script_data) and its bank's data."""
    return f"lesson-{stem}.js"


def _warn_stale_lesson_references(app) -> None:
    """A "(planned)" lesson or a link to a missing lesson in a notebook is a warning, so the
    strict build (``-W``) fails on it as ``kapcourse validate`` does."""
    from sphinx.util import logging

    from kapcourse.bank.course import lesson_stems
    from kapcourse.bank.quality import notebook_problems

    root = Path(app.srcdir)
    logger = logging.getLogger(__name__)
    for path in lesson_stems(root)[0]:
        for problem in notebook_problems(root, path, f"notebooks/{path.name}", citations=False):
            logger.warning(str(problem), type="kapcourse", subtype="lesson-reference")


def _evaluation_json(root: Path) -> dict | None:
    """The course evaluation's form and rules for kapeval.js (None: the course has none)."""
    from kapcourse.record.evaluation import course_form, form_json

    form = course_form(root)
    return form_json(form) if form else None


def _review_json(root: Path, final) -> dict:
    """Spaced review's settings, rules and the course's questions for kapreview.js."""
    from kapcourse.record.review import course_json, script_data
    from kapcourse.record.summary import course_structure

    return script_data(course_json(course_structure(root), final))


def _pretest_json(final) -> dict | None:
    """The pre-test's questions and rules for kappretest.js (None: the course has no final)."""
    from kapcourse.record.pretest import pretest_json

    return pretest_json(final) if final else None


def _script_json(value) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")  # never ends a script


def _add_quiz_data_scripts(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "")
    stems = sorted(set(BANK_ATTRIBUTE.findall(body)))
    progress = _reads_whole_record(body)
    lesson = _lesson_page_bank(app, body)
    if lesson:
        app.add_js_file(f"{DATA_FOLDER}/{lesson_script(lesson)}")
    elif stems or progress:
        app.add_js_file(f"{DATA_FOLDER}/shared.js")  # the rules' constants, from Python
        # fingerprints and renames: the whole course's, as the page reads the whole record
        app.add_js_file(f"{DATA_FOLDER}/{VERSIONS_DATA}")
        for stem in stems:
            app.add_js_file(f"{DATA_FOLDER}/{stem}.js")
    if progress:
        app.add_js_file(f"{DATA_FOLDER}/course.js")  # structure, final, evaluation form
    if REVIEW_PAGE in body:  # ts-fsrs schedules on the Review page only
        app.add_js_file(REVIEW_LIBRARY)
    if any(marker in body for marker in PAGE_ASSETS["kapsim"]):
        app.add_js_file(f"{DATA_FOLDER}/{SIMULATOR_DATA}")  # the simulator's model numbers


def _reads_whole_record(body: str) -> bool:
    """My progress, the final, the evaluation, the pre-test, the Review page, the landing
    page's due count: pages whose scripts read the whole record."""
    return any(marker in body for name in PROGRESS_PAGES for marker in PAGE_ASSETS[name])


def _lesson_page_bank(app, body: str) -> str | None:
    """The bank of a lesson page (one bank's quizzes, nothing that reads the whole record),
    which loads one data script; None for any other page."""
    stems = set(BANK_ATTRIBUTE.findall(body))
    if len(stems) != 1 or _reads_whole_record(body):
        return None
    (stem,) = stems
    data = Path(app.outdir) / "_static" / DATA_FOLDER / lesson_script(stem)
    return stem if data.is_file() else None


# Jupyter Book loads every file in _static/ on every page; these belong to one or two pages.
PAGE_ASSETS = {"kapreadiness": ('id="kr-guide"',),
               "kapprogress": ('id="kp-progress"', 'id="kf-final"', 'id="kp-changed"'),
               # the evaluation's page, and My progress (its export and record use it)
               "kapeval": ('id="ke-evaluation"', 'id="kp-progress"'),
               "kapsim": ('<div class="kapsim">',),
               "kapsession": ('<div class="kt-timeline"',),
               # the Review page, and the due count on the landing page and My progress
               "kapreview": ('id="kv-review"', 'class="kv-due"', 'id="kp-progress"'),
               # the pre-test's page, and My progress (its comparison, export and import)
               "kappretest": ('id="kpt-pretest"', 'id="kp-progress"')}
REVIEW_PAGE = 'id="kv-review"'
REVIEW_LIBRARY = "kapvendor/ts-fsrs.umd.js"
# the pre-test's page uses kapprogress.js's review rows (the final's)
PAGE_ASSETS["kapprogress"] += ('id="kpt-pretest"',)
SIMULATOR_DATA = "kapsim-model.js"
# pages that read the whole record (the course's data files, scripts loaded in order)
PROGRESS_PAGES = ("kapprogress", "kapeval", "kapreview", "kappretest")
# the quiz runtime: pages with quizzes, and the pages above (they call window.kapquiz); a page
# without either (the glossary, references, the facilitator guide) does not load it
QUIZ_PAGES = ('class="kq"', *(m for name in PROGRESS_PAGES for m in PAGE_ASSETS[name]))
PAGE_ASSETS["kapquiz"] = QUIZ_PAGES
PAGE_ASSETS["kapquiz-print"] = QUIZ_PAGES
VERSIONS_DATA = "versions.js"


def _load_page_assets_only_where_used(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "")
    unused = [name for name, markers in PAGE_ASSETS.items()
              if not any(marker in body for marker in markers)]

    def used(asset) -> bool:
        filename = str(getattr(asset, "filename", "") or "")
        return not any(f"{name}." in filename for name in unused)

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if used(asset)]


def _fix_citation_roles(app, pagename, templatename, context, doctree) -> None:
    """Sphinx marks the bibliography as an ARIA list whose children are not list items, and
    uses the deprecated doc-biblioentry role: axe calls both out. Plain divs are correct."""
    body = context.get("body", "")
    if "citation-list" in body:
        body = body.replace('<div role="list" class="citation-list">',
                            '<div class="citation-list">')
        context["body"] = body.replace(' role="doc-biblioentry"', "")


def _drop_thebe_nodes(app, doctree, docname) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext() or "kernelName = " in raw.astext():
            raw.parent.remove(raw)


COURSE_ASSETS = ("kapquiz.js", "kapquiz.css", "kapreadiness.js", "kapreadiness.css",
                 "kapprogress.js", "kapprogress.css", "kapsim.js", "kapsim.css",
                 "kapeval.js", "kapeval.css", "kappretest.js",
                 "kapbook.js", "kapbook.css", "kapnav.js", "kapnav.css", "kapquiz-print.css",
                 "kapsession.css", "kapreview.js", "kapreview.css", "kaphandout.js",
                 "kaphandout.css")


def _ship_course_assets(app, exception) -> None:
    """Ship each course script and style sheet from its current source after every build,
    minified (a third fewer gzip bytes: the budget is gzip bytes per page, ``make bench``).

    When no page is out of date Sphinx skips copying _static/, so an edited script would
    otherwise ship stale. The readable source stays in _static/ (and is what the golden
    tests run in node).
    """
    if exception or app.builder.format != "html":
        return
    for name in COURSE_ASSETS:
        source = Path(app.confdir) / "_static" / name
        if source.is_file():
            (Path(app.outdir) / "_static" / name).write_text(
                minified(name, source.read_text(encoding="utf-8")), encoding="utf-8")


def minified(name: str, text: str) -> str:
    """A course script or style sheet without its comments and layout. rjsmin and rcssmin
    only drop comments and whitespace: names, strings (every message a learner reads) and
    behaviour stay as written (tests/test_minified_assets.py compares the tokens)."""
    import rcssmin
    import rjsmin

    if name.endswith(".js"):
        body = rjsmin.jsmin(text, keep_bang_comments=True)
    elif name.endswith(".css"):
        body = rcssmin.cssmin(text, keep_bang_comments=True)
    else:
        return text
    return f"/* {name}, minified: the readable source is _static/{name} in the course */\n{body}\n"


def _write_readiness_guide(app, exception) -> None:
    """The printable practice readiness guide (lesson 07), from book/readiness.yml."""
    if exception or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    if (root / "book" / "readiness.yml").is_file():
        from kapcourse.content.readiness import write_printable_guide

        path = write_printable_guide(Path(app.outdir) / "readiness-guide.html", root=root)
        _add_favicon(path, app.config.html_favicon)


def _add_favicon(path: Path, favicon: str | None) -> None:
    """The book's icon on a page the book ships but Sphinx does not write (the browser asked
    for /favicon.ico, a 404, without it). The link is made of the icon's file name only."""
    if not favicon:
        return
    name = Path(favicon).name
    if not re.fullmatch(r"[\w.-]+", name):
        return
    link = f'<link rel="icon" href="_static/{name}">\n'
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("<head>\n", "<head>\n" + link, 1), encoding="utf-8")


class LessonReferences(SphinxDirective):
    """List every source cited by this lesson's text and by its item bank."""

    def run(self):
        from kapcourse.bank.course import bibliography
        from kapcourse.bank.model import BankError, load_bank

        root = Path(self.env.srcdir)
        domain = self.env.get_domain("cite")
        keys = {target.key for ref in domain.citation_refs if ref.docname == self.env.docname
                for target in ref.targets}
        bank = root / "quizzes" / f"{Path(self.env.docname).name}.yml"
        if bank.is_file():
            self.env.note_dependency(str(bank))
            try:
                keys |= load_bank(bank).cited_keys()
            except BankError as exc:
                raise self.error(f"{bank.name}: {exc}") from None
        references = bibliography(root)
        listing = nodes.bullet_list(classes=["lesson-references"])
        for ref in sorted((references[k] for k in keys if k in references), key=lambda r: r.text):
            paragraph = nodes.paragraph(text=ref.text + " ")
            if ref.url:
                paragraph += nodes.reference(ref.url, ref.url, refuri=ref.url)
            listing += nodes.list_item("", paragraph)
        missing = sorted(k for k in keys if k not in references)
        if missing:
            raise self.error(f"unknown citation keys: {', '.join(missing)}")
        return [listing]


class StatusDirective(Directive):
    """``{status}``: a passage that can expire, shown as a dated admonition.

    ::

        ```{status}
        :as-of: 2026-12-01
        :review-by: 2026-12-31
        :source: dea2025fourth
        :class: warning
        The passage (Markdown) ...
        ```

    The title reads "Status as of 1 December 2026 — review by 31 December 2026", and a last
    line names the source to re-check (a citation key's reference with its link, or an
    official address). All text goes into docutils text nodes, which the writer escapes.
    A bad date or an unknown source stops the build; a review that is due does **not** warn
    here (``kapcourse validate`` reports it), so the strict build is not failed by a date.
    A plain docutils directive (not a SphinxDirective) so that it can be tested without a
    Sphinx application.
    """

    has_content = True
    option_spec: ClassVar = {"as-of": directives.unchanged_required,
                             "review-by": directives.unchanged_required,
                             "source": directives.unchanged_required,
                             "class": directives.class_option}

    def run(self):
        from kapcourse.bank.currency import status_title

        as_of, review_by = self._date("as-of"), self._date("review-by")
        if review_by < as_of:
            raise self.error("{status}: the review date is before the 'as-of' date")
        title = status_title(as_of, review_by)
        admonition = nodes.admonition("", classes=["status", *self.options.get("class", [])])
        admonition += nodes.title(title, title)
        self.state.nested_parse(self.content, self.content_offset, admonition)
        admonition += self._source_line()
        return [admonition]

    def _date(self, name: str):
        from kapcourse.bank.model import parse_date

        text = self.options.get(name, "").strip()
        day = parse_date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        if day is None:
            raise self.error(f"{{status}} needs :{name}: as a real date written YYYY-MM-DD "
                             f"(found {text!r})")
        return day

    def _source_line(self) -> nodes.paragraph:
        from kapcourse.bank.markdown import safe_url

        source = self.options.get("source", "").strip()
        paragraph = nodes.paragraph(classes=["status-source"])
        paragraph += nodes.emphasis("", "Source to re-check: ")
        if re.fullmatch(r"https?://\S+", source, re.IGNORECASE) and safe_url(source):
            paragraph += nodes.reference(source, source, refuri=source)
            return paragraph
        reference = self._references().get(source)
        if reference is None:
            raise self.error(f"{{status}}: :source: {source!r} is neither a citation key in "
                             "book/references.bib nor an http(s) address")
        paragraph += nodes.Text(reference.text + " ")
        if reference.url and safe_url(reference.url):
            paragraph += nodes.reference(reference.url, reference.url, refuri=reference.url)
        return paragraph

    def _references(self) -> dict:
        from kapcourse.bank.course import bibliography, course_root

        env = getattr(self.state.document.settings, "env", None)
        root = Path(env.srcdir) if env is not None else course_root()
        return bibliography(root)


def setup(app):
    app.add_directive("status", StatusDirective)
    app.add_directive("lesson-references", LessonReferences)
    app.connect("build-finished", _ship_course_assets)
    app.connect("build-finished", _write_readiness_guide)
    app.connect("builder-inited", _write_quiz_data)
    app.connect("builder-inited", _warn_stale_lesson_references)
    app.connect("html-page-context", _add_quiz_data_scripts)
    app.connect("html-page-context", _drop_thebe_assets)
    app.connect("html-page-context", _load_page_assets_only_where_used)
    app.connect("html-page-context", _fix_citation_roles)
    app.connect("doctree-resolved", _drop_thebe_nodes, priority=900)
    app.add_config_value("kapcourse_digest", "", "env")
    app.connect("config-inited", _select_cache, priority=900)
    app.connect("doctree-read", _drop_widget_state)
    app.connect("source-read", _fill_glossary)
    app.connect("source-read", _book_markdown)
    app.connect("source-read", _fill_what_changed)
    app.connect("source-read", _fill_agendas)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
