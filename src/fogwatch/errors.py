"""Domain exceptions. The CLI turns each into one line: file, reason, hint."""


class FogwatchError(Exception):
    """Base class of every error fogwatch raises on purpose."""


class ReadError(FogwatchError):
    """An input could not be turned into articles (empty, binary, malformed, not English...)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(FogwatchError):
    """The database could not be opened or written (locked, full, newer schema)."""


class NotFound(FogwatchError):
    """A record asked for by id does not exist."""


class GazetteerError(FogwatchError):
    """A gazetteer file (packaged or imported GeoNames dump) could not be read."""


class LexiconError(FogwatchError):
    """A packaged or user lexicon file is malformed (unknown type, mode or condition)."""
