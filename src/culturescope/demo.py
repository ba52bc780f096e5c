"""A realistic demo organisation so a new user sees meaningful results at once.

"Northwind AI" has ten teams of varied size (one below the minimum group size), team
effects, leaders who rate the culture higher than front-line staff, two practice areas
that are on paper only, a team that reports little despite feeling safe, a team with a
split climate, a segment that barely responded, a few careless respondents, a previous
campaign for trends and a leadership self-assessment. Everything is generated from a
fixed seed, so the demo is the same on every machine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from culturescope import Cancelled, CultureScopeError
from culturescope.instruments import Instrument, Item, get_instrument
from culturescope.storage import Campaign, ResponseTable, Store, StoreError
from culturescope.storage.codes import encode_matrix

ORGANISATION = "Northwind AI (demo)"
CURRENT = "Demo 2026 Q4"
PREVIOUS = "Demo 2025 Q4"
LEADERS = "Demo 2026 Q4 leadership self-assessment"

# team: (share of respondents, effect on the pillars, headcount)
TEAMS: dict[str, tuple[float, float, int]] = {
    "Research": (0.16, 0.25, 80),
    "Model Training": (0.14, 0.0, 70),
    "Evaluations": (0.11, 0.15, 50),
    "Deployment": (0.13, -0.35, 65),
    "Infrastructure": (0.05, -0.1, 70),  # barely responded: participation bias
    "Trust & Safety": (0.10, 0.45, 45),
    "Product": (0.14, 0.3, 70),  # feels safe, reports little: speak-up paradox
    "Policy": (0.07, 0.2, 32),
    "Security": (0.08, -0.15, 40),
    "Data Ops": (0.01, -0.6, 12),  # a handful of responses: hidden
}
SITES = ("London", "Zurich", "Remote")
TENURES = ("lt1", "y1_3", "y3_10", "gt10", "prefer_not_to_say")
COMMENTS = {
    "C1": [
        "Give safety reviews protected time before launches, not after.",
        "Make the incident reporting form shorter; it takes too long.",
        "Leaders should tell us what changed after the last incident review.",
        "Independent audits would help; right now we mark our own homework.",
        "Stop cutting the red-teaming budget when deadlines slip.",
        "Clear owners for each risk indicator.",
        "More training on when we are allowed to stop a release.",
        "Share near-miss stories openly so we learn from them.",
    ],
    "C2": [
        "People are afraid to delay a launch even when they have doubts.",
        "The policy says audits happen, but I have never seen one.",
        "My manager is great about raising concerns; higher up it is different.",
        "We track lots of metrics but nobody acts when they go red.",
        "Safety feels like a checkbox before launch.",
        "I feel comfortable speaking up in my team.",
    ],
}

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class _Knobs:
    """How one generated campaign differs from the baseline culture."""

    n: int
    seed: int
    leader_lift: float  # how much rosier senior leaders and managers rate things
    area_effects: dict[str, float]  # practice area -> effect on its practice items
    reporting_shift: float  # effect on reporting activity overall
    psych_shift: float
    split_team: str | None
    straightliners: float  # share of careless respondents
    day: dt.date


#: The fewest respondents a demo campaign is made with (its teams must stay visible).
MIN_RESPONDENTS = 50


def check_respondents(respondents: int) -> None:
    """Refuse a demo too small to show anything (before any database is opened)."""
    if respondents < MIN_RESPONDENTS:
        raise CultureScopeError(f"the demo needs at least {MIN_RESPONDENTS} respondents")


def create_demo(
    store: Store,
    *,
    respondents: int = 360,
    progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Campaign:
    """Create the demo campaigns (previous, current, leadership self-assessment).

    Returns the current campaign. Refuses when a campaign of the demo already exists.
    Everything is stored in one transaction: interrupted (cancelled, an error, the process
    killed) it leaves nothing behind, so it can simply be run again.
    """
    check_respondents(respondents)
    with store.transaction():
        current = _create(store, respondents, progress, is_cancelled)
    if progress is not None:
        progress(1.0, "demo ready")
    return store.campaign(current.id)


def _create(
    store: Store,
    respondents: int,
    progress: Progress | None,
    is_cancelled: Callable[[], bool] | None,
) -> Campaign:
    existing = {c.name for c in store.campaigns()}
    clash = {PREVIOUS, CURRENT, LEADERS} & existing
    if clash:
        raise StoreError(f"the demo is already in this database (campaign '{sorted(clash)[0]}')")
    report = progress or (lambda _f, _m: None)

    def check() -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled("demo cancelled")

    flagship = get_instrument("ai-safety-culture")
    headcounts = {
        "team": {t: hc for t, (_, _, hc) in TEAMS.items()},
        "role": {"front_line": 400, "manager": 80, "senior_leader": 45},
    }
    report(0.0, "creating the previous campaign")
    previous = store.create_campaign(
        PREVIOUS,
        flagship,
        organisation=ORGANISATION,
        opens_on=dt.date(2025, 10, 6),
        closes_on=dt.date(2025, 10, 31),
        headcounts=headcounts,
    )
    knobs_prev = _Knobs(
        n=int(respondents * 0.85),
        seed=2025,
        leader_lift=0.5,
        area_effects={
            "independent_audit": -0.9,
            "safety_resourcing": -0.5,
            "predeployment_review": -0.2,
        },
        reporting_shift=0.5,
        psych_shift=-0.25,
        split_team=None,
        straightliners=0.02,
        day=dt.date(2025, 10, 20),
    )
    _fill(store, previous, flagship, knobs_prev, check)
    store.update_campaign(previous.id, status="closed")
    check()
    report(0.35, "creating the current campaign")
    current = store.create_campaign(
        CURRENT,
        flagship,
        organisation=ORGANISATION,
        previous=previous.id,
        opens_on=dt.date(2026, 10, 5),
        closes_on=dt.date(2026, 10, 30),
        headcounts=headcounts,
    )
    knobs_now = _Knobs(
        n=respondents,
        seed=2026,
        leader_lift=0.85,
        area_effects={
            "independent_audit": -1.3,
            "safety_resourcing": -1.0,
            "predeployment_review": -0.75,
            "incident_reporting": 0.2,
        },
        reporting_shift=-0.1,
        psych_shift=0.1,
        split_team="Evaluations",
        straightliners=0.035,
        day=dt.date(2026, 10, 19),
    )
    _fill(store, current, flagship, knobs_now, check)
    check()
    report(0.75, "creating the leadership self-assessment")
    leaders_inst = get_instrument("leadership-self-assessment")
    leaders = store.create_campaign(
        LEADERS,
        leaders_inst,
        organisation=ORGANISATION,
        opens_on=dt.date(2026, 10, 5),
        closes_on=dt.date(2026, 10, 30),
    )
    _fill_leaders(store, leaders, leaders_inst, seed=99)
    try:  # the policy register arrives with the signals feature
        from culturescope.policies.demo import add_demo_register
    except ModuleNotFoundError:
        pass
    else:
        report(0.9, "adding the policy register")
        add_demo_register(store, ORGANISATION)
    report(0.99, "saving the demo")
    return current


def _latent(
    rng: np.random.Generator, n: int, team_effect: np.ndarray, role: np.ndarray, lift: float
) -> np.ndarray:
    leader = np.where(role == "senior_leader", lift, np.where(role == "manager", lift * 0.5, 0.0))
    return 0.6 + team_effect + leader + rng.normal(0, 0.55, n)


def _fill(
    store: Store, campaign: Campaign, inst: Instrument, k: _Knobs, check: Callable[[], None]
) -> None:
    # One generator drawn in a fixed order (people, answers, comments, days): the demo's
    # numbers are the same on every run and every machine.
    rng = np.random.default_rng(k.seed)
    people = _people(rng, k)
    matrix = _answers(rng, inst, k, people)
    check()
    comments: dict[int, dict[str, str]] = {}
    for r in np.flatnonzero(rng.random(k.n) < 0.18):
        pid = "C1" if rng.random() < 0.6 else "C2"
        comments[int(r)] = {pid: str(rng.choice(COMMENTS[pid]))}
    days = rng.integers(0, 10, k.n)
    # Stored in a shuffled order, as a real file would be: generated, the small team comes
    # first, which the Responses page would give away. A generator of its own, so that
    # not one generated answer changes.
    order = np.random.default_rng([k.seed, 1]).permutation(k.n)
    stored_as = np.empty(k.n, dtype=np.int64)
    stored_as[order] = np.arange(k.n)
    table = ResponseTable(
        answers=encode_matrix(matrix[order]),
        demographics=[
            {field: str(values[r]) for field, values in people.items() if field != "base"}
            for r in order
        ],
        fingerprints=[store.fingerprint("demo", campaign.name, r) for r in range(k.n)],
        source_refs=[f"row {r + 1}" for r in range(k.n)],  # like a file import
        submitted_on=[k.day + dt.timedelta(days=int(days[r])) for r in order],
        comments={int(stored_as[r]): c for r, c in comments.items()},
    )
    store.add_response_table(campaign.id, table, source="demo", file_name="demo data")


def _people(rng: np.random.Generator, k: _Knobs) -> dict[str, np.ndarray]:
    """Each respondent's team, role, site and tenure, and ``base``: their latent climate."""
    names = list(TEAMS)
    shares = np.array([TEAMS[t][0] for t in names])
    team = rng.choice(names, size=k.n, p=shares / shares.sum())
    # Always a few in the smallest team (below the minimum) so the demo shows hiding.
    team[:3] = "Data Ops"
    team[3:] = np.where(team[3:] == "Data Ops", "Research", team[3:])
    role = rng.choice(
        ["front_line", "manager", "senior_leader", "prefer_not_to_say"],
        size=k.n,
        p=[0.70, 0.17, 0.10, 0.03],
    )
    site = rng.choice(SITES, size=k.n, p=[0.5, 0.3, 0.2])
    tenure = rng.choice(TENURES, size=k.n, p=[0.15, 0.35, 0.3, 0.15, 0.05])
    team_effect = np.array([TEAMS[t][1] for t in team])
    base = _latent(rng, k.n, team_effect, role, k.leader_lift)
    return {"team": team, "role": role, "site": site, "tenure": tenure, "base": base}


