"""Gazetteer loading and matching (fast: small in-test gazetteers and the shipped French file)."""

import pytest

from healthcoop_nlp.ner.gazetteer import Gazetteer

FR_LINES = [
    "# test gazetteer",
    "ORG\tBanque mondiale\twb",
    "ORG\tFonds africain\tfa",
    "ORG\tFonds africain de développement\tfad",
    "ORG\tFAD\tfad",
    "LOC\tGuinée\tguinea",
    "LOC\tGuinée-Bissau\tguinea_bissau",
    "LOC\tÉtats-Unis\tusa",
]

AR_LINES = [
    "ORG\tمنظمة الصحة العالمية\twho",
    "LOC\tالمغرب\tmorocco",
    "LOC\tلبنان\tlebanon",
    "ORG\tالمنظمة العربية للتنمية الصحية\taodh",
]


def fr_gaz() -> Gazetteer:
    g = Gazetteer(lang="fr")
    g.add_lines(FR_LINES)
    return g


def found(g, text):
    out = []
    for label, m, key in g.find(text):
        assert text[m.start:m.end] == m.text
        out.append((label, m.text, key))
    return out


def test_longest_match_wins():
    text = "Le Fonds africain de développement (FAD) et la Guinée-Bissau."
    assert found(fr_gaz(), text) == [
        ("ORG", "Fonds africain de développement", "fad"), ("ORG", "FAD", "fad"),
        ("LOC", "Guinée-Bissau", "guinea_bissau")]


def test_word_boundaries_and_hyphenated_pairs():
    g = fr_gaz()
    assert found(g, "La Guinéenne et la Guinée.") == [("LOC", "Guinée", "guinea")]
    assert found(g, "Guinée-États-Unis : un accord") == [("LOC", "Guinée", "guinea"), ("LOC", "États-Unis", "usa")]


def test_acronyms_are_case_sensitive_and_names_need_a_capital():
    g = fr_gaz()
    assert found(g, "un fad, le Fad") == []
    assert found(g, "la banque mondiale") == []
    # accents and the case of later words may vary
    assert found(g, "les Etats-Unis et la Banque Mondiale") == [
        ("LOC", "Etats-Unis", "usa"), ("ORG", "Banque Mondiale", "wb")]


def test_key_of_groups_long_form_and_acronym():
    g = fr_gaz()
    assert g.key_of("FAD") == g.key_of("Fonds africain de développement") == "fad"
    assert g.key_of("Fonds européen") is None
    assert sorted(g.forms("fad")) == ["FAD", "Fonds africain de développement"]


def test_malformed_line_says_how_to_fix():
    g = Gazetteer(lang="fr")
    with pytest.raises(ValueError, match="label<TAB>surface<TAB>key"):
        g.add_lines(["ORG Banque mondiale wb"])
    with pytest.raises(ValueError, match="not one of"):
        g.add_lines(["XYZ\tBanque\twb"])


def test_arabic_proclitics_stay_outside_the_span(tmp_path):
    p = tmp_path / "gazetteer.tsv"
    p.write_text("\n".join(AR_LINES) + "\n", encoding="utf-8")
    g = Gazetteer.load("ar", path=p)  # proclitics come from data/ar/dates.yaml
    text = "زار وفد لمنظمة الصحة العالمية والمغرب وبالمغرب ثم للمنظمة العربية للتنمية الصحية ولبنان"
    got = g.find(text)
    assert [(m.text, key) for _, m, key in got] == [
        ("منظمة الصحة العالمية", "who"), ("المغرب", "morocco"), ("المغرب", "morocco"),
        ("لمنظمة العربية للتنمية الصحية", "aodh"), ("لبنان", "lebanon")]
    for _, m, _ in got:
        assert text[m.start:m.end] == m.text
    # لل + noun: the span starts after the first ل
    aodh = got[3][1]
    assert text[aodh.start - 1] == "ل" and text[aodh.start - 2] == " "


def test_arabic_matching_ignores_alef_ta_marbuta_and_diacritics():
    g = Gazetteer(lang="ar", proclitics="وفبلك", conjunctions="وف")
    g.add_lines(AR_LINES)
    text = "أعلنت مُنظمة الصحه العالميه و إلمغرب"
    got = [(m.text, key) for _, m, key in g.find(text)]
    assert got == [("مُنظمة الصحه العالميه", "who"), ("إلمغرب", "morocco")]
    assert g.key_of("بالمغرب") == "morocco"


def test_shipped_french_gazetteer_loads_and_groups_who():
    g = Gazetteer.load("fr")
    assert g.key_of("OMS") == g.key_of("Organisation mondiale de la Santé")
    assert g.key_of("ministère de la Santé") is not None
    text = "le Bureau régional de l’OMS pour la Méditerranée orientale, au Moyen-Orient"
    labels = [(label, m.text) for label, m, _ in g.find(text)]
    assert labels == [("ORG", "Bureau régional de l’OMS pour la Méditerranée orientale"), ("LOC", "Moyen-Orient")]


def test_shipped_french_gazetteer_is_well_formed():
    """Every line has a known label and a lowercase ascii key; a surface names one key."""
    import re

    from healthcoop_nlp.paths import data_path

    seen: dict[str, str] = {}
    for n, line in enumerate(data_path("fr", "gazetteer.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, surface, key = line.split("\t")
        assert label in ("PER", "ORG", "LOC", "DATE"), n
        assert re.fullmatch(r"[a-z0-9_]+", key), (n, key)
        assert seen.setdefault(surface, key) == key, (n, surface)
    # a region is not split into its cities
    g = Gazetteer.load("fr")
    assert [m.text for _, m, _ in g.find("la région Rabat-Salé-Kénitra")] == ["Rabat-Salé-Kénitra"]


def test_shipped_french_gazetteer_gives_each_surface_one_label_and_key():
    from healthcoop_nlp.paths import data_path

    seen: dict[str, tuple[str, str]] = {}
    for n, line in enumerate(data_path("fr", "gazetteer.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        label, surface, key = line.split("\t")
        assert label in ("PER", "ORG", "LOC"), f"line {n}: {line!r}"
        norm = surface.replace("’", "'")
        assert seen.setdefault(norm, (label, key)) == (label, key), f"line {n}: {surface!r} already {seen[norm]}"


def test_official_long_form_of_a_state_wins_over_its_short_name():
    g = Gazetteer.load("fr")
    text = "La République de Guinée et l’État du Koweït ont signé avec la Guinée."
    got = [(label, m.text, key) for label, m, key in g.find(text)]
    assert got == [("LOC", "République de Guinée", "guinea"), ("LOC", "État du Koweït", "kuwait"),
                   ("LOC", "Guinée", "guinea")]
