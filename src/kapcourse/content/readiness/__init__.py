"""The practice readiness self-assessment, from one definition: book/readiness.yml.

Modules: ``model`` (the guide and the rule from answers to next steps), ``loading`` (the YAML,
checked), ``pieces`` (shared HTML), ``static`` (the book view), ``widget`` (JupyterLab),
``plan`` (the learner's own plan as a page) and ``printable`` (the printable guide).


- :func:`load_guide` reads and checks the YAML, reporting ``file:line:column: path: message``
  problems like :mod:`kapcourse.bank.model` (:class:`~kapcourse.bank.model.BankError`).
- :meth:`Guide.next_steps` turns answers into the personalised, prioritised list of advice.
- :class:`ReadinessGuide` is what a notebook displays: ipywidgets in JupyterLab, and a
  ``text/html`` view (no script, deterministic ids) that ``_static/kapreadiness.js`` makes
  interactive in the book.
- :func:`plan_html` is the learner's own plan as a standalone page (answers, steps, links and
  sources written out); :func:`write_plan` saves it (JupyterLab's "Save my plan"), and the
  book's script builds the same page ("Print or save my plan", "Save as a web page").
- :func:`write_printable_guide` writes the standalone, print-ready "Practice readiness guide"
  (inline CSS, no scripts, no external requests).

Answers are a mapping ``{question_id: option_id}`` for ``single`` questions and
``{question_id: [option_id, ...]}`` for ``multiple`` ones. In a ``multiple`` question an
option's ``advice`` applies when it is ticked, its ``advice_if_missing`` when it is not: a
question left with no box ticked means "none of these is in place".
"""

from kapcourse.content.readiness.loading import load_guide
from kapcourse.content.readiness.model import (
    GUIDE_FILE,
    STORAGE_KEY,
    Advice,
    Guide,
    Option,
    Priority,
    Question,
    Topic,
)
from kapcourse.content.readiness.pieces import href, link_text, steps_html, summary
from kapcourse.content.readiness.plan import plan_filename, plan_html, regulatory_date, write_plan
from kapcourse.content.readiness.printable import printable_html, write_printable_guide
from kapcourse.content.readiness.static import render_static
from kapcourse.content.readiness.widget import ReadinessGuide, ReadinessView

__all__ = [
    "GUIDE_FILE", "STORAGE_KEY", "Advice", "Guide", "Option", "Priority", "Question",
    "ReadinessGuide", "ReadinessView", "Topic", "href", "link_text", "load_guide",
    "plan_filename", "plan_html", "printable_html",
    "regulatory_date", "render_static", "steps_html", "summary", "write_plan",
    "write_printable_guide",
]
