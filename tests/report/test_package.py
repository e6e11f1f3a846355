"""``healthcoop_nlp.report`` exports the rendering entry points; the HTML ones load on first use."""

from __future__ import annotations

import subprocess
import sys

import healthcoop_nlp.report as report
from healthcoop_nlp.report import html, render


def test_exports_are_the_modules_functions():
    assert report.to_markdown is render.to_markdown and report.to_text is render.to_text
    assert report.write_html is html.write_html and report.render_html is html.render_html
    assert report.read_report is html.read_report
    assert set(report.__all__) == {"sections", "to_text", "to_markdown", "write_html", "render_html", "read_report"}


def test_unknown_name_is_an_attribute_error():
    try:
        report.no_such_thing  # noqa: B018
    except AttributeError as e:
        assert "no_such_thing" in str(e)
    else:
        raise AssertionError("report.no_such_thing should raise AttributeError")


def test_importing_the_package_or_the_text_renderer_does_not_load_matplotlib():
    code = ("import sys, healthcoop_nlp.report, healthcoop_nlp.report.render, healthcoop_nlp.scoring.command; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
