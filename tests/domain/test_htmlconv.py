"""Golden and property tests for the HTML to Markdown conversion of untrusted feed HTML."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.domain.articles.cleaning import clean_line, clean_text
from reader.domain.articles.htmlconv import _full_markdown, _tidy, html_title, html_to_markdown, safe_url
from reader.domain.articles.simple_html import join_url, simple_markdown

GOLDEN = [
    ("<p>a <b>bold</b> word</p>", "a **bold** word"),
    ("<p><strong>strong</strong></p>", "**strong**"),
    ("<p>an <i>italic</i> and <em>em</em></p>", "an *italic* and *em*"),
    ('<p><a href="https://example.org/x">link</a></p>', "[link](https://example.org/x)"),
    ('<a href="http://example.org/" title="T">t</a>', '[t](http://example.org/ "T")'),
    ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
    ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
    ("<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"),
    ("<h1>Title</h1><h2>Sub</h2><h3>Third</h3>", "# Title\n\n## Sub\n\n### Third"),
    ("<blockquote><p>quoted</p></blockquote>", "> quoted"),
    (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        "| A | B |\n| --- | --- |\n| 1 | 2 |",
    ),
    ("<p>call <code>f(x)</code> now</p>", "call `f(x)` now"),
    ('<pre><code class="language-python">if a:\n    b()\n</code></pre>', "```python\nif a:\n    b()\n```"),
    ('<img src="https://example.org/cat.png" alt="A cat">', "[▣ A cat](https://example.org/cat.png)"),
    ('<img src="https://example.org/cat.png">', "[▣ image](https://example.org/cat.png)"),
    ("<p>x</p><hr><p>y</p>", "x\n\n---\n\ny"),
    ("plain text, no tags", "plain text, no tags"),
]


@pytest.mark.parametrize(("html", "expected"), GOLDEN)
def test_golden(html: str, expected: str) -> None:
    assert html_to_markdown(html) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<p>before</p><script>alert('SCRIPT')</script><p>after</p>",
        "<style>body{color:red} /* STYLE */</style><p>before</p><p>after</p>",
        '<p>before</p><iframe src="https://evil.example/">IFRAME</iframe><p>after</p>',
        "<p>before</p><!-- COMMENT --><p>after</p>",
        '<p>before</p><form action="/x"><input name="q" value="FORM">FORM</form><p>after</p>',
        "<p>before</p><noscript>NOSCRIPT</noscript><p>after</p>",
        "<p>before</p><object>OBJECT</object><embed src='x'><p>after</p>",
        "<html><head><title>HEAD</title><meta charset=utf-8></head><body><p>before</p><p>after</p></body></html>",
    ],
)
def test_dropped_elements(html: str) -> None:
    out = html_to_markdown(html)
    assert out == "before\n\nafter"


@pytest.mark.parametrize(
    "img",
    [
        '<img src="https://t.example/p.gif" width="1" height="1">',
        '<img src="https://t.example/p.gif" width="1px" height="1px" alt="x">',
        '<img src="https://t.example/p.gif" style="width: 1px; height: 1px">',
        '<img src="https://t.example/p.gif" width="0" height="0">',
    ],
)
def test_tracking_pixels_dropped(img: str) -> None:
    assert html_to_markdown(f"<p>text{img}</p>") == "text"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "vbscript:msgbox",
        "mailto:a@example.org",
        "ftp://example.org/",
        "//",
    ],
)
def test_non_http_links_become_text(href: str) -> None:
    out = html_to_markdown(f'<p><a href="{href}">click</a></p>')
    assert out == "click"
    out = html_to_markdown(f'<p><img src="{href}" alt="pic"></p>')
    assert out == "▣ pic"
    assert html_to_markdown(f'<p>text <img src="{href}"></p>') == "text"


def test_relative_links_resolved_against_base() -> None:
    html = '<a href="/a">a</a> <img src="b.png" alt="b">'
    assert html_to_markdown(html, base_url="https://example.org/dir/") == (
        "[a](https://example.org/a) [▣ b](https://example.org/dir/b.png)"
    )
    # Without a base a relative link has no scheme and is not kept.
    assert html_to_markdown(html) == "a ▣ b"


def test_image_inside_link_does_not_nest_links() -> None:
    html = '<a href="https://example.org/"><img src="https://example.org/i.png" alt="pic"></a>'
    assert html_to_markdown(html) == "[▣ pic](https://example.org/)"


def test_link_destination_characters_encoded() -> None:
    out = html_to_markdown('<a href="https://example.org/a b(c)">x</a>')
    assert out == "[x](https://example.org/a%20b%28c%29)"


def test_text_that_looks_like_html_is_escaped() -> None:
    out = html_to_markdown("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;</p>")
    assert "<script" not in out.replace("\\<", "")
    assert out == r"\<script>alert(1)\</script> \&amp;"


def test_control_and_bidi_characters_removed() -> None:
    out = html_to_markdown("<p>a\x1b[31mred\u202eb\u200bc\x07</p>")
    assert out == "a[31mredbc"


def test_deep_nesting_falls_back_to_text() -> None:
    html = "<div>" * 3000 + "deep" + "</div>" * 3000
    assert html_to_markdown(html) == "deep"


def test_empty() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("   ") == ""
    assert html_to_markdown("<script>x</script>") == ""


def test_html_title() -> None:
    assert html_title("<html><head><title> The\n Title </title></head><h1>H</h1></html>") == "The Title"
    assert html_title("<body><h1>First <b>one</b></h1><h1>Second</h1></body>") == "First one"
    assert html_title("<title>\u202eevil\x1b</title>") == "evil"
    assert html_title("<p>nothing</p>") is None
    assert html_title("") is None


def test_safe_url() -> None:
    assert safe_url("https://example.org/x") == "https://example.org/x"
    assert safe_url("HTTP://example.org/") == "HTTP://example.org/"
    assert safe_url("x", "https://example.org/a/") == "https://example.org/a/x"
    assert safe_url("file:///etc/passwd") is None
    assert safe_url("https://[bad") is None
    assert safe_url(None) is None


_TAGS = st.sampled_from(
    ["p", "b", "i", "a", "script", "style", "div", "ul", "li", "table", "tr", "td", "pre", "code",
     "img", "iframe", "h1", "blockquote", "form"]
)


@st.composite
def _html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(_TAGS)
        attr = draw(st.sampled_from(['', ' href="javascript:x"', ' src="data:x"', ' href="https://e.org/"']))
        parts.append(f"<{tag}{attr}>{draw(st.text(max_size=20))}</{tag}>")
    return "".join(parts)


@settings(max_examples=150, deadline=None)
@given(_html())
def test_property_no_raw_html_no_controls(html: str) -> None:
    out = html_to_markdown(html)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u200b]", out)
    assert not re.search(r"(?<!\\)<[a-zA-Z/!?]", out)
    assert "](javascript" not in out.lower()
    assert "](data:" not in out


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_property_any_text_converts(text: str) -> None:
    out = html_to_markdown(text)
    assert "\x00" not in out and "\x1b" not in out


# The shortcut for simple HTML (reader.domain.articles.simple_html) must give exactly what the full
# converter gives, or decline.

_WORDS = st.sampled_from([
    "word", " ", "  ", "\n", "\t", "\xa0", "a*b", "_x_", "`tick`", "``", "[1]", "(x)", "#", "- ", "1.", "\\",
    "&amp;", "&lt;b&gt;", "&#8217;", "&#x41;", "&#X42;", "&nbsp;", "&copy;", "& ", "&bogus;", "&#0;", "&#150;",
    "&#xD800;", "AT&T", "&amp", "<", "1 < 2", ">", "é", "日本", "\u202e", "\x1b",
])
_HREFS = st.sampled_from(["https://e.org/x", "/rel", "rel.html", "javascript:alert(1)", "https://e.org/a b(c)",
                          "http://e.org/?a=1&amp;b=2", "", "mailto:a@e.org"])


@st.composite
def _attribute(draw: st.DrawFn, name: str, values: st.SearchStrategy[str]) -> str:
    value = draw(values)
    form = draw(st.sampled_from(['{n}="{v}"', "{n}='{v}'", "{n}={v}", "{n} = \"{v}\"", "{n}", "{N}=\"{v}\""]))
    if "{v}" in form and form.startswith("{n}={v}") and (not value or any(c in value for c in " \"'=<>`")):
        form = '{n}="{v}"'
    return " " + form.format(n=name, N=name.upper(), v=value)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(["p", "b", "strong", "i", "em", "a", "code", "span", "P", "Em"]))
        attrs = ""
        if tag == "a":
            attrs += draw(_attribute("href", _HREFS))
            if draw(st.booleans()):
                attrs += draw(_attribute("title", st.sampled_from(['a "q"', "T", "", "&amp;"])))
        if draw(st.booleans()):
            attrs += draw(_attribute("class", st.sampled_from(["x", "language-py"])))
        inner = "".join(draw(st.lists(children, max_size=4)))
        space = draw(st.sampled_from(["", " ", "\n"]))
        return f"<{tag}{attrs}{space}>{inner}</{tag}{space}>"

    return build()


@st.composite
def _void(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return draw(st.sampled_from(["<br>", "<br/>", "<br />", "<BR>", "</br>"]))
    attrs = draw(_attribute("src", _HREFS))
    if draw(st.booleans()):
        attrs += draw(_attribute("alt", st.sampled_from(["A [cat]", "", "x_y"])))
    if draw(st.booleans()):
        attrs += draw(_attribute("width", st.sampled_from(["1", "1px", "640", "0"])))
    return f"<img{attrs}{draw(st.sampled_from(['', '/', ' /']))}>"


_NOISE = st.sampled_from(["<!-- c -->", "<div>", "</p>", "<script>x</script>", "<p/>", "<b", "<ul><li>x</li></ul>"])
_SIMPLE_HTML = st.recursive(_WORDS | _void(), _element, max_leaves=20)


@settings(max_examples=600, deadline=None)
@given(st.lists(_SIMPLE_HTML | _NOISE, max_size=6), st.sampled_from([None, "https://e.org/dir/"]))
def test_property_simple_html_shortcut_matches_full_converter(parts: list[str], base: str | None) -> None:
    html = clean_text("".join(parts))
    fast = simple_markdown(html, base)
    if fast is not None:
        assert _tidy(fast) == _tidy(_full_markdown(html, base))


def test_simple_html_shortcut_takes_typical_item_bodies() -> None:
    body = ("<p>Item 1. Lorem <b>ipsum</b> &amp; <i>dolor</i>&#8217;s <code>x_y</code><br/>"
            "<a href='https://e.org/1' title=\"T\">more</a> <img src=\"/i.png\" alt=\"pic\"></p>\n<p>Two</p>")
    assert simple_markdown(body, "https://e.org/") == (
        "Item 1. Lorem **ipsum** & *dolor*\u2019s `x_y`  \n[more](https://e.org/1 \"T\") "
        "[▣ pic](https://e.org/i.png)\n\nTwo"
    )
    assert simple_markdown("<p>a</p><!-- c -->") is None
    assert simple_markdown("<div>x</div>") is None
    assert simple_markdown("<b>x</i>") is None


_URL_PIECES = st.sampled_from(["http://", "https://", "HTTPS://", "//", "/", "../", "./", "?", "#", "a", "b.c", ":",
                               ";p", "@", "[", "]", "%41", " ", "javascript:", "mailto:", "h", "x=1&y", "\\"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["http://127.0.0.1:8080/feed.xml", "https://e.org/a/b?x#y", "HTTP://E.org", "ftp://h/x",
                        "mailto:a@b", "e.org/rel", "//h/p", "https://[::1]:80/", ""]),
       st.lists(_URL_PIECES, max_size=7).map("".join))
def test_property_join_url_is_urljoin(base: str, url: str) -> None:
    def outcome(join: object) -> object:
        try:
            return join(base, url)  # type: ignore[operator]
        except ValueError:
            return ValueError

    assert outcome(join_url) == outcome(urljoin)


@settings(max_examples=300, deadline=None)
@given(st.lists(_URL_PIECES | st.sampled_from(["ftp://", "\t", "e.org"]), max_size=7).map("".join),
       st.sampled_from(["http://127.0.0.1:8080/feed.xml", "https://e.org/a/b?x#y", "mailto:a@b", "//h/p", "", None]))
def test_property_safe_url_is_urljoin_then_scheme_and_host_check(url: str, base: str | None) -> None:
    expected: str | None = clean_line(url)
    try:
        expected = urljoin(base, expected) if base and expected else expected
        parts = urlsplit(expected)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            expected = None
    except ValueError:
        expected = None
    assert safe_url(url, base) == (expected or None)


def test_image_placeholder_shows_alt_text_literally_and_links_the_picture() -> None:
    from reader.domain.articles.markdown import make_parser, project

    out = html_to_markdown('<p>See <img src="https://e.org/p.png" alt="a *bold* <b>claim</b>"></p>')
    assert project(out).text == "See ▣ a *bold* <b>claim</b>"
    links = [t.attrs["href"] for t in make_parser().parse(out)[1].children if t.type == "link_open"]
    assert links == ["https://e.org/p.png"]


def test_table_column_alignment_survives_conversion() -> None:
    from reader.domain.articles.markdown import make_parser

    html = ('<table><tr><th align="right">n</th><th style="text-align: center">name</th><th>x</th></tr>'
            '<tr><td>1</td><td>one</td><td>y</td></tr></table>')
    out = html_to_markdown(html)
    assert "| ---: | :---: | --- |" in out
    styles = [t.attrs.get("style", "") for t in make_parser().parse(out) if t.type == "th_open"]
    assert styles == ["text-align:right", "text-align:center", ""]
