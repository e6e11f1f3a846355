"""The HTML evaluation report on the seeds against a perturbed prediction, in the page source and in
headless Chromium (console errors, one element per error, Arabic highlight offsets, filters, screenshot)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from healthcoop_nlp.cli import main as cli_main
from healthcoop_nlp.report.html import main as html_main
from healthcoop_nlp.report.html import render_html, write_html
from healthcoop_nlp.scoring.diagnostics import NONE, confusion, error_diff, f1_cis, flat_figures, label_counts, type_counts

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _perturb(gold: list[dict]) -> tuple[list[dict], dict]:
    """The gold with one of each error: a dropped mention, a shifted boundary, a changed label (in the
    Arabic document), a spurious mention and a dropped event. Returns the records and what was done."""
    pred = copy.deepcopy(gold)
    fr = [r for r in pred if r["lang"] == "fr"]
    ar = next(r for r in pred if r["lang"] == "ar")
    done: dict = {}
    # drop a mention: the last mention of an entity that has several
    ent = next(e for e in fr[0]["entities"] if len(e["mentions"]) > 1)
    done["dropped"] = (fr[0]["id"], ent["mentions"].pop())
    # shift a boundary: start one character later
    m = fr[1]["entities"][0]["mentions"][0]
    m["start"] += 1
    m["text"] = fr[1]["text"][m["start"]:m["end"]]
    done["shifted"] = (fr[1]["id"], m)
    # change a label in the Arabic document (an entity with one mention)
    ent = next(e for e in ar["entities"] if len(e["mentions"]) == 1 and e["label"] in ("PER", "LOC"))
    ent["label"] = "ORG"
    done["relabelled"] = (ar["id"], ent["mentions"][0])
    # a spurious mention on a word that no mention touches
    text = fr[2]["text"]
    taken = [(x["start"], x["end"]) for e in fr[2]["entities"] for x in e["mentions"]]
    w = next(w for w in re.finditer(r"\w{7,}", text) if all(w.end() <= s or w.start() >= e for s, e in taken))
    fr[2]["entities"].append({"id": "spurious_x", "label": "ORG",
                              "mentions": [{"start": w.start(), "end": w.end(), "text": w.group()}]})
    done["spurious"] = (fr[2]["id"], w.group())
    # drop an event (with its arguments)
    done["dropped_event"] = (fr[3]["id"], fr[3]["events"].pop())
    return pred, done


def _write(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _evaluate(tmp: Path, pred: Path, name: str) -> dict:
    out = tmp / name
    assert cli_main(["evaluate", "--gold", str(GOLD), "--pred", str(pred), "--report", str(out),
                     "--bootstrap", "200"]) == 0
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("html_report")
    gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    pred, done = _perturb(gold)
    report = _evaluate(tmp, _write(pred, tmp / "pred.jsonl"), "run")
    perfect = _evaluate(tmp, GOLD, "perfect")
    page = write_html(report, tmp / "run" / "report.html")
    return {"tmp": tmp, "report": report, "perfect": perfect, "done": done, "page": page,
            "html": page.read_text(encoding="utf-8")}


def test_perturbation_gives_each_kind_of_error(runs):
    kinds = set(runs["report"]["error_counts"])
    assert {"ner.missed", "ner.wrong_boundary", "ner.wrong_label", "ner.spurious", "events.missed"} <= kinds


def test_one_element_per_error_with_its_kind(runs):
    html, errors = runs["html"], runs["report"]["errors"]
    ids = re.findall(r'data-error-id="(\d+)"', html)
    assert sorted(map(int, ids)) == list(range(len(errors)))
    kinds = dict(re.findall(r'data-error-id="(\d+)" data-error-kind="([^"]+)"', html))
    assert {int(i): k for i, k in kinds.items()} == {i: f"{e['task']}.{e['kind']}" for i, e in enumerate(errors)}


def test_page_is_self_contained(runs):
    html = runs["html"]
    assert "<script src" not in html and "<link rel=\"stylesheet\"" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "url(http" not in html and "@import" not in html
    assert html.count("<svg") == 3   # headline, NER, events: few figures, all inline


def test_per_label_and_per_type_counts_agree_with_the_scorer(runs):
    """The per-document counts behind the per-label and per-type CI whiskers add up to the report's tables."""
    report = runs["report"]
    labels = report["meta"]["labels"]
    for mode in ("strict", "partial"):
        for lab in labels:
            got = [sum(label_counts(d, labels)[mode][lab][k] for d in report["documents"]) for k in range(3)]
            want = report["ner"][mode]["labels"][lab]
            assert got == [want["tp"], want["pred"], want["gold"]], (mode, lab)
    for kind in ("events", "arguments"):
        for t, want in report["events"][kind]["by_type"].items():
            got = [sum(type_counts(d)[kind].get(t, [0, 0, 0])[k] for d in report["documents"]) for k in range(3)]
            assert got == [want["tp"], want["pred"], want["gold"]], (kind, t)
    cis = f1_cis(report)
    assert {f"ner.strict.{lab}" for lab in labels} <= set(cis)
    lo, hi = cis["ner.strict.PER"]
    assert 0.0 <= lo < hi <= 1.0   # the changed label makes PER uncertain


