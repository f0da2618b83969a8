"""Input paths → the files to read: directories, globs, ``-`` for standard input."""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fogwatch.errors import ReadError

STDIN_NAME = "<stdin>"
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Source:
    """One file to read, and the name it is reported under."""

    path: Path
    name: str  # as written in source_path and ReadError.path

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN_NAME

    @property
    def stem(self) -> str | None:
        """The file name before its first dot (None for stdin): the article id of a one-article file."""
        return None if self.is_stdin else self.path.name.split(".", 1)[0]

    def open(self) -> BinaryIO:
        return self.path.open("rb")

    def size(self) -> int:
        return self.path.stat().st_size

    def extension(self) -> str:
        """Lower-case suffixes that name a format, e.g. ".warc.gz", ".jsonl"."""
        suffixes = [s.lower() for s in Path(self.name).suffixes]
        if len(suffixes) >= 2 and suffixes[-1] == ".gz":
            return "".join(suffixes[-2:])
        return suffixes[-1] if suffixes else ""


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(directory: Path) -> Iterator[Path]:
    """Every non-hidden file below ``directory``, in sorted order, skipping hidden directories."""
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if not _hidden(name):
                yield Path(root) / name


@contextmanager
def _spooled_stdin() -> Iterator[Path]:
    """Standard input copied to a temporary file, so it can be sniffed and then streamed."""
    with tempfile.TemporaryDirectory(prefix="fogwatch-stdin-") as tmp:
        path = Path(tmp) / "stdin"
        with path.open("wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out)
        yield path


def expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Source | ReadError]:
    """The files named by ``paths``, in order: each file, each file under a directory
    (recursive, sorted, hidden ones skipped), each match of a glob (sorted), or stdin for ``-``.
    A path that names nothing gives a ReadError."""
    for given in paths:
        raw = os.fspath(given)
        if raw == "-":
            with _spooled_stdin() as path:
                yield Source(path, STDIN_NAME)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (Source(p, str(p)) for p in _walk(path))
        elif path.is_file():
            yield Source(path, raw)
        elif path.exists():
            yield ReadError(raw, "not a regular file")
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield ReadError(raw, "no file matches this pattern")
            for match in matches:
                yield from expand([match]) if Path(match).is_dir() else [Source(Path(match), match)]
        else:
            yield ReadError(raw, "no such file or directory")
