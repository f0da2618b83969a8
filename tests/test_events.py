"""Events: type, mode, actor, target, place, date, modality, clustering and links.

Every sentence here is written for these tests, from several conflicts; places are
given as the places step would give them, so the tests do not depend on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from fogwatch.extract.context import Context
from fogwatch.extract.events import find_events
from fogwatch.model import Event, Figure, Place, Statement
from fogwatch.nlp import parse

PUB = dt.date(2025, 3, 12)  # a Wednesday


def _places(text: str, names: dict[str, str]) -> list[Place]:
    out = []
    for name, kind in names.items():
        start = text.index(name)
        out.append(Place(start=start, end=start + len(name), text=name, name=name, kind=kind))
    return out


def run(text: str, places: dict[str, str] | None = None, published: dt.date | None = PUB,
        figures: list[Figure] | None = None, statements: list[Statement] | None = None) -> list[Event]:
    ctx = Context(text=text, doc=parse(text), published=published)
    events = find_events(ctx, figures or [], statements or [], _places(text, places or {}))
    for e in events:
        assert e.text == text[e.start:e.end]
    return events


pytestmark = pytest.mark.model


def test_ground_assault_with_actor_target_place_and_date():
    text = "RSF fighters stormed the market in El Fasher early on Monday, killing at least 12 civilians."
    [e] = run(text, {"El Fasher": "city"})
    assert (e.type, e.mode) == ("attack", "ground_assault")
    assert e.actor == "RSF fighters"
    assert e.target == "the market"
    assert e.location == "El Fasher"
    assert e.date == dt.date(2025, 3, 10) and e.date_precision == "day"
    assert e.modality == "asserted"


def test_nominal_strike_takes_mode_from_its_modifier():
    text = "A drone strike on a school in Maungdaw killed five children on Sunday, residents said."
    [e] = run(text, {"Maungdaw": "city"})
    assert (e.type, e.mode) == ("attack", "drone")
    assert e.target == "a school"
    assert e.location == "Maungdaw"
    assert e.date == dt.date(2025, 3, 9)


def test_passive_agent_is_the_actor():
    text = "The displacement camp was shelled by government troops on Tuesday."
    [e] = run(text)
    assert (e.type, e.mode) == ("attack", "shelling")
    assert e.actor == "government troops"
    assert e.target == "The displacement camp"
    assert e.date == dt.date(2025, 3, 11)


def test_nominalisation_of_with_by_agent():
    text = "The bombing of the hospital by coalition jets drew condemnation."
    [e] = run(text)
    assert e.type == "attack" and e.mode == "airstrike"
    assert e.actor == "coalition jets"
    assert e.target == "the hospital"


def test_fired_on_needs_its_argument():
    assert run("Soldiers fired on protesters outside the ministry.")[0].mode == "gunfire"
    assert run("The company fired its chief executive.") == []


def test_interception_is_not_an_attack():
    assert run("Air defences shot down 20 drones overnight.") == []


def test_kill_and_strike_in_one_clause_are_one_event():
    text = "At least 30 people were killed in an airstrike on a market in Sanaa on Friday."
    [e] = run(text, {"Sanaa": "city"})
    assert (e.type, e.mode, e.location) == ("attack", "airstrike", "Sanaa")
    assert e.date == dt.date(2025, 3, 7)


def test_anaphoric_blast_merges_into_the_bombing():
    text = ("A car bomb exploded outside a hotel in Mogadishu on Tuesday. "
            "The blast killed nine people, police said.")
    events = run(text, {"Mogadishu": "city"})
    assert len(events) == 1
    assert events[0].mode == "explosive"
    assert events[0].location == "Mogadishu"


def test_a_separate_strike_is_a_new_event():
    text = "An airstrike hit a clinic in Idlib on Monday. A separate strike hit a bakery nearby."
    events = run(text, {"Idlib": "city"})
    assert len(events) == 2


def test_denied_and_threatened_modality():
    [denied] = run("The army denied carrying out the strike on the village.")
    assert denied.modality == "denied"
    # the threat happened; the attack threatened did not: it is kept, marked hypothetical
    events = run("The militia threatened to attack the town of Kalehe.", {"Kalehe": "city"})
    assert ("threat", "asserted") in [(e.type, e.modality) for e in events]
    assert all(e.modality in ("asserted", "hypothetical") for e in events)
    future = run("Troops will storm the city within days.")
    assert future and all(e.modality == "hypothetical" for e in future)
    never = run("Officials said the army would never shell a camp for displaced people.")
    assert all(e.modality != "asserted" for e in never)


def test_denial_of_a_clause_and_what_a_plan_is_about():
    # the denial reaches the clause it governs
    [denied] = run("The militia said it was protecting residents and denied that its fighters had shelled "
                   "the market in Tawila.", {"Tawila": "city"})
    assert denied.modality == "denied"
    # the subject of "aimed at" happened; what it aimed at did not
    events = run("The ministry said the airstrikes were aimed at destroying a weapons depot in Kassala.",
                 {"Kassala": "city"})
    assert [(e.type, e.modality) for e in events] == [("attack", "asserted")]
    # what a finite "ended" ended had happened; what one is told to halt has not
    [fighting] = run("A ceasefire halted the fighting in Luanda on Monday.", {"Luanda": "city"})
    assert (fighting.type, fighting.modality) == ("attack", "asserted")
    [halt] = run("Mediators urged the army to halt its offensive in Luanda.", {"Luanda": "city"})
    assert (halt.type, halt.modality) == ("attack", "hypothetical")


def test_an_anaphor_prefers_an_antecedent_that_happened():
    text = ("Rebels seized the town of Minova on Sunday after a three-day assault. The rebels denied "
            "that their fighters had attacked civilians. Residents said the assault had left dozens dead.")
    events = run(text, {"Minova": "city"})
    # "the assault" retells the assault reported, not the attack on civilians the rebels denied
    denied = [e for e in events if e.type == "attack" and e.modality == "denied"]
    assert [e.text for e in denied] == ["their fighters had attacked civilians"]


def test_a_place_that_only_qualifies_a_noun_is_not_the_location():
    events = run("Militants fired rockets at Iran-backed militias and at Turkey warships near Latakia.",
                 {"Iran": "country", "Turkey": "country", "Latakia": "city"})
    assert [e.location for e in events if e.type == "attack"] == ["Latakia"]


def test_killed_in_a_name_no_list_holds_is_an_event():
    # neither the place list nor the model's entities know "Kabasa": a proper name after
    # "in" is still where the killing happened
    text = "At least 30 people were killed in Kabasa on Sunday, residents said."
    doc = parse(text)
    doc.ents = ()
    [e] = find_events(Context(text=text, doc=doc, published=PUB), [], [], [])
    assert e.type == "attack" and e.date == dt.date(2025, 3, 9)
    # a date after "in" is no place
    doc = parse("At least 30 people were killed in March, residents said.")
    assert find_events(Context(text=doc.text, doc=doc, published=PUB), [], [], []) == []


def test_a_later_mention_in_a_district_of_the_town_retells_the_event():
    text = ("Gunmen attacked a police school in Bamako on Tuesday, officials said. Witnesses said "
            "the attack on the school in the Faladie district lasted hours.")
    places = [Place(start=text.index(name), end=text.index(name) + len(name), text=name, name=name, kind=kind,
                    country_code="ML", lat=lat, lon=lon)
              for name, kind, lat, lon in [("Bamako", "city", 12.61, -7.98), ("Faladie district", "district", 12.60, -7.95)]]
    [e] = find_events(Context(text=text, doc=parse(text), published=PUB), [], [], places)
    assert e.location == "Faladie district"   # the more specific place
    # a district far from the town is another place: two events
    far = [replace(p, lat=13.5, lon=-8.9) if p.kind == "district" else p for p in places]
    assert len(find_events(Context(text=text, doc=parse(text), published=PUB), [], [], far)) == 2


def test_a_displaced_state_is_no_event():
    assert run("The agency says about 4.5 million people are displaced.") == []
    assert run("Troops crossed into the town on Monday.") == []


@pytest.mark.parametrize(("text", "kind", "mode"), [
    ("Rebels took control of the town of Lalibela on Tuesday.", "attack", "ground_assault"),
    ("The army recaptured Kidal in November.", "attack", "ground_assault"),
    ("Militants burned a church in the village of Mazeze last week.", "attack", "fire"),
    ("The president declared a state of emergency in the province on Monday.", "other", None),
    ("Aid workers began handing out food rations at the camp on Wednesday.", "aid", None),
    ("At least 20 former fighters were airlifted out of the region on Sunday.", "evacuation", None),
    ("Iraq recalled its ambassador from Tehran on Tuesday.", "other", None),
    ("The president dissolved parliament on Friday.", "other", None),
    ("The separatist leader signed a decree on Thursday dissolving the republic.", "other", None),
    ("The ombudsman said at least 32,000 people had been displaced.", "displacement", None),
    ("More than 65,000 refugees had crossed into Armenia by Thursday morning.", "displacement", None),
    ("The army imposed a curfew in the city on Friday.", "other", None),
    ("Chad closed its border with Sudan on Monday.", "other", None),
    # an abduction by an armed group is violence against the people taken, not an arrest
    ("Bandits kidnapped 40 pupils from a school in the village on Thursday.", "attack", None),
])
def test_capture_burning_decree_handout_and_airlift(text: str, kind: str, mode: str | None):
    events = run(text, {"Kidal": "city"} if "Kidal" in text else None)
    assert [(e.type, e.mode) for e in events] == [(kind, mode)]


def test_background_event_far_before_publication():
    [e] = run("The siege of Mariupol began in February 2022.", {"Mariupol": "city"})
    assert e.type == "siege"
    assert e.modality == "background"
    assert e.date is None and e.date_precision == "month"   # a month is not a day


def test_negotiation_parties_are_not_its_location():
    text = "Mediators announced a ceasefire agreement between Sudan and the rebels on Wednesday."
    [e] = run(text, {"Sudan": "country"})
    assert e.type == "negotiation"
    assert e.location is None
    assert e.date == dt.date(2025, 3, 12)


def test_court_ruling():
    [e] = run("The International Criminal Court on Thursday ordered the release of the detainees.")
    assert e.type == "ruling"
    assert e.date == dt.date(2025, 3, 6)


def test_dateline_gives_the_location():
    text = "PORT-AU-PRINCE (Reuters) - Gunmen attacked a police station on Saturday, officials said."
    [e] = run(text)
    assert e.location is not None and e.location.lower() == "port-au-prince"


def test_headline_is_not_an_event():
    assert run("Army Shells Village Near Border\n\nResidents said nothing more.") == []


def test_quoted_speech_is_not_the_reporter_s_event():
    text = 'A resident said: "They bombed our street every night and nobody came."'
    assert run(text) == []


def test_links_figures_and_statements_of_the_sentence():
    text = "Shelling killed four people in Kherson on Monday. Talks resumed later."
    fig_start = text.index("four people")
    fig = Figure(start=fig_start, end=fig_start + 11, text="four people", number="four", value=4, metric="killed")
    st_start = text.index("Talks")
    st = Statement(start=st_start, end=st_start + 5, text="Talks", speaker=None, cue="said", direct=False)
    events = run(text, {"Kherson": "city"}, figures=[fig], statements=[st])
    attack = next(e for e in events if e.type == "attack")
    assert attack.figures == (0,)
    assert attack.statements == ()


def test_without_publication_date_relative_dates_stay_unresolved():
    [e] = run("Rebels raided the village on Monday.", published=None)
    assert e.type == "raid"
    assert e.date is None and e.date_text is None


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", '"unclosed quote about a strike', "9" * 400,
                                  "strike strike strike attack attack"])
def test_odd_input_never_raises(text):
    events = run(text)
    assert isinstance(events, list)


def test_capture_of_a_town_is_an_assault_but_seized_weapons_are_not():
    [e] = run("Rebels seized the town of Walikale on Sunday.", {"Walikale": "city"})
    assert (e.type, e.mode, e.location) == ("attack", "ground_assault", "Walikale")
    assert run("Customs officers seized weapons at the port.") == []


def test_protest_and_arrest_with_overnight():
    events = run("Thousands of protesters rallied in Bamako. Police detained six students overnight.",
                 {"Bamako": "city"})
    assert [e.type for e in events] == ["protest", "arrest"]
    assert events[0].location == "Bamako"
    assert events[1].date == PUB   # overnight: the night before publication morning


def test_last_week_is_recent_not_background():
    [e] = run("Warplanes bombed villages in Sagaing region last week.", {"Sagaing region": "region"})
    assert e.modality == "asserted"
    assert e.date is None and e.date_precision == "week"


def test_dateline_is_never_the_actor():
    text = "JUBA (AFP) - Soldiers fired on a crowd near the market on Friday, witnesses said."
    [e] = run(text)
    assert e.actor == "Soldiers"
    assert e.date == dt.date(2025, 3, 7)


def test_date_entity_cut_at_a_blocking_word():
    [e] = run("The parties signed a ceasefire agreement in Doha on Wednesday after months of talks.",
               {"Doha": "city"})
    assert e.type == "negotiation" and e.date == PUB and e.location == "Doha"
    assert e.text.startswith("The parties signed")


def test_bare_plural_attacks_are_a_pattern_not_an_event():
    assert run("Settler attacks in the West Bank have surged, the UN said.") == []
    [e] = run("The army launched airstrikes on rebel positions in Kidal.", {"Kidal": "city"})
    assert (e.type, e.mode, e.location) == ("attack", "airstrike", "Kidal")


def test_gerund_fighting_after_in_is_an_event():
    text = "At least 40 people have been killed and 90 injured in fighting around Kalehe, officials said."
    [e] = run(text, {"Kalehe": "city"})
    assert e.type == "attack" and e.location == "Kalehe"


def test_people_who_flee_are_neither_actor_nor_target():
    text = "Thousands of families fled the town of Kalehe toward Goma on Tuesday, aid workers said."
    [e] = run(text, {"Kalehe": "city", "Goma": "city"})
    assert e.type == "displacement"
    assert e.actor is None and e.target is None


def test_a_date_possessive_is_not_the_actor():
    text = "Saturday's drone strike on the Zaporizhzhia market killed seven people."
    [e] = run(text, {"Zaporizhzhia": "city"})
    assert e.actor is None
    assert e.date == dt.date(2025, 3, 8)


def test_who_evacuates_is_still_the_actor():
    text = "Lebanese soldiers evacuated 3,000 residents from the village of Khiam on Monday."
    [e] = run(text, {"Khiam": "city"})
    assert e.type == "evacuation"
    assert e.actor == "Lebanese soldiers"


def test_an_anaphors_own_date_beats_the_date_of_the_report():
    text = ("A drone attack on a market in Kherson killed 12 people, the regional governor said on Sunday. "
            "He said the attack took place on Friday afternoon.")
    [e] = run(text, {"Kherson": "city"})
    assert e.date == dt.date(2025, 3, 7)
    assert e.target == "a market"


def test_two_attacks_with_their_own_dates_stay_apart():
    text = ("Artillery shells hit a school in Kramatorsk on Sunday, the mayor said. "
            "He said the attack on Friday had hit a hospital in Kramatorsk.")
    events = run(text, {"Kramatorsk": "city"})
    assert [e.date for e in events] == [dt.date(2025, 3, 9), dt.date(2025, 3, 7)]


def test_a_feared_attack_is_not_part_of_the_one_that_happened():
    text = "Residents fled the strike on the market in Nyala on Monday, fearing new airstrikes."
    events = run(text, {"Nyala": "city"})
    [attack] = [e for e in events if e.type == "attack" and e.modality == "asserted"]
    assert attack.target == "the market"
    assert "fearing" not in attack.text


def test_a_call_for_talks_is_no_negotiation():
    text = "The envoy called for peace talks between the army and the M23 rebels."
    assert [e for e in run(text) if e.type == "negotiation"] == []


def test_talks_held_or_dated_are_a_negotiation():
    held = "Delegations from the two sides held talks in Jeddah, the mediators said."
    [e] = run(held, {"Jeddah": "city"})
    assert e.type == "negotiation" and e.location == "Jeddah"
    dated = "Talks between the government and the rebels resumed in Doha on Monday."
    [e] = run(dated, {"Doha": "city"})
    assert e.type == "negotiation" and e.date == dt.date(2025, 3, 10)


def test_the_town_a_facility_is_named_after_is_the_location():
    text = "Thirty people were killed in Sunday's missile strike on the Odesa railway station."
    ctx = Context(text=text, doc=parse(text), published=PUB)
    start = text.index("Odesa")
    station = Place(start=start, end=start + 21, text="Odesa railway station", name="Odesa railway station",
                    kind="facility", lat=46.48, lon=30.74, coord_precision="city")
    [e] = find_events(ctx, [], [], [station])
    assert e.location == "Odesa"
    assert e.target == "the Odesa railway station"
    # not geocoded: the leading word is not trusted to be its town
    [e] = find_events(ctx, [], [], [replace(station, lat=None, lon=None)])
    assert e.location is None


def test_a_facility_named_after_no_town_there_gives_no_location():
    text = "A drone hit the Al Khair hospital on Monday, medics said."
    ctx = Context(text=text, doc=parse(text), published=PUB)
    start = text.index("Al Khair")
    hospital = Place(start=start, end=start + 17, text="Al Khair hospital", name="Al Khair hospital",
                     kind="facility", lat=31.34, lon=34.31, coord_precision="city")
    [e] = find_events(ctx, [], [], [hospital])
    assert e.location is None


def test_a_named_place_beats_the_town_in_a_facility_name():
    text = "Shells hit the Zaporizhzhia nuclear plant in Enerhodar on Monday."
    ctx = Context(text=text, doc=parse(text), published=PUB)
    start = text.index("Zaporizhzhia")
    plant = Place(start=start, end=start + 26, text="Zaporizhzhia nuclear plant", name="Zaporizhzhia nuclear plant",
                  kind="facility", lat=47.84, lon=35.14, coord_precision="city")
    town = _places(text, {"Enerhodar": "city"})
    [e] = find_events(ctx, [], [], [plant, *town])
    assert e.location == "Enerhodar"


def test_a_target_it_is_the_camp_named_before_it():
    text = "Thousands of families have fled the Kalma camp in South Darfur since militiamen stormed it on Sunday."
    events = run(text, {"Kalma camp": "camp", "South Darfur": "region"})
    [attack] = [e for e in events if e.type == "attack"]
    assert attack.target == "Kalma camp"
    assert attack.location == "Kalma camp"


def test_a_target_it_is_never_a_region():
    text = "Militias moved into North Kivu province last month and shelled it on Sunday."
    events = run(text, {"North Kivu province": "region"})
    [attack] = [e for e in events if e.type == "attack"]
    assert attack.target != "North Kivu province"


def test_an_offensive_is_a_ground_assault_unless_its_modifier_says_otherwise():
    [e] = run("The army launched an offensive on rebel positions near Kidal on Monday.", {"Kidal": "city"})
    assert (e.type, e.mode) == ("attack", "ground_assault")
    [e] = run("The army launched an air offensive on rebel positions near Kidal on Monday.", {"Kidal": "city"})
    assert (e.type, e.mode) == ("attack", "airstrike")


def test_a_toll_of_known_fighting_since_a_day_is_no_event_and_leaves_the_event_alone():
    text = ("Gunfire and explosions were heard throughout Tuesday morning, residents said. "
            "Officials said 20 civilians had been killed in the fighting around Kharkiv since Friday.")
    [e] = run(text, {"Kharkiv": "city"})
    assert e.mode == "gunfire"
    assert e.text.startswith("Gunfire")
    assert e.target is None and e.location is None   # the toll lends it nothing


def test_an_evacuation_retold_with_a_figure_is_the_same_evacuation():
    text = ("Flooding forced the evacuation of thousands of residents from villages near Kherson on Tuesday. "
            "Officials said 12,000 people were being evacuated from the area.")
    assert [e.type for e in run(text, {"Kherson": "city"})] == ["evacuation"]


def test_evacuations_of_two_towns_stay_two():
    text = ("Soldiers evacuated 3,000 residents from Pokrovsk on Monday. "
            "Police evacuated 500 residents from Kupiansk on Tuesday.")
    events = run(text, {"Pokrovsk": "city", "Kupiansk": "city"})
    assert [e.location for e in events] == ["Pokrovsk", "Kupiansk"]


def test_one_person_fleeing_is_a_story_not_a_displacement():
    events = run("Her neighbour, a teacher who fled to a village outside Lashio, described the bombing.",
                 {"Lashio": "city"})
    assert "displacement" not in [e.type for e in events]
    assert [e.type for e in run("A shopkeeper fled to the hills above Bamenda on Saturday.", {"Bamenda": "city"})] == []


def test_people_or_families_fleeing_are_a_displacement():
    for text in ("Thousands of people fled Lashio on Saturday.", "The family fled to Lashio on foot.",
                 "Hundreds of thousands of people who fled Lashio are sheltering in camps."):
        assert "displacement" in [e.type for e in run(text, {"Lashio": "city"})], text


def test_an_attack_repeated_over_time_is_a_history_not_an_event():
    assert run("The clinic in Kharkiv had been attacked several times, its director said.", {"Kharkiv": "city"}) == []
    assert run("Russian forces have repeatedly shelled the port of Kherson.", {"Kherson": "city"}) == []
    [e] = run("The clinic in Kharkiv was attacked on Monday, its director said.", {"Kharkiv": "city"})
    assert e.date == dt.date(2025, 3, 10)
    [e] = run("Towns in the region were being shelled every day.")
    assert e.mode == "shelling"


def test_a_party_retelling_what_it_struck_is_the_reported_strike():
    text = ("A missile hit a hotel in Kharkiv on Monday, killing two people, the mayor said. "
            "The defence ministry in Moscow said it had struck a command post of foreign fighters.")
    events = run(text, {"Kharkiv": "city", "Moscow": "city"})
    assert [e.type for e in events] == ["attack"]
    assert events[0].target == "a hotel"


def test_a_dateline_under_a_headline_is_no_clause_place_and_a_hub_dateline_lends_none():
    text = ("Rebels sweep into Aleppo\n\n"
            "BEIRUT, Nov 30 (Harbor Wire) — Syrian rebels took control of most of Aleppo on Saturday, "
            "a war monitor said.")
    [e] = run(text, {"BEIRUT": "city", "Aleppo": "city"})
    assert e.location == "Aleppo"   # not the dateline the parse hung on the verb
    # datelined from a regional hub: the shelling in Idlib and Hama did not happen in Beirut
    text = "BEIRUT, Nov 30 (Harbor Wire) — Shelling resumed on Saturday, residents of Idlib and Hama said."
    places = [Place(start=text.index(n), end=text.index(n) + len(n), text=n, name=n, kind="city", country_code=cc)
              for n, cc in [("BEIRUT", "LB"), ("Idlib", "SY"), ("Hama", "SY")]]
    events = find_events(Context(text=text, doc=parse(text), published=PUB), [], [], places)
    assert events and all(e.location != "BEIRUT" for e in events)
