"""Whole-programme checks that a single record cannot make: unique ids, references, scales."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from caseforchange.domain.assurance import CHECKED_EVIDENCE, Assurance, EvidenceKind
from caseforchange.domain.criteria import Criterion, Scale, WeightingMethod
from caseforchange.domain.problems import Path, Problem
from caseforchange.domain.programme import Programme, WeightInformation


def _duplicates(items: Iterable[tuple[Path, str]], what: str) -> list[Problem]:
    listed = list(items)
    counts = Counter(item_id for _, item_id in listed)
    seen: set[str] = set()
    problems = []
    for path, item_id in listed:
        if counts[item_id] > 1:
            if item_id in seen:
                problems.append(Problem(path, f"duplicate {what} id '{item_id}'"))
            seen.add(item_id)
    return problems


def _ref(
    path: Path, value: str | None, known: Collection[str], what: str, where: str = ""
) -> list[Problem]:
    if value is None or value in known:
        return []
    hint = ", ".join(sorted(known)[:8])
    more = "" if len(known) <= 8 else ", ..."
    return [Problem(path, f"unknown {what} '{value}'{where} (known: {hint}{more})")]


def _criteria_paths(criteria: list[Criterion], base: Path) -> Iterable[tuple[Path, Criterion]]:
    for index, criterion in enumerate(criteria):
        path = (*base, index)
        yield path, criterion
        yield from _criteria_paths(criterion.children, (*path, "children"))


def _check_weights(siblings: list[Criterion], base: Path, method: WeightingMethod) -> list[Problem]:
    problems: list[Problem] = []
    weighted = [c for c in siblings if not c.hurdle]  # hurdles cut options; they carry no weight
    if method in (WeightingMethod.DIRECT, WeightingMethod.SWING):
        given = [c.weight is not None for c in weighted]
        if any(given) and not all(given):
            for index, criterion in enumerate(siblings):
                if criterion.weight is None and not criterion.hurdle:
                    problems.append(
                        Problem(
                            (*base, index, "weight"),
                            f"criterion '{criterion.id}' has no weight while its siblings have",
                        )
                    )
        elif weighted and all(given) and sum(c.weight or 0.0 for c in weighted) <= 0.0:
            problems.append(
                Problem((*base, 0, "weight"), "the weights of these criteria sum to zero")
            )
    if method is WeightingMethod.RANK_ORDER_CENTROID:
        for index, criterion in enumerate(siblings):
            if criterion.rank is None and not criterion.hurdle:
                problems.append(
                    Problem(
                        (*base, index, "rank"),
                        f"criterion '{criterion.id}' needs a rank for rank-order centroid weights",
                    )
                )
    for index, criterion in enumerate(siblings):
        if criterion.children:
            problems += _check_weights(criterion.children, (*base, index, "children"), method)
    return problems


def check_programme(
    programme: Programme,
    forms: Collection[str],
    builtin_scales: Mapping[str, Scale],
    checklists: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """Return every cross-record problem in ``programme`` (empty when it is consistent).

    ``forms`` are the organisational form ids the catalogue knows; ``builtin_scales`` are the
    scales every programme may use by id; ``checklists`` maps each assurance checklist id to
    its item ids (None skips that check). Paths follow the programme file's layout.
    """
    p = programme
    problems: list[Problem] = []
    crit_paths = list(_criteria_paths(p.framework.criteria, ("framework", "criteria")))
    problems += _duplicates(
        ((("organisations", i, "id"), o.id) for i, o in enumerate(p.organisations)), "organisation"
    )
    problems += _duplicates(
        ((("services", i, "id"), s.id) for i, s in enumerate(p.services)), "service"
    )
    problems += _duplicates(
        ((("dependencies", i, "id"), d.id) for i, d in enumerate(p.dependencies)), "dependency"
    )
    problems += _duplicates(
        ((("options", i, "id"), o.id) for i, o in enumerate(p.options)), "option"
    )
    problems += _duplicates((((*path, "id"), c.id) for path, c in crit_paths), "criterion")
    problems += _duplicates(
        ((("framework", "scales", i, "id"), s.id) for i, s in enumerate(p.framework.scales)),
        "scale",
    )
    problems += _duplicates(((("panels", i, "id"), x.id) for i, x in enumerate(p.panels)), "panel")
    problems += _duplicates(
        ((("stakeholders", i, "id"), x.id) for i, x in enumerate(p.stakeholders)),
        "stakeholder group",
    )
    problems += _duplicates(
        ((("activities", i, "id"), x.id) for i, x in enumerate(p.activities)), "activity"
    )
    problems += _duplicates(
        ((("milestones", i, "id"), x.id) for i, x in enumerate(p.milestones)), "milestone"
    )

    orgs = {o.id for o in p.organisations}
    services = {s.id for s in p.services}
    groups = {g.id for g in p.stakeholders}
    milestones = {m.id for m in p.milestones}
    scales = {**builtin_scales, **p.framework.scale_by_id()}
    criteria = {c.id: c for _, c in crit_paths}

    problems += _ref(("commissioner",), p.commissioner, orgs, "organisation")
    for i, service in enumerate(p.services):
        problems += _ref(
            ("services", i, "current_provider"), service.current_provider, orgs, "organisation"
        )
    for i, rule in enumerate(p.dependencies):
        for j, sid in enumerate(rule.services):
            problems += _ref(("dependencies", i, "services", j), sid, services, "service")
        if rule.kind.value != "do_not_split" and len(set(rule.services)) < 2:
            problems.append(
                Problem(
                    ("dependencies", i, "services"),
                    f"a {rule.kind.value} rule needs at least two services",
                )
            )
    for i, option in enumerate(p.options):
        problems += _ref(("options", i, "form"), option.form, forms, "organisational form")
        problems += _ref(("options", i, "provider"), option.provider, orgs, "organisation")
        for sid, dest in (option.configuration or {}).items():
            problems += _ref(("options", i, "configuration", sid), sid, services, "service")
            for d in [dest] if isinstance(dest, str) else dest:
                problems += _ref(
                    ("options", i, "configuration", sid), d, orgs, "destination organisation"
                )

    for path, criterion in crit_paths:
        if criterion.scale is not None:
            problems += _ref((*path, "scale"), criterion.scale, scales, "scale")
        scale = scales.get(criterion.scale or "")
        if (
            criterion.hurdle
            and criterion.scale is not None
            and scale is not None
            and not scale.pass_fail
        ):
            problems.append(
                Problem(
                    (*path, "scale"),
                    f"hurdle '{criterion.id}' must use a pass/fail scale, not '{criterion.scale}'",
                )
            )
        if (
            criterion.is_leaf
            and not criterion.hurdle
            and criterion.scale is None
            and criterion.value_function is None
        ):
            problems.append(
                Problem(
                    (*path, "scale"),
                    f"criterion '{criterion.id}' needs a scale or a value function",
                )
            )
    problems += _check_weights(
        p.framework.criteria, ("framework", "criteria"), p.framework.weighting.method
    )
    for key in p.framework.weighting.ahp:
        if key != "root" and key not in criteria:
            problems.append(
                Problem(
                    ("framework", "weighting", "ahp", key),
                    f"unknown criterion '{key}' for an AHP matrix (use 'root' for the top level)",
                )
            )

    for i, panel in enumerate(p.panels):
        problems += _ref(("panels", i, "group"), panel.group, groups, "stakeholder group")
        problems += _duplicates(
            ((("panels", i, "members", j, "id"), m.id) for j, m in enumerate(panel.members)),
            "member",
        )
        for j, member in enumerate(panel.members):
            problems += _ref(
                ("panels", i, "members", j, "organisation"),
                member.organisation,
                orgs,
                "organisation",
            )
    for i, group in enumerate(p.stakeholders):
        problems += _ref(
            ("stakeholders", i, "organisation"), group.organisation, orgs, "organisation"
        )
    for i, activity in enumerate(p.activities):
        for j, gid in enumerate(activity.audience):
            problems += _ref(("activities", i, "audience", j), gid, groups, "stakeholder group")
        problems += _ref(
            ("activities", i, "milestone"), activity.milestone, milestones, "milestone"
        )

    info = p.appraisal
    for cid, (low, high) in info.weight_intervals.items():
        problems += _ref(("appraisal", "weight_intervals", cid), cid, criteria, "criterion")
        if low > high or high > 1.0:
            problems.append(
                Problem(
                    ("appraisal", "weight_intervals", cid),
                    f"interval for '{cid}' must satisfy 0 <= low <= high <= 1",
                )
            )
    if info.weight_information is WeightInformation.INTERVALS and not info.weight_intervals:
        problems.append(
            Problem(
                ("appraisal", "weight_intervals"),
                "weight_information is 'intervals' but no intervals are given",
            )
        )

    problems += _check_scores(p, scales, criteria)
    problems += check_decision(p, checklists)
    return problems


def _check_scores(
    p: Programme, scales: Mapping[str, Scale], criteria: Mapping[str, Criterion]
) -> list[Problem]:
    problems: list[Problem] = []
    options = {o.id for o in p.options}
    panels = {x.id: x for x in p.panels}
    seen: dict[tuple[str, str, str | None, str | None], int] = {}
    for i, score in enumerate(p.scores):
        base: Path = ("scores", i)
        problems += _ref((*base, "option"), score.option, options, "option")
        criterion = criteria.get(score.criterion)
        if criterion is None:
            problems += _ref((*base, "criterion"), score.criterion, criteria, "criterion")
        elif not criterion.is_leaf:
            problems.append(
                Problem(
                    (*base, "criterion"),
                    f"'{score.criterion}' is a group of criteria; score its sub-criteria",
                )
            )
        if score.panel is None and panels:
            problems.append(
                Problem(
                    (*base, "panel"), "this programme has panels: say which panel gave the score"
                )
            )
        panel = panels.get(score.panel or "")
        if score.panel is not None and panel is None:
            problems += _ref((*base, "panel"), score.panel, panels, "panel")
        if score.member is not None:
            if panel is None:
                if score.panel is None:
                    problems.append(Problem((*base, "member"), "a member's score needs its panel"))
            else:
                members = {m.id for m in panel.members}
                problems += _ref(
                    (*base, "member"), score.member, members, "member", f" of panel '{panel.id}'"
                )
        key = (score.option, score.criterion, score.panel, score.member)
        if key in seen:
            who = (
                f" by {score.member}"
                if score.member
                else (f" by panel {score.panel}" if score.panel else "")
            )
            problems.append(
                Problem(
                    base,
                    f"second score for option '{score.option}' on '{score.criterion}'{who}"
                    f" (the first is score {seen[key] + 1})",
                )
            )
        seen[key] = i
        if criterion is None or not criterion.is_leaf:
            continue
        scale_id = criterion.scale or ("pass-fail" if criterion.hurdle else None)
        scale = scales.get(scale_id or "")
        if scale is None:
            continue
        by = f", member '{score.member}'" if score.member else ""
        for name in ("value", "low", "high"):
            value = getattr(score, name)
            if value is None:
                continue
            if not scale.contains(value):
                problems.append(
                    Problem(
                        (*base, name),
                        f"{value:g} is outside the scale {scale.min:g}..{scale.max:g} of"
                        f" criterion '{criterion.id}' (option '{score.option}'{by})",
                    )
                )
            elif scale.pass_fail and value not in (0.0, 1.0):
                problems.append(
                    Problem(
                        (*base, name),
                        f"hurdle '{criterion.id}' takes pass (1) or fail (0), not {value:g}",
                    )
                )
    return problems


def check_decision(
    p: Programme, checklists: Mapping[str, Collection[str]] | None = None
) -> list[Problem]:
    """Return the cross-record problems of the decision file's parts (finance ... competition).

    Every option, service, organisation, activity, milestone and risk id they name must exist;
    records per option are unique; ``checklists`` (id -> item ids) checks assurance items.
    """
    problems: list[Problem] = []
    options = {o.id for o in p.options}
    services = {s.id for s in p.services}
    orgs = {o.id for o in p.organisations}
    if p.finance is not None:
        f = p.finance
        assumptions = {a.id for a in f.assumptions}
        problems += _duplicates(
            ((("finance", "assumptions", i, "id"), a.id) for i, a in enumerate(f.assumptions)),
            "assumption",
        )
        problems += _duplicates(
            ((("finance", "options", i, "option"), o.option) for i, o in enumerate(f.options)),
            "finance option",
        )
        for i, of in enumerate(f.options):
            base: Path = ("finance", "options", i)
            problems += _ref((*base, "option"), of.option, options, "option")
            for j, line in enumerate(of.lines):
                problems += _ref(
                    (*base, "lines", j, "assumption"), line.assumption, assumptions, "assumption"
                )
    if p.workforce is not None:
        w = p.workforce.options
        problems += _duplicates(
            ((("workforce", "options", i, "option"), o.option) for i, o in enumerate(w)),
            "workforce option",
        )
        for i, ow in enumerate(w):
            base = ("workforce", "options", i)
            problems += _ref((*base, "option"), ow.option, options, "option")
            for j, move in enumerate(ow.moves):
                problems += _ref((*base, "moves", j, "service"), move.service, services, "service")
                problems += _ref(
                    (*base, "moves", j, "destination"), move.destination, orgs, "organisation"
                )
    risk_ids: set[str] = set()
    if p.risks is not None:
        register = p.risks.risks
        risk_ids = {r.id for r in register}
        problems += _duplicates(
            ((("risks", "risks", i, "id"), r.id) for i, r in enumerate(register)), "risk"
        )
        for i, risk in enumerate(register):
            problems += _ref(("risks", "risks", i, "option"), risk.option, options, "option")
    if p.equality is not None:
        e = p.equality.options
        problems += _duplicates(
            ((("equality", "options", i, "option"), o.option) for i, o in enumerate(e)),
            "equality option",
        )
        for i, oe in enumerate(e):
            base = ("equality", "options", i)
            problems += _ref((*base, "option"), oe.option, options, "option")
            problems += _duplicates(
                (
                    ((*base, "findings", j, "characteristic"), x.characteristic.value)
                    for j, x in enumerate(oe.findings)
                ),
                "characteristic",
            )
    if p.assurance is not None:
        problems += _check_assurance(p, p.assurance, checklists, options, risk_ids)
    if p.market is not None:
        reviews = p.market.reviews
        problems += _duplicates(
            ((("market", "reviews", i, "service"), r.service) for i, r in enumerate(reviews)),
            "market review of service",
        )
        for i, review in enumerate(reviews):
            problems += _ref(
                ("market", "reviews", i, "service"), review.service, services, "service"
            )
    if p.competition is not None:
        for i, referral in enumerate(p.competition.referrals):
            base = ("competition", "referrals", i)
            problems += _ref((*base, "service"), referral.service, services, "service")
            for j, org in enumerate(referral.refers_to):
                problems += _ref((*base, "refers_to", j), org, orgs, "organisation")
        turnovers = p.competition.turnovers
        problems += _duplicates(
            (
                (("competition", "turnovers", i, "organisation"), t.organisation)
                for i, t in enumerate(turnovers)
            ),
            "turnover of organisation",
        )
        for i, t in enumerate(turnovers):
            problems += _ref(
                ("competition", "turnovers", i, "organisation"),
                t.organisation,
                orgs,
                "organisation",
            )
    return problems


def _check_assurance(
    p: Programme,
    assurance: Assurance,
    checklists: Mapping[str, Collection[str]] | None,
    options: Collection[str],
    risks: Collection[str],
) -> list[Problem]:
    problems: list[Problem] = []
    known: dict[EvidenceKind, Collection[str]] = {
        EvidenceKind.ACTIVITY: {a.id for a in p.activities},
        EvidenceKind.MILESTONE: {m.id for m in p.milestones},
        EvidenceKind.OPTION: options,
        EvidenceKind.RISK: risks,
    }
    if checklists is not None:
        for i, cid in enumerate(assurance.checklists):
            problems += _ref(("assurance", "checklists", i), cid, checklists, "checklist")
    for i, item in enumerate(assurance.items):
        base: Path = ("assurance", "items", i)
        if checklists is not None:
            if item.checklist not in checklists:
                problems += _ref((*base, "checklist"), item.checklist, checklists, "checklist")
            else:
                problems += _ref(
                    (*base, "item"),
                    item.item,
                    checklists[item.checklist],
                    "item",
                    f" in checklist '{item.checklist}'",
                )
        for j, evidence in enumerate(item.evidence):
            if evidence.kind in CHECKED_EVIDENCE:
                problems += _ref(
                    (*base, "evidence", j, "ref"),
                    evidence.ref,
                    known[evidence.kind],
                    evidence.kind.value,
                )
    return problems
