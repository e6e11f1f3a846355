"""Benchmark of the ``events`` component against a floor, on the seeds gold and hcnews dev.

    python bench/events.py                 # seeds and dev; gold entities and, when the NER models load, predicted
    python bench/events.py --no-pred       # gold entities only
    python bench/events.py --no-parse      # without the row of the learned step with the French parse
    python bench/events.py --show          # also list the learned component's errors (gold entities)
    python bench/events.py --gold G.jsonl  # other gold files (repeatable)

Rows: the floor (one event per type per document from the guide's "typical
triggers" column, every PER/ORG of a trigger's sentence as an argument of the
type's first role), the hand rules (``method="rules"``) and the learned
component (the default, ``models/events/``). "gold entities": the gold record
with its events dropped is given to the component (the event step alone);
"predicted entities": the pipeline ner + entities + events runs on the gold
text with the gold lang. Scores are the guide's section 4
(``healthcoop_nlp.scoring.score_events``). Speed: milliseconds per document
of the events step against the ner step, on the same records. Dev also gets
precision/recall at two other thresholds besides the defaults.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

from healthcoop_nlp.events.component import EventsComponent
from healthcoop_nlp.record import EVENT_TYPES, Argument, Event, Record, Span
from healthcoop_nlp.scoring import score_events
from healthcoop_nlp.text import normalize, sentences, tokenize

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "hcnews" / "dev" / "gold.jsonl"

# The guide's table (ANNOTATION.md section 3), "typical triggers" column, and each type's first role.
TYPICAL = {
    "Contact.Meet": ["entretenu", "réunion", "rencontre", "entrevue", "reçu", "session",
                     "اجتماع", "لقاء", "مباحثات", "استقبل", "انعقاد"],
    "Movement.Visit": ["visite", "se rendre", "زيارة", "قام بزيارة"],
    "Personnel.Appoint": ["sélection", "élu", "nommé", "désigné", "انتخاب", "تعيين", "اختيار"],
    "Agreement.Sign": ["signature", "signé", "accord", "convention", "mémorandum", "déclaration commune",
                       "توقيع", "اتفاقية", "مذكرة تفاهم"],
    "Initiative.Launch": ["lancement", "lancé", "inauguré", "إطلاق", "أطلق", "تدشين"],
    "Aid.Donate": ["don", "financement", "octroi", "هبة", "تمويل", "مساعدات"],
}
FIRST_ROLE = {"Contact.Meet": "Participant", "Movement.Visit": "Visitor", "Personnel.Appoint": "Appointee",
              "Agreement.Sign": "Party", "Initiative.Launch": "Agent", "Aid.Donate": "Donor"}
_AR_PREFIX = ("وال", "فال", "بال", "لل", "كال", "ال", "و", "ف", "ب", "ل", "ك")


def _word_forms(word: str, lang: str) -> set[str]:
    w = normalize(word)
    if lang != "ar":
        return {w}
    out = {w}
    for p in _AR_PREFIX:
        if w.startswith(p) and len(w) - len(p) >= 3:
            out.add(w[len(p):])
    return out


def baseline(record: Record) -> list[Event]:
    """The floor: one event per type, all typical-trigger matches as its triggers, sentence PER/ORG as role 1."""
    text = record.text
    toks = tokenize(text)
    sents = sentences(text)
    events = []
    for etype, words in TYPICAL.items():
        phrases = [[normalize(t.text) for t in tokenize(w)] for w in words]
        triggers = []
        for i in range(len(toks)):
            for ph in phrases:
                if i + len(ph) <= len(toks) and all(
                        ph[k] in _word_forms(toks[i + k].text, record.lang) for k in range(len(ph))):
                    triggers.append(Span(toks[i].start, toks[i + len(ph) - 1].end, text[toks[i].start:toks[i + len(ph) - 1].end]))
                    break
        if not triggers:
            continue
        args = {}
        for t in triggers:
            s, e = next(((s, e) for s, e in sents if s <= t.start < e), (0, len(text)))
            for ent in record.entities:
                if ent.label in ("PER", "ORG") and any(s <= m.start < e for m in ent.mentions):
                    args.setdefault(ent.id, None)
        events.append(Event(id=f"v{len(events) + 1}", type=etype, triggers=triggers,
                            arguments=[Argument(FIRST_ROLE[etype], eid) for eid in args]))
    return events


def load_gold(path: Path) -> list[Record]:
    return [Record.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def strip_events(gold: Record) -> Record:
    r = copy.deepcopy(gold)
    r.events = []
    return r


def fmt(x) -> str:
    return "–" if x is None else f"{x:.2f}"


def row(name: str, rep: dict) -> str:
    e, a = rep["events"]["overall"], rep["arguments"]["overall"]
    return (f"| {name} | {fmt(e['precision'])} | {fmt(e['recall'])} | **{fmt(e['f1'])}** "
            f"| {fmt(a['precision'])} | {fmt(a['recall'])} | **{fmt(a['f1'])}** |")


def table(rows: list[tuple[str, dict]]) -> str:
    head = ["| system | event P | event R | event F1 | arg P | arg R | arg F1 |",
            "|---|---|---|---|---|---|---|"]
    return "\n".join(head + [row(n, r) for n, r in rows])


def detail(rows: list[tuple[str, dict]]) -> str:
    out = ["| system | slice | event F1 (tp/pred/gold) | arg F1 (tp/pred/gold) |", "|---|---|---|---|"]
    for name, rep in rows:
        for t in EVENT_TYPES:
            e, a = rep["events"]["by_type"][t], rep["arguments"]["by_type"][t]
            out.append(f"| {name} | {t} | {fmt(e['f1'])} ({e['tp']}/{e['pred']}/{e['gold']}) "
                       f"| {fmt(a['f1'])} ({a['tp']}/{a['pred']}/{a['gold']}) |")
        for lang, blk in rep["by_lang"].items():
            e, a = blk["events"]["overall"], blk["arguments"]["overall"]
            out.append(f"| {name} | lang={lang} | {fmt(e['f1'])} ({e['tp']}/{e['pred']}/{e['gold']}) "
                       f"| {fmt(a['f1'])} ({a['tp']}/{a['pred']}/{a['gold']}) |")
    return "\n".join(out)


def show_errors(gold: list[Record], pred: list[Record]) -> None:
    """One line per event or argument error: kind, type or role, and the text around it."""
    from healthcoop_nlp.scoring.events import event_document

    for g, p in zip(gold, pred):
        for e in event_document(g, p, window=50).errors:
            if e["task"] == "events":
                what = e["type"]
            else:
                ms = e["entity"]["mentions"]
                what = f"{e['event_type']}.{e['role']}={ms[0]['text'] if ms else e['entity']['id']}"
                what += "" if e["event_matched"] else " (event unmatched)"
            c = e.get("context") or {}
            around = f"{c.get('left', '')}[{c.get('span', '')}]{c.get('right', '')}".replace("\n", " ")
            print(f"  {g.id[:7]} {e['task'][:3]} {e['kind']:8} {what} | {around}")


def predicted_pipeline():
    """ner + entities components, or None when they cannot be built (models not there yet)."""
    try:
        from healthcoop_nlp.pipeline import _factory

        return _factory("ner")(), _factory("entities")()
    except Exception as e:  # noqa: BLE001 - report and go on with gold entities only
        print(f"(predicted entities skipped: {type(e).__name__}: {e})")
        return None


def run_gold(comp: EventsComponent, gold: list[Record]) -> tuple[list[Record], float]:
    """The component on the gold records with their events dropped; seconds per document."""
    for lang in sorted({g.lang for g in gold}):  # warm up: a parser loads on the first document
        comp(strip_events(next(g for g in gold if g.lang == lang)))
    t0 = time.perf_counter()
    out = [comp(strip_events(g)) for g in gold]
    return out, (time.perf_counter() - t0) / max(1, len(gold))


def run_predicted(pipe, comps: dict[str, EventsComponent], gold: list[Record]):
    """ner + entities + each events component on the gold texts (gold lang); records per component, the
    gold records kept (languages whose NER could not load are left out) and the mean step times."""
    ner, ent = pipe
    recs = [Record(id=g.id, text=g.text, lang=g.lang, date=g.date, source=g.source, dialect=g.dialect) for g in gold]
    ok_langs = []
    for lang in sorted({r.lang for r in recs}):  # models load on the first document of a language
        try:
            ner(copy.deepcopy(next(r for r in recs if r.lang == lang)))
            ok_langs.append(lang)
        except Exception as e:  # noqa: BLE001 - report and go on with the other languages
            print(f"(predicted entities skipped for {lang}: {type(e).__name__}: {str(e)[:120]})")
    keep = [k for k, r in enumerate(recs) if r.lang in ok_langs]
    outs: dict[str, list[Record]] = {name: [] for name in comps}
    outs["floor"] = []
    t = {"ner": 0.0, "entities": 0.0, **{name: 0.0 for name in comps}}
    for k in keep:
        t0 = time.perf_counter()
        r = ner(copy.deepcopy(recs[k]))
        t1 = time.perf_counter()
        r = ent(r)
        t["ner"] += t1 - t0
        t["entities"] += time.perf_counter() - t1
        for name, comp in comps.items():
            rr = copy.copy(r)
            rr.events = []
            t2 = time.perf_counter()
            rr = comp(rr)
            t[name] += time.perf_counter() - t2
            outs[name].append(Record(id=rr.id, text=rr.text, lang=rr.lang, entities=rr.entities, events=rr.events))
        b = Record(id=r.id, text=r.text, lang=r.lang, entities=r.entities)
        b.events = baseline(b)
        outs["floor"].append(b)
        r.annotations.clear()
    n = max(1, len(keep))
    return outs, [gold[k] for k in keep], {name: v / n for name, v in t.items()}


def pr_points(comp_factory, gold: list[Record], points: tuple[tuple[float, float], ...]) -> list[str]:
    """Event and argument precision/recall at a few (event, argument) thresholds, gold entities."""
    out = []
    for te, ta in points:
        rep = score_events(gold, run_gold(comp_factory(te, ta), gold)[0])
        e, a = rep["events"]["overall"], rep["arguments"]["overall"]
        out.append(f"| {te:.2f} / {ta:.2f} | {fmt(e['precision'])} | {fmt(e['recall'])} | {fmt(e['f1'])} "
                   f"| {fmt(a['precision'])} | {fmt(a['recall'])} | {fmt(a['f1'])} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", action="append", default=None,
                    help="gold JSONL (repeatable; default: the seeds and hcnews dev when it is there)")
    ap.add_argument("--no-pred", action="store_true", help="gold entities only")
    ap.add_argument("--no-parse", action="store_true",
                    help="skip the row of the learned step with the French dependency parse")
    ap.add_argument("--show", action="store_true", help="list errors of the learned component (gold entities)")
    ap.add_argument("--json", help="write all figures to this JSON file")
    args = ap.parse_args()

    paths = [Path(p) for p in args.gold] if args.gold else [ROOT / "eval" / "gold" / "seeds.jsonl"] + (
        [DEV] if DEV.exists() else [])
    learned = EventsComponent(parse=False)
    th_e, th_a = learned.threshold, learned.arg_threshold
    comps = {"rules": EventsComponent(method="rules"), "learned": learned}
    if not args.no_parse:
        comps["learned + French parse"] = EventsComponent(parse=True)
    pipe = None if args.no_pred else predicted_pipeline()
    all_rows: dict[str, list[tuple[str, dict]]] = {}
    for path in paths:
        gold = load_gold(path)
        name = path.parent.name if path.name == "gold.jsonl" else path.stem
        rows: list[tuple[str, dict]] = []
        base = []
        for g in gold:
            r = strip_events(g)
            r.events = baseline(r)
            base.append(r)
        rows.append(("floor: typical triggers, one per type (gold entities)", score_events(gold, base)))
        times = {}
        for cname, comp in comps.items():
            preds, times[cname] = run_gold(comp, gold)
            rows.append((f"{cname} (gold entities)", score_events(gold, preds)))
            if args.show and cname == "learned":
                print(f"errors of the learned component on {name}, gold entities:")
                show_errors(gold, preds)
        speed = None
        if pipe is not None:
            outs, gold_p, speed = run_predicted(pipe, comps, gold)
            tag = "" if len(gold_p) == len(gold) else f", {len(gold_p)} of {len(gold)} documents"
            rows.append((f"floor (predicted entities{tag})", score_events(gold_p, outs["floor"])))
            for cname in comps:
                rows.append((f"{cname} (predicted entities{tag})", score_events(gold_p, outs[cname])))
        all_rows[name] = rows
        print(f"\nEvents on {path} ({len(gold)} documents)\n")
        print(table(rows))
        print("\nPer type and language\n")
        print(detail([r for r in rows if not r[0].startswith("floor")]))
        print()
        print("events step, gold entities: " + ", ".join(f"{c} {t * 1000:.1f} ms/doc" for c, t in times.items()))
        if speed:
            ner_s = speed["ner"]
            print(f"ner step {ner_s * 1000:.1f} ms/doc, entities step {speed['entities'] * 1000:.1f} ms/doc; events step "
                  + ", ".join(f"{c} {speed[c] * 1000:.1f} ms/doc = {100 * speed[c] / ner_s:.0f}% of the ner step"
                              for c in comps))
        if name == "dev" or len(paths) == 1:
            print(f"\nPrecision/recall at other thresholds (learned, gold entities; defaults {th_e} / {th_a}, "
                  f"chosen on train out-of-fold + dev / dev)\n")
            print("| event / argument threshold | event P | event R | event F1 | arg P | arg R | arg F1 |")
            print("|---|---|---|---|---|---|---|")
            pts = ((th_e, th_a), (min(0.95, th_e + 0.15), min(0.95, th_a + 0.2)), (max(0.05, th_e - 0.3), max(0.05, th_a - 0.2)))
            print("\n".join(pr_points(lambda te, ta: EventsComponent(parse=False, threshold=te, arg_threshold=ta),
                                       gold, pts)))
    if args.json:
        Path(args.json).write_text(json.dumps(all_rows, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
