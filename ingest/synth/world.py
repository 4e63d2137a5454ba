"""The invented world of the synthetic corpus: places, agencies and their inspection bodies.

The world is built once from a fixed seed, so the same places and agencies recur across
reports and across corpora; a report's own random generator only chooses within it.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import random
import tomllib
from dataclasses import dataclass
from importlib import resources

WORLD_SEED = "rectigraph-synth-world-1"
CN_DIGITS = "零一二三四五六七八九"


@functools.cache
def load(name: str) -> dict:
    """One of the synth data files (world.toml, themes.toml, templates.toml), parsed once."""
    return tomllib.loads(resources.files("ingest.synth").joinpath(name).read_text(encoding="utf-8"))


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (1..99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Place:
    """A province, city or county-level place with its phone area code and postcode."""

    name: str
    level: str                 # province | city | county
    province: str
    city: str | None
    area: str                  # 0736
    post: str                  # 415600

    @property
    def prefix(self) -> str:
        """The level character a text puts before a body's name (省 / 市 / 县 / 区)."""
        return {"province": "省", "city": "市"}.get(self.level, self.name[-1])


@dataclass(frozen=True)
class Agency:
    """An inspected or reporting body, with the words a report uses for it."""

    canonical: str             # 澄州市交通运输局
    written: str               # 市交通局 (as the opening names it)
    self_ref: str              # 局 / 厅 / 集团 / 中心 / 院 / 部
    org: str                   # 党组 / 党委 / 部务会 …
    org_open: str              # the party organisation as the opening names it ('' for party departments)
    secretary: str             # 局党组书记
    signature: str             # 中共澄州市交通运输局党组
    kind: str                  # 政府部门 / 党委部门 / 国企 / 事业单位
    domain: str
    type_id: str
    place: Place
    units: tuple[str, ...]
    roles: tuple[str, ...]
    dept: str                  # 科室 / 处室 / 股室 / 部门

    @property
    def upper(self) -> str:
        """The party committee whose inspection team visits (省委 / 市委 / 县委 / 区委)."""
        return self.place.prefix + "委"

    @property
    def inspection_kind(self) -> str:
        return "巡视" if self.place.level == "province" else "巡察"


@dataclass(frozen=True)
class World:
    provinces: tuple[Place, ...]
    cities: tuple[Place, ...]
    counties: tuple[Place, ...]
    weights: dict[str, tuple[float, ...]]   # cumulative Zipf-like weights per level


def _zipf_cumulative(n: int, s: float = 0.8) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))


@functools.cache
def world() -> World:
    """Every place of the world, made from the syllable lists with a fixed seed."""
    data = load("world.toml")
    cfg = data["places"]
    rng = random.Random(WORLD_SEED)
    first, second = list(cfg["first"]), list(cfg["second"])
    used = {p["name"][:-1] for p in data["province"]}
    provinces, cities, counties = [], [], []

    def fresh() -> str:
        while True:
            name = rng.choice(first) + rng.choice(second)
            if name not in used and name[0] != name[1]:
                used.add(name)
                return name

    for prov in data["province"]:
        provinces.append(Place(prov["name"], "province", prov["name"], None, "0" + prov["area"][1] + "71",
                               prov["post"] + "0000"))
        for c in range(rng.randint(*cfg["cities_per_province"])):
            city_area = "0" + prov["area"][1] + f"{rng.randint(10, 99)}"
            city_post = prov["post"] + f"{rng.randint(0, 9)}{c % 10}"
            city = Place(fresh() + "市", "city", prov["name"], None, city_area, city_post + "00")
            cities.append(city)
            for k in range(rng.randint(*cfg["counties_per_city"])):
                suffix = "区" if rng.random() < cfg["district_share"] else "县"
                counties.append(Place(fresh() + suffix, "county", prov["name"], city.name, city_area,
                                      city_post + f"{k + 1}0"))
    for group in (provinces, cities, counties):
        rng.shuffle(group)
    weights = {"province": _zipf_cumulative(len(provinces), 0.6), "city": _zipf_cumulative(len(cities)),
               "county": _zipf_cumulative(len(counties))}
    return World(tuple(provinces), tuple(cities), tuple(counties), weights)


