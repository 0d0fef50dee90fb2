"""The safe Markdown subset: formatting works, raw HTML never does."""

from kapcourse.bank.markdown import block, inline


def test_emphasis_code_and_links():
    html = inline("*a* **b** `c<d>` [doi](https://doi.org/10.1/x)")
    assert html == ('<em>a</em> <strong>b</strong> <code>c&lt;d&gt;</code> '
                    '<a href="https://doi.org/10.1/x" rel="noopener">doi</a>')


def test_raw_html_is_shown_as_text():
    html = block("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_dangerous_link_schemes_are_dropped():
    assert "href" not in inline("[x](javascript:alert(1))")
    assert inline("[x](data:text/html,hi)") == "x"
    assert inline("[x](JavaScript:void)") == "x"
    assert "href" not in inline('[x](" onmouseover=alert(1))')


def test_lists_and_paragraphs():
    assert block("First para.\n\n- one\n- two\n\n1. a\n2. b") == (
        "<p>First para.</p><ul><li>one</li><li>two</li></ul><ol><li>a</li><li>b</li></ol>")


def test_underscores_inside_words_are_not_emphasis():
    assert inline("snake_case_name") == "snake_case_name"


def test_links_with_parentheses_in_the_url_are_whole():
    # DOIs of Lancet papers hold parentheses (code review §3; references.bib has three).
    assert inline("[Lancet](https://doi.org/10.1016/S0140-6736(20)30000-0)") == (
        '<a href="https://doi.org/10.1016/S0140-6736(20)30000-0" rel="noopener">Lancet</a>')


def test_emphasis_never_runs_into_link_urls():
    assert inline("[a](http://x/*y*)") == '<a href="http://x/*y*" rel="noopener">a</a>'
    assert inline("*a [b](http://x/_c_)*") == (
        '<em>a <a href="http://x/_c_" rel="noopener">b</a></em>')


def test_nul_escapes_are_text():
    # The old renderer kept code spans behind \x00N\x00 placeholders: IndexError, duplicates.
    assert inline("a \x005\x00") == "a \ufffd5\ufffd"
    assert block("`a` and \x000\x00") == "<p><code>a</code> and \ufffd0\ufffd</p>"


def test_encoded_schemes_are_dropped_and_quotes_escaped():
    for url in ("&#106;avascript:alert(1)", "%6Aavascript:alert(1)", "java&#x09;script:x",
                "vbscript:x", "JaVaScRiPt:x"):
        assert inline(f"[x]({url})") == "x", url
    assert inline("[x](http://a/?q='b')") == '<a href="http://a/?q=\'b\'" rel="noopener">x</a>'
    assert inline('[x](<http://a/"b>)') == '<a href="http://a/%22b" rel="noopener">x</a>'


def test_backslash_escapes_and_a_list_after_a_paragraph():
    assert inline(r"\*not em\*") == "*not em*"
    assert block("Steps:\n- one\n- two") == "<p>Steps:</p><ul><li>one</li><li>two</li></ul>"
