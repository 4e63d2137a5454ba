"""Where the project's data IRIs start: minted nodes, named graphs. Spelled here once."""

DATA_BASE = "https://w3id.org/rectigraph/"
GRAPH_BASE = DATA_BASE + "graph/"
REPORT_GRAPH_PREFIX = GRAPH_BASE + "report/"
