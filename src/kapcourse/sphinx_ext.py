"""Sphinx extension for the course book (listed in _config.yml).

- Never serve stale lessons: jupyter-cache keys only on a notebook's code cells, but the
  outputs also depend on the item banks, the bibliography and this package. A digest of
  those files selects the execution cache folder and is a Sphinx config value, so any change
  re-reads and re-executes the lessons, even on a plain ``jupyter-book build .``.
- Drop the notebooks' widget state from the pages: the book uses the static quiz view.
- Build the glossary page from book/glossary.yml.
- Leave out sphinx-thebe's assets (live code is off in this book): Jupyter Book always loads
  the extension, and its inline config declares ``const THEBE_JS_URL`` twice, a JavaScript
  error on every page, and points at a CDN.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

GLOSSARY_MARKER = "```{kapcourse-glossary}\n```"


def dependency_files(root: Path) -> list[Path]:
    """Files that lesson outputs depend on besides the notebooks' own code cells."""
    package = Path(__file__).parent
    files = [*sorted((root / "quizzes").glob("*.yml")), root / "book" / "references.bib",
             *sorted(package.rglob("*.py")), *sorted(package.rglob("*.json"))]
    return [f for f in files if f.is_file()]


def digest(root: Path) -> str:
    sha = hashlib.sha256()
    for path in dependency_files(root):
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
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    lines = ["```{glossary}"]
    for entry in sorted(entries, key=lambda e: e["term"].lower()):
        lines.append(entry["term"])
        lines.append("  " + " ".join(entry["definition"].split()))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n```"


def _fill_glossary(app, docname: str, source: list[str]) -> None:
    if GLOSSARY_MARKER not in source[0]:
        return
    path = Path(app.srcdir) / "book" / "glossary.yml"
    app.env.note_dependency(str(path))
    source[0] = source[0].replace(GLOSSARY_MARKER, glossary_markdown(path))


def _is_thebe_asset(asset) -> bool:
    name = getattr(asset, "filename", None) or ""
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "thebe" in str(name) or "THEBE_JS_URL" in body


def _drop_thebe_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe_asset(a)]


def _drop_thebe_nodes(app, doctree, docname) -> None:
    from docutils import nodes

    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext() or "kernelName = " in raw.astext():
            raw.parent.remove(raw)


def setup(app):
    app.connect("html-page-context", _drop_thebe_assets)
    app.connect("doctree-resolved", _drop_thebe_nodes, priority=900)
    app.add_config_value("kapcourse_digest", "", "env")
    app.connect("config-inited", _select_cache, priority=900)
    app.connect("doctree-read", _drop_widget_state)
    app.connect("source-read", _fill_glossary)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
