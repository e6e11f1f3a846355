"""Windows of a long text: where they are cut, and how what each found is merged back."""

import pytest

from healthcoop_nlp.record import Argument, Entity, Event, Mention, Record, Span
from healthcoop_nlp.windows import merge_window, sub_record, windows


@pytest.mark.parametrize("text, cut_after", [
    ("a" * 60 + "\n\n" + "b" * 20 + "\n" + "c" * 30, "\n\n"),       # paragraph before line
    ("a" * 60 + ". " + "b" * 20 + " " + "c" * 30, ". "),              # sentence before space
    ("a" * 70 + " " + "c" * 40, " "),
])
def test_windows_cut_at_the_strongest_boundary_of_the_second_half(text, cut_after):
    spans = windows(text, 100)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert text[:spans[0][1]].endswith(cut_after) and spans[0][1] <= 100


def test_a_run_without_any_boundary_is_cut_hard():
    assert windows("x" * 250, 100) == [(0, 100), (100, 200), (200, 250)]
    assert windows("", 100) == [(0, 0)]
    with pytest.raises(ValueError):
        windows("abc", 1)


def test_merge_shifts_spans_and_renumbers_ids_after_those_used():
    doc = Record(id="d", text="Rabat. " * 4, lang="fr", date="2024-03")
    numbers: dict[str, int] = {}
    for a, b in [(0, 14), (14, 28)]:
        part = sub_record(doc, a, b)
        assert part.annotations["lang_given"] and part.date == "2024-03"
        part.entities = [Entity("e1", "LOC", [Mention(0, 5, "Rabat")], name="Rabat"),
                         Entity("e2", "LOC", [Mention(7, 12, "Rabat")], name="Rabat")]
        part.events = [Event("ev1", "Movement.Visit", [Span(7, 12, "Rabat")], [Argument("Destination", "e2")])]
        merge_window(doc, part, a, numbers)
    assert [e.id for e in doc.entities] == ["e1", "e2", "e3", "e4"]
    assert [e.mentions[0].start for e in doc.entities] == [0, 7, 14, 21]
    assert [(ev.id, ev.arguments[0].entity, ev.triggers[0].start) for ev in doc.events] == \
        [("ev1", "e2", 7), ("ev2", "e4", 21)]
    assert all(doc.text[m.start:m.end] == m.text for e in doc.entities for m in e.mentions)
