"""The report page's inline style sheet and script (no external resources)."""

from __future__ import annotations

__all__ = ["CSS", "JS", "LABEL_COLOURS"]

#: Label colours in the order of the report's labels (PER, ORG, LOC, DATE, then any extra label).
LABEL_COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")

CSS = """
:root { --bad:#c0392b; --good:#1e8449; --muted:#666; --line:#ddd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 0; color: #222;
       background: #f6f7f9; }
main { max-width: 1280px; margin: 0 auto; padding: 12px 20px 40px; }
h1 { font-size: 22px; margin: 8px 0 2px; } h2 { font-size: 18px; margin: 26px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0; display: inline; }
.meta { color: var(--muted); font-size: 12.5px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; min-width: 140px; }
.card .name { font-size: 11.5px; color: var(--muted); }
.card .value { font-size: 22px; font-weight: 600; }
.card .ci { font-size: 11.5px; color: var(--muted); }
.card.worse { border-color: var(--bad); box-shadow: inset 3px 0 0 var(--bad); }
.card.better { border-color: var(--good); box-shadow: inset 3px 0 0 var(--good); }
table { border-collapse: collapse; background: #fff; margin: 6px 0 12px; font-size: 12.5px; }
th, td { border: 1px solid var(--line); padding: 2px 7px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef1f5; }
td.ci, span.ci { color: var(--muted); font-size: 11px; }
.delta.worse { color: var(--bad); font-weight: 600; } .delta.better { color: var(--good); }
.delta.outside::after { content: " !"; }
tr.regress td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.conf td.diag { background: #e3f1e3; } .conf td.off { background: #fbe3e0; } .conf td.zero { color: #bbb; }
svg.chart { width: 100%; height: auto; display: block; background: #fff; border: 1px solid var(--line); }
.row2 { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
details > summary { cursor: pointer; color: #1f4e8c; margin: 6px 0; }
.legend { background: #fff; border: 1px solid var(--line); padding: 6px 10px; font-size: 12.5px; line-height: 2.1; }
.legend .hl { margin-right: 4px; }
.filters { position: sticky; top: 0; z-index: 3; background: #f6f7f9; padding: 8px 0; border-bottom: 1px solid var(--line); }
.filters label { margin-right: 12px; font-size: 12.5px; }
.filters select { max-width: 260px; }
section.doc { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; padding: 8px 12px; }
section.doc > header { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; margin-bottom: 6px; }
.badge { display: inline-block; font-size: 11.5px; padding: 0 6px; border-radius: 9px; background: #eef1f5; color: #333; }
.badge.err { background: #fbe3e0; color: var(--bad); } .badge.new { background: #fff1c2; color: #7a5b00; }
.docbody { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 14px; }
.doctext { white-space: pre-wrap; line-height: 2.05; font-size: 14.5px; overflow-wrap: anywhere; }
.doctext[dir="rtl"] { font-size: 16.5px; text-align: right; }
aside.events { font-size: 12.5px; border-left: 1px solid var(--line); padding-left: 10px; }
aside.events ul { list-style: none; padding-left: 0; margin: 2px 0 8px; }
aside.events ul ul { padding-left: 14px; }
aside.events li { margin: 2px 0; }
aside.events h4 { margin: 6px 0 2px; font-size: 12.5px; color: var(--muted); }
.ev-ok::before, .arg-ok::before { content: "\\2713 "; color: var(--good); }
[data-error-kind^="events."], [data-error-kind^="arguments."], [data-error-kind^="titles."],
[data-error-kind^="langid."], li.other-error { border-radius: 3px; padding: 0 3px; }
[data-error-kind$=".missed"]:not(.head) { background: #fde2df; }
[data-error-kind$=".spurious"]:not(.head) { background: #ffe9cc; }
[data-error-kind="titles.wrong_title"], [data-error-kind="langid.wrong_lang"] { background: #efe1fa; }
.trig { font-style: italic; }
/* mentions: gold = underline in the label colour, predicted = background tint of the label colour */
.hl { border-radius: 2px; }
.gs-missed { outline: 2px dashed var(--bad); outline-offset: 1px; }
.ps-spurious { outline: 2px dotted #e67e00; outline-offset: 1px; }
.gs-wrong_label, .ps-wrong_label { text-decoration: underline wavy #7b2cbf; text-underline-offset: 6px; }
.gs-wrong_boundary, .ps-wrong_boundary { outline: 2px solid #0a64c8; outline-offset: 1px; }
.gs-wrong_label_boundary, .ps-wrong_label_boundary { outline: 2px solid #7b2cbf; outline-offset: 1px;
  text-decoration: underline wavy #7b2cbf; text-underline-offset: 6px; }
.hl.flash { background: #fff176 !important; }
li[data-trig] { cursor: default; }
.tg { font-weight: 700; } .tp { text-decoration: overline 2px #555; }
.head[data-error-kind]::before { font-size: 9.5px; vertical-align: super; font-weight: 700; margin: 0 1px; }
.head[data-error-kind="ner.missed"]::before { content: "missed"; color: var(--bad); }
.head[data-error-kind="ner.spurious"]::before { content: "spurious"; color: #e67e00; }
.head[data-error-kind="ner.wrong_label"]::before { content: "label"; color: #7b2cbf; }
.head[data-error-kind="ner.wrong_boundary"]::before { content: "boundary"; color: #0a64c8; }
.head[data-error-kind="ner.wrong_label_boundary"]::before { content: "label+boundary"; color: #7b2cbf; }
[data-new="1"] { box-shadow: 0 0 0 2px #f1c40f; }
body.kind-filter [data-error-kind]:not(.on) { opacity: .35; }
body.kind-filter .hl { opacity: .8; }
.fixed li { color: var(--good); }
@media (max-width: 900px) { .docbody, .row2 { grid-template-columns: 1fr; } aside.events { border-left: 0; } }
"""

