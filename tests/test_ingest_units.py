"""The small parts of the readers: dates, header splitting, language, detection, truncation."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import SHARED
from fogwatch.errors import ReadError
from fogwatch.ingest import ReadOptions, read_paths
from fogwatch.ingest.articles import truncate_text
from fogwatch.ingest.dates import parse_date
from fogwatch.ingest.decoding import binary_reason, clean_text
from fogwatch.ingest.detect import by_content
from fogwatch.ingest.htmltext import html_to_text
from fogwatch.ingest.language import guess_language
from fogwatch.ingest.plaintext import split_header
from fogwatch.model import Article

# News paragraphs written for these tests (the same made-up market shelling in each language).
OTHER_LANGUAGES = {
    "es": "Al menos doce personas murieron el martes en el bombardeo de un mercado de la ciudad, según las "
    "autoridades locales. Los equipos de rescate siguen buscando supervivientes entre los escombros, dijo un "
    "portavoz de protección civil. El ejército negó haber atacado la ciudad y afirmó que sus unidades solo "
    "respondieron al fuego desde las posiciones del grupo armado.",
    "de": "Mindestens zwölf Menschen sind am Dienstag beim Beschuss eines Marktes in der Stadt getötet worden, "
    "teilten die örtlichen Behörden mit. Die Rettungskräfte suchen weiter nach Überlebenden unter den Trümmern, "
    "sagte ein Sprecher des Zivilschutzes. Die Armee bestritt, die Stadt angegriffen zu haben, und erklärte, ihre "
    "Einheiten hätten nur das Feuer aus Stellungen der bewaffneten Gruppe erwidert.",
    "pt": "Pelo menos doze pessoas morreram na terça-feira no bombardeio de um mercado da cidade, segundo as "
    "autoridades locais. As equipes de resgate continuam procurando sobreviventes sob os escombros, disse um "
    "porta-voz da defesa civil. O exército negou ter atacado a cidade e afirmou que suas unidades apenas "
    "responderam ao fogo vindo das posições do grupo armado.",
    "it": "Almeno dodici persone sono state uccise martedì nel bombardamento di un mercato della città, secondo "
    "le autorità locali. I soccorritori stanno ancora cercando sopravvissuti sotto le macerie, ha detto un "
    "portavoce della protezione civile. L'esercito ha negato di aver colpito la città e ha affermato che le sue "
    "unità hanno solo risposto al fuoco proveniente dalle posizioni del gruppo armato.",
    "nl": "Ten minste twaalf mensen zijn dinsdag gedood bij de beschieting van een markt in de stad, volgens de "
    "lokale autoriteiten. Reddingswerkers zoeken nog naar overlevenden onder het puin, zei een woordvoerder van "
    "de civiele bescherming. Het leger ontkende de stad te hebben aangevallen en zei dat zijn eenheden alleen het "
    "vuur hadden beantwoord vanuit de posities van de gewapende groep.",
    "unknown Latin-script language": "Sedikitnya dua belas orang tewas pada hari Selasa dalam penembakan sebuah "
    "pasar di kota itu, kata pejabat setempat. Tim penyelamat masih mencari korban selamat di bawah reruntuhan, "
    "kata seorang juru bicara perlindungan sipil. Tentara membantah telah menyerang kota itu dan mengatakan "
    "unitnya hanya membalas tembakan dari posisi kelompok bersenjata.",
    "Arabic script": "قال مسؤولون محليون إن اثني عشر شخصا على الأقل قتلوا يوم الثلاثاء في قصف سوق المدينة، "
    "وإن فرق الإنقاذ ما زالت تبحث عن ناجين تحت الأنقاض.",
}

ENGLISH = (
    "At least 12 people were killed when shells hit a market in the north of the country on Tuesday, local "
    "officials said. The army denied it had fired on the town and said its units had returned fire at the "
    "positions of the armed group, which it accused of hiding among civilians."
)


@pytest.mark.parametrize(("label", "text"), OTHER_LANGUAGES.items())
def test_other_languages_are_named(label, text):
    guess = guess_language(text)
    assert not guess.is_english and guess.label == label


def test_english_passes_even_with_foreign_names_and_quotes():
    text = (
        ENGLISH
        + " Residents of Al-Mawasi said “الله أكبر” was heard, and a man from Пологи was among the dead."
    )
    assert guess_language(text).is_english


def test_short_latin_text_is_not_judged():
    assert guess_language("Explosion reported near port").is_english


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-22", dt.date(2024, 1, 22)),
        ("2024-01-22T23:30:00-05:00", dt.date(2024, 1, 22)),
        ("2024-01-22T23:30:00Z", dt.date(2024, 1, 22)),
        ("Mon, 22 Jan 2024 23:30:00 -0500", dt.date(2024, 1, 22)),
        ("22 January 2024", dt.date(2024, 1, 22)),
        ("Jan. 22, 2024", dt.date(2024, 1, 22)),
        ("01/22/2024", dt.date(2024, 1, 22)),
        (1705968000, dt.date(2024, 1, 23)),  # Unix seconds (UTC)
        (1705968000000, dt.date(2024, 1, 23)),  # milliseconds
        ("1705968000", dt.date(2024, 1, 23)),
        (dt.datetime(2024, 1, 22, 8), dt.date(2024, 1, 22)),
        ("January 2024", None),  # no day
        ("2024-13-40", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
        (42, None),
        ("0024-01-22", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_split_header_both_lines():
    parts = split_header("date 2024-02-03\n\nTruce collapses in the east\n\nFighting resumed on Saturday.\n")
    assert (parts.date_text, parts.title, parts.body) == (
        "2024-02-03",
        "Truce collapses in the east",
        "Fighting resumed on Saturday.\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        "GAZA CITY, Jan 22 (Reuters) -\n\nAirstrikes hit the south overnight.",  # a dateline
        "Fighting resumed on Saturday.\n\nBoth sides blamed each other.",  # a sentence
        "Headline with no body below it\n\n",
        "Headline straight into body\nFighting resumed on Saturday.",  # no blank line
    ],
)
def test_split_header_keeps_non_headlines_in_the_body(text):
    parts = split_header(text)
    assert parts.title is None and parts.body == text


def test_title_case_line_with_a_full_stop_is_a_headline():
    parts = split_header("Army Says Thirteen Soldiers Killed In Fighting.\n\nThirteen soldiers were killed.")
    assert parts.title == "Army Says Thirteen Soldiers Killed In Fighting."
    assert parts.body == "Thirteen soldiers were killed."


def test_date_line_variants():
    assert split_header("Date: 2024-02-03\nBody text here.").date_text == "2024-02-03"
    assert split_header("dated 2024-02-03 in the capital\n\nBody.").date_text is None


def test_truncate_text_prefers_paragraph_then_sentence_then_hard_cut():
    assert truncate_text("aaaa\n\nbbbb\n\ncccc", 12) == "aaaa\n\nbbbb"
    assert truncate_text("One sentence here. Another one goes on and on", 30) == "One sentence here."
    assert truncate_text("x" * 50, 20) == "x" * 20
    assert truncate_text("short", 20) == "short"


def test_clean_text_only_touches_bom_and_newlines():
    assert clean_text("\ufeffa\r\nb\rc\n  “d”\t") == "a\nb\nc\n  “d”\t"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"\x1f\x8b\x08\x00", "warc"),
        (b"WARC/1.0\r\n", "warc"),
        (b'\xef\xbb\xbf[{"text": "a"}]', "json"),
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b'{\n  "text": "a"\n}\n', "json"),
        (b'<?xml version="1.0"?>\n<rss version="2.0">', "feed"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"<!DOCTYPE html>\n<html><body>", "html"),
        (b"id,published,Text\n1,2024-01-01,hello\n", "csv"),
        (b"id\ttext\n1\thello\n", "csv"),
        (b"date 2024-01-01\n\nSome body text, with, commas.", "txt"),
    ],
)
def test_format_sniffing(head, fmt):
    assert by_content(head, "text") == fmt


def test_dotted_field_names_reach_into_nested_objects(tmp_path):
    path = tmp_path / "nested.jsonl"
    record = {
        "meta": {"published": "2024-03-01", "source": {"name": "Example Wire"}},
        "content": {"body": ENGLISH},
    }
    path.write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    options = ReadOptions(
        text_field="content.body", date_field="meta.published", outlet_field="meta.source.name"
    )
    article = next(read_paths([str(path)], options))
    assert (article.text, article.published, article.outlet) == (ENGLISH, dt.date(2024, 3, 1), "Example Wire")


def test_xhtml_page_saved_as_xml_is_read_as_a_page(tmp_path):
    path = tmp_path / "page.xml"
    body = "".join(f"<p>{ENGLISH} Paragraph {i}.</p>" for i in range(3))
    path.write_text(
        f'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title></head>'
        f"<body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    (article,) = read_paths([str(path)])
    assert isinstance(article, Article) and article.text.startswith("At least 12 people")


def test_binary_reason():
    assert binary_reason("Plain text with “quotes” and café.\n".encode()) is None
    assert binary_reason("wide".encode("utf-16")) is None  # NULs are expected after a UTF-16 BOM
    assert binary_reason(b"abc\x00def") == "binary file (contains NUL bytes)"


def test_html_to_text_blocks_and_inline():
    html = "<div><h2>Title</h2><p>First  <b>bold</b>\n line.</p><ul><li>one</li><li>two</li></ul><style>p{}</style></div>"
    assert html_to_text(html) == "Title\n\nFirst bold line.\n\none\n\ntwo"
    assert html_to_text("Plain summary &amp; more") == "Plain summary & more"


def test_articles_keep_offsets_into_their_text(tmp_path):
    """Offsets are taken on Article.text: a phrase found in the source body is found at the same place."""
    path = tmp_path / "story.txt"
    path.write_text("date 2024-02-03\n\nTruce collapses in the east\n\n" + ENGLISH + "\n", encoding="utf-8")
    (article,) = read_paths([str(path)])
    start = article.text.index("At least 12 people")
    assert article.text[start : start + 18] == "At least 12 people" and start == 0


@pytest.mark.slow
@pytest.mark.skipif(
    not (SHARED / "eval-data" / "gva-gun-violence-incidents" / "documents.jsonl").exists(),
    reason="shared bulk corpus not present",
)
def test_bulk_english_corpus_is_read_with_few_refusals():
    path = SHARED / "eval-data" / "gva-gun-violence-incidents" / "documents.jsonl"
    results = list(read_paths([str(path)], ReadOptions(date_field="dct")))
    reasons = Counter(r.reason.split(" (")[0] for r in results if isinstance(r, ReadError))
    articles = [r for r in results if isinstance(r, Article)]
    assert len(results) == sum(1 for line in path.open(encoding="utf-8") if line.strip())
    assert reasons["not English"] <= 2  # all English; one table dump is refused
    assert len(articles) >= 0.95 * len(results)
    assert sum(a.published is not None for a in articles) >= 0.95 * len(articles)
    assert all(json.dumps(a.to_dict()) for a in articles[:10])
    assert Path(articles[0].source_path.rsplit(":", 1)[0]) == path
