"""The one markdown-it configuration, and the plain-text projection of an article body.

The projection is the text that passages are anchored in. It follows the top-level blocks that
Textual's Markdown widget renders, one ``Block`` per top-level token, and each block's text is
built the way the widget builds its visible text, so offsets in the projection are offsets on
screen. Blocks are separated by a blank line in ``Projection.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Sequence

from reader.domain.articles.words import count_words

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BLOCK_SEPARATOR = "\n\n"
_SPACE = re.compile(r"\s+")
_OPENERS = {
    "paragraph_open": "paragraph",
    "heading_open": "heading",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "quote",
    "table_open": "table",
}


def make_parser() -> MarkdownIt:
    """The parser every Markdown view and the projection use: CommonMark, tables (with their
    column alignment), strikethrough, footnotes, and bare URLs as links.

    Raw HTML is off (it shows as text), and the token stream holds only what the widget can
    render: a footnote reference is the text ``[label]`` and a definition stays where it was
    written, as a quote that opens with ``[label]``; a picture is the link ``▣ alt text``
    (see ``markdown_rules``).
    """
    # markdown-it loads with the first parser, not with the projection's values: the first
    # frame (a listing from the index) parses nothing.
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import linkify as linkify_rule
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    from reader.domain.articles.markdown_rules import QuickLinkify, footnotes_in_place, images_as_links

    parser = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": True})
    parser.enable(["table", "strikethrough", "linkify"]).use(front_matter_plugin).use(footnote_plugin)
    parser.disable("footnote_tail")  # it moves definitions to the end, away from their source lines
    parser.core.ruler.after("inline", "footnote_in_place", footnotes_in_place)
    parser.core.ruler.after("footnote_in_place", "images_as_links", images_as_links)
    parser.linkify = QuickLinkify().set({"fuzzy_email": False})
    # Bare URLs are found in the text once escapes are resolved and joined, so a URL in escaped
    # plain text (``x\_y``) links and shows exactly as typed.
    parser.inline.ruler.disable("linkify")
    parser.core.ruler.disable("linkify")
    parser.core.ruler.push("linkify_joined", linkify_rule)
    return parser


@lru_cache(maxsize=1)
def _shared_parser() -> MarkdownIt:
    return make_parser()


def parse_tokens(text: str) -> list[Token]:
    """The token stream of ``text`` as every view reads it (for renderers outside this module)."""
    return _shared_parser().parse(text)


@dataclass(frozen=True)
class Block:
    """One top-level block: its kind, its text, where it is in the projection and the source."""

    index: int
    kind: str
    text: str
    start: int
    end: int
    lines: tuple[int, int]
    leaves: tuple[tuple[int, int], ...]
    """Offsets (relative to ``start``) of each separately rendered run of text in the block."""

    @property
    def words(self) -> int:
        """How many words the block holds."""
        return count_words(self.text)


@dataclass(frozen=True)
class Projection:
    """An article body as plain text with block boundaries."""

    text: str
    blocks: tuple[Block, ...]

    def block_at(self, offset: int) -> Block | None:
        """The block that contains ``offset`` (or the nearest one before it)."""
        found = None
        for block in self.blocks:
            if block.start <= offset:
                found = block
            else:
                break
        return found

    def blocks_between(self, start: int, end: int) -> tuple[int, int]:
        """The first and last block index that the span ``[start, end)`` touches."""
        first = last = None
        for block in self.blocks:
            if block.end >= start and block.start < max(end, start + 1):
                first = block.index if first is None else first
                last = block.index
        if first is None or last is None:
            return (0, 0)
        return (first, last)


def inline_text(token: Token) -> str:
    """The visible text of an inline token, exactly as the Markdown widget renders it."""
    return children_text(token.children or ())


def children_text(children: Sequence[Token]) -> str:
    """The visible text of a run of an inline token's children (a link's, say)."""
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            parts.append(_SPACE.sub(" ", child.content))
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "code_inline":
            parts.append(child.content)
    return "".join(parts)


def link_text_end(children: Sequence[Token], start: int) -> int:
    """Where the link opened at ``children[start]`` closes (its text is the children between)."""
    depth = 0
    for end in range(start, len(children)):
        depth += children[end].nesting if children[end].type in ("link_open", "link_close") else 0
        if depth == 0:
            return end
    return len(children)


def _leaf_texts(tokens: list[Token]) -> list[str]:
    leaves: list[str] = []
    for token in tokens:
        if token.type == "inline":
            leaves.append(inline_text(token))
        elif token.type in ("fence", "code_block"):
            leaves.append(token.content.rstrip())
    return leaves


def group_blocks(tokens: list[Token]) -> list[tuple[str, list[Token], tuple[int, int]]]:
    """The top-level blocks of a token stream as the projection counts them: kind, tokens, lines."""
    groups: list[tuple[str, list[Token], tuple[int, int]]] = []
    depth = 0
    current: list[Token] = []
    kind = ""
    for token in tokens:
        if depth == 0:
            if token.type in ("fence", "code_block", "hr"):
                kind = "code" if token.type != "hr" else "rule"
                lines = tuple(token.map) if token.map else (0, 0)
                groups.append((kind, [token], lines))  # type: ignore[arg-type]
                continue
            if token.type not in _OPENERS:
                continue
            kind = "footnote" if token.meta.get("footnote") else _OPENERS[token.type]
            current = []
        current.append(token)
        depth += token.nesting
        if depth == 0 and current:
            first = current[0]
            lines = tuple(first.map) if first.map else (0, 0)
            groups.append((kind, current, lines))  # type: ignore[arg-type]
    return groups


def project_tokens(tokens: list[Token]) -> Projection:
    """The projection of an already parsed token stream."""
    blocks: list[Block] = []
    offset = 0
    for index, (kind, group, lines) in enumerate(group_blocks(tokens)):
        leaves = _leaf_texts(group)
        text = "\n".join(leaves)
        spans: list[tuple[int, int]] = []
        position = 0
        for leaf in leaves:
            spans.append((position, position + len(leaf)))
            position += len(leaf) + 1
        if blocks:
            offset += len(BLOCK_SEPARATOR)
        blocks.append(Block(index, kind, text, offset, offset + len(text), lines, tuple(spans)))
        offset += len(text)
    return Projection(BLOCK_SEPARATOR.join(b.text for b in blocks), tuple(blocks))


def parse(body: str) -> list[Token]:
    """The token stream of a Markdown body, as every view and the projection read it."""
    return _shared_parser().parse(body)


def project(body: str) -> Projection:
    """The plain-text projection of a Markdown body."""
    return project_tokens(parse(body))


def source_of(body: str, projection: Projection, first: int, last: int) -> str:
    """The Markdown source of blocks ``first..last`` (inclusive), for rendering a page of them.

    The body's link reference definitions come first, so ``[text][ref]`` on the page still links;
    a blank first line keeps a page that opens with a ``---`` rule from being read as front matter.
    """
    lines = body.split("\n")  # markdown-it's line numbers count "\n" only, not U+2028 and kin
    start = projection.blocks[first].lines[0]
    end = projection.blocks[last].lines[1]
    return "\n" + _definitions(body) + "".join(line + "\n" for line in lines[start:end])


@lru_cache(maxsize=4)
def _definitions(body: str) -> str:
    """What a page of ``body`` needs before its lines so references on it still resolve: the link
    reference definitions, and an empty stub of each footnote definition (which shows nothing),
    closed by an empty link definition so an indented block after them is not read into one."""
    if "]:" not in body:
        return ""
    env: dict[str, Any] = {}
    _shared_parser().parse(body, env)
    lines = [f"[^{label[1:]}]:" for label in env.get("footnotes", {}).get("refs", {})]
    if lines:
        lines.append("[reader-footnotes-end]: <>")
    for label, ref in env.get("references", {}).items():
        line = f"[{label}]: <{ref['href']}>"
        if ref.get("title"):
            title = " ".join(ref["title"].split())
            line += ' "' + re.sub(r'([\\"&])', r"\\\1", title) + '"'
        lines.append(line)
    return "\n".join(lines) + "\n\n" if lines else ""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<~&])")
_LEADING = re.compile(r"^([#>+=|-])")
_ORDERED = re.compile(r"^(\d+)([.)])")


def escape_text(paragraph: str) -> str:
    """Markdown source that renders ``paragraph`` literally (no emphasis, links, lists or HTML)."""
    escaped = _LEADING.sub(r"\\\1", _MD_SPECIAL.sub(r"\\\1", paragraph))
    return _ORDERED.sub(r"\1\\\2", escaped)
