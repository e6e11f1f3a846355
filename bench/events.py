"""Benchmark of the ``events`` component against a floor, on the seeds gold.

    python bench/events.py                 # gold entities and, when the NER models exist, predicted entities
    python bench/events.py --no-pred       # gold entities only
    python bench/events.py --show          # also list the event and argument errors
    python bench/events.py --no-parse      # French without the dependency parse (patterns only)
    python bench/events.py --sweep         # also F1 at thresholds 0.3 ... 0.8

Rows: the floor (one event per type per document from the guide's "typical
triggers" column, every PER/ORG of a trigger's sentence as an argument of the
type's first role), then the component. "gold entities": the gold record with
its events dropped is given to the component; "predicted entities": the
pipeline ner + entities + events runs on the gold text with the gold lang.
Scores are the guide's section 4 (``healthcoop_nlp.scoring.score_events``).
Speed: seconds per document of the events step against the ner step, on the
same records.
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


def predicted_pipeline(parse: bool):
    """ner + entities components, or None when they cannot be built (models not there yet)."""
    try:
        from healthcoop_nlp.pipeline import _factory

        return _factory("ner")(), _factory("entities")()
    except Exception as e:  # noqa: BLE001 - report and go on with gold entities only
        print(f"(predicted entities skipped: {type(e).__name__}: {e})")
        return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(ROOT / "eval" / "gold" / "seeds.jsonl"))
    ap.add_argument("--no-pred", action="store_true", help="gold entities only")
    ap.add_argument("--no-parse", action="store_true", help="French arguments without the dependency parse")
    ap.add_argument("--threshold", type=float, default=None, help="component threshold (default: its own)")
    ap.add_argument("--show", action="store_true", help="list errors of the component")
    ap.add_argument("--sweep", action="store_true", help="also print F1 at several thresholds (gold entities)")
    ap.add_argument("--json", help="write all figures to this JSON file")
    args = ap.parse_args()

    gold = load_gold(Path(args.gold))
    opts = {"parse": not args.no_parse}
    if args.threshold is not None:
        opts["threshold"] = args.threshold
    comp = EventsComponent(**opts)
    rows: list[tuple[str, dict]] = []

    base_gold = []
    for g in gold:
        r = strip_events(g)
        r.events = baseline(r)
        base_gold.append(r)
    rows.append(("floor: typical triggers, one per type (gold entities)", score_events(gold, base_gold)))

    for lang in sorted({g.lang for g in gold}):  # warm up: the French parser loads on the first document
        comp(strip_events(next(g for g in gold if g.lang == lang)))
    t0 = time.perf_counter()
    ours_gold = [comp(strip_events(g)) for g in gold]
    t_gold = (time.perf_counter() - t0) / max(1, len(gold))
    rows.append(("events component (gold entities)", score_events(gold, ours_gold)))
    if args.show:
        print("errors, gold entities:")
        show_errors(gold, ours_gold)

    if args.sweep:
        print("threshold sweep, gold entities: threshold | event F1 | arg F1")
        for th in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            c = EventsComponent(**{**opts, "threshold": th})
            rep = score_events(gold, [c(strip_events(g)) for g in gold])
            print(f"  {th:.1f} | {fmt(rep['events']['overall']['f1'])} | {fmt(rep['arguments']['overall']['f1'])}")

    speed = None
    if not args.no_pred:
        pipe = predicted_pipeline(not args.no_parse)
        if pipe is not None:
            ner, ent = pipe
            recs = [Record(id=g.id, text=g.text, lang=g.lang, date=g.date, source=g.source, dialect=g.dialect)
                    for g in gold]
            ok_langs = []
            for lang in sorted({r.lang for r in recs}):  # models load on the first document of a language
                try:
                    ner(copy.deepcopy(next(r for r in recs if r.lang == lang)))
                    ok_langs.append(lang)
                except Exception as e:  # noqa: BLE001 - report and go on with the other languages
                    print(f"(predicted entities skipped for {lang}: {type(e).__name__}: {str(e)[:120]})")
            recs = [r for r in recs if r.lang in ok_langs]
            gold_pred = [g for g in gold if g.lang in ok_langs]
            t_ner = t_ent = t_ev = 0.0
            ours_pred, base_pred = [], []
            comp_p = EventsComponent(**opts)
            for r in recs:  # warm the parser too
                comp_p(ent(ner(copy.deepcopy(r))))
            for r in recs:
                t0 = time.perf_counter()
                r = ner(r)
                t1 = time.perf_counter()
                r = ent(r)
                t2 = time.perf_counter()
                b = copy.deepcopy(Record(id=r.id, text=r.text, lang=r.lang, entities=r.entities))
                r = comp_p(r)
                t3 = time.perf_counter()
                t_ner += t1 - t0
                t_ent += t2 - t1
                t_ev += t3 - t2
                r.annotations.clear()
                b.events = baseline(b)
                ours_pred.append(r)
                base_pred.append(b)
            n = max(1, len(recs))
            speed = (t_ner / n, t_ent / n, t_ev / n)
            tag = "" if len(ok_langs) == len({g.lang for g in gold}) else f", {'+'.join(ok_langs)} only"
            rows.insert(2, (f"floor: typical triggers, one per type (predicted entities{tag})",
                            score_events(gold_pred, base_pred)))
            rows.append((f"events component (predicted entities{tag})", score_events(gold_pred, ours_pred)))
            if args.show:
                print("errors, predicted entities:")
                show_errors(gold_pred, ours_pred)

    print(f"\nEvents on {args.gold} ({len(gold)} documents)\n")
    print(table(rows))
    print("\nPer type and language\n")
    print(detail(rows))
    print()
    print(f"events step, gold entities (parsing French trigger sentences itself): {t_gold * 1000:.1f} ms/doc")
    if speed:
        ner_s, ent_s, ev_s = speed
        print(f"ner step {ner_s * 1000:.1f} ms/doc, entities step {ent_s * 1000:.1f} ms/doc, "
              f"events step {ev_s * 1000:.1f} ms/doc = {100 * ev_s / ner_s:.0f}% of the ner step")
    if args.json:
        Path(args.json).write_text(json.dumps({n: r for n, r in rows}, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
