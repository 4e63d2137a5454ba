"""Neighbourhood and path drawings: pyvis builds the vis-network data, our template shows it.

pyvis's own HTML templates load Bootstrap and vis-network from CDNs and insert strings
unescaped, so they are not used: `Network` only collects nodes, edges and options here, and
the page embeds them as JSON (`|tojson` in a `<script type="application/json">`) for
`static/graph.js`, which draws them with the vis-network copy shipped in `static/vendor/`.
Titles are plain strings, which vis-network shows as text, never as HTML.
"""
from __future__ import annotations

from collections.abc import Callable

from pyvis.network import Network

from graph.neighbourhood import Subgraph
from graph.paths import PathResult
from graph.vocab import kind_key, term_label

# colour and shape per kind (local name of the class); one table for graph, legend and CSS
KIND_STYLES: dict[str, tuple[str, str]] = {
    "Report": ("#4e79a7", "box"),
    "Agency": ("#e15759", "dot"),
    "InspectionBody": ("#b07aa1", "diamond"),
    "Inspection": ("#9c755f", "diamond"),
    "Issue": ("#f28e2b", "dot"),
    "Measure": ("#59a14f", "dot"),
    "Document": ("#76b7b2", "square"),
    "Unit": ("#ff9da7", "dot"),
    "Role": ("#edc948", "triangle"),
    "Person": ("#af7aa1", "star"),
    "Section": ("#bab0ac", "dot"),
    "Mention": ("#d3d3d3", "dot"),
    "SummaryRecord": ("#d3d3d3", "dot"),
    "Thing": ("#8c8c8c", "dot"),
}
LABEL_CHARS = 18

OPTIONS = {
    "nodes": {"font": {"size": 13, "face": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "font": {"size": 10, "align": "middle"},
              "color": {"inherit": False, "color": "#9aa5b1"}, "smooth": {"type": "continuous"}},
    "physics": {"solver": "barnesHut", "stabilization": {"enabled": True, "iterations": 200, "fit": True},
                "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.2}},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": False},
}


def kind_style(kind: str | None) -> tuple[str, str]:
    return KIND_STYLES.get(kind_key(kind), KIND_STYLES["Thing"])


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _network() -> Network:
    net = Network(directed=True, height="560px", width="100%", cdn_resources="local")
    return net


def _add_node(net: Network, key: str, label: str, kind: str | None, url: str | None, center: bool = False) -> None:
    colour, shape = kind_style(kind)
    kind_label = term_label(kind) if kind else "其他"
    net.add_node(key, label=_short(label), title=f"{kind_label}:{label}", color=colour, shape=shape,
                 size=24 if center else 14, borderWidth=3 if center else 1, url=url or "", kind=kind_key(kind),
                 font={"size": 15 if center else 12})


def _data(net: Network, kinds: list[str | None], truncated: bool, physics: bool) -> dict:
    nodes, edges, _heading, height, _width, _options = net.get_network_data()
    options = dict(OPTIONS)
    if not physics:
        options = {**OPTIONS, "physics": {"enabled": False}}
    legend = []
    for kind in dict.fromkeys(kinds):
        colour, shape = kind_style(kind)
        legend.append({"kind": kind_key(kind), "label": term_label(kind) if kind else "其他", "colour": colour})
    return {"nodes": nodes, "edges": edges, "options": options, "height": height, "legend": legend,
            "truncated": truncated}


def neighbourhood_data(sub: Subgraph, url_for_node: Callable[[str], str | None]) -> dict:
    """vis-network data for a neighbourhood: nodes coloured by kind, edges labelled in Chinese."""
    net = _network()
    for key, info in sub.nodes.items():
        _add_node(net, key, info.label, info.kind, None if info.is_blank else url_for_node(key), key == sub.center)
    for s, p, o in sub.edges:
        if s in sub.nodes and o in sub.nodes:
            label = term_label(p)
            net.add_edge(s, o, label=label, title=label)
    return _data(net, [n.kind for n in sub.nodes.values()], sub.truncated, physics=len(sub.nodes) <= 400)


def path_data(result: PathResult, labels: dict[str, tuple[str, str | None]],
              url_for_node: Callable[[str], str | None]) -> dict:
    """vis-network data for the union of the shortest paths between two nodes."""
    net = _network()
    added: set[str] = set()
    edges: set[tuple[str, str, str]] = set()
    for path, steps in zip(result.paths, result.steps):
        for key in path:
            if key not in added:
                label, kind = labels.get(key, (key, None))
                _add_node(net, key, label, kind, url_for_node(key), key in (result.source, result.target))
                added.add(key)
        for step in steps:
            s, o = (step.source, step.target) if step.forward else (step.target, step.source)
            if (s, step.predicate, o) not in edges:
                edges.add((s, step.predicate, o))
                label = term_label(step.predicate)
                net.add_edge(s, o, label=label, title=label)
    return _data(net, [labels.get(k, ("", None))[1] for k in added], result.truncated, physics=True)
