"""What one synthetic report says, before it is laid out: agency, inspection, dates, aspects,
issues with their measures, stated totals, contacts.  Pure functions of a random generator."""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from ingest.synth.world import Agency, cn_number, load, make_agency, other_agencies

_SLOT = re.compile(r"\{(\w+)\}")
EXTRA_SENTENCES = (0.8, 0.5, 0.2)         # chance of a first and a second sentence extending a measure
ISSUES_PER_ASPECT = {"decision": (4, 9), "discipline": (3, 8), "organisation": (3, 6), "followup": (1, 4)}
MEASURES_PER_ISSUE = ((2, 3, 4, 5, 6, 7, 8), (1, 3, 4, 4, 3, 2, 1))


@dataclass
class IssuePlan:
    title: str
    measures: list[str]
    status: str                       # 已完成 / 正在推进 / 长期坚持
    unit: str
    role: str
    deadline: str
    description: str | None = None


@dataclass
class AspectPlan:
    core: str                         # heading without the layout's wrapper
    group: str                        # focus / decision / discipline / organisation / followup
    issues: list[IssuePlan] = field(default_factory=list)


@dataclass
class Stated:
    """Totals the report states, and the words that state them (None: not stated)."""

    values: dict[str, float | int] = field(default_factory=dict)
    sentence: str | None = None
    status_date: str | None = None


@dataclass
class ReportPlan:
    kind: str                         # rectification | annual
    agency: Agency
    inspection_kind: str | None
    body: str | None
    round: str | None
    start: dt.date | None
    end: dt.date | None
    feedback: dt.date | None
    feedback_has_year: bool
    published: dt.date
    aspects: list[AspectPlan]
    long_term: list[tuple[str, str, str]]      # (title, status, paragraph)
    stated: Stated
    slots: dict[str, str]
    laws: list[str]                             # every law / shared rule the report must name
    extra_docs: list[str]                       # shared documents for the opening / next steps
    shortcomings: list[str] = field(default_factory=list)


class Filler:
    """Fills {slots} of template strings from fixed values and the slot lists of templates.toml."""

    def __init__(self, rng: random.Random, fixed: dict[str, str], avoid: str | None = None):
        self.rng = rng
        self.fixed = fixed
        self.lists = load("templates.toml")
        if avoid:          # annual reports: no rectification wording (整改) in what they say they did
            self.lists = {k: [x for x in v if avoid not in x] or v if isinstance(v, list) else v
                          for k, v in self.lists.items()}

    def __call__(self, template: str, **extra: str) -> str:
        def one(m: re.Match) -> str:
            key = m.group(1)
            if key in extra:
                return str(extra[key])
            if key in self.fixed:
                return self.fixed[key]
            if key in ("n", "n2"):
                return str(self.rng.randint(2, 12))
            if key == "n3":
                return str(self.rng.randint(20, 480))
            if key == "m":
                return f"{self.rng.randint(3, 900) / 100:.2f}"
            values = self.lists.get(key)
            if not values:
                raise KeyError(f"templates.toml: no slot list {key!r} for {template!r}")
            return self(self.rng.choice(values), **extra)
        return _SLOT.sub(one, template)

    def pick(self, name: str, **extra: str) -> str:
        return self(self.rng.choice(self.lists[name]), **extra)


def zh_date(d: dt.date, year: bool = True) -> str:
    return (f"{d.year}年" if year else "") + f"{d.month}月{d.day}日"


def _weighted_docs(rng: random.Random, rows: list[dict]) -> list[str]:
    return [r["name"] for r in rows if rng.random() < r["weight"]]


def law_forms(rng: random.Random, short: str) -> list[str]:
    """How a report names a national law: long, short, or both (in different measures)."""
    r = rng.random()
    long = "中华人民共和国" + short
    return [long] if r < 0.55 else [short] if r < 0.85 else [long, short]


def _title(rng: random.Random, obj: str, themes: dict) -> str:
    title = obj + rng.choice(themes["predicates"])
    if rng.random() < 0.12:
        title += "，" + rng.choice(themes["afterthoughts"])
    return title


