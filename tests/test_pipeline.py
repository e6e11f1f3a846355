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
