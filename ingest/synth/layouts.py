"""How a planned report is written down: the numbering layouts of the genre, punctuation,
PDF line breaks and portal wrapping; each layout returns its lines and the gold it implies."""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ingest.synth.plan import AspectPlan, Filler, IssuePlan, ReportPlan, zh_date
from ingest.synth.world import cn_number, load

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_FULLWIDTH_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")
_HALF = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";"})
_ASCII_QUOTES = str.maketrans({"“": '"', "”": '"'})

# Rectification layouts and their shares; annual reports are chosen before (see generator).
LAYOUTS = {
    "nested": 16, "runon": 14, "prose": 9, "unnumbered": 11, "table": 11, "pdf_parts": 9, "flat": 6,
    "nested_circled": 12, "nested_shi": 12,
}


@dataclass
class Style:
    """Glyph and punctuation choices applied to the whole report."""

    half: bool                 # ASCII commas, parentheses, colons, semicolons
    ascii_quotes: bool
    marker: str                # dot | dun | fw_dot | fw_dun (1. 1、 １． １、)

    def tr(self, s: str) -> str:
        if self.half:
            s = s.translate(_HALF)
        if self.ascii_quotes:
            s = s.translate(_ASCII_QUOTES)
        return s

    def num(self, n: int) -> str:
        """The issue-level marker: 1. / 1、 / １． / １、"""
        mark = {"dot": f"{n}.", "dun": f"{n}、", "fw_dot": f"{n}.".translate(_FULLWIDTH_DIGITS),
                "fw_dun": f"{n}".translate(_FULLWIDTH_DIGITS) + "、"}[self.marker]
        return mark


@dataclass
class Gold:
    aspects: list[dict] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)
    long_term: list[dict] = field(default_factory=list)
    initiatives: list[dict] = field(default_factory=list)
    shortcomings: list[dict] = field(default_factory=list)
    contact: dict = field(default_factory=lambda: {"phone": [], "email": [], "postcode": None})
    published: str | None = None
    features: dict = field(default_factory=dict)