def test_confusion_rows_add_up_to_gold_and_columns_to_predictions(runs):
    report = runs["report"]
    table = confusion(report)
    for lab in report["meta"]["labels"]:
        assert sum(table[lab].values()) == report["ner"]["strict"]["labels"][lab]["gold"]
        assert sum(row[lab] for row in table.values()) == report["ner"]["strict"]["labels"][lab]["pred"]
    old = runs["done"]["relabelled"][1]
    gold_label = next(e["gold"]["label"] for e in report["errors"] if e["kind"] == "wrong_label")
    assert table[gold_label]["ORG"] == 1 and old["text"]
    assert table[NONE]["ORG"] == 1   # the spurious mention
    assert sum(v for k, v in table.items() if k != NONE for v in [v[NONE]]) == 1   # the dropped mention


def test_baseline_marks_regressions_and_changed_documents(runs):
    report, perfect = runs["report"], runs["perfect"]
    diffs = error_diff(report, perfect)
    assert {d.doc for d in diffs} == {e["doc"] for e in report["errors"]}
    assert sum(len(d.new) for d in diffs) == len(report["errors"]) and not any(d.fixed for d in diffs)
    html = render_html(report, perfect)
    worse = [k for k, v in flat_figures(report).items()
             if v is not None and flat_figures(perfect)[k] is not None and v < flat_figures(perfect)[k]]
    assert f'data-regressions="{len(worse)}"' in html and worse
    assert html.count(' data-new="1"') == len(report["errors"])
    assert 'class="card worse" data-figure="ner.strict.micro.f1"' in html
    # the other way round every error is fixed and nothing regressed
    back = render_html(perfect, report)
    assert 'data-regressions="0"' in back and back.count("data-fixed-error=") == len(report["errors"])
    # against itself nothing changed
    same = render_html(report, report)
    assert 'data-regressions="0"' in same and "No document's errors changed." in same
    assert ' data-new="1"' not in same and not error_diff(report, report)