def pick_place(rng: random.Random, level: str) -> Place:
    """A place of the level, the first few far more often than the rest (agencies recur)."""
    w = world()
    places = {"province": w.provinces, "city": w.cities, "county": w.counties}[level]
    cum = w.weights[level]
    return places[bisect.bisect(cum, rng.random() * cum[-1])]


def _self_ref(name: str, type_id: str) -> str:
    if type_id.startswith("soe."):
        return "集团"
    for ending, ref in (("委员会", "委"), ("厅", "厅"), ("局", "局"), ("部", "部"), ("医院", "院"), ("中心", "中心")):
        if name.endswith(ending):
            return ref
    return "单位"


def make_agency(rng: random.Random, annual: bool = False) -> Agency:
    """An agency of some kind at some place, chosen with the weights of world.toml."""
    data = load("world.toml")
    level = rng.choices(("province", "city", "county"), (0.22, 0.45, 0.33))[0]
    kinds = [a for a in data["agency"] if level in a["levels"] and (a.get("annual", False) or not annual)]
    spec = rng.choices(kinds, [a["weight"] for a in kinds])[0]
    place = pick_place(rng, level)
    full = spec["prov_full"] if level == "province" and "prov_full" in spec else spec["full"]
    canonical = place.name + full
    type_id = spec["id"]
    if type_id.startswith("gov."):
        short = spec.get("short") if level != "province" and rng.random() < 0.5 else None
        written = place.prefix + (short or full)
    elif type_id.startswith("party."):
        written = place.prefix + full
    else:
        written = canonical
    self_ref = _self_ref(full, type_id)
    org = rng.choice(spec["party"])
    org_open = org
    if type_id.startswith("party."):          # 部务会 stands for the body itself: no 部部务会
        org, org_open, self_ref = "部务会" if full.endswith("部") else "委务会", "", ""
    if type_id.startswith("party."):
        signature = "中共" + canonical
        secretary = "主要负责同志"
    elif org == "党组":
        signature = f"中共{canonical}党组"
        secretary = f"{self_ref}党组书记"
    elif org == "党总支":
        signature = f"中共{canonical}总支部委员会"
        secretary = f"{self_ref}党总支书记"
    else:
        signature = f"中共{canonical}委员会"
        secretary = f"{self_ref}党委书记"
    if annual:
        signature = canonical
    selves = data["self"]
    if type_id.startswith("gov."):
        s = selves[level]
    elif type_id.startswith("party."):
        s = selves["party"]
    elif type_id.startswith("soe."):
        s = selves["soe"]
    elif spec["domain"] == "hospital":
        s = selves["hospital"]
    else:
        s = selves["inst"]
    dept = {"province": "处室", "county": "股室"}.get(level, "科室") if type_id.startswith("gov.") else "部门"
    return Agency(canonical=canonical, written=written, self_ref=self_ref, org=org, org_open=org_open,
                  secretary=secretary, signature=signature, kind=spec["kind"], domain=spec["domain"],
                  type_id=type_id, place=place, units=tuple(s["units"]), roles=tuple(s["roles"]), dept=dept)


def other_agencies(agency: Agency) -> list[str]:
    """Sibling bodies a measure may name (市财政局, 省审计厅 …), with the agency's level prefix."""
    p = agency.place.prefix
    if agency.place.level == "province":
        names = ("财政厅", "审计厅", "公安厅", "司法厅", "市场监督管理局", "人力资源和社会保障厅")
    else:
        names = ("财政局", "审计局", "公安局", "市场监管局", "住建局", "人社局", "司法局", "应急管理局")
    own = agency.canonical
    return [p + n for n in names if not own.endswith(n) and not (n == "住建局" and own.endswith("住房和城乡建设局"))
            and not (n == "市场监管局" and own.endswith("市场监督管理局"))]
