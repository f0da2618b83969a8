"""HTML fragments (feed entry content) → plain text with blank lines between blocks."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr section article header footer figure figcaption".split()
)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "template")
_SPACES = re.compile(r"[^\S\n]+")
_BREAK = "\ue000"  # a private-use character no feed text contains
# Characters XML (and so lxml's element text) cannot hold: C0 controls other than tab and
# line breaks, and the non-characters U+FFFE/U+FFFF. lxml parses them but refuses to set them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment: block elements become paragraphs separated by a
    blank line; runs of spaces inside a paragraph become one space (HTML whitespace has no meaning)."""
    if "<" not in fragment and "&" not in fragment:
        return fragment.strip()
    fragment = _NOT_XML.sub(" ", fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment.strip()
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = _BREAK + (element.tail or "")
            element.text = _BREAK + (element.text or "")
    text = root.text_content()
    blocks = (_SPACES.sub(" ", block.replace("\n", " ")).strip() for block in text.split(_BREAK))
    return "\n\n".join(b for b in blocks if b)
