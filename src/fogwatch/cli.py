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
    from fogwatch.heap import own_process
    from fogwatch.threads import single_threaded_blas

    single_threaded_blas()  # before any command imports numpy (fogwatch.threads says why)
    own_process()
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
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Extraction processes (local engine).")] = 1,
    fast: Annotated[
        bool, typer.Option("--fast/--full", help="Parse only sentences that can yield a record.")
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="local (processes) or ray (Ray Data, then load the shards).")
    ] = "local",
    address: Annotated[
        str | None, typer.Option("--address", help="Ray cluster address (default: start Ray locally).")
    ] = None,
    shards: Annotated[
        Path | None, typer.Option("--shards", help="Where the Ray engine writes Parquet shards.")
    ] = None,
) -> None:
    """Read articles, extract their records and store them. Exit 1 if any input failed."""
    import contextlib
    import functools

    from fogwatch.pipeline import ProgressUpdate, count_articles, extract_article
    from fogwatch.pipeline import ingest as run_ingest

    options = _read_options(
        text_field, date_field, id_field, title_field, url_field, outlet_field, input_format, keep_non_english
    )
    if engine not in ("local", "ray"):
        raise _fail(f"unknown engine {engine!r} (local or ray)")
    if engine == "ray":
        _ingest_ray(ctx, paths, options, address, shards, fast, summary_format)
        return
    err = Console(stderr=True, highlight=False)
    show_bar = progress if progress is not None else err.is_terminal
    store = _store(ctx, create=True)
    stack = contextlib.ExitStack()
    engine_kw: dict = {"extractor": functools.partial(extract_article, fast=fast)}
    pool = None
    if jobs > 1:
        from fogwatch.engines.local import ProcessPool

        pool = stack.enter_context(ProcessPool(jobs - 1, fast=fast, parent_extracts=True))
        engine_kw = {"batch_extractor": pool}
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

                summary = run_ingest(paths, store, options, on_progress, total=total, **engine_kw)
        else:

            def on_progress(update: ProgressUpdate) -> None:
                if update.error is not None:
                    typer.echo(f"error: {update.error.path}: {update.error.reason}", err=True)

            summary = run_ingest(paths, store, options, on_progress, **engine_kw)
        if pool is not None:
            pool.release()  # the workers wind down while resolution runs
        _resolve_new(store)
    except FogwatchError as exc:
        raise _fail(str(exc)) from exc
    finally:
        stack.close()
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


def _ingest_ray(ctx: typer.Context, paths: list[str], options, address: str | None, shards: Path | None,
                fast: bool, summary_format: Format) -> None:
    """``ingest --engine ray``: extract on Ray Data into Parquet shards, then load them."""
    from collections.abc import Iterator

    from fogwatch.engines.ray_data import run_ray
    from fogwatch.model import Article
    from fogwatch.pipeline import read_articles

    state: CliState = ctx.obj
    out_dir = shards or Path(f"{state.db}.shards")
    read_errors = 0

    def articles() -> Iterator[Article]:  # streamed: the engine holds one chunk at a time
        nonlocal read_errors
        for item in read_articles(paths, options):
            if isinstance(item, Article):
                yield item
            else:
                read_errors += 1
                typer.echo(f"error: {item.path}: {item.reason}", err=True)

    try:
        run_ray(articles(), out_dir, address=address, fast=fast)
    except ImportError as exc:
        raise _fail("the Ray engine needs the 'ray' extra: pip install 'fogwatch[ray]'") from exc
    _load_into_store(ctx, out_dir, summary_format, extra_errors=read_errors)


def _load_into_store(ctx: typer.Context, shard_dir: Path, summary_format: Format, extra_errors: int = 0) -> None:
    from fogwatch.engines.ray_data import load_shards

    store = _store(ctx, create=True)
    try:
        totals = load_shards(shard_dir, store)
        _resolve_new(store)
    except FogwatchError as exc:
        raise _fail(str(exc)) from exc
    finally:
        store.close()
    totals["errors"] += extra_errors
    if summary_format is Format.table:
        rows = [{"": key, "count": value} for key, value in totals.items()]
        render_rows(rows, Format.table, _stdout(), title="load summary")
    else:
        render_rows([totals], summary_format, _stdout())
    if totals["errors"]:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def load(
    ctx: typer.Context,
    shard_dir: Annotated[Path, typer.Argument(help="Directory of Parquet shards from --engine ray.")],
    summary_format: Annotated[
        Format, typer.Option("--summary-format", help="How to print the final summary.")
    ] = Format.table,
) -> None:
    """Load Parquet shards written by the Ray engine into the store (articles already stored are skipped)."""
    _load_into_store(ctx, shard_dir, summary_format)


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



# -- cross-article resolution (fogwatch.resolve, fogwatch.export) ------------------------


def _resolve_new(store) -> None:
    """Resolve the articles an ingest added: only they and the blocks they touch are updated."""
    from fogwatch.resolve import resolve as run_resolve

    run_resolve(store)


