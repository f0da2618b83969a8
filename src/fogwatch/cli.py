"""The ``fogwatch`` command line: parse, call the library, format. No logic of its own.

Exit codes: 0 success; 1 some inputs failed or a record was not found; 2 usage or
database errors.
"""

from __future__ import annotations

import enum
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from fogwatch.errors import FogwatchError, NotFound, ReadError
from fogwatch.output import Format, default_format, render_article, render_rows, to_json

app = typer.Typer(
    name="fogwatch",
    help="A sourced record of conflict and crisis news: figures, statements, events, places.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_DB = Path("fogwatch.db")
EXIT_FAILED = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class CliState:
    db: Path


class SearchScope(enum.StrEnum):
    articles = "articles"
    statements = "statements"


class InputFormat(enum.StrEnum):
    auto = "auto"
    txt = "txt"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    html = "html"
    feed = "feed"
    warc = "warc"


FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="table | json (one array) | csv. Default: table on a terminal, else json."),
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows.")]
OffsetOption = Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")]


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _store(ctx: typer.Context, *, create: bool = False):
    from fogwatch.store import Store

    state: CliState = ctx.obj
    try:
        return Store(state.db, create=create)
    except FogwatchError as exc:
        raise _fail(str(exc)) from exc


def _format(fmt: Format | None) -> Format:
    return fmt if fmt is not None else default_format(sys.stdout)


# Width of tables written to a pipe or file (a terminal gives its own width; so does $COLUMNS).
PIPE_WIDTH = 160


def _stdout() -> Console:
    console = Console(file=sys.stdout, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        Path, typer.Option("--db", envvar="FOGWATCH_DB", help="The SQLite database file.", show_default=True)
    ] = DEFAULT_DB,
) -> None:
    """fogwatch: read conflict news, keep who claims what, with the sentence it came from."""
    ctx.obj = CliState(db=db)


def _read_options(
    text_field: str | None,
    date_field: str | None,
    id_field: str | None,
    title_field: str | None,
    url_field: str | None,
    outlet_field: str | None,
    input_format: InputFormat,
    keep_non_english: bool,
):
    from fogwatch.ingest import ReadOptions

    given = {
        "text_field": text_field,
        "date_field": date_field,
        "id_field": id_field,
        "title_field": title_field,
        "url_field": url_field,
        "outlet_field": outlet_field,
    }
    kwargs = {k: v for k, v in given.items() if v is not None}
    kwargs["format"] = None if input_format is InputFormat.auto else input_format.value
    kwargs["skip_non_english"] = not keep_non_english
    try:
        return ReadOptions(**kwargs)
    except (TypeError, ValueError) as exc:
        raise _fail(f"bad reader options: {exc}") from exc


TextField = Annotated[str | None, typer.Option("--text-field", help="JSON/CSV field holding the article text.")]
DateField = Annotated[str | None, typer.Option("--date-field", help="Field holding the publication date.")]
IdField = Annotated[str | None, typer.Option("--id-field", help="Field holding the input's own id.")]
TitleField = Annotated[str | None, typer.Option("--title-field", help="Field holding the headline.")]
UrlField = Annotated[str | None, typer.Option("--url-field", help="Field holding the article URL.")]
OutletField = Annotated[str | None, typer.Option("--outlet-field", help="Field holding the outlet name.")]
InputFormatOption = Annotated[
    InputFormat, typer.Option("--input-format", "--format", help="Input format (auto: by file extension).")
]
KeepNonEnglish = Annotated[
    bool, typer.Option("--keep-non-english", help="Do not skip articles detected as not English.")
]
PathsArg = Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")]


