"""What every extraction step sees: the text, its parse and its publication date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from fogwatch.extract.tokens import TokenTable, token_table


@dataclass
class Context:
    text: str
    doc: Doc
    published: dt.date | None = None
    # Scratch space steps may share (e.g. resolved speaker mentions); never persisted.
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def tokens(self) -> TokenTable:
        """The doc's per-token attributes as plain tuples (built once per doc)."""
        return token_table(self.doc)
