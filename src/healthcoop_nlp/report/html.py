"""The evaluation report as one self-contained HTML page (inline CSS, SVG charts and script).

``write_html(report, path, baseline=None)`` works from the dict that
``healthcoop-nlp evaluate --report DIR`` writes to ``DIR/report.json``: the
headline figures with their 95% CIs, NER F1 per label and per language and
event/argument F1 per event type as bar charts with CI whiskers, the label
confusion table, and an error browser (each document's text with gold and
predicted mentions highlighted, its events beside it, filters by document,
language and error kind). With a ``baseline`` report every figure shows its
change, regressions are marked and the documents whose errors changed are
listed. Every error of ``report["errors"]`` is exactly one page element with
``data-error-id`` (its index in that list) and ``data-error-kind``
(``task.kind``).

Command line: ``python -m healthcoop_nlp.report.html DIR/report.json
[--baseline OLD/report.json] [-o out.html]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from html import escape
from pathlib import Path
from typing import Any, Sequence

from .assets import CSS, JS, LABEL_COLOURS
from .charts import Bar, bar_chart, forest_chart
from .highlight import Mark, highlight
from ..scoring.diagnostics import NONE, DocDiff, confusion, error_diff, f1_cis, flat_figures

__all__ = ["write_html", "render_html", "read_report", "main"]

_HEADLINE_NAMES = {
    "langid.accuracy": "Language ID accuracy", "ner.strict.micro.precision": "NER strict P",
    "ner.strict.micro.recall": "NER strict R", "ner.strict.micro.f1": "NER strict F1",
    "ner.partial.micro.precision": "NER partial P", "ner.partial.micro.recall": "NER partial R",
    "ner.partial.micro.f1": "NER partial F1", "events.f1": "Event F1", "arguments.f1": "Argument F1",
}
_EPS = 1e-9
_REQUIRED = ("meta", "headline", "ner", "events", "documents", "errors")


def _e(x: Any) -> str:
    return escape(str(x), quote=True)


def _num(v: float | None) -> str:
    if v is None:
        return "–"
    return f"{v:.3f}" if isinstance(v, (int, float)) else _e(v)   # a baseline's field may be anything


def _ci(ci: Sequence | None) -> str:
    if not ci or ci[0] is None:
        return ""
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _get(d: dict | None, *path: str) -> Any:
    node: Any = d
    for k in path:
        if not isinstance(node, dict) or k not in node:
            return None
        node = node[k]
    return node


def _delta(cur: float | None, base: float | None, ci: Sequence | None = None) -> str:
    """A table cell with the change from the baseline (empty without one)."""
    if cur is None or base is None:
        return '<td class="delta">–</td>'
    d = cur - base
    cls = "worse" if d < -_EPS else "better" if d > _EPS else "same"
    outside = bool(ci and ci[0] is not None and (base < ci[0] - _EPS or base > ci[1] + _EPS))
    mark = "▼ " if cls == "worse" else "▲ " if cls == "better" else ""
    title = "baseline value outside this run's 95% CI" if outside else f"baseline {base:.3f}"
    return (f'<td class="delta {cls}{" outside" if outside else ""}" title="{_e(title)}">'
            f"{mark}{d:+.3f}</td>")


# ---------------------------------------------------------------- figures

def _headline(report: dict, baseline: dict | None) -> str:
    cards, rows = [], []
    for name, h in report["headline"].items():
        base = _get(baseline, "headline", name, "value")
        v = h.get("value")
        cls = ""
        delta = ""
        if baseline is not None and v is not None and base is not None:
            d = v - base
            cls = " worse" if d < -_EPS else " better" if d > _EPS else ""
            arrow = "▼ " if d < -_EPS else "▲ " if d > _EPS else ""
            delta = f'<div class="ci delta{cls}">{arrow}{d:+.3f} vs {base:.3f}</div>'
        ci = _ci([h.get("low"), h.get("high")]) or "–"
        cards.append(f'<div class="card{cls}" data-figure="{_e(name)}"><div class="name">'
                     f'{_e(_HEADLINE_NAMES.get(name, name))}</div><div class="value">{_num(v)}</div>'
                     f'<div class="ci">95% CI {ci}</div>{delta}</div>')
        rows.append((_HEADLINE_NAMES.get(name, name), Bar(v, (h.get("low"), h.get("high")), base)))
    return ('<div class="cards">' + "".join(cards) + "</div>"
            + forest_chart(rows, "headline"))


def _ner_section(report: dict, cis: dict, baseline: dict | None) -> str:
    ner, labels = report["ner"], list(report["ner"]["strict"]["labels"])
    langs = list(ner.get("by_lang", {}))
    bl = baseline is not None

    def lab_bar(mode: str, lab: str) -> Bar:
        return Bar(ner[mode]["labels"][lab]["f1"], cis.get(f"ner.{mode}.{lab}"),
                   _get(baseline, "ner", mode, "labels", lab, "f1"))

    def lang_bar(mode: str, lang: str) -> Bar:
        m = ner["by_lang"][lang][mode]["micro"]
        return Bar(m["f1"], _get(m, "ci", "f1"), _get(baseline, "ner", "by_lang", lang, mode, "micro", "f1"))

    def micro_bar(mode: str) -> Bar:
        m = ner[mode]["micro"]
        return Bar(m["f1"], _get(m, "ci", "f1"), _get(baseline, "ner", mode, "micro", "f1"))

    groups = [*labels, "micro"]
    chart = bar_chart([
        ("NER F1 by label (all languages)", groups,
         [("strict", "#3b6ea8", [*(lab_bar("strict", x) for x in labels), micro_bar("strict")]),
          ("partial", "#9cc3e6", [*(lab_bar("partial", x) for x in labels), micro_bar("partial")])]),
        ("NER micro F1 by language", [f"{x} ({ner['by_lang'][x]['documents']} docs)" for x in langs],
         [("strict", "#3b6ea8", [lang_bar("strict", x) for x in langs]),
          ("partial", "#9cc3e6", [lang_bar("partial", x) for x in langs])]),
    ], "ner", width=10.0, height=3.0)

    head = ["label", "gold", "pred", "strict P", "strict R", "strict F1", "95% CI", "partial P", "partial R",
            "partial F1", "95% CI"] + (["Δ strict F1", "Δ partial F1"] if bl else [])
    rows = []
    for lab in groups:
        s = ner["strict"]["micro"] if lab == "micro" else ner["strict"]["labels"][lab]
        p = ner["partial"]["micro"] if lab == "micro" else ner["partial"]["labels"][lab]
        sci = _get(s, "ci", "f1") if lab == "micro" else cis.get(f"ner.strict.{lab}")
        pci = _get(p, "ci", "f1") if lab == "micro" else cis.get(f"ner.partial.{lab}")
        path = ("micro",) if lab == "micro" else ("labels", lab)
        cells = [f"<td>{_e(lab)}</td>", f"<td>{s['gold']}</td>", f"<td>{s['pred']}</td>",
                 *(f"<td>{_num(s[k])}</td>" for k in ("precision", "recall", "f1")), f'<td class="ci">{_ci(sci)}</td>',
                 *(f"<td>{_num(p[k])}</td>" for k in ("precision", "recall", "f1")), f'<td class="ci">{_ci(pci)}</td>']
        if bl:
            cells += [_delta(s["f1"], _get(baseline, "ner", "strict", *path, "f1"), sci),
                      _delta(p["f1"], _get(baseline, "ner", "partial", *path, "f1"), pci)]
        rows.append(cells)
    table = _table(head, rows)

    lhead = ["language", "docs", "strict F1", "95% CI", "partial F1", "95% CI"] + [f"{x} strict F1" for x in labels]
    lhead += ["Δ strict F1", "Δ partial F1"] if bl else []
    lrows = []
    for lang in langs:
        b = ner["by_lang"][lang]
        s, p = b["strict"]["micro"], b["partial"]["micro"]
        cells = [f"<td>{_e(lang)}</td>", f"<td>{b['documents']}</td>", f"<td>{_num(s['f1'])}</td>",
                 f'<td class="ci">{_ci(_get(s, "ci", "f1"))}</td>', f"<td>{_num(p['f1'])}</td>",
                 f'<td class="ci">{_ci(_get(p, "ci", "f1"))}</td>',
                 *(f"<td>{_num(b['strict']['labels'][x]['f1'])}</td>" for x in labels)]
        if bl:
            old = _get(baseline, "ner", "by_lang", lang)
            cells += [_delta(s["f1"], _get(old, "strict", "micro", "f1"), _get(s, "ci", "f1")),
                      _delta(p["f1"], _get(old, "partial", "micro", "f1"), _get(p, "ci", "f1"))]
        lrows.append(cells)
    return chart + table + _table(lhead, lrows)


def _events_section(report: dict, cis: dict, baseline: dict | None) -> str:
    ev, ar = report["events"]["events"], report["events"]["arguments"]
    types = list(ev["by_type"])
    bl = baseline is not None

    def bar(kind: str, t: str | None) -> Bar:
        block = report["events"][kind]
        if t is None:
            return Bar(block["overall"]["f1"], _get(block["overall"], "ci", "f1"),
                       _get(baseline, "events", kind, "overall", "f1"))
        return Bar(block["by_type"][t]["f1"], cis.get(f"{kind}.{t}"),
                   _get(baseline, "events", kind, "by_type", t, "f1"))

    chart = bar_chart([("Event and argument F1 by event type", [*types, "overall"],
                        [("events", "#4f8a4c", [*(bar("events", t) for t in types), bar("events", None)]),
                         ("arguments", "#b5d6a7", [*(bar("arguments", t) for t in types), bar("arguments", None)])])],
                      "events", width=10.0, height=3.0)
    head = ["event type", "gold", "pred", "event P", "event R", "event F1", "95% CI", "arg gold", "arg pred", "arg P",
            "arg R", "arg F1", "95% CI"] + (["Δ event F1", "Δ arg F1"] if bl else [])
    rows = []
    for t in [*types, None]:
        e = ev["overall"] if t is None else ev["by_type"][t]
        a = ar["overall"] if t is None else ar["by_type"].get(t, {"gold": 0, "pred": 0, "precision": None,
                                                                      "recall": None, "f1": None})
        eci = _get(e, "ci", "f1") if t is None else cis.get(f"events.{t}")
        aci = _get(a, "ci", "f1") if t is None else cis.get(f"arguments.{t}")
        path = ("overall",) if t is None else ("by_type", t)
        cells = [f"<td>{_e(t or 'overall')}</td>", f"<td>{e['gold']}</td>", f"<td>{e['pred']}</td>",
                 *(f"<td>{_num(e[k])}</td>" for k in ("precision", "recall", "f1")), f'<td class="ci">{_ci(eci)}</td>',
                 f"<td>{a['gold']}</td>", f"<td>{a['pred']}</td>",
                 *(f"<td>{_num(a[k])}</td>" for k in ("precision", "recall", "f1")), f'<td class="ci">{_ci(aci)}</td>']
        if bl:
            cells += [_delta(e["f1"], _get(baseline, "events", "events", *path, "f1"), eci),
                      _delta(a["f1"], _get(baseline, "events", "arguments", *path, "f1"), aci)]
        rows.append(cells)
    return chart + _table(head, rows)


def _confusion_table(table: dict[str, dict[str, int]], caption: str) -> str:
    cols = list(next(iter(table.values())).keys()) if table else []
    head = ["gold \\ pred", *cols, "gold total"]
    rows = []
    for g, row in table.items():
        cells = [f"<th>{_e(g)}</th>"]
        for p in cols:
            n = row.get(p, 0)
            cls = "zero" if n == 0 else "diag" if g == p else "off"
            cells.append(f'<td class="{cls}" data-gold="{_e(g)}" data-pred="{_e(p)}">{n}</td>')
        cells.append(f"<td>{sum(row.values()) if g != NONE else ''}</td>")
        rows.append(cells)
    totals = [sum(table[g].get(p, 0) for g in table) for p in cols]
    rows.append(["<th>pred total</th>", *(f"<td>{n if p != NONE else ''}</td>" for p, n in zip(cols, totals)),
                 "<td></td>"])
    return f"<div><h4>{_e(caption)}</h4>" + _table(head, rows, cls="conf") + "</div>"


def _all_figures(report: dict, baseline: dict | None) -> str:
    cur = flat_figures(report)
    if baseline is None:
        rows = [[f"<td>{_e(k)}</td>", f"<td>{_num(v)}</td>"] for k, v in cur.items()]
        return (f"<details><summary>All {len(cur)} figures of the report</summary>"
                + _table(["figure", "value"], rows) + "</details>")
    old = flat_figures(baseline)
    rows, worse, better = [], [], 0
    for k in dict.fromkeys([*cur, *old]):
        v, b = cur.get(k), old.get(k)
        if v is not None and b is not None:
            if v - b < -_EPS:
                worse.append(k)
            elif v - b > _EPS:
                better += 1
        cls = ' class="regress"' if k in worse else ""
        rows.append(f"<tr{cls}><td>{_e(k)}</td><td>{_num(v)}</td><td>{_num(b)}</td>{_delta(v, b)}</tr>")
    table = ("<table><tr><th>figure</th><th>this run</th><th>baseline</th><th>Δ</th></tr>" + "".join(rows)
             + "</table>")
    worst = sorted(worse, key=lambda k: cur[k] - old[k])[:10]
    top = "".join(f'<tr class="regress"><td>{_e(k)}</td><td>{_num(cur[k])}</td><td>{_num(old[k])}</td>'
                  f"{_delta(cur[k], old[k])}</tr>" for k in worst)
    return (f'<p data-regressions="{len(worse)}"><b>{len(worse)}</b> figure(s) worse than the baseline, '
            f"<b>{better}</b> better, {len(rows) - len(worse) - better} unchanged or undefined.</p>"
            + (f"<h4>Largest regressions ({len(worst)} of {len(worse)})</h4><table><tr><th>figure</th><th>this run"
               f"</th><th>baseline</th><th>Δ</th></tr>{top}</table>" if worse else "")
            + f"<details><summary>All {len(rows)} figures with their change</summary>{table}</details>")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    h = "".join(f"<th>{_e(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    attr = f' class="{_e(cls)}"' if cls else ""
    return f"<table{attr}><tr>{h}</tr>{body}</table>"


# ---------------------------------------------------------------- error browser

def _error_title(e: dict) -> str:
    def side(m: dict | None) -> str:
        return "—" if m is None else f"{m['label']} «{m['text']}» {m['start']}-{m['end']}"
    if e["task"] == "ner":
        return f"{e['kind'].replace('_', ' ')}: gold {side(e.get('gold'))} / pred {side(e.get('pred'))}"
    return f"{e['task']} {e['kind'].replace('_', ' ')}"


def _head(i: int, e: dict, new: set[int]) -> tuple[tuple[str, str], ...]:
    out = [("data-error-id", str(i)), ("data-error-kind", f"{e['task']}.{e['kind']}"), ("title", _error_title(e))]
    if i in new:
        out.append(("data-new", "1"))
    return tuple(out)


def _attrs(i: int, e: dict, new: set[int]) -> str:
    return "".join(f' {k}="{_e(v)}"' for k, v in _head(i, e, new))


def _in_text(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def _text_marks(doc: dict, errs: list[tuple[int, dict]], lab_idx: dict[str, int], new: set[int],
                placed: set[int]) -> list[Mark]:
    text = doc["text"]
    gold, pred = doc["gold_mentions"], doc["pred_mentions"]
    heads: dict[tuple[str, int], tuple] = {}
    used: set[tuple[str, int]] = set()

    def find(side: str, rows: list[dict], m: dict, kind: str) -> int | None:
        for k, r in enumerate(rows):
            if (side, k) not in used and r["status"] == kind and (r["start"], r["end"], r["label"]) == (
                    m["start"], m["end"], m["label"]):
                used.add((side, k))
                return k
        return None

    for i, e in errs:
        if e["task"] != "ner":
            continue
        g = find("g", gold, e["gold"], e["kind"]) if e.get("gold") else None
        p = find("p", pred, e["pred"], e["kind"]) if e.get("pred") else None
        anchor = ("g", g) if g is not None else ("p", p) if p is not None else None
        if anchor is None:
            continue
        rows = gold if anchor[0] == "g" else pred
        if _in_text(text, rows[anchor[1]]["start"], rows[anchor[1]]["end"]):
            heads[anchor] = _head(i, e, new)
            placed.add(i)

    marks = []
    for side, rows in (("g", gold), ("p", pred)):
        for k, r in enumerate(rows):
            if not _in_text(text, r["start"], r["end"]):
                continue
            li = lab_idx.get(r["label"], len(LABEL_COLOURS) - 1)
            note = (f"{'gold' if side == 'g' else 'pred'} {r['label']} {r['start']}-{r['end']} "
                    f"({r['status'].replace('_', ' ')})")
            marks.append(Mark(r["start"], r["end"], f"{side}{k}", (side, f"{side}l{li}", f"{side}s-{r['status']}"),
                              heads.get((side, k), ()), note))
    for side, cls in (("gold", "tg"), ("pred", "tp")):
        for n, ev in enumerate(doc[side]["events"]):
            for t, trig in enumerate(ev.get("triggers", [])):
                if _in_text(text, trig["start"], trig["end"]):
                    marks.append(Mark(trig["start"], trig["end"], f"{cls}{n}.{t}", (cls,),
                                      note=f"{side} trigger of {ev['type']}"))
    return marks


def _entity_names(side: dict) -> dict[str, str]:
    out = {}
    for ent in side["entities"]:
        ms = sorted(ent.get("mentions", []), key=lambda m: m["start"])
        out[ent["id"]] = ent.get("name") or (ms[0]["text"] if ms else ent["id"])
    return out


def _events_panel(doc: dict, errs: list[tuple[int, dict]], new: set[int], placed: set[int]) -> str:
    ev_err: dict[tuple, tuple[int, dict]] = {}
    arg_err: dict[tuple, list[tuple[int, dict]]] = {}
    title_err: dict[str, tuple[int, dict]] = {}
    for i, e in errs:
        if e["task"] == "events":
            ev_err.setdefault((e["kind"], e.get("event")), (i, e))
        elif e["task"] == "arguments":
            arg_err.setdefault((e["kind"], e.get("event"), e.get("role"), _get(e, "entity", "id")), []).append((i, e))
        elif e["task"] == "titles":
            title_err.setdefault(e.get("gold_entity"), (i, e))
    gnames, pnames = _entity_names(doc["gold"]), _entity_names(doc["pred"])
    pairs = {p["gold"]: p["pred"] for p in doc.get("event_pairs", [])}
    matched_args = {(a["gold_event"], a["role"], a["gold_entity"]) for a in doc.get("argument_pairs", [])}
    pred_by_id = {e["id"]: e for e in doc["pred"]["events"]}

    def trig(ev: dict) -> str:
        words = list(dict.fromkeys(t["text"] for t in ev.get("triggers", [])))
        return " · ".join(f'<bdi class="trig">{_e(w)}</bdi>' for w in words)

    def take(table: dict, key: tuple) -> tuple[int, dict] | None:
        got = table.get(key)
        if isinstance(got, list):
            return got.pop(0) if got else None
        if got is not None:
            del table[key]
        return got

    def arg_items(ev: dict, names: dict[str, str], side: str, matched: bool) -> list[str]:
        items = []
        for role, eid in dict.fromkeys((a["role"], a["entity"]) for a in ev.get("arguments", [])):
            label = f"{_e(role)}: <bdi>{_e(names.get(eid, eid))}</bdi>"
            if side == "gold" and (ev["id"], role, eid) in matched_args:
                items.append(f'<li class="arg-ok">{label}</li>')
                continue
            kind = "missed" if side == "gold" else "spurious"
            hit = take(arg_err, (kind, ev["id"], role, eid))
            if hit is not None:
                placed.add(hit[0])
                items.append(f"<li{_attrs(hit[0], hit[1], new)}>{'−' if side == 'gold' else '+'} {label}"
                             f" <small>({'missed' if side == 'gold' else 'spurious'})</small></li>")
            elif side == "pred" and matched:
                continue   # a matched predicted argument is listed on the gold side
            else:
                items.append(f"<li>{label}</li>")
        return items

    gold_n = {e["id"]: n for n, e in enumerate(doc["gold"]["events"])}
    pred_n = {e["id"]: n for n, e in enumerate(doc["pred"]["events"])}
    out = []
    for ev in doc["gold"]["events"]:
        pid = pairs.get(ev["id"])
        trig_keys = f"tg{gold_n[ev['id']]}." + (f" tp{pred_n[pid]}." if pid in pred_n else "")
        items = arg_items(ev, gnames, "gold", pid is not None)
        if pid is not None and pid in pred_by_id:
            items += arg_items(pred_by_id[pid], pnames, "pred", True)
            out.append(f'<li class="ev-ok" data-trig="{trig_keys}"><b>{_e(ev["type"])}</b> {trig(ev)}'
                       f'<ul>{"".join(items)}</ul></li>')
            continue
        hit = take(ev_err, ("missed", ev["id"]))
        attrs = ""
        if hit is not None:
            placed.add(hit[0])
            attrs = _attrs(hit[0], hit[1], new)
        out.append(f"<li{attrs} data-trig=\"{trig_keys}\">− <b>{_e(ev['type'])}</b> {trig(ev)} <small>(missed)</small>"
                   f"<ul>{''.join(items)}</ul></li>")
    matched_pred = set(pairs.values())
    for ev in doc["pred"]["events"]:
        if ev["id"] in matched_pred:
            continue
        hit = take(ev_err, ("spurious", ev["id"]))
        attrs = ""
        if hit is not None:
            placed.add(hit[0])
            attrs = _attrs(hit[0], hit[1], new)
        items = arg_items(ev, pnames, "pred", False)
        out.append(f"<li{attrs} data-trig=\"tp{pred_n[ev['id']]}.\">+ <b>{_e(ev['type'])}</b> {trig(ev)} "
                   "<small>(spurious)</small>"
                   f"<ul>{''.join(items)}</ul></li>")
    html = "<h4>Events (gold; − missed, + spurious)</h4><ul>" + ("".join(out) or "<li>none</li>") + "</ul>"

    titles = []
    for tp in doc.get("title_pairs", []):
        hit = title_err.pop(tp.get("gold_entity"), None)
        text = (f"<bdi>{_e(gnames.get(tp.get('gold_entity'), tp.get('gold_entity')))}</bdi>: "
                f"«<bdi>{_e(tp.get('gold_title') or '—')}</bdi>»")
        if hit is None:
            titles.append(f'<li class="arg-ok">{text}</li>')
        else:
            placed.add(hit[0])
            pred_title = _e(tp.get("pred_title") or "—")
            titles.append(f"<li{_attrs(hit[0], hit[1], new)}>≠ {text} / pred «<bdi>{pred_title}</bdi>»</li>")
    if titles:
        html += "<h4>Titles of people</h4><ul>" + "".join(titles) + "</ul>"
    return html


def _document(doc: dict, n: int, errs: list[tuple[int, dict]], lab_idx: dict[str, int], new: set[int],
              diff: DocDiff | None, baseline: dict | None) -> str:
    placed: set[int] = set()
    marks = _text_marks(doc, errs, lab_idx, new, placed)
    text_html = highlight(doc["text"], marks)
    panel = _events_panel(doc, errs, new, placed)
    lang = doc["lang"]["gold"]
    badges = [f'<span class="badge">{_e(lang)}</span>']
    for i, e in errs:
        if e["task"] == "langid":
            placed.add(i)
            badges.append(f'<span class="badge err"{_attrs(i, e, new)}>language: gold {_e(e.get("gold"))}, '
                          f'predicted {_e(e.get("pred"))}</span>')
    if doc.get("missing_prediction"):
        badges.append('<span class="badge err">no prediction (scored as empty)</span>')
    sc = doc.get("scores", {})
    badges.append(f'<span class="badge">NER strict F1 {_num(_get(sc, "ner_strict", "f1"))}</span>')
    badges.append(f'<span class="badge">events F1 {_num(_get(sc, "events", "f1"))}</span>')
    badges.append(f'<span class="badge{" err" if errs else ""}">{len(errs)} error(s)</span>')
    if diff is not None:
        badges.append(f'<span class="badge new">changed: {len(diff.new)} new, {len(diff.fixed)} fixed</span>')
    other = [f'<li class="other-error"{_attrs(i, e, new)}>{_e(_error_title(e))} at '
             f'{_e(e.get("start"))}-{_e(e.get("end"))}</li>' for i, e in errs if i not in placed]
    if other:
        panel += "<h4>Other errors (offsets outside the text)</h4><ul>" + "".join(other) + "</ul>"
    fixed = ""
    if diff is not None and diff.fixed and baseline is not None:
        fixed = ("<details class=\"fixed\"><summary>Errors of the baseline fixed in this run</summary><ul>"
                 + "".join(f"<li data-fixed-error=\"{j}\">{_e(_error_title(baseline['errors'][j]))} at "
                           f"{_e(baseline['errors'][j].get('start'))}-{_e(baseline['errors'][j].get('end'))}</li>"
                           for j in diff.fixed) + "</ul></details>")
    kinds = " ".join(sorted({f"{e['task']}.{e['kind']}" for _, e in errs}))
    rtl = ' dir="rtl"' if lang == "ar" else ""
    src = " · ".join(_e(x) for x in (doc.get("source"), doc.get("date")) if x)
    return (f'<section class="doc" id="doc-{n}" data-doc="{_e(doc["id"])}" data-lang="{_e(lang)}" '
            f'data-kinds="{_e(kinds)}" data-changed="{1 if diff is not None else 0}">'
            f'<header><h3>{_e(doc["id"])}</h3>{"".join(badges)}<span class="meta">{src}</span></header>'
            f'<div class="docbody"><div class="doctext" lang="{_e(lang)}"{rtl}>{text_html}</div>'
            f'<aside class="events">{panel}</aside></div>{fixed}</section>')


def _legend(labels: Sequence[str]) -> str:
    labs = " ".join(f'<span class="hl g gl{k}">{_e(x)}</span>' for k, x in enumerate(labels))
    plabs = " ".join(f'<span class="hl p pl{k}">{_e(x)}</span>' for k, x in enumerate(labels))
    return ('<div class="legend">Gold mention: underline in its label colour ' + labs
            + " · Predicted mention: background in its label colour " + plabs + "<br>"
            '<span class="hl gs-missed">missed</span> gold mention not found · '
            '<span class="hl ps-spurious">spurious</span> prediction with no gold · '
            '<span class="hl gs-wrong_label">wrong label</span> same span, other label · '
            '<span class="hl gs-wrong_boundary">wrong boundary</span> same label, other span · '
            '<span class="hl gs-wrong_label_boundary">both</span> · '
            '<span class="hl tg">gold trigger</span> · <span class="hl tp">predicted trigger</span>'
            ' · <span class="badge new">yellow ring</span> error new since the baseline</div>')


def _browser(report: dict, diffs: list[DocDiff], baseline: dict | None) -> str:
    labels = list(report["meta"].get("labels") or report["ner"]["strict"]["labels"])
    lab_idx = {x: min(k, len(LABEL_COLOURS) - 1) for k, x in enumerate(labels)}
    by_doc: dict[str, list[tuple[int, dict]]] = {}
    for i, e in enumerate(report["errors"]):
        by_doc.setdefault(e["doc"], []).append((i, e))
    diff_of = {d.doc: d for d in diffs}
    new = {i for d in diffs for i in d.new}
    docs = report["documents"]
    kinds = sorted({f"{e['task']}.{e['kind']}" for e in report["errors"]})
    counts = {k: sum(f"{e['task']}.{e['kind']}" == k for e in report["errors"]) for k in kinds}
    langs = sorted({d["lang"]["gold"] for d in docs})
    opt = lambda v, t: f'<option value="{_e(v)}">{_e(t)}</option>'  # noqa: E731
    filters = ('<div class="filters">'
               f'<label>Document <select id="f-doc">{opt("", "all")}{"".join(opt(d["id"], d["id"]) for d in docs)}'
               f'</select></label><label>Language <select id="f-lang">{opt("", "all")}'
               f'{"".join(opt(x, x) for x in langs)}</select></label>'
               f'<label>Error kind <select id="f-kind">{opt("", "all documents")}{opt("*", "any error")}'
               f'{"".join(opt(k, f"{k} ({counts[k]})") for k in kinds)}</select></label>'
               + ('<label><input type="checkbox" id="f-changed"> only documents whose errors changed</label>'
                  if baseline is not None else "")
               + '<span id="f-count" class="meta"></span></div>')
    body = "".join(_document(d, n, by_doc.get(d["id"], []), lab_idx, new, diff_of.get(d["id"]), baseline)
                   for n, d in enumerate(docs))
    return _legend(labels) + filters + body


def _label_css(labels: Sequence[str]) -> str:
    out = []
    for k in range(min(len(labels), len(LABEL_COLOURS))):
        c = LABEL_COLOURS[k]
        out.append(f".gl{k}{{border-bottom:3px solid {c}}} .pl{k}{{background:{c}38}}")
    return "\n".join(out)


def _changed_docs(report: dict, diffs: list[DocDiff]) -> str:
    if not diffs:
        return "<p>No document's errors changed.</p>"
    index = {d["id"]: n for n, d in enumerate(report["documents"])}
    rows = []
    for d in diffs:
        name = (f'<a href="#doc-{index[d.doc]}" data-goto="{_e(d.doc)}">{_e(d.doc)}</a>' if d.doc in index
                else _e(d.doc))
        cls = ' class="regress"' if len(d.new) > len(d.fixed) else ""
        rows.append(f"<tr{cls}><td>{name}</td><td>{_e(d.lang)}</td><td>{d.before}</td><td>{d.after}</td>"
                    f"<td>{len(d.new)}</td><td>{len(d.fixed)}</td></tr>")
    return ('<table class="changed"><tr><th>document</th><th>lang</th><th>errors before</th><th>errors now</th>'
            "<th>new</th><th>fixed</th></tr>" + "".join(rows) + "</table>")


def _scorer_cis(report: dict) -> dict[str, Sequence]:
    """Per-label and per-type F1 CIs that the scorer itself put in the report (they win over ours)."""
    out: dict[str, Sequence] = {}
    for mode in ("strict", "partial"):
        for lab, v in (_get(report, "ner", mode, "labels") or {}).items():
            if _get(v, "ci", "f1"):
                out[f"ner.{mode}.{lab}"] = v["ci"]["f1"]
    for kind in ("events", "arguments"):
        for t, v in (_get(report, "events", kind, "by_type") or {}).items():
            if _get(v, "ci", "f1"):
                out[f"{kind}.{t}"] = v["ci"]["f1"]
    return out


def render_html(report: dict, baseline: dict | None = None) -> str:
    """The report page as an HTML string (see the module doc)."""
    missing = [k for k in _REQUIRED if k not in report]
    if missing:
        raise ValueError(f"not an evaluation report (no {', '.join(missing)}); make one with "
                         "`healthcoop-nlp evaluate --gold G --pred P --report DIR` and pass DIR/report.json")
    if baseline is not None and any(k not in baseline for k in _REQUIRED):
        raise ValueError("the baseline is not an evaluation report; pass an earlier run's DIR/report.json")
    meta = report["meta"]
    cis = {**f1_cis(report), **_scorer_cis(report)}
    diffs = error_diff(report, baseline) if baseline is not None else []
    labels = list(meta.get("labels") or report["ner"]["strict"]["labels"])
    langs = ", ".join(f"{k} {v}" for k, v in meta.get("languages", {}).items())
    ci_note = (f"95% CIs: percentile bootstrap, {meta.get('bootstrap')} resamples of documents, seed {meta.get('seed')}"
               if meta.get("bootstrap") else "no confidence intervals (run with --bootstrap N)")
    warn = meta.get("warnings") or []
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">', "<title>Evaluation report</title>",
        f"<style>{CSS}\n{_label_css(labels)}</style></head><body><main>",
        "<h1>Evaluation report</h1>",
        f'<p class="meta">gold {_e(meta.get("gold"))} · predictions {_e(meta.get("pred"))} · '
        f'{meta.get("documents")} documents ({_e(langs)}) · {len(report["errors"])} errors · {_e(ci_note)}'
        + (f" · compared with baseline {_e(_get(baseline, 'meta', 'pred'))}" if baseline is not None else "") + "</p>",
    ]
    if meta.get("missing_predictions"):
        parts.append(f'<p class="badge err">{len(meta["missing_predictions"])} document(s) had no prediction and '
                     "were scored as empty</p>")
    parts += ["<h2>Headline figures</h2>", _headline(report, baseline)]
    if baseline is not None:
        parts += ["<h2>Change from the baseline</h2>", _all_figures(report, baseline),
                  "<h4>Documents whose errors changed</h4>", _changed_docs(report, diffs)]
    parts += [
              "<h2>Entities (NER)</h2>", _ner_section(report, cis, baseline),
              "<h3>Label confusion (gold × predicted, one-to-one pairs of overlapping mentions)</h3>",
              '<div class="row2">', _confusion_table(confusion(report), "all languages"),
              *(_confusion_table(confusion(report, lang), lang) for lang in meta.get("languages", {})), "</div>",
              "<h2>Events and arguments</h2>", _events_section(report, cis, baseline)]
    if baseline is None:
        parts.append(_all_figures(report, None))
    if warn:
        parts.append(f"<details><summary>{len(warn)} warning(s)</summary><ul>"
                     + "".join(f"<li>{_e(w)}</li>" for w in warn) + "</ul></details>")
    parts += [f"<h2>Error browser ({len(report['errors'])} errors)</h2>", _browser(report, diffs, baseline),
              f"</main><script>{JS}</script></body></html>"]
    return "\n".join(parts) + "\n"


def write_html(report: dict, path: str | Path, baseline: dict | None = None) -> Path:
    """Write the report page (``render_html``) to ``path`` (its folder created if needed); the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(report, baseline), encoding="utf-8")
    return out


