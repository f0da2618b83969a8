"""How inputs are read: field names of structured inputs, forced format, language filter."""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("txt", "jsonl", "json", "csv", "html", "feed", "warc")


@dataclass(frozen=True)
class ReadOptions:
    """Options of ``read_paths``. Field names apply to JSON Lines, JSON and CSV inputs."""

    text_field: str = "text"
    date_field: str = "published"
    id_field: str = "id"
    title_field: str = "title"
    url_field: str = "url"
    outlet_field: str = "outlet"
    format: str | None = None  # force a reader: txt|jsonl|json|csv|html|feed|warc ; None = detect
    skip_non_english: bool = True

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise ValueError(f"unknown input format {self.format!r}; choose one of {', '.join(FORMATS)}")