class Writer:
    """Writes one report: shared blocks (opening, context, totals, next steps, foot) and layouts."""

    def __init__(self, plan: ReportPlan, rng: random.Random, style: Style):
        self.p, self.rng, self.style = plan, rng, style
        self.fill = Filler(rng, plan.slots)
        self.t = load("templates.toml")
        self.gold = Gold()
        self.lines: list[str] = []
        self.summary_written = False

    # ---- helpers ----
    def t_aspect_forms(self) -> list[str]:
        return load("themes.toml")["aspects"]["forms"]

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def aspect_heading(self, aspect: AspectPlan, form: str) -> str:
        if aspect.core.startswith("聚焦"):
            return aspect.core
        return form.format(core=aspect.core)

    def issue_gold(self, aspect: int | None, ordinal: int, issue: IssuePlan, measures: int | None) -> None:
        self.gold.issues.append({"aspect": aspect, "ordinal": ordinal, "title": self.style.tr(issue.title),
                                 "measures": measures})

    def aspect_gold(self, ordinal: int, heading: str) -> None:
        self.gold.aspects.append({"ordinal": ordinal, "heading": self.style.tr(heading)})

    # ---- opening ----
    def title_and_opening(self) -> None:
        p, rng = self.p, self.rng
        if rng.random() < 0.8:
            self.add(self.fill.pick("titles", org=p.agency.org_open), "")
        start, end = p.start, p.end
        end_text = zh_date(end, year=end.year != start.year)
        period = f"{zh_date(start)}至{end_text}"
        fb = zh_date(p.feedback, year=p.feedback_has_year)
        opening = self.fill.pick("openings", period=period, period_alt=period, fb=fb, org=p.agency.org_open)
        tail = self.fill.pick("opening_tails") if rng.random() < 0.7 else ""
        self.add(opening + tail + self.fill.pick("opening_ends"), "")
        self.gold.features["feedback_year"] = p.feedback_has_year

    def context_paragraphs(self, n: int) -> list[tuple[str, str]]:
        heads = self.rng.sample(self.t["context_heads"], n)
        issues = [i for a in self.p.aspects for i in a.issues]
        t1, t2 = (self.rng.sample(issues, 2) if len(issues) >= 2 else (issues * 2)[:2])
        paras = self.rng.sample(self.t["context_paras"], n)
        out = []
        for i, (h, para) in enumerate(zip(heads, paras)):
            text = self.fill(para, t1=t1.title, t2=t2.title) + self.plan_doc_sentence(i)
            if self.rng.random() < 0.6:
                text += self.fill(self.rng.choice([p for p in self.t["context_paras"] if p != para]),
                                  t1=t1.title, t2=t2.title)
            out.append((h, text))
        return out

    def plan_doc_sentence(self, i: int) -> str:
        if i != 0 or self.rng.random() < 0.4:
            return ""
        return f"研究制定《{self.p.slots['plan_doc']}》，逐项明确整改措施、责任领导和完成时限。"

    def context_block(self, scheme: str) -> None:
        """Part one (how the work was organised), numbered by the given scheme."""
        paras = self.context_paragraphs(self.rng.randint(3, 5))
        summary = self.summary_here("context")
        for i, (head, text) in enumerate(paras, 1):
            if scheme == "paren" and self.rng.random() < 0.5:
                self.add(f"（{cn_number(i)}）{head}。{text}")
            elif scheme == "paren":
                self.add(f"（{cn_number(i)}）{head}", text)
            elif scheme == "dun":
                self.add(f"{i}、{head}。{text}")
            elif scheme == "cn":
                self.add(f"{cn_number(i)}、{head}。{text}")
            elif scheme == "shi":
                self.add(f"{cn_number(i)}是{head}。{text}")
            else:
                self.add(text)
        if summary:
            self.add(summary)

    def summary_here(self, where: str) -> str | None:
        if self.p.stated.sentence and self.gold.features.get("summary") == where:
            self.summary_written = True
            return self.p.stated.sentence
        return None

    def next_steps(self, scheme: str) -> None:
        heads = self.rng.sample(self.t["next_heads"], 3)
        paras = [self.fill(x) for x in self.rng.sample(self.t["next_paras"], 3)]
        extra = [d for d in self.p.extra_docs]
        if extra:
            names = "".join(f"《{d}》" for d in extra)
            paras[-1] += f"严格对照{names}等规定要求，持续巩固整改成果。"
        if scheme == "paren":
            for i, (h, t) in enumerate(zip(heads, paras), 1):
                self.add(f"（{cn_number(i)}）{h}。{t}")
        elif scheme == "shi":
            self.add("".join(f"{cn_number(i)}是{h}。{t}" for i, (h, t) in enumerate(zip(heads, paras), 1)))
        else:
            self.add(f"下一步，{self.p.agency.self_ref}{self.p.agency.org}将" + "".join(paras))

    # ---- foot ----
    def foot(self, contact_style: str | None = None) -> None:
        p, rng, a = self.p, self.rng, self.p.agency
        style = contact_style or rng.choices(["lines", "oneline", "phone_addr", "none"], (4, 3, 1.5, 1.5))[0]
        self.gold.features["contact"] = style
        if style != "none" and p.kind == "rectification":
            area = a.place.area
            digits = rng.randint(1000000, 9999999) if a.place.level != "province" else rng.randint(10000000, 89999999)
            local = style == "phone_addr" and rng.random() < 0.3
            dash = rng.choice(["-", "－"])
            phone = str(digits) if local else f"{area}{dash}{digits}"
            letters = "".join(rng.choice("bcdfghjklmnpqrstwxyz") for _ in range(rng.randint(3, 6)))
            email = letters + rng.choice(["_xczg", "xczg", "_xszg", "zgb", "jjjc"]) + "@" + rng.choice(
                ["163.com", "126.com", "qq.com", "sina.com"])
            road = rng.choice(["文昌路", "建设大道", "人民路", "迎宾路", "滨江大道", "解放路", "新华路", "府前路", "政务大道"])
            where = a.place.name if a.place.level != "county" else a.place.city + a.place.name
            office = a.units[0][1:] if a.canonical.endswith(a.units[0][0]) else a.units[0]
            address = f"{where}{road}{rng.randint(1, 300)}号{a.canonical}{office}"
            post = a.place.post
            self.add(self.fill.pick("closings"))
            self.gold.contact["phone"] = [phone.replace("－", "-")]
            if style == "lines":
                self.add(f"联系电话：{phone}", f"电子邮箱：{email}", f"通讯地址：{address}", f"邮政编码：{post}")
                self.gold.contact["email"] = [email]
                self.gold.contact["postcode"] = post
            elif style == "oneline":
                self.add(f"联系电话：{phone}；电子邮箱：{email}；通讯地址：{address}；邮政编码：{post}。")
                self.gold.contact["email"] = [email]
                self.gold.contact["postcode"] = post
            else:
                self.add(f"联系电话：{phone}；通讯地址：{address}。")
        self.add("")
        if rng.random() < 0.92:
            self.add(a.signature)
        self.date_line()

    def date_line(self) -> None:
        d, rng = self.p.published, self.rng
        style = rng.choices(["full", "month", "cn", "none"], (85, 6, 4, 5))[0]
        self.gold.features["date"] = style
        if style == "full":
            self.add(zh_date(d))
            self.gold.published = d.isoformat()
        elif style == "month":
            self.add(f"{d.year}年{d.month}月")
            self.gold.published = d.isoformat()[:7]
        elif style == "cn":
            year = "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year))
            self.add(f"{year}年{cn_number(d.month)}月{cn_number(d.day)}日")
            self.gold.published = d.isoformat()

    # ---- issue bodies ----
    def issue_heading(self, issue: IssuePlan, form: str, status: bool) -> str:
        h = {"zhendui": "针对{t}问题", "zhendui_quoted": "针对“{t}”问题", "guanyu": "关于{t}的问题",
             "self": "{t}"}[form].format(t=issue.title)
        if status and form != "self":
            h += f"（{issue.status}）"
        return h

    def measure_lines(self, issue: IssuePlan, mstyle: str) -> list[str]:
        ms = issue.measures
        if mstyle == "paren":
            return [f"（{i}）{m}" for i, m in enumerate(ms, 1)]
        if mstyle == "circled":
            return [f"{CIRCLED[i - 1]}{m}" for i, m in enumerate(ms, 1)]
        if mstyle == "shi_lines":
            return [f"{cn_number(i)}是{m}" for i, m in enumerate(ms, 1)]
        if mstyle == "shi_inline":
            return ["".join(f"{cn_number(i)}是{m}" for i, m in enumerate(ms, 1))]
        raise ValueError(mstyle)

    def prose(self, issue: IssuePlan) -> list[str]:
        ms = list(issue.measures)
        cut = sorted(self.rng.sample(range(1, len(ms)), min(len(ms) - 1, self.rng.randint(0, 2)))) if len(ms) > 1 else []
        out, last = [], 0
        for c in cut + [len(ms)]:
            out.append("".join(ms[last:c]))
            last = c
        return out

    def long_term_part(self, number: int) -> None:
        if not self.p.long_term:
            return
        self.add(f"{cn_number(number)}、{self.fill.pick('part_long_term')}")
        for i, (title, status, para) in enumerate(self.p.long_term, 1):
            self.add(f"{self.style.num(i)}关于{title}的问题（{status}）", para)
            self.gold.long_term.append({"ordinal": i, "title": self.style.tr(title), "status": status})


