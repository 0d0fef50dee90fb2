"""The safe Markdown subset: formatting works, raw HTML never does."""

from kapcourse.markdown import block, inline


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
