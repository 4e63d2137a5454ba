"""The facts a parse yields: plain dataclasses, no RDF, no I/O.

Every fact carries the id of the table row (rule) that found it and the character span
(`start`, `end`) of its text in the normalized report text, so any fact can be traced
back to its sentence and to the rule that made it.  Cross references between facts are
indices into the lists of `ReportFacts` (sections, issues), never object references, so
facts stay easy to compare in tests and to serialise.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Section kinds (what a numbered heading holds), decided by the classify stage.
SECTION_KINDS = (
    "context",        # how the rectification was organised; text only
    "issues",         # a part whose children are aspects or issues (rectification reports)
    "aspect",         # a thematic group (方面, 聚焦…) holding issues or initiatives
    "long_term",      # 需长期整改事项: items are issues that may carry a status
    "unfinished",     # items not yet finished; text only
    "next_steps",     # 下一步工作安排 / 工作打算; text only
    "achievements",   # annual report: categories of initiatives
    "shortcomings",   # annual report: admitted shortcomings (items are issues, no aspect)
    "duties",         # annual report: duties of the principal; text only
    "plans",          # annual report: next year's plans; text only
    "other",
)

# What a measure did to a document named in 《》.
DOCUMENT_ACTIONS = ("issues", "revises", "drafts", "cites")


@dataclass(frozen=True)
class Rule:
    """Where a fact came from: the rule (table row id) and the span of its text."""

    rule: str
    start: int
    end: int


@dataclass
class DocumentRef:
    """One mention of a document in 《》."""

    title: str                 # as written, without the brackets
    action: str                # one of DOCUMENT_ACTIONS
    verb: str | None           # the verb that decided the action (印发, 修订, 学习 …)
    doc_type: str | None       # a key of the document-type table (rule, plan, notice …)
    start: int                 # span of the title including 《》
    end: int
    rule: str


@dataclass
class OrgRef:
    """An organisation, unit, role or person named in an item."""

    kind: str                  # "agency" | "unit" | "role" | "person"
    name: str                  # as written (局办公室, 党委书记, 市住建局)
    canonical: str             # canonical full name (上海市应急管理局办公室)
    relation: str              # "responsible" (责任单位/牵头/acting) | "mentioned"
    start: int
    end: int
    rule: str
    title: str | None = None   # for roles: the title alone (党委书记)
    agency: str | None = None  # for units/roles: canonical name of the agency they belong to


@dataclass
class Quantity:
    """A date, amount of money, count or percentage found inside an item."""

    kind: str                  # "date" | "money" | "count" | "percent"
    value: str                 # ISO date (2025-03 / 2025-03-01), decimal yuan, integer, or percent
    unit: str | None
    start: int
    end: int
    rule: str


@dataclass
class Section:
    """A numbered heading of the outline, any level."""

    level: int                 # 1 for the outermost numbering found, 2 below it …
    ordinal: int               # the number as written: (七) -> 7
    marker: str                # the marker as written: "(七)", "一、", "1."
    heading: str               # heading text without the marker
    start: int                 # span of the whole section, heading to the end of its body
    end: int
    heading_start: int         # span of the heading text alone
    heading_end: int
    parent: int | None         # index of the enclosing section in ReportFacts.sections
    rule: str                  # id of the numbering-scheme row that matched
    kind: str = "other"        # one of SECTION_KINDS
    kind_rule: str | None = None  # id of the classification row that decided `kind`
    text: str = ""             # body text (without the heading line)


@dataclass
class Issue:
    """A problem raised by the inspection, or a shortcoming an annual report admits."""

    ordinal: int
    title: str                 # the problem as named, without 针对“…”问题 wrapping
    start: int                 # span of the whole item (title and its measures)
    end: int
    title_start: int
    title_end: int
    rule: str
    section: int | None        # enclosing section index (None: directly under the report)
    aspect: int | None         # section index of the thematic group, None for shortcomings
    status: str | None = None  # 已完成 / 基本完成 / 正在推进 / 长期坚持 …
    deadline: str | None = None
    long_term: bool = False
    orgs: list[OrgRef] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    own_section: int | None = None  # index of the item's own numbered heading, if it has one


@dataclass
class Measure:
    """A rectification measure under an issue, or an initiative of an annual report."""

    ordinal: int
    label: str                 # short label: first clause / initiative title
    text: str                  # full text of the measure
    start: int
    end: int
    rule: str
    issue: int | None          # index into ReportFacts.issues (None for initiatives)
    section: int | None        # enclosing section index
    aspect: int | None         # section index of the thematic group
    status: str | None = None
    deadline: str | None = None
    documents: list[DocumentRef] = field(default_factory=list)
    orgs: list[OrgRef] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    own_section: int | None = None  # index of the measure's own numbered heading, if it has one


@dataclass
class Header:
    """Who inspected whom and when, who reports, and how to reach them."""

    report_kind: str = "rectification"   # "rectification" | "annual"
    agency: str | None = None            # canonical full name: 上海市应急管理局
    agency_as_written: str | None = None  # 市应急局
    place: str | None = None             # 上海市 / 芜湖市
    inspection_kind: str | None = None   # 巡视 | 巡察
    inspection_body: str | None = None   # as written: 市委第六巡视组
    inspection_body_canonical: str | None = None  # with the place: 上海市委第六巡视组
    start_date: str | None = None        # ISO dates (YYYY-MM-DD, or YYYY-MM / YYYY)
    end_date: str | None = None
    feedback_date: str | None = None
    round: str | None = None             # 十二届市委第五轮巡视
    published: str | None = None         # date at the foot
    status_date: str | None = None       # 截至2025年9月10日
    title: str | None = None
    signature: str | None = None         # 中共芜湖市应急管理局委员会
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    postcode: str | None = None
    address: str | None = None
    provenance: dict[str, Rule] = field(default_factory=dict)  # field name -> where it was found


@dataclass
class Stats:
    """Totals the report states about itself."""

    issues_total: int | None = None
    issues_completed: int | None = None
    measures_total: int | None = None
    measures_completed: int | None = None
    new_rules: int | None = None
    revised_rules: int | None = None
    funds_recovered_yuan: Decimal | None = None
    provenance: dict[str, Rule] = field(default_factory=dict)


@dataclass
class Source:
    """Where the report came from."""

    name: str                  # file name
    path: str | None = None    # absolute path when ingested from disk
    format: str = "text"       # text | html | docx | pdf
    encoding: str | None = None
    sha256: str = ""           # of the raw bytes
    url: str | None = None     # source URL when known (HTML pages)
    published: str | None = None  # publication date given by the page/metadata


@dataclass
class ReportFacts:
    """Everything one parse found in one report."""

    text: str                  # the normalized text every span points into
    source: Source
    header: Header
    stats: Stats
    sections: list[Section] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)  # every 《》 mention in the text
    orgs: list[OrgRef] = field(default_factory=list)            # every org/role mention found
    warnings: list[str] = field(default_factory=list)
