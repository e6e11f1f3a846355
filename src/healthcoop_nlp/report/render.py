"""The evaluation report as a plain-text table (terminal) or Markdown (report.md)."""

from __future__ import annotations

from typing import Sequence

__all__ = ["sections", "to_text", "to_markdown"]

Table = tuple[str, list[str], list[list[str]]]   # title, header, rows


def _n(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


def _ci(d: dict, key: str) -> str:
    ci = d.get("ci", {}).get(key)
    if not ci or ci[0] is None:
        return ""
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _prf_cells(d: dict) -> list[str]:
    return [_n(d["precision"]), _n(d["recall"]), _n(d["f1"])]


def _ner_table(title: str, block: dict) -> Table:
    head = ["label", "gold", "pred", "strict P", "strict R", "strict F1", "partial P", "partial R", "partial F1"]
    rows = []
    st, pa = block["strict"], block["partial"]
    for lab in st["labels"]:
        s, p = st["labels"][lab], pa["labels"][lab]
        rows.append([lab, _n(s["gold"]), _n(s["pred"]), *_prf_cells(s), *_prf_cells(p)])
    s, p = st["micro"], pa["micro"]
    rows.append(["micro", _n(s["gold"]), _n(s["pred"]), *_prf_cells(s), *_prf_cells(p)])
    if _ci(s, "f1") or _ci(p, "f1"):
        rows.append(["micro F1 95% CI", "", "", "", "", _ci(s, "f1"), "", "", _ci(p, "f1")])
    rows.append(["macro F1", "", "", "", "", _n(st["macro_f1"]), "", "", _n(pa["macro_f1"])])
    return title, head, rows


def _event_table(title: str, block: dict) -> Table:
    head = ["event type", "gold", "pred", "event P", "event R", "event F1",
            "arg gold", "arg pred", "arg P", "arg R", "arg F1"]
    ev, ar = block["events"], block["arguments"]
    rows = []
    for t in ev["by_type"]:
        e, a = ev["by_type"][t], ar["by_type"].get(t)
        rows.append([t, _n(e["gold"]), _n(e["pred"]), *_prf_cells(e), _n(a["gold"]), _n(a["pred"]), *_prf_cells(a)])
    e, a = ev["overall"], ar["overall"]
    rows.append(["overall", _n(e["gold"]), _n(e["pred"]), *_prf_cells(e), _n(a["gold"]), _n(a["pred"]),
                 *_prf_cells(a)])
    if _ci(e, "f1") or _ci(a, "f1"):
        rows.append(["F1 95% CI", "", "", "", "", _ci(e, "f1"), "", "", "", "", _ci(a, "f1")])
    return title, head, rows


def _role_table(block: dict) -> Table:
    rows = [[r, _n(v["gold"]), _n(v["pred"]), _n(v["tp"]), *_prf_cells(v)]
            for r, v in block["arguments"]["by_role"].items()]
    return "Arguments by role", ["role", "gold", "pred", "matched", "P", "R", "F1"], rows


def _date_values_table(block: dict) -> Table:
    head = ["scope", "gold with value", "span predicted", "value correct", "value accuracy", "accuracy on predicted spans"]
    rows = [[name, _n(b["total"]), _n(b["span_found"]), _n(b["correct"]), _n(b["accuracy"]),
             _n(b["accuracy_on_found"])]
            for name, b in [("all", block["overall"]), *block["by_lang"].items()]]
    return "DATE values (same span, same ISO value)", head, rows


def _cluster_table(title: str, block: dict) -> Table:
    head = ["setting", "MUC P", "MUC R", "MUC F1", "B3 P", "B3 R", "B3 F1", "CEAF-e P", "CEAF-e R", "CEAF-e F1",
            "CoNLL F1"]
    rows = []
    for setting, name in (("gold_mentions", "gold mentions"), ("pred_mentions", "predicted mentions")):
        b = block[setting]
        rows.append([name, *_prf_cells(b["muc"]), *_prf_cells(b["b3"]), *_prf_cells(b["ceafe"]), _n(b["conll_f1"])])
    return title, head, rows


def _title_rows(report: dict) -> Table:
    head = ["scope", "PER pairs", "both null", "token P", "token R", "token F1", "mean pair F1", "exact"]
    rows = []
    t = report["titles"]
    for name, b in [("all", t), *[(lang, v) for lang, v in t["by_lang"].items()]]:
        rows.append([name, _n(b["pairs"]), _n(b["both_null"]), *_prf_cells(b["token"]), _n(b["mean_f1"]),
                     _n(b["exact"])])
    return "Titles (paired PER entities)", head, rows


def sections(report: dict) -> list[Table]:
    """The report's tables in reading order."""
    meta, lid = report["meta"], report["langid"]
    langs = ", ".join(f"{k} {v}" for k, v in meta["languages"].items())
    overview = [["documents", f"{meta['documents']} ({langs})"], ["gold", meta["gold"]], ["pred", meta["pred"]]]
    if meta["missing_predictions"]:
        overview.append(["missing predictions (scored as empty)",
                         f"{len(meta['missing_predictions'])}: {', '.join(meta['missing_predictions'][:10])}"])
    overview.append(["bootstrap", f"{meta['bootstrap']} resamples of documents, seed {meta['seed']}, 95% CI"])
    out: list[Table] = [("Overview", ["", ""], overview)]
    lrows = [["all", _n(lid["accuracy"]), _ci(lid, "accuracy"), f"{lid['correct']}/{lid['total']}"]]
    for lang, v in lid["by_lang"].items():
        lrows.append([lang, _n(v["accuracy"]), _ci(v, "accuracy"), f"{v['correct']}/{v['total']}"])
    lrows.append(["dialect", _n(lid["dialect"]["accuracy"]), "", f"{lid['dialect']['correct']}/{lid['dialect']['total']}"])
    out.append(("Language ID", ["gold language", "accuracy", "95% CI", "correct"], lrows))
    out.append(_ner_table("NER (all languages)", report["ner"]))
    for lang, b in report["ner"]["by_lang"].items():
        out.append(_ner_table(f"NER ({lang}, {b['documents']} documents)", b))
    if report.get("date_values"):
        out.append(_date_values_table(report["date_values"]))
    out.append(_cluster_table("Entity clusters (all languages)", report["clusters"]))
    for lang, b in report["clusters"]["by_lang"].items():
        out.append(_cluster_table(f"Entity clusters ({lang})", b))
    out.append(_title_rows(report))
    out.append(_event_table("Events and arguments (all languages)", report["events"]))
    out.append(_role_table(report["events"]))
    for lang, b in report["events"]["by_lang"].items():
        out.append(_event_table(f"Events and arguments ({lang})", b))
    out.append(("Errors", ["kind", "count"], [[k, str(v)] for k, v in report["error_counts"].items()] or [["none", "0"]]))
    return out


def _text_table(title: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    allrows = [list(head)] + [list(r) for r in rows]
    widths = [max(len(r[i]) for r in allrows) for i in range(len(head))]
    lines = [title, "-" * len(title)]
    for k, r in enumerate(allrows):
        if k == 0 and not any(head):
            continue
        left = not any(head)  # a key/value table: everything left-aligned
        lines.append("  ".join(c.ljust(w) if i == 0 or left else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines)


def to_text(report: dict) -> str:
    """The report's figures as aligned plain-text tables."""
    return "\n\n".join(_text_table(*t) for t in sections(report)) + "\n"


def _md_cell(s) -> str:
    """A table cell: pipes and newlines escaped, and HTML from document text shown as text
    (Markdown renderers pass raw HTML through)."""
    s = str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ⏎ ").replace("\r", "")


def _md_table(title: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = [h or " " for h in head]
    lines = [f"## {title}", "", "| " + " | ".join(_md_cell(h) for h in head) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _ctx(e: dict) -> str:
    c = e.get("context")
    if not c:
        return ""
    return _md_cell(c["left"]) + "**[" + _md_cell(c["span"]) + "]**" + _md_cell(c["right"])


def _side(x) -> str:
    if x is None:
        return ""
    if isinstance(x, dict) and "label" in x and "start" in x:
        return f"{x['label']} {x['start']}-{x['end']} «{x['text']}»"
    return str(x)


def _error_row(e: dict) -> list[str]:
    task, kind = e["task"], e["kind"]
    where = "" if e.get("start") is None else f"{e['start']}-{e['end']}"
    if task == "ner":
        what, gold, pred = "", _side(e["gold"]), _side(e["pred"])
    elif task == "events":
        trig = ", ".join(f"{t['start']}-{t['end']} «{t['text']}»" for t in e["triggers"])
        what = e["type"]
        gold, pred = (trig, "") if kind == "missed" else ("", trig)
        if e.get("other_side_overlapping_types"):
            what += f" (overlaps {', '.join(e['other_side_overlapping_types'])})"
    elif task == "arguments":
        ent = e["entity"]
        names = " / ".join(sorted({m["text"] for m in ent["mentions"]}))
        what = f"{e['event_type']} {e['role']}" + ("" if e["event_matched"] else " (event unmatched)")
        cell = f"{ent['label'] or '?'} {ent['id']} «{names}»"
        gold, pred = (cell, "") if kind == "missed" else ("", cell)
    else:
        what, gold, pred = "", _n(e.get("gold")), _n(e.get("pred"))
    return [e["doc"], e["lang"], f"{task}.{kind}", what, where, gold, pred, _ctx(e)]


def to_markdown(report: dict) -> str:
    """The report as Markdown: the tables, then every error with its context."""
    parts = ["# Evaluation report", ""]
    parts += [_md_table(*t) + "\n" for t in sections(report)]
    parts.append(f"## Error list ({len(report['errors'])})\n")
    head = ["doc", "lang", "error", "type / role", "offsets", "gold", "pred", "context"]
    rows = [_error_row(e) for e in report["errors"]]
    if rows:
        parts.append("\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                               + ["| " + " | ".join(_md_cell(c) if i < 7 else c for i, c in enumerate(r)) + " |"
                                  for r in rows]))
    else:
        parts.append("No errors.")
    if report["meta"].get("warnings"):
        parts.append(f"\n## Warnings ({len(report['meta']['warnings'])})\n")
        parts += [f"- {_md_cell(w)}" for w in report["meta"]["warnings"]]
    parts.append("\n## Conventions\n")
    for name, doc in report["meta"]["conventions"].items():
        parts.append(f"### {name}\n\n{(doc or '').strip()}\n")
    return "\n".join(parts) + "\n"
