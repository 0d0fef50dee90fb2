"""A small, safe Markdown subset for quiz text: both renderers use it.

Supported: paragraphs, ``*em*``/``_em_``, ``**strong**``, ```code```, ``[text](url)`` links
(http, https, mailto or relative), and ``-``/``1.`` lists. Everything is HTML-escaped first,
so raw HTML in a bank is shown as text and never executed.
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])[*_](?![\s*_])(.+?)(?<![\s*_])[*_](?![\w*])")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_SAFE_URL = re.compile(r"^(https?://|mailto:|[./#a-zA-Z0-9_-])", re.IGNORECASE)


def _safe_url(url: str) -> str | None:
    plain = html.unescape(url)
    if re.match(r"^\s*[a-z][a-z0-9+.-]*:", plain, re.IGNORECASE) and not re.match(
        r"^(https?|mailto):", plain, re.IGNORECASE
    ):
        return None  # javascript:, data:, vbscript: ... are dropped
    return url if _SAFE_URL.match(plain) else None


def inline(text: str) -> str:
    """Render inline Markdown to safe HTML."""
    escaped = html.escape(text, quote=True)
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = _CODE.sub(keep_code, escaped)

    def link(match: re.Match) -> str:
        url = _safe_url(match.group(2))
        if url is None:
            return match.group(1)
        return f'<a href="{url}" rel="noopener">{match.group(1)}</a>'

    out = _LINK.sub(link, out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    return re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], out)


def block(text: str) -> str:
    """Render block Markdown (paragraphs and lists) to safe HTML."""
    chunks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in paragraph.splitlines() if line.strip()]
        if lines and all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{inline(_BULLET.match(line).group(1))}</li>" for line in lines)
            chunks.append(f"<ul>{items}</ul>")
        elif lines and all(_NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{inline(_NUMBERED.match(line).group(1))}</li>" for line in lines)
            chunks.append(f"<ol>{items}</ol>")
        elif lines:
            chunks.append(f"<p>{inline(' '.join(line.strip() for line in lines))}</p>")
    return "".join(chunks)
