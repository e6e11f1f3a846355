"""Screenshot of the HTML evaluation report for the README (docs/report.png).

    python bench/report_screenshot.py                     # extract seeds/, evaluate against the gold, screenshot
    python bench/report_screenshot.py --pred P.jsonl      # an existing prediction of the seeds instead
    python bench/report_screenshot.py --perturbed         # the gold with a few injected errors (no pipeline)
    python bench/report_screenshot.py --allow-missing     # keep a partial extraction (failed documents scored empty)
    python bench/report_screenshot.py --keep DIR          # keep pred.jsonl, report.json/.md/.html in DIR

Steps: ``healthcoop-nlp extract seeds/`` (unless --pred or --perturbed; when
extraction fails for a document the perturbed gold is used instead, and the
script says so, unless --allow-missing),
``healthcoop-nlp evaluate --gold eval/gold/seeds.jsonl --pred P --report DIR``,
``python -m healthcoop_nlp.report.html DIR/report.json``, then headless
Chromium (/usr/bin/chromium, driven by Playwright) takes the top of the page
(headline figures and charts) and the error browser showing the first document
with errors, and stacks them into one PNG. Prints what it used and where it wrote.
Needs: Debian's ``chromium`` and ``pip install playwright`` (never ``playwright install``).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tempfile
from pathlib import Path

from healthcoop_nlp.cli import main as cli
from healthcoop_nlp.report.html import write_html

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
SEEDS = ROOT / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def perturbed_gold(gold_path: Path, out: Path) -> Path:
    """The gold with injected errors, as JSONL: in each French document a dropped mention, a shifted
    boundary, a changed label, a spurious mention and a dropped event; in Arabic a changed label."""
    recs = [json.loads(x) for x in gold_path.read_text(encoding="utf-8").splitlines() if x.strip()]
    pred = copy.deepcopy(recs)
    for r in pred:
        ents = r["entities"]
        single = [e for e in ents if len(e["mentions"]) == 1 and e["label"] in ("PER", "LOC")]
        if single:
            single[-1]["label"] = "ORG"
        if r["lang"] != "fr":
            continue
        several = [e for e in ents if len(e["mentions"]) > 1]
        if several:
            several[0]["mentions"].pop(0)
        m = min((m for e in ents for m in e["mentions"] if m["end"] - m["start"] > 3), key=lambda m: m["start"])
        m["start"] += 1
        m["text"] = r["text"][m["start"]:m["end"]]
        taken = [(m["start"], m["end"]) for e in ents for m in e["mentions"]]
        w = next((w for w in re.finditer(r"\w{7,}", r["text"])
                  if all(w.end() <= s or w.start() >= e for s, e in taken)), None)
        if w:
            ents.append({"id": "spurious_x", "label": "ORG",
                         "mentions": [{"start": w.start(), "end": w.end(), "text": w.group()}]})
        if r["events"]:
            r["events"].pop()
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred), encoding="utf-8")
    return out


def screenshot(html: Path, png: Path, width: int = 1280, top: int = 1400, browser_height: int = 1100) -> None:
    """Top of the page, then the error browser on the first document with errors, stacked into ``png``."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    parts = [png.with_suffix(".top.png"), png.with_suffix(".doc.png")]
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": width, "height": top})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html.as_uri())
            # down to the end of the NER label table (the first table after the NER chart)
            bottom = page.evaluate("Math.ceil(document.querySelector('svg[aria-label=\"ner\"] + table')"
                                   ".getBoundingClientRect().bottom + window.scrollY) + 10")
            page.screenshot(path=str(parts[0]), clip={"x": 0, "y": 0, "width": width, "height": min(top, bottom)})
            page.select_option("#f-kind", "*")
            y = page.evaluate("document.querySelector('.legend').getBoundingClientRect().top + window.scrollY")
            page.set_viewport_size({"width": width, "height": browser_height})
            page.evaluate(f"window.scrollTo(0, {y} - 8)")
            page.screenshot(path=str(parts[1]))
            if errors:
                raise RuntimeError(f"the page logged errors: {errors}")
        finally:
            b.close()
    ims = [Image.open(p) for p in parts]
    out = Image.new("RGB", (width, sum(i.height for i in ims) + 6), "#888888")
    y = 0
    for im in ims:
        out.paste(im.convert("RGB"), (0, y))
        y += im.height + 6
    out = out.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    png.parent.mkdir(parents=True, exist_ok=True)
    out.save(png, optimize=True)
    for p in parts:
        p.unlink()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pred", type=Path, help="predicted records of the seeds (JSONL) instead of running extract")
    ap.add_argument("--perturbed", action="store_true", help="use the gold with injected errors as the prediction")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--allow-missing", action="store_true",
                    help="evaluate a partial extraction, scoring documents that failed as empty")
    ap.add_argument("--keep", type=Path, help="folder for pred.jsonl and the report files (default: a temp folder)")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "report.png")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="report_screenshot_"))
    work.mkdir(parents=True, exist_ok=True)
    pred, source = args.pred, "given prediction"
    if pred is None and not args.perturbed:
        pred, source = work / "pred.jsonl", "extract seeds/ (full pipeline)"
        try:
            rc = cli(["extract", str(SEEDS), "-o", str(pred), "--no-progress"])
        except Exception as e:  # noqa: BLE001 - any pipeline failure falls back to the perturbed gold
            print(f"extract failed: {e!r}", file=sys.stderr)
            rc = 1
        empty = not pred.is_file() or not pred.read_text(encoding="utf-8").strip()
        if empty or (rc != 0 and not args.allow_missing):
            print("extract did not give a record for every document; using the perturbed gold instead "
                  "(--allow-missing keeps the partial extraction)", file=sys.stderr)
            args.perturbed = True
        elif rc != 0:
            source += ", failed documents scored as empty"
    if args.perturbed:
        pred, source = perturbed_gold(args.gold, work / "pred_perturbed.jsonl"), "perturbed gold (not the pipeline)"
    rc = cli(["evaluate", "--gold", str(args.gold), "--pred", str(pred), "--report", str(work / "report"),
              "--bootstrap", str(args.bootstrap)] + (["--allow-missing"] if args.allow_missing else []))
    if rc != 0:
        return rc
    report = json.loads((work / "report" / "report.json").read_text(encoding="utf-8"))
    html = write_html(report, work / "report" / "report.html")
    screenshot(html, args.output)
    print(f"prediction: {source}: {pred}\nreport: {html}\nscreenshot: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
