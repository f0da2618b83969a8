"""Which reader a file needs: by extension first, then by its first bytes."""

from __future__ import annotations

import csv
import json
import re

from fogwatch.ingest.decoding import has_wide_bom

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}

_GZIP_MAGIC = b"\x1f\x8b"
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|div|p|meta|title)[\s>]", re.IGNORECASE)
_CSV_DELIMITERS = ",\t;|"


def by_extension(extension: str) -> str | None:
    """The format an extension names, or None."""
    return EXTENSIONS.get(extension)


def by_content(head: bytes, text_field: str) -> str:
    """The format the first bytes of a file look like; "txt" when nothing more specific fits."""
    if head.startswith(_GZIP_MAGIC) or head.startswith(b"WARC/"):
        return "warc"
    if has_wide_bom(head):
        return "txt"
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if sample.startswith(b"["):
        return "json"
    if sample.startswith(b"{"):
        return "jsonl" if looks_like_json_lines(sample) else "json"
    if sample.startswith(b"<"):
        if _FEED_ROOT.search(sample[:4096]):
            return "feed"
        if _HTML_START.search(sample[:4096]):
            return "html"
    if _looks_like_csv(sample, text_field):
        return "csv"
    return "txt"


def looks_like_json_lines(sample: bytes) -> bool:
    """At least two lines, the first a whole JSON object and the next one starting another.
    (A file of one line is read as a JSON document, which also accepts a single article.)"""
    lines = [line for line in sample.split(b"\n") if line.strip()]
    if len(lines) < 2 or not lines[1].lstrip().startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(lines[0]), dict)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def _looks_like_csv(sample: bytes, text_field: str) -> bool:
    """A header row holding the text field's name as one of its columns."""
    first = sample.split(b"\n", 1)[0].decode("utf-8", "replace").strip("\r")
    for delimiter in _CSV_DELIMITERS:
        if delimiter in first:
            columns = next(csv.reader([first], delimiter=delimiter))
            if text_field.casefold() in (c.strip().casefold() for c in columns):
                return True
    return False