def _own_doc(rng: random.Random, agency: Agency, core: str, generic: bool) -> str:
    """A document of the agency (its full name + core) or of its place (place + core)."""
    if generic or rng.random() < 0.35:
        return agency.canonical + core
    return agency.place.name + core


def _measures(rng: random.Random, fill: Filler, agency: Agency, obj: str, docs: list[str], generic: bool,
              k: int, money: bool) -> tuple[list[str], float]:
    """k measure texts for one issue; returns them and the money they say was recovered (万元)."""
    t = fill.lists
    frames = []
    if docs and rng.random() < 0.75:
        frames.append(("doc", rng.choice(t["measure_doc"])))
    plain = rng.sample(t["measure_plain"], min(len(t["measure_plain"]), k + 1))
    frames += [("plain", f) for f in plain]
    if money:
        frames.insert(rng.randint(1, 2), ("money", rng.choice(t["measure_money"])))
    out, total = [], 0.0
    for kind, frame in frames[:k]:
        extra = {"obj": obj}
        if kind == "doc":
            extra["doc"] = _own_doc(rng, agency, rng.choice(docs), generic)
        if kind == "money":
            m = rng.randint(5, 1500) / 100
            total += m
            extra["m"] = f"{m:.2f}"
        text = fill(frame, **extra)
        if kind != "money":
            extras = sum(rng.random() < chance for chance in EXTRA_SENTENCES)
            for sentence in rng.sample(fill.lists["measure_extra"], extras):
                text += fill(sentence, obj=obj)
        out.append(text)
    rng.shuffle(out)
    return out, total


def _cite(fill: Filler, rng: random.Random, law: str, obj: str) -> str:
    return fill(rng.choice(fill.lists["measure_cite"]), law=law, obj=obj)


def _deadline(rng: random.Random, published: dt.date) -> str:
    d = published + dt.timedelta(days=rng.randint(-120, 240))
    return rng.choice([f"{d.year}年{d.month}月底前", f"{d.year}年{d.month}月底前", "长期坚持", "立行立改", f"{d.year}年底前"])


