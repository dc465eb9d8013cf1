"""markdown-it core rules that turn what Textual's Markdown widget cannot show into what it can:
footnotes as quotes where they are written, and pictures as the placeholder ``▣ alt text``.

Both the widget and the projection read the token stream after these rules, so what is shown and
what passages are anchored in stay the same text.
"""

from __future__ import annotations

import re

from linkify_it import LinkifyIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

IMAGE_MARK = "▣"
"""What stands for a picture in article text: ``▣ alt text``, a link to the picture where it has one."""


_MAY_LINK = re.compile(r":|//|@|localhost|www\.|\.\w", re.IGNORECASE)
"""Text without any of these holds no link linkify-it would find: each of its schemas ends in
``:`` or is ``//``, e-mail needs ``@``, and a schemaless host is ``localhost`` or has a dot before
a letter or digit (``.com``, ``1.2.3.4``), or is ``www.``."""


class QuickLinkify(LinkifyIt):
    """linkify-it with a quick first look: most text of an article holds none of the few
    characters a link needs, and skips linkify-it's own patterns (a long read parsed 2x slower
    with them on every paragraph and every run of text)."""

    def pretest(self, text: str) -> bool:
        """A quick check that may say yes wrongly (as linkify-it's own may), never no wrongly."""
        return _MAY_LINK.search(text) is not None

    def test(self, text: str) -> bool:
        """Whether ``text`` holds a link, as linkify-it finds them."""
        return _MAY_LINK.search(text) is not None and bool(super().test(text))


def footnotes_in_place(state: StateCore) -> None:
    """Footnote tokens as ones the widget renders, in source order (a core rule): a reference is
    the text ``[label]``, a definition a quote that opens with ``[label]``."""
    tokens: list[Token] = []
    opened: Token | None = None
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for n, child in enumerate(token.children):
                if child.type == "footnote_ref":
                    token.children[n] = _text(f"[{child.meta['label']}]")
        if token.type == "footnote_reference_open":
            opened = token
            tokens.append(token)
            continue
        if token.type == "footnote_reference_close" and opened is not None:
            if tokens[-1] is opened:  # an empty definition (the stubs ``source_of`` adds) shows nothing
                tokens.pop()
            else:
                _as_quote(tokens, tokens.index(opened), opened.meta["label"])
            opened = None
            continue
        if opened is not None:
            token.level -= 1
        tokens.append(token)
    state.tokens = tokens


def images_as_links(state: StateCore) -> None:
    """Every picture as the text ``▣ alt text`` (``▣ image`` without one), linked to the picture
    and marked ``meta["image"]``; inside another link it is the text alone (a core rule)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        depth = 0
        for child in token.children:
            depth += child.type == "link_open"
            depth -= child.type == "link_close"
            if child.type != "image":
                children.append(child)
                continue
            alt = " ".join("".join(c.content for c in child.children or ()).split())
            label = _text(f"{IMAGE_MARK} {alt or 'image'}")
            src = str(child.attrs.get("src", ""))
            if depth or not src:
                children.append(label)
                continue
            opener = Token("link_open", "a", 1, attrs={"href": src}, meta={"image": True})
            children += [opener, label, Token("link_close", "a", -1)]
        token.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _as_quote(tokens: list[Token], start: int, label: str) -> None:
    """Turn the definition opening at ``tokens[start]`` into a quote headed ``[label]``."""
    opened = tokens[start]
    quote = Token("blockquote_open", "blockquote", 1, map=opened.map, meta={"footnote": label}, block=True)
    tokens[start] = quote
    tokens.append(Token("blockquote_close", "blockquote", -1, block=True))
    first = tokens[start + 2] if len(tokens) > start + 2 and tokens[start + 1].type == "paragraph_open" else None
    if first is not None and first.type == "inline":
        first.children = [_text(f"[{label}] "), *(first.children or [])]
        return
    marker = Token("inline", "", 0, content=f"[{label}]", children=[_text(f"[{label}]")], level=2)
    tokens[start + 1 : start + 1] = [
        Token("paragraph_open", "p", 1, level=1, block=True), marker,
        Token("paragraph_close", "p", -1, level=1, block=True),
    ]