JS = """
(function () {
  'use strict';
  var docs = Array.prototype.slice.call(document.querySelectorAll('section.doc'));
  var byId = function (id) { return document.getElementById(id); };
  var fDoc = byId('f-doc'), fLang = byId('f-lang'), fKind = byId('f-kind'), fChanged = byId('f-changed');
  function apply() {
    var d = fDoc.value, l = fLang.value, k = fKind.value, ch = fChanged ? fChanged.checked : false, shown = 0;
    docs.forEach(function (s) {
      var kinds = ' ' + (s.getAttribute('data-kinds') || '') + ' ';
      var ok = (!d || s.getAttribute('data-doc') === d) && (!l || s.getAttribute('data-lang') === l) &&
               (!k || (k === '*' ? kinds.trim() !== '' : kinds.indexOf(' ' + k + ' ') >= 0)) &&
               (!ch || s.getAttribute('data-changed') === '1');
      s.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var focus = k && k !== '*';
    document.body.classList.toggle('kind-filter', !!focus);
    Array.prototype.forEach.call(document.querySelectorAll('[data-error-kind]'), function (e) {
      e.classList.toggle('on', !!focus && e.getAttribute('data-error-kind') === k);
    });
    byId('f-count').textContent = shown + ' of ' + docs.length + ' documents';
  }
  [fDoc, fLang, fKind, fChanged].forEach(function (el) { if (el) { el.addEventListener('change', apply); } });
  Array.prototype.forEach.call(document.querySelectorAll('a[data-goto]'), function (a) {
    a.addEventListener('click', function () { fDoc.value = a.getAttribute('data-goto'); apply(); });
  });
  // hovering an event lights up its triggers in the document's text
  Array.prototype.forEach.call(document.querySelectorAll('li[data-trig]'), function (li) {
    var sec = li.closest('section.doc'), keys = li.getAttribute('data-trig').split(' ');
    var pieces = function () {
      return Array.prototype.filter.call(sec.querySelectorAll('.doctext [data-m]'), function (el) {
        return el.getAttribute('data-m').split(' ').some(function (k) {
          return keys.some(function (p) { return k.indexOf(p) === 0; });
        });
      });
    };
    li.addEventListener('mouseenter', function () { pieces().forEach(function (el) { el.classList.add('flash'); }); });
    li.addEventListener('mouseleave', function () { pieces().forEach(function (el) { el.classList.remove('flash'); }); });
  });
  apply();
}());
"""