# ---- layouts: each writes the body between the opening and the foot ----

def _choose(rng: random.Random, features: dict, name: str, options: list[str], weights=None) -> str:
    value = rng.choices(options, weights)[0] if weights else rng.choice(options)
    features[name] = value
    return value


def layout_nested(w: Writer, mstyle: str | None = None, flat: bool = False) -> None:
    """一、> (一) > 1. > (1)/①/一是: the full outline of domain.md (flat: starts at (一))."""
    rng, f = w.rng, w.gold.features
    mstyle = mstyle or _choose(rng, f, "measures", ["paren", "circled"], (3, 1))
    f["measures"] = mstyle
    form = _choose(rng, f, "title_form", ["guanyu", "zhendui", "zhendui_quoted", "self"], (4, 3, 2, 1))
    status = rng.random() < 0.35 and form != "self"
    f["status"] = status
    restart = _choose(rng, f, "ordinals", ["restart", "continuous"]) == "restart"
    aform = rng.choice(w.t_aspect_forms())
    _choose(rng, f, "summary", ["context", "after_issues", "none"], (4, 4, 1))
    w.title_and_opening()
    part = 1
    if flat:
        w.context_block("plain")
    else:
        w.add(f"一、{w.fill.pick('part_context')}")
        w.context_block(rng.choice(["paren", "dun", "shi"]))
        part = 2
        w.add(f"二、{w.fill.pick('part_issues')}")
    n = 0
    for ai, aspect in enumerate(w.p.aspects, 1):
        heading = w.aspect_heading(aspect, aform)
        w.add(f"（{cn_number(ai)}）{heading}")
        w.aspect_gold(ai, heading)
        if restart:
            n = 0
        for issue in aspect.issues:
            n += 1
            w.add(w.style.num(n) + w.issue_heading(issue, form, status))
            w.add(*w.measure_lines(issue, mstyle))
            w.issue_gold(ai, n, issue, len(issue.measures))
    if s := w.summary_here("after_issues"):
        w.add(s)
    if flat:
        w.next_steps("plain")
        return
    if w.p.long_term:
        part += 1
        w.long_term_part(part)
    part += 1
    w.add(f"{cn_number(part)}、{w.fill.pick('part_next')}")
    w.next_steps(rng.choice(["paren", "shi"]))


