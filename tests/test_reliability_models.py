"""Issue #18 with the real models (slow): bidi marks and NUL never end a French span, and a
French document over spaCy's 1,000,000 characters is extracted (it failed with E088)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

CONTROLS = re.compile("[\x00\u200e\u200f\u202a-\u202e]")


@pytest.fixture(scope="module")
def nlp():
    pytest.importorskip("spacy")
    import healthcoop_nlp

    return healthcoop_nlp.load()


def test_12_marks_and_nul_do_not_change_what_the_french_tagger_finds(nlp):
    clean = ("Le ministre de la Santé, Karim Benali, a reçu lundi à Rabat le directeur régional "
             "de l'Organisation mondiale de la Santé.")
    marked = (clean.replace("Santé,", "Santé\u202c,").replace("Rabat", "\u200fRabat\x00")
              .replace("Benali", "Benali\u200e"))
    a, b = nlp(clean, date="2024-03"), nlp(marked, date="2024-03")
    assert b.text == marked
    for e in b.entities:
        for m in e.mentions:
            assert marked[m.start:m.end] == m.text and not CONTROLS.match(m.text[-1]) and not CONTROLS.match(m.text[0])
    strip = lambda r: sorted((e.label, CONTROLS.sub("", m.text)) for e in r.entities for m in e.mentions)  # noqa: E731
    assert strip(a) == strip(b)


def test_13_a_french_document_over_a_million_characters_is_extracted(tmp_path):
    para = ("Le ministre de la Santé a reçu à Rabat une délégation de l'Organisation mondiale de la Santé "
            "conduite par son directeur régional. Les deux parties ont signé un accord de coopération. ")
    text = "\n\n".join([para * 3] * (1_100_000 // (len(para) * 3 + 2) + 1))[:1_100_000]
    src = tmp_path / "big.jsonl"
    src.write_text(json.dumps({"id": "big", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = subprocess.run([sys.executable, "-m", "healthcoop_nlp", "extract", str(src), "-o", str(out),
                        "--max-chars", "2000000", "--no-progress", "--validate"], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    rec = json.loads(out.read_text(encoding="utf-8"))
    mentions = [m for e in rec["entities"] for m in e["mentions"]]
    assert rec["lang"] == "fr" and len(mentions) > 5_000
    assert max(m["start"] for m in mentions) > 1_000_000   # found to the end (entities are grouped within each window)
