"""Readers turn each input format into Articles (tests/fixtures/ingest holds the inputs)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from fogwatch.errors import ReadError
from fogwatch.ingest import DEFAULT_OPTIONS, ReadOptions, article_id, read_paths
from fogwatch.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def _read(*paths: str | Path, options: ReadOptions = DEFAULT_OPTIONS) -> list[Article | ReadError]:
    return list(read_paths([str(p) for p in paths], options))


def _articles(results: list[Article | ReadError]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def _errors(results: list[Article | ReadError]) -> list[ReadError]:
    return [r for r in results if isinstance(r, ReadError)]


# --- article ids -----------------------------------------------------------------


def test_article_id_ignores_spacing_case_and_compatibility_forms():
    assert article_id("Ten  people\nwere KILLED.") == article_id("ten people were killed.")
    assert article_id("ﬁve people") == article_id("five people")  # NFKC folds the ligature
    assert article_id("ten people were killed") != article_id("ten people were injured")
    assert len(article_id("x")) == 16 and int(article_id("x"), 16) >= 0


def test_article_id_is_the_id_of_read_articles():
    (article,) = _read(FIXTURES / "headline.txt")
    assert article.id == article_id(article.text)


# --- plain text ---------------------------------------------------------------------


def test_txt_with_date_line_and_headline_keeps_only_the_body_as_text():
    (article,) = _read(FIXTURES / "dated.txt")
    raw = (FIXTURES / "dated.txt").read_text(encoding="utf-8")
    assert article.published == dt.date(2024, 3, 5)
    assert article.title == "Shelling hits market in northern town"
    assert article.text.startswith("At least 12 people were killed")
    assert raw.endswith(article.text)  # the body is kept character for character
    assert article.external_id == "dated"
    assert article.source_path == str(FIXTURES / "dated.txt")


def test_txt_with_headline_then_blank_line():
    (article,) = _read(FIXTURES / "headline.txt")
    assert article.title == "Aid convoy reaches besieged city after weeks of talks"
    assert article.published is None
    assert article.text.startswith("A convoy of 40 trucks")
    assert "Aid convoy reaches" not in article.text


def test_txt_without_header_keeps_every_character_and_normalises_only_newlines():
    (article,) = _read(FIXTURES / "crlf_body.txt")
    raw = (FIXTURES / "crlf_body.txt").read_bytes().decode("utf-8")
    assert "\r" not in article.text
    assert article.text == raw.replace("\r\n", "\n")
    assert article.title is None


def test_txt_first_sentence_is_not_taken_for_a_headline(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(
        "Rebels seized the town on Sunday.\n\nThe army said it would retake it within days, "
        "and residents said they had fled.\n",
        encoding="utf-8",
    )
    (article,) = _read(path)
    assert article.title is None
    assert article.text.startswith("Rebels seized the town")


def test_txt_date_taken_from_the_file_name_when_the_text_has_none(tmp_path):
    path = tmp_path / "wire_2023-11-01_ceasefire.txt"
    path.write_text("Both sides agreed to a three-day ceasefire, mediators said.\n", encoding="utf-8")
    (article,) = _read(path)
    assert article.published == dt.date(2023, 11, 1)


def test_txt_bom_is_stripped_and_nothing_else(tmp_path):
    path = tmp_path / "bom.txt"
    body = "  “Five  people” were hurt,\tofficials said.  \n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    (article,) = _read(path)
    assert article.text == body


def test_txt_in_utf16_with_bom_is_decoded(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Seven civilians were wounded in the attack, police said.\n".encode("utf-16"))
    (article,) = _read(path)
    assert article.text == "Seven civilians were wounded in the attack, police said.\n"


def test_txt_in_a_legacy_encoding_is_decoded_with_the_detected_charset(tmp_path):
    path = tmp_path / "cp1252.txt"
    text = (
        "The café near the border crossing was hit by a shell on Monday, killing two people, "
        "the mayor said. “We heard the explosion from the square,” one resident told reporters. "
        "Aid workers said the crossing would stay closed until the shelling stopped.\n"
    )
    path.write_bytes(text.encode("cp1252"))
    (article,) = _read(path)
    assert article.text == text


# --- JSON Lines, JSON, CSV --------------------------------------------------------------


def test_jsonl_good_lines_become_articles_and_bad_lines_errors_with_line_numbers():
    path = FIXTURES / "articles.jsonl"
    results = _read(path)
    assert [a.source_path for a in _articles(results)] == [f"{path}:1", f"{path}:5", f"{path}:7"]
    errors = {e.path: e.reason for e in _errors(results)}
    assert set(errors) == {f"{path}:2", f"{path}:3", f"{path}:6"}
    assert errors[f"{path}:2"].startswith("invalid JSON")
    assert errors[f"{path}:3"] == "no 'text' field"
    first, second, third = _articles(results)
    assert (first.external_id, first.url, first.outlet, first.title) == (
        "a-1",
        "https://example.org/news/a-1",
        "Example Wire",
        "Ambulance hit by drone",
    )
    assert first.published == dt.date(2024, 2, 11)
    assert second.published == dt.date(2024, 2, 10)  # RFC 2822
    assert third.external_id == "5" and third.published == dt.date(2024, 2, 10)


def test_json_array_with_custom_field_names():
    path = FIXTURES / "articles.json"
    results = _read(path, options=ReadOptions(text_field="body", date_field="date"))
    first, second = _articles(results)
    assert first.source_path == f"{path}#1" and second.source_path == f"{path}#2"
    assert first.published == dt.date(2024, 2, 11)  # the day as written, not shifted to UTC
    assert second.published is None  # "February 2024" names no day
    assert first.text.startswith("Two paramedics")


def test_json_with_the_default_fields_missing_gives_one_error_per_record():
    results = _read(FIXTURES / "articles.json")
    assert [e.reason for e in _errors(results)] == ["no 'text' field", "no 'text' field"]


def test_json_lines_saved_with_a_json_extension(tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes((FIXTURES / "articles.jsonl").read_bytes())
    results = _read(path)
    assert [a.source_path for a in _articles(results)] == [f"{path}:1", f"{path}:5", f"{path}:7"]


def test_json_object_holding_an_article_list(tmp_path):
    path = tmp_path / "export.json"
    text = "Security forces detained 14 people at a checkpoint overnight, a rights group said on Thursday."
    path.write_text(json.dumps({"count": 1, "articles": [{"text": text, "id": "e-1"}]}), encoding="utf-8")
    (article,) = _read(path)
    assert article.text == text and article.external_id == "e-1"


def test_csv_rows_named_by_the_line_they_start_on_and_newlines_normalised():
    path = FIXTURES / "articles.csv"
    results = _read(path)
    first, second = _articles(results)
    assert first.source_path == f"{path}:2"
    assert second.source_path == f"{path}:5"  # the first row's text spans lines 2-4
    assert "\r" not in first.text and "said.\n\nThe service" in first.text
    assert first.url == "https://example.org/c-1" and second.url is None
    assert second.published == dt.date(2024, 2, 10)
    (error,) = _errors(results)
    assert (error.path, error.reason) == (f"{path}:6", "empty text")


def test_tsv_with_custom_text_column(tmp_path):
    path = tmp_path / "items.tsv"
    path.write_text(
        "Story\tDate\nGunmen killed six villagers in an overnight raid, the district chief said.\t2024-06-01\n",
        encoding="utf-8",
    )
    (article,) = _read(path, options=ReadOptions(text_field="story", date_field="date"))
    assert article.text.startswith("Gunmen killed six") and article.published == dt.date(2024, 6, 1)


def test_csv_field_longer_than_the_csv_module_default_is_read(tmp_path):
    path = tmp_path / "long.csv"
    paragraph = "The shelling went on through the night and the hospital was treating the wounded. "
    text = paragraph * 3000  # ~250,000 characters, above csv's 131,072 default
    path.write_text(f'id,text\nlong-1,"{text}"\n', encoding="utf-8")
    (article,) = _read(path)
    assert article.text == text


# --- HTML, feeds, WARC --------------------------------------------------------------------


def test_html_page_gives_main_text_and_metadata():
    (article,) = _read(FIXTURES / "page.html")
    assert article.title == "Strike on fuel depot leaves city without power"
    assert article.outlet == "Example Daily"
    assert article.published == dt.date(2024, 4, 2)
    assert article.url == "https://daily.example.com/world/strike-fuel-depot"
    assert "killed three workers" in article.text
    assert "All rights reserved" not in article.text and "Sport" not in article.text
    assert "\n\n" in article.text  # paragraphs separated by a blank line
    assert article.text.startswith("A missile strike")  # the <h1> repeating the title is not body text


def test_html_copyright_year_is_not_taken_for_the_publication_date(tmp_path):
    path = tmp_path / "undated.html"
    body = "".join(f"<p>{_STORY} Paragraph {i} of the report.</p>" for i in range(4))
    path.write_text(
        f"<html><head><title>Report</title></head><body><article>{body}</article>"
        "<footer>© 2021 Example Daily</footer></body></html>",
        encoding="utf-8",
    )
    (article,) = _read(path)
    assert article.published is None


def test_rss_entries_become_articles_with_html_stripped():
    path = FIXTURES / "feed.rss"
    first, second = _articles(_read(path))
    assert first.source_path == f"{path}#1" and second.source_path == f"{path}#2"
    assert first.title == "Drone attack hits power station"
    assert first.url == "https://wire.example.net/world/drone-power-station"
    assert first.outlet == "Example Wire – World"
    assert first.external_id == "wire-1001"
    assert first.published == dt.date(2024, 5, 6)  # the day as written (-0400), not UTC
    assert first.text.startswith("A drone attack set fire")  # content:encoded, not the summary
    assert "<" not in first.text and "track()" not in first.text
    assert "said.\n\nEngineers said" in first.text  # one paragraph per <p>
    assert "a week. Rolling blackouts were announced" in first.text  # inline <b> stays inline
    assert second.text.startswith("Delegations from the two governments")  # the summary, unescaped


def test_atom_entry():
    (article,) = _read(FIXTURES / "atom.xml")
    assert article.title == "Hundreds displaced as clashes spread"
    assert article.published == dt.date(2024, 5, 8)
    assert article.url == "https://monitor.example.org/77"
    assert article.text.startswith("Clashes between two armed groups")


_STORY = "Militia fighters attacked a police post on the main road, killing five officers, the governor said."


def _page(paragraph: str) -> bytes:
    body = "".join(f"<p>{paragraph} Paragraph {i} of the report.</p>" for i in range(4))
    return f"<html><head><title>Report</title></head><body><article>{body}</article></body></html>".encode()


def _write_warc(path: Path) -> None:
    story = (
        "Militia fighters attacked a police post on the main road, killing five officers, the governor said."
    )
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        records = [
            ("https://news.example.com/police-post", "200 OK", "text/html; charset=utf-8", _page(story)),
            ("https://news.example.com/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
            ("https://news.example.com/gone", "404 Not Found", "text/html", _page(story)),
        ]
        for uri, status, ctype, payload in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
            )
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.com/x", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
        )


def test_warc_reads_html_responses_only(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path)
    results = _read(path)
    assert _errors(results) == []
    (article,) = _articles(results)
    assert article.url == "https://news.example.com/police-post"
    assert article.source_path == f"{path}#2"  # record 1 is the warcinfo
    assert "killing five officers" in article.text


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            lambda data: data + b"not a WARC record\r\n\r\n",
            "damaged or truncated WARC, reading stopped after 1 pages",
        ),
        (lambda data: data[:-200], "truncated"),  # cut inside the last (request) record
        (lambda data: data[:-30], "truncated"),
    ],
)
def test_damaged_warc_keeps_pages_before_the_damage(tmp_path, damage, reason):
    path = tmp_path / "cut.warc.gz"
    _write_warc(path)
    path.write_bytes(damage(path.read_bytes()))
    results = _read(path)
    assert len(_articles(results)) == 1
    (error,) = _errors(results)
    assert error.path.startswith(str(path)) and reason in error.reason


def test_warc_cut_inside_a_page_reports_that_page(tmp_path):
    path = tmp_path / "cut.warc.gz"
    _write_warc(path)
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type == "response":
                start = records.get_record_offset()
                break
        records.read_to_end()
        length = records.get_record_length()
    path.write_bytes(path.read_bytes()[: start + length // 2])  # cut the page record in half
    (error,) = _read(path)
    assert isinstance(error, ReadError) and error.path == f"{path}#2" and "truncated" in error.reason


def test_gzip_file_that_is_not_a_warc(tmp_path):
    path = tmp_path / "notes.gz"
    path.write_bytes(gzip.compress(b"just some notes\n" * 10))
    (error,) = _read(path)
    assert isinstance(error, ReadError) and "damaged or truncated WARC" in error.reason


# --- paths: directories, globs, stdin, forced format -------------------------------------------


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden_files(tmp_path):
    text = "Troops withdrew from the river crossing on Tuesday, officials from both sides said."
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text(text + " Two.", encoding="utf-8")
    (tmp_path / "a.txt").write_text(text + " One.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(text + " Hidden.", encoding="utf-8")
    (tmp_path / ".git" / "config.txt").write_text(text + " Git.", encoding="utf-8")
    names = [a.source_path for a in _articles(_read(tmp_path))]
    assert names == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "two.txt")]


def test_path_objects_are_accepted():
    (article,) = read_paths([FIXTURES / "headline.txt"])
    assert isinstance(article, Article) and article.source_path == str(FIXTURES / "headline.txt")


def test_glob_pattern(tmp_path):
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(
            f"A roadside bomb wounded three soldiers, the army said ({name}).", encoding="utf-8"
        )
    names = [Path(a.source_path).name for a in _articles(_read(tmp_path / "x*.txt"))]
    assert names == ["x1.txt", "x2.txt"]


def test_stdin_is_sniffed_and_streamed(monkeypatch):
    data = (FIXTURES / "articles.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    results = _read("-")
    assert [a.source_path for a in _articles(results)] == ["<stdin>:1", "<stdin>:5", "<stdin>:7"]
    assert len(_errors(results)) == 3


def test_forced_format_overrides_detection():
    (article,) = _read(FIXTURES / "headline.txt", options=ReadOptions(format="txt"))
    assert article.title is not None
    results = _read(FIXTURES / "articles.jsonl", options=ReadOptions(format="txt", skip_non_english=False))
    (whole,) = results
    assert isinstance(whole, Article) and whole.text.startswith('{"id": "a-1"')


def test_unknown_forced_format_is_refused():
    with pytest.raises(ValueError, match="unknown input format"):
        ReadOptions(format="pdf")


def test_content_sniffing_without_extensions(tmp_path):
    (tmp_path / "feed").write_bytes((FIXTURES / "feed.rss").read_bytes())
    (tmp_path / "lines").write_bytes((FIXTURES / "articles.jsonl").read_bytes())
    (tmp_path / "page").write_bytes((FIXTURES / "page.html").read_bytes())
    (tmp_path / "table").write_bytes((FIXTURES / "articles.csv").read_bytes())
    results = _articles(_read(tmp_path))
    kinds = sorted({Path(a.source_path.split("#")[0].split(":")[0]).name for a in results})
    assert kinds == ["feed", "lines", "page", "table"]
    assert sum(1 for a in results if a.source_path.startswith(str(tmp_path / "feed#"))) == 2