def make_plan(rng: random.Random, annual: bool) -> ReportPlan:
    """Decide everything a report says; layouts only decide how it is written."""
    themes = load("themes.toml")
    agency = make_agency(rng, annual)
    dom = themes["domain"][agency.domain]
    kind_word = agency.inspection_kind
    year = rng.randint(2018, 2024)
    start = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
    end = start + dt.timedelta(days=rng.randint(35, 80))
    feedback = end + dt.timedelta(days=rng.randint(15, 100))
    status_date = feedback + dt.timedelta(days=rng.randint(80, 200))
    status_date = (status_date.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    published = status_date + dt.timedelta(days=rng.randint(8, 45))
    upper = agency.upper
    body = f"{upper}第{cn_number(rng.randint(1, 12))}{kind_word}组"
    rnd = f"{cn_number(rng.randint(9, 16))}届{upper}第{cn_number(rng.randint(1, 14))}轮{kind_word}"
    lt = load("templates.toml")
    fixed = {"A": agency.canonical, "a": agency.written, "s": agency.self_ref, "org": agency.org,
             "sec": agency.secretary, "B": body, "K": kind_word, "R": rnd, "upper": upper,
             "dept": agency.dept, "office": agency.units[0],
             "other": "", "upper_agency": "上级主管部门",
             "work": "、".join(rng.sample(dom["objects"], 2))}
    fixed["plan_doc"] = rng.choice([f"{agency.canonical}落实{body}反馈意见整改工作方案",
                                    f"关于落实{body}{kind_word}反馈意见的整改方案",
                                    f"{agency.canonical}{kind_word}整改工作方案"])
    fill = Filler(rng, fixed, "整改" if annual else None)
    fixed["other"] = rng.choice(other_agencies(agency))

    # laws and shared rules this report names, with the Zipf-like reuse of themes.toml
    laws: list[str] = []
    for row in themes["law"]:
        if rng.random() < row["weight"]:
            laws += law_forms(rng, row["name"])
    for name in dom.get("laws", []):
        if name not in {r["name"] for r in themes["law"]} and rng.random() < 0.35:
            laws += law_forms(rng, name)
    laws += _weighted_docs(rng, themes["rule"])
    prov = agency.place.province
    city = agency.place.name if agency.place.level == "city" else agency.place.city
    shared = [d.format(p=prov) for d in rng.sample(themes["shared"]["provincial"], rng.randint(0, 2))]
    if city and rng.random() < 0.4:
        shared.append(rng.choice(themes["shared"]["municipal"]).format(c=city))
    laws += shared
    if annual:             # an annual report does not cite the inspection rules
        laws = [d for d in laws if not any(w in d for w in ("巡察", "巡视", "整改"))]
    rng.shuffle(laws)

    if annual:
        return _annual_plan(rng, fill, agency, laws, year, themes, fixed)

    # aspects and issues
    groups = ["decision", "discipline", "organisation"]
    if rng.random() < 0.6:
        groups.append("followup")
    if kind_word == "巡视" and rng.random() < 0.5:
        groups.insert(rng.randint(0, 1), "decision")
    if rng.random() < 0.25:
        groups.insert(2, "discipline")
    focus = kind_word == "巡察" and rng.random() < 0.4
    if focus:
        groups = ["decision", "discipline", "organisation", "followup"]
    aspects: list[AspectPlan] = []
    size = min(2.5, max(0.5, rng.lognormvariate(0.4, 0.35)))     # some reports list 6 issues, some 60
    titles: set[str] = set()
    used_objects: set[str] = set()
    money_left = rng.randint(0, 3)
    total_money = 0.0
    cores_used: set[str] = set()
    for gi, group in enumerate(groups):
        if focus:
            core = themes["aspects"]["focus"][gi]
        else:
            choices = [c.format(upper=upper) for c in themes["aspects"][group]]
            core = rng.choice([c for c in choices if c not in cores_used] or choices)
            cores_used.add(core)
        aspect = AspectPlan(core=core, group=group)
        for _ in range(round(rng.randint(*ISSUES_PER_ASPECT[group]) * size)):
            generic = group != "decision"
            src = dom if not generic else themes["generic"][group]
            if generic and rng.random() < 0.5:
                title = rng.choice(src["titles"]).replace("巡察" if kind_word == "巡视" else "巡视", kind_word)
                obj = rng.choice(src["objects"])
            else:
                pool = [o for o in src["objects"] if o not in used_objects] or src["objects"]
                obj = rng.choice(pool)
                used_objects.add(obj)
                title = _title(rng, obj, themes)
            if title in titles:
                continue
            titles.add(title)
            k = rng.choices(*MEASURES_PER_ISSUE)[0]
            money = group in ("discipline", "followup") and money_left > 0 and rng.random() < 0.35
            money_left -= money
            measures, m = _measures(rng, fill, agency, obj, src["docs"], generic, k, money)
            total_money += m
            status = rng.choices(("已完成", "正在推进", "长期坚持"), (7, 2, 1))[0]
            desc = fill.pick("issue_descriptions") if rng.random() < 0.5 else None
            aspect.issues.append(IssuePlan(title, measures, status, rng.choice(agency.units),
                                           rng.choice(agency.roles), _deadline(rng, published), desc))
        if aspect.issues:
            aspects.append(aspect)
    # every chosen law is named by some measure
    all_issues = [i for a in aspects for i in a.issues]
    extra_docs = []
    for law in laws:
        if rng.random() < 0.85:
            issue = rng.choice(all_issues)
            issue.measures.insert(rng.randint(0, len(issue.measures)), _cite(fill, rng, law, "相关工作"))
        else:
            extra_docs.append(law)

    long_term = []
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 3)):
            t = rng.choice(themes["long_term"]["titles"]).format(obj=rng.choice(dom["objects"]))
            if t not in titles:
                titles.add(t)
                long_term.append((t, rng.choice(themes["long_term"]["statuses"]),
                                  fill("目前，{obj}相关工作正在按计划推进。下一步将{act}，{purpose}。",
                                       obj=rng.choice(dom["objects"]))))

    stated = _stated(rng, fill, aspects, total_money, status_date, body)
    return ReportPlan("rectification", agency, kind_word, body, rnd if rng.random() < 0.6 else None,
                      start, end, feedback, rng.random() < 0.8, published, aspects, long_term, stated, fixed,
                      laws, extra_docs)