def layout_runon(w: Writer) -> None:
    """1.针对“X”问题。一是…二是…: title and enumerated measures in one paragraph."""
    rng, f = w.rng, w.gold.features
    form = _choose(rng, f, "title_form", ["zhendui_quoted", "zhendui", "guanyu"], (5, 2, 2))
    restart = _choose(rng, f, "ordinals", ["restart", "continuous"], (1, 3)) == "restart"
    aform = rng.choice(w.t_aspect_forms())
    _choose(rng, f, "summary", ["context", "after_issues", "none"], (3, 4, 2))
    w.title_and_opening()
    w.add(f"一、{w.fill.pick('part_context')}")
    w.context_block(rng.choice(["shi", "paren", "plain"]))
    w.add(f"二、{w.fill.pick('part_issues')}")
    n = 0
    for ai, aspect in enumerate(w.p.aspects, 1):
        heading = w.aspect_heading(aspect, aform)
        w.add(f"（{cn_number(ai)}）{heading}")
        w.aspect_gold(ai, heading)
        if restart:
            n = 0
        for issue in aspect.issues:
            n += 1
            head = w.issue_heading(issue, form, False)
            w.add(w.style.num(n) + head + "。" + w.measure_lines(issue, "shi_inline")[0])
            w.issue_gold(ai, n, issue, len(issue.measures))
    if s := w.summary_here("after_issues"):
        w.add(s)
    part = 3
    if w.p.long_term:
        w.long_term_part(part)
        part += 1
    w.add(f"{cn_number(part)}、{w.fill.pick('part_next')}")
    w.next_steps("shi")


def layout_prose(w: Writer) -> None:
    """1.针对X问题 as a heading, the measures as running paragraphs (not enumerated)."""
    rng, f = w.rng, w.gold.features
    form = _choose(rng, f, "title_form", ["zhendui", "guanyu", "self"], (4, 2, 2))
    restart = _choose(rng, f, "ordinals", ["restart", "continuous"], (1, 2)) == "restart"
    aform = rng.choice(w.t_aspect_forms())
    _choose(rng, f, "summary", ["context", "after_issues", "none"], (4, 3, 2))
    w.title_and_opening()
    w.add(f"一、{w.fill.pick('part_context')}")
    w.context_block(rng.choice(["paren", "dun"]))
    w.add(f"二、{w.fill.pick('part_issues')}")
    n = 0
    for ai, aspect in enumerate(w.p.aspects, 1):
        heading = w.aspect_heading(aspect, aform)
        w.add(f"（{cn_number(ai)}）{heading}")
        w.aspect_gold(ai, heading)
        if restart:
            n = 0
        for issue in aspect.issues:
            n += 1
            w.add(w.style.num(n) + w.issue_heading(issue, form, False), *w.prose(issue))
            w.issue_gold(ai, n, issue, None)
    if s := w.summary_here("after_issues"):
        w.add(s)
    w.add(f"三、{w.fill.pick('part_next')}")
    w.next_steps("paren")


def layout_unnumbered(w: Writer) -> None:
    """Aspect headings, then paragraphs opening 关于…的问题, each followed by 整改情况：…"""
    rng, f = w.rng, w.gold.features
    same_line = _choose(rng, f, "progress", ["own_line", "same_line"], (3, 2)) == "same_line"
    aform = rng.choice(w.t_aspect_forms())
    _choose(rng, f, "summary", ["context", "none"], (4, 1))
    w.title_and_opening()
    w.add(f"一、{w.fill.pick('part_context')}")
    w.context_block(rng.choice(["dun", "paren"]))
    w.add(f"二、{w.fill.pick('part_issues')}")
    for ai, aspect in enumerate(w.p.aspects, 1):
        heading = w.aspect_heading(aspect, aform)
        w.add(f"（{cn_number(ai)}）{heading}")
        w.aspect_gold(ai, heading)
        for n, issue in enumerate(aspect.issues, 1):
            title = w.issue_heading(issue, rng.choice(["guanyu", "guanyu", "guanyu", "zhendui"]), False)
            label = rng.choice(["整改情况", "整改情况", "整改进展", "整改落实情况"])
            state = f"{issue.status}。" if rng.random() < 0.2 else ""
            body = label + "：" + state + "".join(issue.measures)
            if same_line:
                w.add(f"{title}。{body}")
            else:
                w.add(title, body)
            w.issue_gold(ai, n, issue, None)
    w.add(f"三、{w.fill.pick('part_next')}")
    w.next_steps("paren")


