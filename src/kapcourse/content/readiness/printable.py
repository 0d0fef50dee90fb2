"""The printable practice readiness guide: a standalone page with every question and all
the advice (inline CSS, no scripts, no external requests).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from kapcourse.bank.course import Reference, bibliography, course_root, record_title
from kapcourse.bank.markdown import block, inline
from kapcourse.content.readiness.loading import load_guide
from kapcourse.content.readiness.model import Guide
from kapcourse.content.readiness.pieces import advice_sources, href, link_text

PRINT_CSS = """
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #111; background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { font-size: 1.3em; margin-top: 1.8em;
  border-bottom: 2px solid #333; } h3 { font-size: 1.05em; margin: 1.2em 0 0.3em; }
a { color: #0b4f8a; } .notice { border: 2px solid #333; padding: 0.5em 1em; }
.q { break-inside: avoid; margin: 0 0 1em; } .q ul, .refs { padding-left: 1.2em; }
.q ul { list-style: none; padding-left: 0; } .box { font-size: 1.2em; line-height: 1;
  margin-right: 0.4em; } .paper { border-left: 4px solid #333; padding-left: 0.6em; }
.see { color: #333; font-size: 0.9em; }
.adv { break-inside: avoid; margin: 0 0 0.8em; } .tag { font-weight: 700; }
.src, .more { display: block; font-size: 0.9em; } small { color: #333; }
@media screen { .more { padding: 0.25em 0; } }  /* a 24 px tap target (WCAG 2.5.8) */
@media print { body { margin: 0; max-width: none; } a { color: #111; }
  h2 { break-after: avoid; } h3 { break-after: avoid; } }
@page { margin: 18mm 16mm; }
"""


def _codes(guide: Guide) -> dict[str, str]:
    """Short labels for the paper version: advice '3.2' is the second item of topic 3."""
    codes: dict[str, str] = {}
    for number, topic in enumerate(guide.topics, 1):
        items = [a for a in guide.advice if a.topic == topic.id]
        for index, item in enumerate(items, 1):
            codes[item.id] = f"{number}.{index}"
    return codes


def printable_html(guide: Guide, references: dict[str, Reference], course_title: str = "") -> str:
    """The standalone printable guide; ``course_title`` (course.record_title) heads it."""
    codes = _codes(guide)

    def see(ids: tuple[str, ...], when: str) -> str:
        if not ids:
            return ""
        return f' <span class="see">{when}: see {", ".join(codes[i] for i in ids)}</span>'

    parts = []
    for number, question in enumerate(guide.questions, 1):
        # Printed characters, not drawn boxes: on screen they must not look clickable.
        shape = "○" if question.kind == "single" else "☐"
        rows = "".join(f'<li><span class="box" aria-hidden="true">{shape}</span>{escape(o.text)}'
                       f'{see(o.advice, "if chosen" if question.kind == "single" else "if ticked")}'
                       f'{see(o.advice_if_missing, "if not ticked")}</li>'
                       for o in question.options)
        hint = "Choose one" if question.kind == "single" else "Tick all that apply"
        hint = ("<small>Tick on paper.</small>" if hint.lower() in question.text.lower()
                else f"<small>{hint} (tick on paper).</small>")
        parts.append(f'<div class="q"><h3>{number}. {escape(question.text)}</h3>'
                     f"{hint}<ul>{rows}</ul></div>")
    questions = "".join(parts)
    levels = "".join(f"<li><span class=\"tag\">{escape(p.label)}</span>: "
                     f"{escape(p.description)}</li>" for p in guide.priorities)
    sections = []
    for number, topic in enumerate(guide.topics, 1):
        items = [a for a in guide.advice if a.topic == topic.id]
        rows = "".join(
            f'<div class="adv"><span class="tag">{codes[a.id]} · '
            f"{escape(guide.priority(a.priority).label)}</span><br>{inline(a.text)}"
            f'<a class="more" href="{escape(href(a.link, "root"), quote=True)}">Read more in '
            f"{escape(link_text(guide, a.link))}</a>"
            f'{advice_sources(a.cite, references).replace("kr-src", "src")}</div>' for a in items)
        sections.append(f"<h3>{number}. {escape(topic.title)}</h3>{rows}")
    refs = "".join(
        f"<li>{escape(references[k].text)}"
        + (f' <a href="{escape(references[k].url, quote=True)}">{escape(references[k].url)}</a>'
           if references[k].url else "") + "</li>"
        for k in sorted(guide.cited_keys(), key=lambda k: references[k].text))
    # Course facts come from the configuration and the guide's YAML, not from this code.
    number = int(guide.lesson[:2]) if guide.lesson else 0
    from_where = ", ".join(part for part in (course_title, f"lesson {number}" if number else "")
                           if part)
    online = (f'<a href="notebooks/{escape(guide.lesson, quote=True)}.html">lesson {number} of '
              "the online book</a>" if number else "the online book")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(guide.title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(guide.title)}</h1><p>{escape(from_where)}"
        f"{'. ' if from_where else ''}Reviewed {guide.reviewed.isoformat()}"
        f".</p></header>\n<main>\n"
        f'<section class="notice" aria-label="Scope and safety"><h2>Scope and safety</h2>'
        f"{block(guide.notice)}</section>\n"
        "<h2>How to use this guide</h2><p>Answer each question. Each answer points to numbered "
        "advice in the second part; the advice is grouped by topic and labelled by "
        f"priority:</p><ul>{levels}</ul>"
        '<p class="paper">The circles (○) and boxes (☐) are for ticking with a pen on the '
        "printed page: they cannot be clicked. For a plan made from your own answers, with "
        f"only the steps that apply to you, answer the questions in {online}"
        ' and use "Print or save my plan".'
        "</p>\n"
        f"<h2>Part 1: Questions</h2>{questions}\n"
        f"<h2>Part 2: Advice by topic</h2>{''.join(sections)}\n"
        f'<h2>References</h2><ol class="refs">{refs}</ol>\n</main>\n'
        "<footer><p><small>Content licensed under CC BY 4.0 (the kapcourse contributors). "
        "Educational material, not legal, regulatory or medical advice.</small></p></footer>\n"
        "</body>\n</html>\n")


def write_printable_guide(path: str | Path, root: Path | None = None) -> Path:
    """Write the standalone, print-ready guide (no scripts, no external requests) to ``path``."""
    root = root or course_root()
    references = bibliography(root)
    guide = load_guide(root=root, citations=set(references))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(printable_html(guide, references, record_title(root)), encoding="utf-8")
    return path