PlaceFilter = Annotated[str | None, typer.Option("--place", help="Only events at a place (name, substring).")]
ActorFilter = Annotated[str | None, typer.Option("--actor", help="Only events by an actor (name or id, substring).")]
TypeFilter = Annotated[str | None, typer.Option("--type", help="Only events of this type (attack, raid, ...).")]
SinceFilter = Annotated[str | None, typer.Option("--since", help="On or after YYYY-MM-DD.")]
UntilFilter = Annotated[str | None, typer.Option("--until", help="On or before YYYY-MM-DD.")]

EVENT_TABLE_COLUMNS = (
    "id", "date", "type", "mode", "place", "country_code", "actor", "report_count", "fatalities_low",
    "fatalities_high",
)


@app.command("resolve")
def resolve_cmd(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute everything (user splits are kept).")] = False,
    fmt: FormatOption = None,
) -> None:
    """Cluster new reports into events, update figure series and contested pairs (ingest runs this)."""
    from fogwatch.resolve import resolve as run_resolve

    with _store(ctx) as store:
        try:
            summary = run_resolve(store, rebuild=rebuild)
        except FogwatchError as exc:
            raise _fail(str(exc)) from exc
    render_rows([summary.to_dict()], _format(fmt), _stdout(), title="resolve")


@app.command("events")
def events_cmd(
    ctx: typer.Context,
    place: PlaceFilter = None,
    actor: ActorFilter = None,
    event_type: TypeFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    fmt: FormatOption = None,
    limit: LimitOption = 100,
    offset: OffsetOption = 0,
) -> None:
    """De-duplicated events in date order, with how many reports each merges and the fatality range."""
    from fogwatch.resolve.queries import list_events

    with _store(ctx) as store:
        rows = list_events(store.conn, place=place, actor=actor, type=event_type, since=since, until=until,
                           limit=limit, offset=offset)
    fmt = _format(fmt)
    render_rows(rows, fmt, _stdout(), columns=EVENT_TABLE_COLUMNS if fmt is Format.table else None, title="events")


def _reasons_text(reasons: dict) -> str:
    if reasons.get("founded"):
        return "first report" + (f" (split from event {reasons['split_from']})" if "split_from" in reasons else "")
    parts = [f"matched report {reasons.get('matched_report')}", f"same type {reasons.get('type')}"]
    place = reasons.get("place") or {}
    parts.append(f"place {place.get('relation')} ({place.get('a')} / {place.get('b')})")
    parts.append(f"date difference {reasons.get('date_difference_days')} d")
    actor = reasons.get("actor") or {}
    parts.append(f"actor {actor.get('relation')}")
    parts.append(f"figures {(reasons.get('figures') or {}).get('relation')}")
    parts.append(f"score {reasons.get('score')}")
    return "; ".join(parts)


@app.command("event")
def event_cmd(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(help="Event id (from `fogwatch events`).")],
    fmt: Annotated[Format | None, typer.Option("--format", "-f", help="table or json.")] = None,
) -> None:
    """One event: its reports side by side, each with the reasons it was merged."""
    from fogwatch.resolve.queries import get_event

    with _store(ctx) as store:
        try:
            event = get_event(store.conn, event_id)
        except NotFound as exc:
            raise _fail(str(exc), EXIT_FAILED) from exc
    fmt = _format(fmt)
    if fmt is Format.json:
        sys.stdout.write(to_json(event) + "\n")
        return
    out = _stdout()
    head = {k: event[k] for k in EVENT_TABLE_COLUMNS}
    head["figures_by_source"] = event["figures_by_source"]
    render_rows([head], fmt, out, title=f"event {event_id}")
    rows = [
        {"report": r["report_id"], "outlet": r["outlet"], "published": r["published"], "date": r["date"],
         "place": r["place"], "actor": r["actor"], "figures": r["figures"], "sentence": r["sentence"],
         "why merged": _reasons_text(r["reasons"])}
        for r in event["reports"]
    ]
    render_rows(rows, fmt, out, title="reports")


@app.command("split")
def split_cmd(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument(help="The event the report is in.")],
    report_id: Annotated[str, typer.Argument(help="The report to take out (id shown by `fogwatch event`).")],
) -> None:
    """Undo a merge: the report leaves the event for good (re-runs and rebuilds keep it apart)."""
    from fogwatch.resolve import split_report

    with _store(ctx) as store:
        try:
            new_id = split_report(store, event_id, report_id)
        except NotFound as exc:
            raise _fail(str(exc), EXIT_FAILED) from exc
        except FogwatchError as exc:
            raise _fail(str(exc)) from exc
    typer.echo(f"report {report_id} is now event {new_id}")