def read_report(path: str | Path) -> dict:
    """The dict of a report.json; ValueError saying how to fix it when the file is missing or not JSON."""
    p = Path(path)
    if not p.is_file():
        raise ValueError(f"{path}: no such file; give the report.json that "
                         "`healthcoop-nlp evaluate --report DIR` wrote")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not JSON ({e}); give the report.json that `evaluate --report DIR` wrote") from e


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m healthcoop_nlp.report.html DIR/report.json [--baseline OLD/report.json] [-o out.html]``."""
    ap = argparse.ArgumentParser(prog="python -m healthcoop_nlp.report.html",
                                 description="Write the evaluation report as one self-contained HTML page.")
    ap.add_argument("report", help="report.json written by `healthcoop-nlp evaluate --report DIR`")
    ap.add_argument("--baseline", metavar="OLD", help="an earlier run's report.json: show every change")
    ap.add_argument("-o", "--output", metavar="HTML", help="output file (default: report.html next to the report)")
    args = ap.parse_args(argv)
    try:
        report = read_report(args.report)
        baseline = read_report(args.baseline) if args.baseline else None
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        out = write_html(report, args.output or Path(args.report).with_name("report.html"), baseline)
    except ValueError as e:
        print(f"error: {args.report}{' or ' + args.baseline if args.baseline else ''}: {e}", file=sys.stderr)
        return 2
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