def _stated(rng: random.Random, fill: Filler, aspects: list[AspectPlan], money: float,
            status_date: dt.date, body: str) -> Stated:
    """The totals sentence: the counts listed, sometimes deliberately off (auditors look for that)."""
    t = fill.lists
    issues = [i for a in aspects for i in a.issues]
    ni, na = len(issues), len(aspects)
    if rng.random() < 0.2:
        ni += rng.randint(1, 2 * ni)          # a refined count the body does not list
    done = sum(i.status == "已完成" for i in issues)
    done = min(done, ni)
    nm = sum(len(i.measures) for i in issues)
    if rng.random() < 0.15:
        nm += rng.randint(1, 12)
    nmd = max(0, nm - rng.randint(0, max(1, nm // 8)))
    st = Stated()
    parts, values = [], {}
    if rng.random() < 0.85:
        if done == ni:
            tpl = rng.choice(t["sum_issues_all"])
        else:
            tpl = rng.choice(t["sum_issues_done"])
        parts.append(fill(tpl, na=str(na), ni=str(ni), nid=str(done), nrest=str(ni - done)))
        values["issues_total"] = ni
        values["issues_completed"] = done
    if rng.random() < 0.7:
        parts.append(fill(rng.choice(t["sum_measures"]), nm=str(nm), nmd=str(nmd)))
        values["measures_total"] = nm
        values["measures_completed"] = nmd
    if money or rng.random() < 0.2:
        funds = round(money if money and rng.random() < 0.8 else rng.randint(50, 9000) / 100, 2)
        parts.append(fill(rng.choice(t["sum_funds"]), funds=f"{funds:.2f}"))
        values["funds_recovered_yuan"] = round(funds * 10000)
    if rng.random() < 0.6:
        nr, nrr = rng.randint(2, 30), rng.randint(1, 20)
        parts.append(fill(rng.choice(t["sum_rules"]), nr=str(nr), nrr=str(nrr)))
        values["new_rules"], values["revised_rules"] = nr, nrr
    if rng.random() < 0.4:
        parts.append(fill.pick("sum_discipline"))
    if not values:
        return st
    opener = rng.choice(t["summary_open"])
    st.status_date = status_date.isoformat() if "{sd}" in opener else None
    st.sentence = fill(opener, sd=zh_date(status_date)) + "；".join(parts) + "。"
    st.values = values
    return st


def _annual_plan(rng: random.Random, fill: Filler, agency: Agency, laws: list[str], year: int, themes: dict,
                 fixed: dict[str, str]) -> ReportPlan:
    t = fill.lists
    dom = themes["domain"][agency.domain]
    fixed["Y"], fixed["Y1"] = str(year), str(year + 1)
    fixed["gov"] = agency.place.prefix + "政府" if agency.place.level != "province" else "省政府"
    fixed["prov_plan"] = f"{agency.place.province}法治政府建设实施方案（2021—2025年）"
    cats = rng.sample(t["annual_categories"], rng.randint(5, 10))
    aspects, seen = [], set()
    for core in cats:
        aspect = AspectPlan(core=core, group="annual")
        for _ in range(rng.randint(2, 5)):
            title = rng.choice(t["initiative_verbs"]) + rng.choice(t["initiative_objects"] + dom["objects"])
            if title in seen:
                continue
            seen.add(title)
            obj = rng.choice(dom["objects"])
            measures, _ = _measures(rng, fill, agency, obj, dom["docs"], False, rng.randint(3, 5), False)
            aspect.issues.append(IssuePlan(title, measures, "", "", "", ""))
        if aspect.issues:
            aspects.append(aspect)
    all_items = [i for a in aspects for i in a.issues]
    extra = []
    for law in laws:
        if rng.random() < 0.85:
            item = rng.choice(all_items)
            item.measures.insert(rng.randint(0, len(item.measures)), _cite(fill, rng, law, "相关工作"))
        else:
            extra.append(law)
    shortcomings = rng.sample(t["shortcomings"], rng.randint(2, 4))
    published = dt.date(year + 1, rng.randint(1, 3), rng.randint(1, 28))
    return ReportPlan("annual", agency, None, None, None, None, None, None, True, published, aspects, [],
                      Stated(), fixed, laws, extra, shortcomings)
