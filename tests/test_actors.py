"""Canonical actors from resources/actors.csv."""

from __future__ import annotations

import pytest

from fogwatch.extract.actors import all_actors, canonical_actor, get_actor


@pytest.mark.parametrize(
    ("mention", "actor"),
    [
        ("IDF", "idf"),
        ("the Israeli military", "idf"),
        ("Israeli troops", "idf"),
        ("Israeli forces", "idf"),
        ("spokesperson for the Israel Defense Forces", "idf"),
        ("Gaza's Hamas-run health ministry", "gaza-health-ministry"),
        ("health authorities in Gaza", "gaza-health-ministry"),
        ("the health ministry in the Gaza Strip", "gaza-health-ministry"),
        ("the paramilitary Rapid Support Forces", "rsf"),
        ("RSF", "rsf"),
        ("Sudan's army", "saf"),
        ("Myanmar's junta", "tatmadaw"),
        ("M23 rebels", "m23"),
        ("the Houthis", "houthis"),
        ("Haitian police", "haiti-police"),
        ("the Britain-based Syrian Observatory for Human Rights", "sohr"),
        ("Russia’s Defence Ministry", "russia-mod"),
        ("Ukraine's General Staff", "ukraine-armed-forces"),
        ("the UN refugee agency", "unhcr"),
        ("WHO", "who"),
        ("Hamas officials", "hamas"),
    ],
)
def test_mentions_resolve(mention: str, actor: str) -> None:
    assert canonical_actor(mention) == actor


@pytest.mark.parametrize(
    "mention",
    ["the army", "officials", "the health ministry", "local authorities", "who", "residents", "the junta", "us",
     "a Ukrainian mother in Kyiv", "", None, "   ", "the"],
)
def test_weak_mentions_give_none(mention: str | None) -> None:
    assert canonical_actor(mention) is None


def test_every_actor_is_complete_and_unique() -> None:
    actors = all_actors()
    ids = [a.id for a in actors]
    assert len(ids) == len(set(ids)) and len(ids) > 60
    for a in actors:
        assert a.name and a.kind
        assert get_actor(a.id) == a
        assert canonical_actor(a.name) == a.id, a.name


def test_unknown_id() -> None:
    assert get_actor("no-such-actor") is None
