"""Cross-article resolution over hand-made records written through the real store."""

from __future__ import annotations

import json

import pytest

from fogwatch.errors import NotFound
from fogwatch.resolve import resolve, split_report
from fogwatch.resolve.queries import get_event, list_contested, list_events, list_flags
from fogwatch.store import Store
from test_resolve_helpers import KHARKIV, KYIV, KYIV_HOSPITAL, UKRAINE, Doc, write


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "r.db") as s:
        yield s


def strike(doc_id, published, outlet, place, *, date=None, actor_id="russia-armed-forces", killed=None,
           source_actor=None, mode="missile"):
    d = Doc(doc_id, published, outlet)
    d.place(place)
    figs = ()
    if killed is not None:
        figs = (d.figure(f"{killed} people were killed.", killed, source_actor=source_actor),)
    d.event("A missile hit the site.", location=place["name"], date=date, actor="Russian forces",
            actor_id=actor_id, mode=mode, figures=figs)
    return d


def clusters_by_article(store):
    rows = store.conn.execute("SELECT article_id, cluster_id FROM cluster_reports").fetchall()
    return {r[0]: r[1] for r in rows}


def test_reports_of_one_strike_merge_with_reasons(store):
    write(store,
          strike("a1", "2024-07-08", "wire-one", KYIV_HOSPITAL, date="2024-07-08", killed=2,
                 source_actor="ukraine-government"),
          strike("a2", "2024-07-09", "wire-two", KYIV, killed=4, source_actor="klitschko"),
          strike("a3", "2024-07-08", "wire-three", KHARKIV, date="2024-07-08"))
    summary = resolve(store)
    assert summary.articles == 3 and summary.reports == 3
    by_article = clusters_by_article(store)
    assert by_article["a1"] == by_article["a2"] != by_article["a3"]
    event = get_event(store.conn, by_article["a1"])
    assert event["report_count"] == 2
    assert (event["fatalities_low"], event["fatalities_high"]) == (2, 4)
    assert event["figures_by_source"]["killed"] == {"ukraine-government": 2, "klitschko": 4}
    assert event["place"] == "Okhmatdyt"  # the most specific place of its reports
    joined = [r for r in event["reports"] if not r["reasons"].get("founded")]
    assert len(joined) == 1
    reasons = joined[0]["reasons"]
    assert reasons["place"]["relation"] == "same" and reasons["date_difference_days"] == 1
    assert reasons["actor"]["relation"] == "same" and reasons["figures"]["relation"] == "consistent"


def test_vetoes_keep_events_apart(store):
    write(store,
          strike("b1", "2024-07-08", "o1", KYIV, date="2024-07-08", killed=3),
          strike("b2", "2024-07-08", "o2", KYIV, date="2024-07-11"),            # dates apart
          strike("b3", "2024-07-08", "o3", KYIV, date="2024-07-08", actor_id="ukraine-armed-forces"),
          strike("b4", "2024-07-08", "o4", KYIV, date="2024-07-08", killed=400),  # vs 3: inconsistent
          strike("b5", "2024-07-08", "o5", KYIV, date="2024-07-08", killed=4))
    resolve(store)
    by_article = clusters_by_article(store)
    assert by_article["b1"] == by_article["b5"]
    assert len({by_article[k] for k in ("b1", "b2", "b3", "b4")}) == 4


def test_country_contains_city_but_two_cities_differ(store):
    write(store, strike("c1", "2024-07-08", "o1", UKRAINE, date="2024-07-08"),
          strike("c2", "2024-07-08", "o2", KHARKIV, date="2024-07-08"))
    resolve(store)
    by_article = clusters_by_article(store)
    assert by_article["c1"] == by_article["c2"]
    reasons = get_event(store.conn, by_article["c1"])["reports"][1]["reasons"]
    assert reasons["place"]["relation"] == "inside"


def test_only_asserted_events_are_clustered(store):
    d = Doc("d1", "2024-07-08", "o1")
    d.place(KYIV)
    d.event("The army denied striking the hospital.", location="Kyiv", modality="denied")
    write(store, d)
    assert resolve(store).reports == 0
    assert list_events(store.conn) == []