@app.command("timeline")
def timeline_cmd(
    ctx: typer.Context,
    place: PlaceFilter = None,
    actor: ActorFilter = None,
    event_type: TypeFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    fmt: FormatOption = None,
) -> None:
    """Events by date (with their places, actors and claimed fatalities), filtered."""
    from fogwatch.resolve.queries import list_events

    with _store(ctx) as store:
        events = list_events(store.conn, place=place, actor=actor, type=event_type, since=since, until=until)
    rows = [
        {"date": e["date"], "event": e["id"], "type": e["type"], "mode": e["mode"], "place": e["place"],
         "actor": e["actor"], "target": e["target"], "reports": e["report_count"],
         "killed": _range(e["fatalities_low"], e["fatalities_high"])}
        for e in events
    ]
    render_rows(rows, _format(fmt), _stdout(), title="timeline")


def _range(low: int | None, high: int | None) -> str:
    if low is None:
        return ""
    return str(low) if low == high else f"{low}-{high}"


@app.command("contested")
def contested_cmd(ctx: typer.Context, fmt: FormatOption = None) -> None:
    """Claims side by side with their denials or counter-accusations by another party."""
    from fogwatch.resolve.queries import list_contested

    with _store(ctx) as store:
        rows = list_contested(store.conn)
    fmt = _format(fmt)
    if fmt is not Format.json:
        rows = [{k: v for k, v in r.items() if k != "reasons"} for r in rows]
    columns = ("pair_id", "relation", "claim_speaker", "claim_sentence", "counter_speaker", "counter_sentence")
    render_rows(rows, fmt, _stdout(), columns=columns if fmt is Format.table else None, title="contested claims")


@app.command("figures")
def figures_cmd(
    ctx: typer.Context,
    flagged: Annotated[bool, typer.Option("--flagged", help="Only figures that break their series.")] = False,
    metric: Annotated[str | None, typer.Option("--metric", help="Only this metric (killed, injured, ...).")] = None,
    fmt: FormatOption = None,
) -> None:
    """Cumulative figure series by source and day, or (--flagged) the figures that break them."""
    from fogwatch.resolve.queries import list_flags, list_series

    with _store(ctx) as store:
        rows = list_flags(store.conn) if flagged else list_series(store.conn, metric=metric)
    fmt = _format(fmt)
    columns = None
    if fmt is Format.table and flagged:
        columns = ("kind", "value", "source", "published", "sentence", "other_value", "other_source",
                   "other_published", "other_sentence")
    render_rows(rows, fmt, _stdout(), columns=columns, title="flagged figures" if flagged else "figure series")


@app.command("statements")
def statements_cmd(
    ctx: typer.Context,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Speaker name or actor id (substring).")] = None,
    stance: Annotated[str | None, typer.Option("--stance", help="assert | deny | accuse | warn | demand | promise")] = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    fmt: FormatOption = None,
    limit: LimitOption = 50,
    offset: OffsetOption = 0,
) -> None:
    """Attributed statements, newest article first."""
    from fogwatch.resolve.queries import list_statements

    with _store(ctx) as store:
        rows = list_statements(store.conn, speaker=speaker, stance=stance, since=since, until=until,
                               limit=limit, offset=offset)
    render_rows(rows, _format(fmt), _stdout(), title="statements")


class ExportFormat(enum.StrEnum):
    acled_csv = "acled-csv"
    geojson = "geojson"
    plover_json = "plover-json"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Export format.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")] = None,
    place: PlaceFilter = None,
    actor: ActorFilter = None,
    event_type: TypeFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
) -> None:
    """Export the de-duplicated events: acled-csv | geojson | plover-json | jsonl | parquet (needs --output)."""
    from fogwatch.export import export

    if fmt is ExportFormat.parquet and output is None:
        raise _fail("parquet is binary: give --output FILE")
    with _store(ctx) as store:
        try:
            export(store.conn, fmt.value, stream=sys.stdout if output is None else None, path=output,
                   place=place, actor=actor, type=event_type, since=since, until=until)
        except FogwatchError as exc:
            raise _fail(str(exc)) from exc


@app.command("resolve-eval")
def resolve_eval_cmd(
    directory: Annotated[Path, typer.Argument(help="Scenario directory: reports.jsonl + gold.json.")],
    fmt: FormatOption = None,
) -> None:
    """Score resolution on a scenario set: B-cubed clustering, figure conflicts, claim/denial pairs."""
    from fogwatch.resolve.score import score_dir

    try:
        scores = score_dir(directory).to_dict()
    except (FogwatchError, OSError, KeyError, ValueError) as exc:
        raise _fail(f"{directory}: {exc}") from exc
    fmt = _format(fmt)
    if fmt is Format.json:
        sys.stdout.write(to_json(scores) + "\n")
        return
    missed = scores.pop("missed")
    render_rows([{"measure": k, "value": v} for k, v in scores.items()], fmt, _stdout(), title="resolution scores")
    for kind, items in missed.items():
        for item in items:
            typer.echo(f"missed {kind}: {item}", err=True)


if __name__ == "__main__":  # pragma: no cover
    app()