def _answers(
    rng: np.random.Generator, inst: Instrument, k: _Knobs, people: dict[str, np.ndarray]
) -> np.ndarray:
    """Respondents x items raw answers (NaN blank), careless respondents included."""
    matrix = np.full((k.n, len(inst.items)), np.nan)
    for j, item in enumerate(inst.items):
        if item.kind == "behaviour":
            matrix[:, j] = _reported(rng, k, people)
        else:
            matrix[:, j] = _rating(rng, inst, item, k, people)
    # Careless respondents: the same answer everywhere (reverse-keyed pairs included).
    careless = np.flatnonzero(rng.random(k.n) < k.straightliners)
    agree_cols = [j for j, i in enumerate(inst.items) if i.scale == "agree5"]
    for c, r in enumerate(careless):
        matrix[r, agree_cols] = 5 if c % 2 == 0 else 3
    return matrix


def _reported(rng: np.random.Generator, k: _Knobs, people: dict[str, np.ndarray]) -> np.ndarray:
    """How often each respondent reported a concern (1 = never)."""
    # Reporting at least once: most people, fewer in Product (speak-up paradox).
    rate = 0.55 + k.reporting_shift * 0.2 + np.where(people["team"] == "Product", -0.4, 0.0)
    rate = np.clip(rate + 0.1 * (people["base"] - 0.6), 0.02, 0.95)
    reported = rng.random(k.n) < rate
    extra = rng.choice([2, 3, 4], size=k.n, p=[0.5, 0.35, 0.15])
    return np.where(reported, extra, 1)