class _RateColumn(ProgressColumn):
    """Articles per second, from Rich's moving average."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "– articles/s", style="progress.data.speed")


def _progress_bar(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


@app.command()
def ingest(
    ctx: typer.Context,
    paths: PathsArg,
    text_field: TextField = None,
    date_field: DateField = None,
    id_field: IdField = None,
    title_field: TitleField = None,
    url_field: UrlField = None,
    outlet_field: OutletField = None,
    input_format: InputFormatOption = InputFormat.auto,
    keep_non_english: KeepNonEnglish = False,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: on a terminal).")
    ] = None,
    summary_format: Annotated[
        Format, typer.Option("--summary-format", help="How to print the final summary.")
    ] = Format.table,
) -> None:
    """Read articles, extract their records and store them. Exit 1 if any input failed."""
    from fogwatch.pipeline import ProgressUpdate, count_articles
    from fogwatch.pipeline import ingest as run_ingest

    options = _read_options(
        text_field, date_field, id_field, title_field, url_field, outlet_field, input_format, keep_non_english
    )
    err = Console(stderr=True, highlight=False)
    show_bar = progress if progress is not None else err.is_terminal
    store = _store(ctx, create=True)
    try:
        if show_bar:
            total = count_articles(paths, options)
            with _progress_bar(err) as bar:
                task = bar.add_task("ingest", total=total)

                def on_progress(update: ProgressUpdate) -> None:
                    if update.error is not None:
                        bar.console.print(
                            Text(f"error: {update.error.path}: {update.error.reason}"), highlight=False
                        )
                    bar.update(task, completed=update.seen)

                summary = run_ingest(paths, store, options, on_progress, total=total)
        else:

            def on_progress(update: ProgressUpdate) -> None:
                if update.error is not None:
                    typer.echo(f"error: {update.error.path}: {update.error.reason}", err=True)

            summary = run_ingest(paths, store, options, on_progress)
    except FogwatchError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    out = _stdout()
    data = summary.to_dict()
    if summary_format is Format.table:
        rows = [{"": key.replace("_", " "), "count": value} for key, value in data.items()]
        render_rows(rows, Format.table, out, title="ingest summary")
    else:
        render_rows([data], summary_format, out)
    if summary.errors:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def extract(
    paths: PathsArg,
    text_field: TextField = None,
    date_field: DateField = None,
    id_field: IdField = None,
    title_field: TitleField = None,
    url_field: UrlField = None,
    outlet_field: OutletField = None,
    input_format: InputFormatOption = InputFormat.auto,
    keep_non_english: KeepNonEnglish = False,
) -> None:
    """Print one JSON line per article (id, published, figures, statements, events, places). No database."""
    from fogwatch.pipeline import extract_article, read_articles

    options = _read_options(
        text_field, date_field, id_field, title_field, url_field, outlet_field, input_format, keep_non_english
    )
    failed = 0
    for item in read_articles(paths, options):
        if isinstance(item, ReadError):
            typer.echo(f"error: {item.path}: {item.reason}", err=True)
            failed += 1
            continue
        try:
            record = extract_article(item)
        except Exception as exc:  # noqa: BLE001 - one article's failure is reported and the run goes on
            typer.echo(
                f"error: {item.source_path or item.contract_id}: extraction failed: {type(exc).__name__}: {exc}",
                err=True,
            )
            failed += 1
            continue
        sys.stdout.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(EXIT_FAILED)


ARTICLE_COLUMNS = ("id", "published", "outlet", "title", "version", "figures", "statements", "events", "places")


@app.command()
def articles(
    ctx: typer.Context,
    fmt: FormatOption = None,
    limit: LimitOption = 50,
    offset: OffsetOption = 0,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    latest: Annotated[bool, typer.Option("--latest", help="Hide versions superseded by newer text.")] = False,
) -> None:
    """List stored articles, newest first, with how many items each has."""
    with _store(ctx) as store:
        page = store.list_articles(
            limit=limit, offset=offset, outlet=outlet, since=since, until=until, latest_only=latest
        )
    fmt = _format(fmt)
    render_rows(page.rows, fmt, _stdout(), columns=ARTICLE_COLUMNS if fmt is Format.table else None,
                title="articles")


@app.command()
def show(
    ctx: typer.Context,
    article_id: Annotated[str, typer.Argument(help="Article id, the input's own id, or a unique id prefix.")],
    fmt: Annotated[
        Format | None, typer.Option("--format", "-f", help="table (highlighted text) or json.")
    ] = None,
) -> None:
    """Show one article with its extracted spans highlighted, and the list of its items."""
    with _store(ctx) as store:
        try:
            detail = store.get_article(article_id).to_dict()
        except NotFound as exc:
            raise _fail(f"{exc} (list ids with `fogwatch articles`)", EXIT_FAILED) from exc
    fmt = fmt if fmt is not None else Format.table if sys.stdout.isatty() else Format.json
    if fmt is Format.table:
        render_article(detail, _stdout())
    elif fmt is Format.json:
        sys.stdout.write(to_json(detail) + "\n")
    else:
        raise _fail("show prints table or json, not csv")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find; FTS5 syntax allowed (\"phrase\", OR, prefix*).")],
    scope: Annotated[SearchScope, typer.Option("--in", help="Search article texts or statements.")] = (
        SearchScope.articles
    ),
    fmt: FormatOption = None,
    limit: LimitOption = 20,
    offset: OffsetOption = 0,
) -> None:
    """Full-text search, best match first, with a snippet marking the match « »."""
    with _store(ctx) as store:
        try:
            rows = store.search(query, scope=scope.value, limit=limit, offset=offset)
        except FogwatchError as exc:
            raise _fail(str(exc)) from exc
    render_rows(rows, _format(fmt), _stdout(), title="matches")


@app.command()
def stats(ctx: typer.Context, fmt: FormatOption = None, limit: LimitOption = 1000) -> None:
    """Counts of articles, figures, statements, events, places and errors: total, by outlet, by date."""
    with _store(ctx) as store:
        rows = store.stats()[:limit]
    render_rows(rows, _format(fmt), _stdout(), title="stats")


@app.command()
def errors(
    ctx: typer.Context,
    fmt: FormatOption = None,
    limit: LimitOption = 50,
    offset: OffsetOption = 0,
    run: Annotated[int | None, typer.Option("--run", help="Only errors of this ingest run.")] = None,
) -> None:
    """List inputs that could not be read or extracted, most recent first."""
    with _store(ctx) as store:
        page = store.list_errors(limit=limit, offset=offset, run_id=run)
    render_rows(page.rows, _format(fmt), _stdout(), title="errors")


@app.command("eval")
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="A folder of gold files in the format of eval/GUIDE.md.")],
    kind: Annotated[str | None, typer.Option("--kind", help="With --errors: only this kind.")] = None,
    show_errors: Annotated[bool, typer.Option("--errors", help="List misses, false positives, wrong attributes.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
) -> None:
    """Score the extractor against gold files: precision / recall / F1 per kind, attribute accuracies."""
    from fogwatch.evaluate import evaluate, format_mistakes, format_report, load_gold

    if not gold_dir.is_dir():
        raise _fail(f"{gold_dir}: not a folder of gold files")
    gold = load_gold(gold_dir)
    if not gold:
        raise _fail(f"{gold_dir}: no *.json gold files")
    report = evaluate(gold)
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else format_report(report))
    if show_errors:
        typer.echo("\n" + format_mistakes(report.mistakes, kind))


gazetteer_app = typer.Typer(help="The offline gazetteer: import a full GeoNames dump.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def gazetteer_import(
    file: Annotated[Path, typer.Argument(help="A GeoNames dump (allCountries.txt, cities500.txt; tab-separated).")],
    dest: Annotated[
        Path | None,
        typer.Option("--dest", envvar="FOGWATCH_GAZETTEER", help="The user gazetteer file to fill."),
    ] = None,
) -> None:
    """Load a GeoNames dump into the user gazetteer that place resolution consults."""
    from fogwatch.gazetteer.user import default_path, import_geonames

    if not file.is_file():
        raise _fail(f"{file}: no such file")
    try:
        count = import_geonames(file, dest)
    except FogwatchError as exc:
        raise _fail(f"{file}: {exc}") from exc
    typer.echo(f"imported {count} places into {dest or default_path()}")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to bind (default: loopback only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web UI and JSON API over the store (read-only)."""
    from fogwatch.serve import serve as run_server

    state: CliState = ctx.obj
    if not state.db.exists():
        raise _fail(f"no database at {state.db} (run `fogwatch ingest` first or pass --db)")
    run_server(state.db, host=host, port=port)


if __name__ == "__main__":  # pragma: no cover
    app()
