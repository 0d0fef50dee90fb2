"""The safe Markdown subset for quiz text: both renderers use it (markdown-it-py).

Supported: paragraphs, ``*em*``/``_em_``, ``**strong**``, ```code```, ``[text](url)`` links
(http, https, mailto or relative; any other scheme keeps its text and loses the link),
``-``/``1.`` lists and backslash escapes. Raw HTML is off, so HTML in a bank is shown as text
and never executed.

``plain_markdown`` is for the other direction: plain text (an objective, a title, a glossary
definition) that is written into a MyST/Markdown page and must stay plain text there.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_SAFE_SCHEMES = ("http", "https", "mailto")
_RELATIVE_START = re.compile(r"^[./#?a-zA-Z0-9_-]")
# Browsers drop ASCII tab and newline anywhere in a URL and trim controls and spaces, so
# "java\tscript:" is a javascript: URL to them: judge the URL as a browser reads it.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str) -> bool:
    """True for http(s), mailto and relative URLs; False for javascript:, data: and the rest.

    ``url`` may be percent-encoded or hold HTML entities (both are decoded before the check).
    """
    plain = _URL_IGNORED.sub("", unquote(html.unescape(url)))
    scheme = _SCHEME.match(plain)
    if scheme:
        return scheme.group(1).lower() in _SAFE_SCHEMES
    return bool(_RELATIVE_START.match(plain))


def _drop_unsafe_links(state) -> None:
    """Keep the text of a link whose URL is not safe, and drop the link itself.

    Done after parsing rather than in ``validateLink`` (which would show the whole
    ``[text](url)`` source as text), so an author sees their words, not Markdown syntax.
    """
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept, dropping = [], []
        for child in token.children:
            if child.type == "link_open":
                dropping.append(not safe_url(child.attrGet("href") or ""))
                if dropping[-1]:
                    continue
            elif child.type == "link_close" and dropping.pop():
                continue
            kept.append(child)
        token.children = kept


def _text(renderer: RendererHTML, tokens, index, options, env) -> str:
    # html.escape also escapes quotes: the output is byte-for-byte what the course stored in
    # its notebooks before markdown-it-py, and is safe inside attributes too.
    return html.escape(tokens[index].content, quote=True)


def _code(renderer: RendererHTML, tokens, index, options, env) -> str:
    return f"<code>{html.escape(tokens[index].content, quote=True)}</code>"


def _link_open(renderer: RendererHTML, tokens, index, options, env) -> str:
    tokens[index].attrSet("rel", "noopener")
    return renderer.renderToken(tokens, index, options, env)


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "maxNesting": 20})
    md.enable(["emphasis", "backticks", "link", "list", "escape", "newline"])
    md.validateLink = lambda url: True  # judged by _drop_unsafe_links, which keeps the text
    md.core.ruler.after("inline", "drop_unsafe_links", _drop_unsafe_links)
    md.add_render_rule("text", _text)
    md.add_render_rule("code_inline", _code)
    md.add_render_rule("link_open", _link_open)
    # A line break inside a paragraph is a space, and a hard break (two trailing spaces) is
    # <br>: with that, markdown-it's own newlines between tags can go (compact stored HTML).
    md.add_render_rule("softbreak", lambda *args: " ")
    md.add_render_rule("hardbreak", lambda *args: "<br>")
    return md


_MD = _make_parser()


def inline(text: str) -> str:
    """Render inline Markdown to safe HTML."""
    return _MD.renderInline(text.strip()).replace("\n", "")


def block(text: str) -> str:
    """Render block Markdown (paragraphs and lists) to safe HTML."""
    return _MD.render(text).replace("\n", "")


_LINK_FINDER = MarkdownIt("zero").enable(["link", "escape"])
_LINK_FINDER.validateLink = lambda url: True


def unsafe_links(text: str) -> list[str]:
    """The URLs of the links in ``text`` that the renderers drop (for ``kapcourse validate``)."""
    return [token.attrGet("href") or "" for block_token in _LINK_FINDER.parse(text)
            for token in block_token.children or ()
            if token.type == "link_open" and not safe_url(token.attrGet("href") or "")]


# Characters that can start Markdown or MyST markup anywhere in a line (HTML, emphasis, code,
# links, roles, math, tables, strikethrough), and those that do so at the start of a line
# (headings, quotes, lists, thematic breaks, MyST comments and colon fences).
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>&{}$|~!])")
_LEADING_MARKUP = re.compile(r"^([#>+=:%.)-])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def plain_markdown(text: str) -> str:
    """Plain text as Markdown that renders to exactly that text, on one line.

    Backslash escapes are CommonMark's (and MyST's, and JupyterLab's marked) way to say
    "this character is text"; only the characters that could start markup are escaped, so
    the Markdown stays readable.
    """
    line = " ".join(text.split())
    line = _INLINE_MARKUP.sub(r"\\\1", line)
    line = _LEADING_NUMBER.sub(r"\1\\\2", line)
    return _LEADING_MARKUP.sub(r"\\\1", line)