def test_split_survives_incremental_runs_and_rebuilds(store):
    write(store, strike("e1", "2024-07-08", "o1", KYIV, date="2024-07-08"),
          strike("e2", "2024-07-08", "o2", KYIV, date="2024-07-08"))
    resolve(store)
    cluster = clusters_by_article(store)["e1"]
    report_id = store.conn.execute("SELECT id FROM events WHERE article_id = 'e2'").fetchone()[0]
    new_cluster = split_report(store, cluster, str(report_id))
    assert clusters_by_article(store)["e2"] == new_cluster != cluster
    write(store, strike("e3", "2024-07-09", "o3", KYIV, date="2024-07-08"))
    summary = resolve(store)
    assert summary.articles == 1  # incremental: only the new article
    by_article = clusters_by_article(store)
    assert by_article["e1"] != by_article["e2"]
    resolve(store, rebuild=True)
    by_article = clusters_by_article(store)
    assert by_article["e1"] != by_article["e2"]
    assert by_article["e3"] in (by_article["e1"], by_article["e2"])
    with pytest.raises(NotFound):
        split_report(store, by_article["e1"], "999999")


def test_incremental_run_touches_only_new_articles(store):
    write(store, strike("f1", "2024-07-08", "o1", KYIV, date="2024-07-08"))
    assert resolve(store).articles == 1
    assert resolve(store).articles == 0
    before = store.conn.execute("SELECT reasons FROM cluster_reports WHERE article_id = 'f1'").fetchone()[0]
    write(store, strike("f2", "2024-07-08", "o2", KYIV, date="2024-07-08"))
    summary = resolve(store)
    assert (summary.articles, summary.reports, summary.clusters) == (1, 1, 1)
    after = store.conn.execute("SELECT reasons FROM cluster_reports WHERE article_id = 'f1'").fetchone()[0]
    assert before == after and json.loads(after)["founded"]


def toll(doc_id, published, outlet, value, source_actor, bound="exact", victims="Palestinians"):
    d = Doc(doc_id, published, outlet)
    d.figure(f"The toll rose to {value}, the ministry said.", value, scope="cumulative",
             source=source_actor, source_actor=source_actor, bound=bound, victims=victims)
    return d


def test_series_flags_a_fall_and_a_same_day_disagreement(store):
    write(store,
          toll("g1", "2024-03-01", "o1", 30000, "gaza-health-ministry"),
          toll("g2", "2024-03-02", "o2", 29000, "gaza-health-ministry"),                        # falls
          toll("g3", "2024-03-03", "o3", 29500, "gaza-health-ministry", bound="more_than"),      # rounding of 30000
          toll("g4", "2024-03-02", "o4", 20000, "cogat", victims="people"))                      # disagrees
    resolve(store)
    flags = list_flags(store.conn)
    kinds = sorted((f["kind"], f["article_id"], f["other_article_id"]) for f in flags)
    assert kinds == [("disagrees", "g4", "g2"), ("falls", "g2", "g1")]
    falls = next(f for f in flags if f["kind"] == "falls")
    assert falls["sentence"].startswith("The toll rose to 29000")
    assert falls["other_sentence"].startswith("The toll rose to 30000")


def test_series_recheck_is_incremental_and_other_victim_classes_apart(store):
    write(store, toll("h1", "2024-03-01", "o1", 12000, "gaza-health-ministry", victims="children"))
    resolve(store)
    write(store, toll("h2", "2024-03-02", "o1", 29000, "gaza-health-ministry"))
    resolve(store)
    assert list_flags(store.conn) == []
    write(store, toll("h3", "2024-03-03", "o2", 11000, "gaza-health-ministry", victims="children"))
    resolve(store)
    assert [(f["kind"], f["article_id"]) for f in list_flags(store.conn)] == [("falls", "h3")]


