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


# Party names as conflict reporting writes them, for the conflicts beyond Gaza and Ukraine.
@pytest.mark.parametrize(
    ("mention", "actor"),
    [
        # Sudan
        ("Sudan's Rapid Support Forces", "rsf"),
        ("Sudanese soldiers", "saf"),
        ("Sudan's army-backed government", "sudan-government"),
        ("the Sovereignty Council", "sudan-government"),
        ("the Darfur Joint Forces", "sudan-joint-forces"),
        ("the Sudan Liberation Army", "sudan-joint-forces"),
        ("Emergency Lawyers", "emergency-lawyers"),
        ("the Emergency Response Rooms", "sudan-resistance-committees"),
        # Myanmar
        ("junta spokesman Zaw Min Tun", "tatmadaw"),
        ("Myanmar's shadow government", "nug"),
        ("the Three Brotherhood Alliance", "brotherhood-alliance"),
        ("the Karenni Nationalities Defence Force", "kndf"),
        ("the Arakan Rohingya Salvation Army", "arsa"),
        ("the Kachin Independence Organisation", "kia"),
        ("the Chin National Front", "chin-resistance"),
        # DR Congo
        ("Congolese troops", "fardc"),
        ("Congolese authorities", "drc-government"),
        ("the Rwanda-backed M23", "m23"),
        ("Alliance Fleuve Congo", "m23"),
        ("pro-government Wazalendo militias", "wazalendo"),
        ("the FDLR", "fdlr"),
        ("Rwandan government spokesperson Yolande Makolo", "rwanda-government"),
        # Haiti
        ("Haiti's National Police", "haiti-police"),
        ("Haitian authorities", "haiti-government"),
        ("the 400 Mawozo gang", "400-mawozo"),
        ("the Kenya-led mission", "mss"),
        ("the National Human Rights Defense Network", "rnddh"),
        # Yemen
        ("Iran-backed Houthis", "houthis"),
        ("the Houthi-run Saba news agency", "houthis"),
        ("the Yemeni army", "yemen-government"),
        ("al Qaeda in the Arabian Peninsula", "aqap"),
        ("the Saudi-led military coalition", "saudi-coalition"),
        # Sahel
        ("the al Qaeda-linked JNIM", "jnim"),
        ("Malian soldiers", "mali-army"),
        ("Malian authorities", "mali-government"),
        ("Burkinabe troops", "burkina-army"),
        ("Burkina Faso's government", "burkina-government"),
        ("Nigerien authorities", "niger-government"),
        ("the Azawad Liberation Front", "fla"),
        ("MINUSMA", "minusma"),
        # Syria
        ("Syrian government troops", "syrian-army"),
        ("Syria's Defence Ministry", "syria-government"),
        ("the U.S.-backed Syrian Democratic Forces", "sdf"),
        ("Turkish-backed factions", "sna"),
        ("the Syrian Network for Human Rights", "snhr"),
    ],
)
def test_conflict_party_mentions_resolve(mention: str, actor: str) -> None:
    assert canonical_actor(mention) == actor


@pytest.mark.parametrize(
    ("mention", "not_actor"),
    [
        ("Emergency Lawyers", "sudan-doctors"),               # a lawyers' group, not the doctors' network
        ("Popular Resistance Committees", "sudan-resistance-committees"),  # a Gaza armed group
        ("Port Sudan", "sudan-government"),                   # the city is a place, not the government
    ],
)
def test_lookalike_mentions_do_not_resolve_to_the_wrong_party(mention: str, not_actor: str) -> None:
    assert canonical_actor(mention) != not_actor
