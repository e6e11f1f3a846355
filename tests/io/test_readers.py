import io
import json

import pytest

from healthcoop_nlp.io import DocumentError, InputError, read_documents, read_jsonl, read_text_file, split_header
from healthcoop_nlp.record import Record


def test_split_header():
    assert split_header(" date 2024-03 Rabat – texte") == ("Rabat – texte", "2024-03")
    assert split_header("Pas d'en-tête") == ("Pas d'en-tête", None)
    assert split_header("date 2024-03\nTexte") == ("Texte", "2024-03")


def test_text_file_id_is_stem(tmp_path):
    p = tmp_path / "article_7.txt"
    p.write_text(" date 2023-02 Bakou, 23 février", encoding="utf-8")
    r = read_text_file(p)
    assert (r.id, r.date, r.text, r.source) == ("article_7", "2023-02", "Bakou, 23 février", "article_7.txt")


def test_bad_documents_become_errors_and_batch_goes_on(tmp_path):
    (tmp_path / "a_good.txt").write_text("Bonjour Rabat.", encoding="utf-8")
    (tmp_path / "b_latin1.txt").write_bytes("Genève".encode("latin-1"))
    (tmp_path / "c_empty.txt").write_text(" date 2024-01  \n", encoding="utf-8")
    (tmp_path / "d_huge.txt").write_text("x" * 50, encoding="utf-8")
    (tmp_path / "e.jsonl").write_text(
        '{"id": "j1", "text": "ok"}\n'
        '{"id": "j2", "text": \n'
        '{"text": "no id"}\n'
        '{"id": "j4"}\n'
        '\n'
        '[1, 2]\n'
        '{"id": "j7", "text": "fin", "date": "2024-05", "lang": "fr"}\n', encoding="utf-8")
    items = list(read_documents([str(tmp_path)], max_chars=20))
    ok = [i for i in items if isinstance(i, Record)]
    errs = [i for i in items if isinstance(i, DocumentError)]
    assert [r.id for r in ok] == ["a_good", "j1", "j7"]
    assert ok[2].lang == "fr" and ok[2].date == "2024-05"
    reasons = {(e.source.split("/")[-1], e.line): e.reason for e in errs}
    assert "not valid UTF-8" in reasons[("b_latin1.txt", None)]
    assert "empty" in reasons[("c_empty.txt", None)]
    assert "--max-chars" in reasons[("d_huge.txt", None)]
    assert "not valid JSON" in reasons[("e.jsonl", 2)]
    assert '"id"' in reasons[("e.jsonl", 3)]
    assert '"text"' in reasons[("e.jsonl", 4)]
    assert "JSON object" in reasons[("e.jsonl", 6)]
    assert len(errs) == 7


def test_jsonl_from_bytes_with_bom():
    lines = [b'\xef\xbb\xbf{"id": "1", "text": "a"}\n', b'{"id": 2, "text": "b"}\n', b'\xff\n']
    items = list(read_jsonl(lines, "stdin"))
    assert [i.id for i in items[:2]] == ["1", "2"]
    assert isinstance(items[2], DocumentError) and "UTF-8" in items[2].reason and items[2].line == 3


def test_missing_input_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_documents([str(tmp_path / "nope*.txt")]))


def test_glob(tmp_path):
    for n in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / n).write_text("texte " + n, encoding="utf-8")
    assert [r.id for r in read_documents([str(tmp_path / "x*.txt")])] == ["x1", "x2"]