_PILLAR_SHIFT = {
    "leadership_accountability": -0.05,
    "safety_integration": -0.15,
    "psychological_safety": 0.1,
}


def _rating(
    rng: np.random.Generator,
    inst: Instrument,
    item: Item,
    k: _Knobs,
    people: dict[str, np.ndarray],
) -> np.ndarray:
    """Each respondent's answer to a rating item, N/A and blanks included."""
    scale = inst.scale_of(item)
    shift = _PILLAR_SHIFT.get(item.dimension, 0.0)
    if item.dimension == "psychological_safety":
        shift += k.psych_shift
    theta = people["base"] + shift
    if item.kind == "practice":
        area = item.practice_areas[0]
        # Practice is seen less than attitudes suggest; leaders see it rosier.
        theta = theta - 0.2 + k.area_effects.get(area, 0.0)
    elif item.kind == "awareness":
        theta = theta + 0.6
    if k.split_team is not None and item.dimension == "safety_integration":
        in_split = people["team"] == k.split_team
        # Most of the team rates integration well, a third very badly: a good mean
        # that is not a shared climate (split culture).
        most = rng.random(k.n) < 0.68
        theta = np.where(in_split, np.where(most, 1.7, -1.3), theta)
    value = np.clip(np.rint(3 + theta + rng.normal(0, 0.7, k.n)), 1, scale.points)
    if item.reverse:
        value = scale.points + 1 - value
    na = rng.random(k.n) < (0.03 if item.kind == "practice" else 0.008)
    blank = rng.random(k.n) < 0.01
    value = np.where(na & (scale.na_code is not None), scale.na_code or 0, value)
    return np.where(blank, np.nan, value)


def _fill_leaders(store: Store, campaign: Campaign, inst: Instrument, *, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 34
    role = rng.choice(["manager", "senior_leader"], size=n, p=[0.65, 0.35])
    team = rng.choice([t for t in TEAMS if t != "Data Ops"], size=n)
    matrix = np.full((n, len(inst.items)), np.nan)
    base = 1.2 + rng.normal(0, 0.45, n)
    for j, item in enumerate(inst.items):
        theta = base - (0.3 if item.kind == "practice" else 0.0)
        value = np.clip(np.rint(3 + theta + rng.normal(0, 0.5, n)), 1, 5)
        matrix[:, j] = 6 - value if item.reverse else value
    table = ResponseTable(
        answers=encode_matrix(matrix),
        demographics=[{"team": str(team[r]), "role": str(role[r])} for r in range(n)],
        fingerprints=[store.fingerprint("demo", campaign.name, r) for r in range(n)],
        source_refs=[f"row {r + 1}" for r in range(n)],
        submitted_on=[dt.date(2026, 10, 12)] * n,
    )
    store.add_response_table(campaign.id, table, source="demo", file_name="demo data")
