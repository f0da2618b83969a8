"""Size limits of the readers, in one place.

Each limit says what evidence chose it. An input over a limit is rejected with a
ReadError that names the limit, except the per-article text cap, which truncates.
"""

from __future__ import annotations

# A single-document file (txt, html) is read whole. The largest real news pages seen
# are a few MB of HTML (long live blogs with inline scripts, ~3-5 MB); 20 MB leaves
# room for those while rejecting dumps that were given the wrong extension.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

# A JSON array or an RSS/Atom feed must be parsed whole (no streaming parser is pinned).
# 64 MB is ~30,000 articles of the 2 KB mean seen in the bulk test corpus; json.loads of
# it peaks around 0.4 GB, which a laptop tolerates. Bigger collections belong in JSON Lines.
MAX_WHOLE_PARSE_BYTES = 64 * 1024 * 1024

# One JSON Lines line or one CSV field: a single article. The largest articles seen are
# well under 1 MB of text; 20 MB (same as a whole document) stops a file without
# newlines from being read into memory at once.
MAX_RECORD_BYTES = MAX_DOCUMENT_BYTES

# Per-article text cap. spaCy's default nlp.max_length is 1,000,000 characters; longer
# texts are truncated (not rejected) at the last paragraph break before the cap so the
# extractor can still run on them. See articles.truncate_text.
MAX_TEXT_CHARS = 1_000_000

# How many bytes of a file are looked at to detect its format, encoding and binary-ness.
# 64 KB holds the header row of any CSV and the root element of any feed or page seen.
SNIFF_BYTES = 64 * 1024