def test_command_line(runs, tmp_path, capsys):
    src = runs["tmp"] / "run" / "report.json"
    out = tmp_path / "x" / "page.html"
    assert html_main([str(src), "--baseline", str(runs["tmp"] / "perfect" / "report.json"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert html_main([str(tmp_path / "nope.json")]) == 2
    assert "evaluate --report" in capsys.readouterr().err
    with pytest.raises(ValueError, match="not an evaluation report"):
        render_html({"meta": {}})


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                    "(apt-get install -y chromium chromium-driver)")
def test_in_headless_chromium(runs, tmp_path):
    from playwright import sync_api   # in the test extra: pip install playwright (never `playwright install`)

    report = runs["report"]
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith(
                ("file:", "data:")) else None)
            page.goto(runs["page"].as_uri())
            assert page.title() == "Evaluation report"

            # every error of report.json is one element, NER ones inside the highlighted text
            assert page.locator("[data-error-id]").count() == len(report["errors"])
            ner = sum(e["task"] == "ner" for e in report["errors"])
            assert page.locator(".doctext [data-error-id]").count() == ner

            # Arabic: right to left, and every gold mention's highlight is exactly its text
            ar_id, relabelled = runs["done"]["relabelled"]
            sec = page.locator(f'section.doc[data-doc="{ar_id}"]')
            assert sec.locator(".doctext").get_attribute("dir") == "rtl"
            doc = next(d for d in report["documents"] if d["id"] == ar_id)
            texts = sec.locator(".doctext").evaluate(
                "(el, n) => Array.from({length: n}, (_, k) => Array.from("
                "el.querySelectorAll('[data-m~=\"g' + k + '\"]')).map(x => x.textContent).join(''))",
                len(doc["gold_mentions"]))
            assert texts == [m["text"] for m in doc["gold_mentions"]]
            head = sec.locator('.doctext [data-error-kind="ner.wrong_label"]')
            assert head.count() == 1
            keys = head.evaluate("el => el.closest('[data-m]').getAttribute('data-m')").split()
            k = next(int(x[1:]) for x in keys if x.startswith("g"))
            assert doc["gold_mentions"][k]["text"] == relabelled["text"]
            assert texts[k] == relabelled["text"]

            # hovering an event lights up exactly its triggers in the text
            ev = doc["gold"]["events"][0]
            sec.locator("aside li[data-trig]").first.hover()
            lit = sec.locator(".doctext .flash").evaluate_all("els => els.map(e => e.textContent)")
            assert sorted(lit) == sorted(t["text"] for t in ev["triggers"])
            page.mouse.move(0, 0)
            assert sec.locator(".doctext .flash").count() == 0

            # filters: one error kind keeps the documents that have it
            page.select_option("#f-kind", "ner.wrong_label")
            assert page.locator("section.doc:visible").count() == 1
            page.select_option("#f-kind", "")
            page.select_option("#f-lang", "fr")
            assert page.locator("section.doc:visible").count() == sum(
                d["lang"]["gold"] == "fr" for d in report["documents"])
            page.select_option("#f-lang", "")

            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000

            # the baseline page (this run against a perfect one): loads cleanly, filters changed documents
            diff_page = write_html(report, tmp_path / "diff.html", baseline=runs["perfect"])
            page.goto(diff_page.as_uri())
            assert page.locator("table.changed tr").count() == 1 + len({e["doc"] for e in report["errors"]})
            page.check("#f-changed")
            assert page.locator("section.doc:visible").count() == len({e["doc"] for e in report["errors"]})
            assert page.locator("[data-new='1']").count() == len(report["errors"])
        finally:
            browser.close()
    assert problems == []


def test_every_task_error_is_one_element_without_bootstrap(tmp_path):
    """Language, title, spurious event and argument errors and a mention outside the text each get one
    element; a report made with --bootstrap 0 renders without CIs."""
    gold = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    pred = copy.deepcopy(gold)
    fr = next(r for r in pred if r["lang"] == "fr")
    fr["lang"] = "ar"
    per = next(e for e in fr["entities"] if e["label"] == "PER")
    per["title"] = "quelqu'un d'autre"
    ev = copy.deepcopy(fr["events"][0])
    ev["id"], ev["type"] = "extra", next(t for t in ("Aid.Donate", "Movement.Visit")
                                         if t not in {e["type"] for e in fr["events"]})
    fr["events"].append(ev)
    n = len(fr["text"])
    fr["entities"].append({"id": "outside", "label": "LOC", "mentions": [{"start": n + 2, "end": n + 6, "text": "nulle"}]})
    out = tmp_path / "rep"
    assert cli_main(["evaluate", "--gold", str(GOLD), "--pred", str(_write(pred, tmp_path / "p.jsonl")),
                     "--report", str(out), "--bootstrap", "0"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    kinds = set(report["error_counts"])
    assert {"langid.wrong_lang", "titles.wrong_title", "events.spurious", "arguments.spurious", "ner.spurious"} <= kinds
    html = render_html(report)
    ids = re.findall(r'data-error-id="(\d+)"', html)
    assert sorted(map(int, ids)) == list(range(len(report["errors"])))
    assert 'class="other-error" data-error-id=' in html   # the mention outside the text
    assert "no confidence intervals" in html
