"""Highlighting of a document's raw text for the HTML report: segmentation, escaping, Arabic offsets."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from healthcoop_nlp.report.highlight import Mark, highlight, segment


class _Texts(HTMLParser):
    """Text inside elements, collected per mark key (``data-m``) and per head (``data-error-id``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.by_key: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        self.plain = ""

    def handle_starttag(self, tag, attrs):
        self.stack.append(dict(attrs))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        self.plain += data
        for a in self.stack:
            for k in (a.get("data-m") or "").split():
                self.by_key[k] = self.by_key.get(k, "") + data
            if "data-error-id" in a:
                self.heads[a["data-error-id"]] = self.heads.get(a["data-error-id"], "") + data


def _parse(s: str) -> _Texts:
    p = _Texts()
    p.feed(s)
    p.close()
    return p


def test_segment_cuts_at_every_boundary_of_overlapping_spans():
    g, p = Mark(1, 5, "g0"), Mark(3, 7, "p0")
    pieces = segment("abcdefgh", [g, p])
    assert [(x.start, x.end, [m.key for m in x.marks]) for x in pieces] == [
        (0, 1, []), (1, 3, ["g0"]), (3, 5, ["g0", "p0"]), (5, 7, ["p0"]), (7, 8, [])]


def test_segment_nested_and_identical_spans():
    pieces = segment("abcdef", [Mark(0, 6, "outer"), Mark(2, 4, "inner"), Mark(2, 4, "twin")])
    assert [(x.start, x.end, [m.key for m in x.marks]) for x in pieces] == [
        (0, 2, ["outer"]), (2, 4, ["outer", "inner", "twin"]), (4, 6, ["outer"])]


def test_segment_rejects_offsets_outside_the_text():
    with pytest.raises(ValueError, match="outside the text"):
        segment("abc", [Mark(1, 4, "x")])
    with pytest.raises(ValueError, match="start < end"):
        segment("abc", [Mark(2, 2, "x")])


def test_highlight_escapes_every_piece_and_keeps_the_text():
    text = 'a <b>&"c" d\n<script>x</script>'
    marks = [Mark(2, 5, "g0", ("g",)), Mark(4, 11, "p0", ("p",)), Mark(12, 20, "p1")]
    out = highlight(text, marks)
    assert "<b>" not in out and "<script>" not in out
    assert "&lt;b&gt;" in out or "&lt;b" in out
    t = _parse(out)
    assert t.plain == text
    assert t.by_key == {"g0": text[2:5], "p0": text[4:11], "p1": text[12:20]}


def test_head_attributes_go_on_one_element_per_mark():
    text = "0123456789"
    marks = [Mark(0, 6, "g0", head=(("data-error-id", "0"),)),
             Mark(2, 9, "p0", head=(("data-error-id", "1"),)),
             Mark(2, 4, "g1", head=(("data-error-id", "2"), ("title", 'a "quoted" <title>')))]
    out = highlight(text, marks)
    assert len(re.findall(r'data-error-id="(\d)"', out)) == 3
    assert sorted(re.findall(r'data-error-id="(\d)"', out)) == ["0", "1", "2"]
    t = _parse(out)
    # each head wraps the first piece of its mark
    assert t.heads == {"0": "01", "1": "23", "2": "23"}
    assert 'title="a &quot;quoted&quot; &lt;title&gt;"' in out
    assert t.plain == text


def test_arabic_offsets_are_code_points_with_diacritics_and_tatweel():
    text = "استقبل وزيرُ الصِّحَّة خالد آيت الطالب في الرباط، ثم اجتمـاع اللجنة."
    spans = {k: (text.index(s), text.index(s) + len(s)) for k, s in
             (("g0", "خالد آيت الطالب"), ("g1", "الرباط"), ("p0", "الصِّحَّة خالد"), ("p1", "اجتمـاع"))}
    marks = [Mark(s, e, k, ("hl",)) for k, (s, e) in spans.items()]
    t = _parse(highlight(text, marks))
    assert t.plain == text
    for k, (s, e) in spans.items():
        assert t.by_key[k] == text[s:e]


def test_unmarked_text_is_returned_escaped():
    assert highlight("a < b", []) == "a &lt; b"
    assert html.unescape(highlight("", [])) == ""