def layout_table(w: Writer) -> None:
    """整改情况一览表: tab-separated rows, the aspect cell spanning its rows, measures joined by ；"""
    rng, f = w.rng, w.gold.features
    has_aspect = _choose(rng, f, "aspect_column", ["yes", "no"], (4, 1)) == "yes"
    has_role = rng.random() < 0.8
    f["summary"] = "table" if w.p.stated.sentence else "none"
    w.title_and_opening()
    w.add(f"一、{w.fill.pick('part_context')}")
    w.context_block(rng.choice(["paren", "dun"]))
    w.add(f"二、{w.fill.pick('part_issues')}")
    intro = f"{w.p.body}反馈的{len(w.p.aspects)}个方面问题，{w.p.agency.self_ref}{w.p.agency.org}逐项制定了整改措施。"
    if w.p.stated.sentence:
        intro += w.p.stated.sentence
        w.summary_written = True
    w.add(intro + "具体整改情况见下表。", "")
    w.add(f"{w.p.agency.canonical}{w.p.inspection_kind}反馈问题整改情况{rng.choice(['一览表', '台账', '一览表'])}")
    cols = ["序号"] + (["问题类别"] if has_aspect else []) + ["反馈问题", "整改措施", "责任单位"] + \
        (["责任人"] if has_role else []) + ["整改时限", "整改情况"]
    w.add("\t".join(cols))
    aform = rng.choice(["{core}方面", "{core}方面", "关于{core}方面"])
    n = 0
    for ai, aspect in enumerate(w.p.aspects, 1):
        heading = w.aspect_heading(aspect, aform)
        if has_aspect:
            w.aspect_gold(ai, heading)
        for k, issue in enumerate(aspect.issues):
            n += 1
            ms = [m.split("。")[0] for m in issue.measures]
            cell = "；".join(ms) + "。"
            status = "已完成" if issue.status == "已完成" else issue.status
            deadline = "长期坚持" if issue.status == "长期坚持" else issue.deadline
            row = [str(n)] + ([heading if k == 0 else ""] if has_aspect else []) + \
                [issue.title, cell, issue.unit] + ([issue.role] if has_role else []) + [deadline, status]
            w.add("\t".join(row))
            w.issue_gold(ai if has_aspect else None, n, issue, len(ms))
    w.add("")
    w.add(f"三、{w.fill.pick('part_next')}")
    w.next_steps(rng.choice(["shi", "paren"]))


def layout_pdf_parts(w: Writer) -> None:
    """第一部分 / 【aspect】 / 问题1：title。… 整改措施：①…；②… (a PDF copy: see wrap_pdf)."""
    rng, f = w.rng, w.gold.features
    sep = rng.choice(["　", " ", "：", ""])
    f["summary"] = "context" if w.p.stated.sentence else "none"
    w.title_and_opening()
    w.add(f"第一部分{sep}整改工作总体情况")
    w.context_block("cn")
    w.add(f"第二部分{sep}{w.fill.pick('part_issues')}")
    n = 0
    for ai, aspect in enumerate(w.p.aspects, 1):
        heading = w.aspect_heading(aspect, "{core}方面")
        w.add(f"【{heading}】")
        w.aspect_gold(ai, heading)
        for issue in aspect.issues:
            n += 1
            desc = issue.description or ""
            w.add(f"问题{n}：{issue.title}。{desc}")
            ms = [m.rstrip("。") for m in issue.measures]
            w.add("整改措施：" + "；".join(f"{CIRCLED[i]}{m}" for i, m in enumerate(ms)) + "。")
            w.issue_gold(ai, n, issue, len(ms))
    w.add(f"第三部分{sep}下一步工作打算")
    w.next_steps("shi")


