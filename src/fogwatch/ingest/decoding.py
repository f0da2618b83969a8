"""Bytes → text: encoding detection, binary detection, BOM and newline clean-up.

Article text is kept exactly as decoded apart from a leading BOM and newlines
(``\\r\\n`` and ``\\r`` become ``\\n``), because extraction offsets index into it.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Share of control bytes (other than tab, newline, carriage return, form feed, escape)
# above which a file is called binary. Text in any 8-bit or UTF-8 encoding has
# practically none; PDFs, images and archives have 10-30% in their first kilobytes.
MAX_CONTROL_BYTE_SHARE = 0.05

_ALLOWED_CONTROL = {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
_CONTROL = bytes(b for b in range(0x20) if b not in _ALLOWED_CONTROL) + b"\x7f"
_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NEWLINES = re.compile(r"\r\n?")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class DecodeFailure(Exception):
    """Bytes that are not text in any encoding we can detect."""


def has_wide_bom(head: bytes) -> bool:
    """True when the bytes start with a UTF-16 or UTF-32 byte-order mark (NULs are expected then)."""
    return head.startswith(_UTF16_32_BOMS)


def binary_reason(head: bytes) -> str | None:
    """Why these first bytes are not text, or None when they look like text."""
    if not head or has_wide_bom(head):
        return None
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    share = controls / len(head)
    if share > MAX_CONTROL_BYTE_SHARE:
        return f"binary file ({share:.0%} control bytes)"
    return None


def clean_text(text: str) -> str:
    """Strip one leading BOM and normalise newlines to ``\\n``; nothing else changes."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def declared_html_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag, if Python knows that codec."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    return known_codec(match.group(1).decode("ascii", "replace"))


def known_codec(name: str | None) -> str | None:
    """The name if Python has a codec by that name, else None."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def decode_document(data: bytes, declared: str | None = None) -> str:
    """Decode a whole document: UTF-8 first, then the declared charset, then detection.

    Raises DecodeFailure when no encoding decodes the bytes.
    """
    candidates = [_bom_encoding(data)]
    if declared:
        candidates.append(declared)
    for encoding in candidates:
        try:
            return clean_text(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeFailure("not valid UTF-8 and no other encoding could be detected")
    return clean_text(str(best))


def sniff_stream_encoding(head: bytes) -> str:
    """The encoding of a file read record by record, judged from its first bytes.

    UTF-8 unless those bytes are not UTF-8; then the detected charset.
    Raises DecodeFailure when nothing fits.
    """
    if head.startswith(codecs.BOM_UTF8) or has_wide_bom(head):
        return _bom_encoding(head)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(head).best()
    if best is None or best.encoding is None:
        raise DecodeFailure("not valid UTF-8 and no other encoding could be detected")
    return best.encoding


def _bom_encoding(data: bytes) -> str:
    """The Unicode encoding a byte-order mark announces; utf-8-sig when there is none."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def is_ascii_compatible(encoding: str) -> bool:
    """True when newline and ASCII letters encode as single ASCII bytes (safe to split lines on bytes)."""
    if codecs.lookup(encoding).name == "utf-8-sig":
        return True
    try:
        return '\n{}[],"a'.encode(encoding) == b'\n{}[],"a'
    except (LookupError, UnicodeEncodeError):
        return False