def test_denial_in_the_same_article_and_across_articles_is_paired(store):
    d = Doc("k1", "2024-07-08", "o1")
    d.place(KYIV)
    d.statement("Russian forces struck the Okhmatdyt children's hospital in Kyiv", "Ukrainian officials",
                "accuse", "ukraine-government")
    d.statement("the strike was carried out by a Ukrainian air-defence missile", "the defence ministry",
                "deny", "russia-mod")
    e = Doc("k2", "2024-07-09", "o2")
    e.place(KYIV)
    e.statement("the Okhmatdyt hospital blast in Kyiv came from Ukrainian air defence", "Moscow", "accuse",
                "russia-mod")
    e.statement("the weather was cold", "a resident", "assert")
    f = Doc("k3", "2024-07-09", "o3")
    f.place(KYIV, "The ministry spoke about Kyiv.")
    f.statement("Russia had nothing to do with the Okhmatdyt hospital damage in Kyiv", "the Kremlin", "deny",
                "russia-government")
    write(store, d, e, f)
    resolve(store)
    pairs = {(p["claim_article_id"], p["counter_article_id"], p["relation"]) for p in list_contested(store.conn)}
    assert ("k1", "k1", "same_article") in pairs
    assert ("k1", "k3", "shared_terms") in pairs      # claim in one article, denial in another (one country)
    # across articles only denials answer accusations: the counter-accusation in k2 and the
    # resident's remark pair with nothing
    assert not any("k2" in (c, k) for c, k, _ in pairs)


def test_counter_accusation_naming_the_claimant_and_same_side_speakers(store):
    d = Doc("m1", "2024-07-08", "o1")
    d.statement("the blast came from a misfired rocket", "Israel", "assert", "israel-government")
    d.statement("Israel of a massacre", "Islamic Jihad", "accuse", "pij")
    d.statement("Russia hit the station", "Ukrainian officials", "accuse", "ukraine-government")
    d.statement("the station was hit by Russia", "Ukrainian railways", "accuse")  # same side as the officials? unknown
    d.statement("Russia attacked civilians", "Volodymyr Zelensky", "accuse", "zelensky")
    write(store, d)
    resolve(store)
    pairs = {(p["claim_speaker"], p["counter_speaker"]) for p in list_contested(store.conn)}
    assert ("Israel", "Islamic Jihad") in pairs
    assert ("Ukrainian officials", "Volodymyr Zelensky") not in pairs  # one state, one side


def test_denial_inside_an_assertion_and_a_reply_blaming_the_accuser(store):
    d = Doc("n1", "2024-06-05", "o1")
    d.statement("the paramilitaries massacred villagers", "the sovereign council", "accuse", "sudan-government")
    d.statement("the army used the village as a base and denied killing civilians", "the RSF", "assert", "rsf")
    e = Doc("n2", "2022-04-09", "o2")
    e.statement("a Russian missile hit the station", "Kyiv", "accuse", "ukraine-government")
    e.statement("the attack was carried out by Ukraine", "the defence ministry", "assert", "russia-mod")
    e.statement("trains would keep running", "the railway", "assert")
    write(store, d, e)
    resolve(store)
    pairs = {(p["claim_article_id"], p["claim_speaker"], p["counter_speaker"]) for p in list_contested(store.conn)}
    assert ("n1", "the sovereign council", "the RSF") in pairs
    assert ("n2", "Kyiv", "the defence ministry") in pairs
    assert not any(c == "the railway" or k == "the railway" for _, c, k in pairs)


def test_same_event_statements_are_read_once_per_article_and_stance(store):
    """Statements of one article share the rows of the articles reporting its events (one read per
    article and stance wanted within an update_pairs call), equal to a fresh read."""
    from fogwatch.resolve.contested import _COLUMNS, _rows, _same_event

    a = strike("a", "2024-07-08", "o1", KYIV, date="2024-07-08")
    a.statement("Russian forces struck the hospital in Kyiv", "Ukrainian officials", "accuse", "ukraine-government")
    a.statement("Russian missiles hit the clinic in Kyiv", "the mayor", "accuse")
    b = strike("b", "2024-07-08", "o2", KYIV, date="2024-07-08")
    b.statement("the hospital in Kyiv was not struck by Russian forces", "the defence ministry", "deny", "russia-mod")
    write(store, a, b)
    resolve(store)
    assert clusters_by_article(store)["a"] == clusters_by_article(store)["b"]
    rows = _rows(store.conn.execute(
        f"SELECT {_COLUMNS} FROM statements s JOIN articles a ON a.id = s.article_id WHERE s.article_id = 'a' ORDER BY s.idx"
    ))
    cache: dict = {}
    first = _same_event(store.conn, rows[0], cache)
    second = _same_event(store.conn, rows[1], cache)
    assert [r["article_id"] for r in first] == ["b"] and first[0]["stance"] == "deny"
    assert second is first                                  # read once for the article
    assert second == _same_event(store.conn, rows[1])       # and equal to a fresh read
