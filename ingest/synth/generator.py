"""One synthetic report: its text and the gold facts it was written from (the schema of
../shared/gold/*.json).  Deterministic: report `index` of corpus `seed` is always the same."""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass

from ingest.synth.layouts import BODIES, LAYOUTS, Style, Writer, layout_annual, portal, wrap_pdf
from ingest.synth.plan import make_plan

ANNUAL_SHARE = 0.15
PDF_SHARE = 0.08              # other layouts copied from a PDF (pdf_parts always is)
PORTAL_SHARE = 0.05           # wrapped in a web portal's navigation
_DOCUMENT = re.compile(r"《([^《》\n]+)》")
_KIND_SLUG = {"巡视": "xunshi", "巡察": "xuncha", None: "annual"}


@dataclass
class SynthReport:
    name: str                 # file name of the report (.txt); the gold file has the same stem
    text: str
    gold: dict
    manifest: dict            # layout and feature choices, for analysis and benchmarks

    def gold_json(self) -> str:
        return json.dumps(self.gold, ensure_ascii=False, indent=1) + "\n"


def report_rng(seed: int, index: int) -> random.Random:
    """The generator of one report, independent of how many reports the corpus has."""
    return random.Random(f"rectigraph-synth:{seed}:{index}")


def generate_report(seed: int, index: int) -> SynthReport:
    """Plan, lay out and write report `index` of the corpus `seed`, with its gold."""
    rng = report_rng(seed, index)
    annual = rng.random() < ANNUAL_SHARE
    plan = make_plan(rng, annual)
    style = Style(half=rng.random() < 0.4, ascii_quotes=rng.random() < 0.15,
                  marker=rng.choices(["dot", "dun", "fw_dot", "fw_dun"], (5, 2, 2, 1))[0])
    writer = Writer(plan, rng, style)
    if annual:
        layout = "annual"
        layout_annual(writer)
    else:
        layout = rng.choices(list(LAYOUTS), list(LAYOUTS.values()))[0]
        BODIES[layout](writer)
        writer.foot()
    lines = writer.lines
    logical = style.tr("\n".join(lines))
    documents = sorted(set(_DOCUMENT.findall(logical)))
    pdf = layout == "pdf_parts" or (layout != "table" and rng.random() < PDF_SHARE)
    wrapped = False
    if pdf:
        lines = wrap_pdf(lines, rng)
    elif rng.random() < PORTAL_SHARE:
        lines = portal(lines, rng, plan.agency.canonical, plan.published, annual)
        wrapped = True
    text = style.tr("\n".join(lines)) + "\n"

    name = f"{index:05d}_{_KIND_SLUG[plan.inspection_kind]}_{layout}.txt"
    g = writer.gold
    gold: dict = {"file": name, "report_kind": plan.kind, "agency": plan.agency.canonical}
    if plan.kind == "rectification":
        gold["inspection"] = {"kind": plan.inspection_kind, "body": plan.body, "start": plan.start.isoformat(),
                              "end": plan.end.isoformat(), "feedback": plan.feedback.isoformat(), "round": plan.round}
    else:
        gold["inspection"] = None
    gold["published"] = g.published
    stated = writer.summary_written
    gold["status_date"] = plan.stated.status_date if stated else None
    gold["contact"] = g.contact
    gold["stats"] = dict(plan.stated.values) if stated else {}
    gold["aspects"] = g.aspects
    gold["issues"] = g.issues
    if g.long_term:
        gold["long_term_items"] = g.long_term
    if plan.kind == "annual":
        gold["initiatives"] = g.initiatives
        gold["shortcomings"] = g.shortcomings
    gold["documents"] = documents
    manifest = {"file": name, "kind": plan.kind, "inspection": plan.inspection_kind, "layout": layout,
                "agency_kind": plan.agency.kind, "level": plan.agency.place.level, "chars": len(text),
                "pdf": pdf, "portal": wrapped, "half_width": style.half, "ascii_quotes": style.ascii_quotes,
                "marker": style.marker, **g.features}
    return SynthReport(name, text, gold, manifest)