def layout_annual(w: Writer) -> None:
    """法治政府建设年度报告: achievements (categories > initiatives), shortcomings, duties, plans."""
    rng, f, p = w.rng, w.gold.features, w.p
    continuous = _choose(rng, f, "ordinals", ["continuous", "restart"], (4, 1)) == "continuous"
    w.add(w.fill.pick("annual_titles"), "")
    addressee = w.fill.pick("annual_addressees")
    if addressee:
        w.add(addressee)
    w.add(w.fill.pick("annual_openings"), "")
    w.add(f"一、{w.fill.pick('annual_part_achieve')}")
    n = 0
    for ai, aspect in enumerate(p.aspects, 1):
        w.add(f"（{cn_number(ai)}）{aspect.core}")
        w.aspect_gold(ai, aspect.core)
        if not continuous:
            n = 0
        for item in aspect.issues:
            n += 1
            w.add(f"{w.style.num(n)}{item.title}。" + "".join(item.measures))
            w.gold.initiatives.append({"aspect": ai, "ordinal": n, "title": w.style.tr(item.title)})
    w.add(f"二、{w.fill.pick('annual_part_short')}")
    for i, title in enumerate(p.shortcomings, 1):
        w.add(f"（{cn_number(i)}）{title}", w.fill.pick("shortcoming_paras"))
        w.gold.shortcomings.append({"ordinal": i, "title": w.style.tr(title)})
    w.add(f"三、{w.fill.pick('annual_part_duties')}")
    for i, head in enumerate(rng.sample(w.t["duty_heads"], rng.randint(3, 5)), 1):
        w.add(f"（{cn_number(i)}）{head}", w.fill.pick("duty_paras"))
    w.add(f"四、{w.fill.pick('annual_part_plans')}")
    plans = rng.sample(w.t["plan_paras"], rng.randint(3, 5))
    if p.extra_docs:
        plans[-1] = plans[-1].rstrip("。") + "，认真贯彻" + "".join(f"《{d}》" for d in p.extra_docs) + "。"
    for i, para in enumerate(plans, 1):
        w.add(f"（{cn_number(i)}）{para}")
    w.add("")
    if rng.random() < 0.5:
        w.add("特此报告。")
    w.add(p.agency.signature)
    w.date_line()


BODIES = {
    "nested": lambda w: layout_nested(w),
    "nested_circled": lambda w: layout_nested(w, "circled"),
    "nested_shi": lambda w: layout_nested(w, w.rng.choice(["shi_lines", "shi_inline"])),
    "flat": lambda w: layout_nested(w, w.rng.choice(["paren", "shi_inline"]), flat=True),
    "runon": layout_runon,
    "prose": layout_prose,
    "unnumbered": layout_unnumbered,
    "table": layout_table,
    "pdf_parts": layout_pdf_parts,
}


# ---- whole-text modifiers ----

def wrap_pdf(lines: list[str], rng: random.Random) -> list[str]:
    """Hard line breaks at a fixed width and `— n —` page numbers, as text copied from a PDF."""
    width = rng.randint(34, 40)
    per_page = rng.randint(28, 36)
    out, count, page = [], 0, 1
    for line in lines:
        chunks = _break(line, width) if line else [""]
        for chunk in chunks:
            out.append(chunk)
            count += 1
            if count >= per_page:
                out += ["", f"— {page} —", ""]
                page += 1
                count = 0
    out += ["", f"— {page} —"]
    return out


_NO_LINE_START = set("。，；：、）》”’！？,;:)")


def _break(line: str, width: int) -> list[str]:
    """Cut a line every `width` characters, never starting a line with closing punctuation."""
    chunks, i = [], 0
    while i < len(line):
        j = min(i + width, len(line))
        while j < len(line) and line[j] in _NO_LINE_START:
            j += 1
        chunks.append(line[i:j])
        i = j
    return chunks


def portal(lines: list[str], rng: random.Random, agency: str, published: dt.date, annual: bool) -> list[str]:
    """Navigation and footer lines of a government web portal around the report."""
    nav = ["首页 > 政务公开 > 法治政府建设", "当前位置：首页 >> 通知公告"] if annual else \
        ["首页 > 信息公开 > 巡视巡察整改", "当前位置：首页 >> 通知公告", "首页 > 政务公开 > 党务公开"]
    top = [rng.choice(nav),
           f"发布时间：{published.isoformat()}　来源：{agency}　浏览次数：{rng.randint(100, 9000)}", ""]
    bottom = ["", "【打印本页】【关闭窗口】",
              f"主办单位：{agency}　网站标识码：{rng.randint(10 ** 9, 10 ** 10 - 1)}"]
    return top + lines + bottom
