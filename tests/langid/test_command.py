"""The `healthcoop-nlp langid` command: output format, stdin and files."""

import io
import subprocess
import sys

import pytest

from healthcoop_nlp.cli import main
from healthcoop_nlp.langid import LangResult, Segment
from healthcoop_nlp.langid.command import format_result


def test_format_line_and_segments():
    r = LangResult("ar", 0.91234, "ary", [Segment(0, 10, "ar", 0.95, "ary"), Segment(11, 20, "fr", 0.8)])
    assert format_result(r) == "ar\t0.9123\tary"
    assert format_result(r, segments=True) == "ar\t0.9123\tary\n\t0\t10\tar\t0.9500\tary\n\t11\t20\tfr\t0.8000"


def test_und_lines_from_a_file(tmp_path, capsys):
    p = tmp_path / "in.txt"
    p.write_text("\n123\n!!\n", encoding="utf-8")
    assert main(["langid", str(p)]) == 0
    assert capsys.readouterr().out == "und\t0.0000\nund\t0.0000\nund\t0.0000\n"


def test_segments_of_und_lines_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("2024 - 03\n\n"))
    assert main(["langid", "--segments", "-"]) == 0
    assert capsys.readouterr().out == "und\t0.0000\n\t0\t9\tund\t0.0000\nund\t0.0000\n"


def test_unreadable_file_says_what_to_do(tmp_path, capsys):
    assert main(["langid", str(tmp_path / "missing.txt")]) == 2
    assert "give a readable UTF-8 file" in capsys.readouterr().err


@pytest.mark.slow
def test_command_line_output(tmp_path):
    p = tmp_path / "in.txt"
    p.write_text("La campagne de vaccination commence lundi dans toutes les régions du Royaume.\n"
                 "واش كاين شي طبيب فالسبيطار ديال الحومة دابا؟\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "healthcoop_nlp", "langid", "--segments", str(p)],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].split("\t")[0] == "fr"
    assert out[1].split("\t")[:3] == ["", "0", "77"]
    fields = out[2].split("\t")
    assert fields[0] == "ar" and fields[2] == "ary"
    assert float(fields[1]) > 0.5


def test_a_bad_byte_spoils_only_its_line_which_is_reported_with_its_number(tmp_path, capsys):
    p = tmp_path / "in.txt"
    p.write_bytes(b"123\n!! \xff !!\n\n" + "2024 - 03\n".encode("utf-8"))
    assert main(["langid", str(p)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "und\t0.0000\n" * 4  # one line per input line, the bad one included
    assert f"{p}:2: not UTF-8" in captured.err
    assert "at byte 3 of the line" in captured.err
    assert ":1:" not in captured.err and ":3:" not in captured.err and ":4:" not in captured.err


def test_a_bad_byte_on_stdin_is_reported_too(monkeypatch, capsys):
    class Stdin(io.StringIO):
        buffer = io.BytesIO(b"\xc3(\n42\n")

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert main(["langid", "-"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "und\t0.0000\nund\t0.0000\n"
    assert "<stdin>:1: not UTF-8" in captured.err
