"""Cross-checks of a programme's engagement file against the programme: references and ids.

A pure check over validated domain objects: the file readers (``io/engagement_file.py``) and
the web's consultation upload both call it, so each reference rule is written once.
"""

from __future__ import annotations

# One wording for unknown references and repeated ids across every domain check.
from caseforchange.domain.checks import _duplicates, _ref
from caseforchange.domain.consultation import Engagement, OutputKind, Workshop
from caseforchange.domain.problems import Path, Problem
from caseforchange.domain.programme import Programme


def workshop_categories(workshop: Workshop, programme: Programme) -> dict[str, str]:
    """Return the workshop's coding categories (id -> name), or the framework's criteria."""
    if workshop.categories:
        return {c.id: c.name for c in workshop.categories}
    return {c.id: c.name for c in programme.framework.walk()}


def check_engagement(engagement: Engagement, programme: Programme) -> list[Problem]:
    """Return every broken reference and repeated id in ``engagement``, located by path."""
    groups = [g.id for g in programme.stakeholders]
    milestones = [m.id for m in programme.milestones]
    activities = [a.id for a in programme.activities]
    organisations = [o.id for o in programme.organisations]
    options = [o.id for o in programme.options]
    problems: list[Problem] = []

    for i, mid in enumerate(engagement.settings.letter_milestones or []):
        problems += _ref(("settings", "letter_milestones", i), mid, milestones, "milestone")

    problems += _duplicates(
        ((("workshops", i, "id"), w.id) for i, w in enumerate(engagement.workshops)), "workshop"
    )
    issues: set[str] = set()
    for i, workshop in enumerate(engagement.workshops):
        base: Path = ("workshops", i)
        problems += _check_workshop(workshop, base, programme, activities, organisations, options)
        issues |= {o.id for o in workshop.outputs if o.kind is OutputKind.ISSUE}

    problems += _duplicates(
        ((("questionnaires", i, "id"), q.id) for i, q in enumerate(engagement.questionnaires)),
        "questionnaire",
    )
    for i, questionnaire in enumerate(engagement.questionnaires):
        base = ("questionnaires", i)
        problems += _ref((*base, "activity"), questionnaire.activity, activities, "activity")
        problems += _duplicates(
            (((*base, "questions", j, "id"), q.id) for j, q in enumerate(questionnaire.questions)),
            "question",
        )

    problems += _duplicates(
        ((("ballots", i, "id"), b.id) for i, b in enumerate(engagement.ballots)), "ballot"
    )
    for i, ballot in enumerate(engagement.ballots):
        base = ("ballots", i)
        problems += _ref((*base, "activity"), ballot.activity, activities, "activity")
        choice_ids = [c.id for c in ballot.choices]
        for j, choice in enumerate(ballot.choices):
            problems += _ref((*base, "choices", j, "option"), choice.option, options, "option")
        problems += _duplicates(
            (((*base, "results", j, "group"), r.group) for j, r in enumerate(ballot.results)),
            "result group",
        )
        for j, result in enumerate(ballot.results):
            problems += _ref(
                (*base, "results", j, "group"), result.group, groups, "stakeholder group"
            )
            for key in result.counts:
                problems += _ref((*base, "results", j, "counts", key), key, choice_ids, "choice")

    for i, record in enumerate(engagement.you_said_we_did):
        problems += _ref(("you_said_we_did", i, "issue"), record.issue, issues, "workshop issue")
        problems += _ref(
            ("you_said_we_did", i, "activity"), record.activity, activities, "activity"
        )
        problems += _ref(("you_said_we_did", i, "option"), record.option, options, "option")
    return problems


def _check_workshop(
    workshop: Workshop,
    base: Path,
    programme: Programme,
    activities: list[str],
    organisations: list[str],
    options: list[str],
) -> list[Problem]:
    problems = _ref((*base, "activity"), workshop.activity, activities, "activity")
    problems += _duplicates(
        (((*base, "tables", j), t) for j, t in enumerate(workshop.tables)), "table"
    )
    people = [p.id for p in workshop.participants]
    problems += _duplicates(
        (((*base, "participants", j, "id"), p) for j, p in enumerate(people)), "participant"
    )
    attending = organisations + [o.id for o in workshop.other_organisations]
    for j, person in enumerate(workshop.participants):
        where: Path = (*base, "participants", j)
        problems += _ref((*where, "organisation"), person.organisation, attending, "organisation")
        problems += _ref((*where, "table"), person.table, workshop.tables, "table")
    for key in ("keep_apart", "keep_together"):
        pairs: list[tuple[str, str]] = getattr(workshop, key)
        for j, pair in enumerate(pairs):
            if pair[0] == pair[1]:
                problems.append(Problem((*base, key, j), f"a pair needs two people, got {pair}"))
            for k, pid in enumerate(pair):
                problems += _ref((*base, key, j, k), pid, people, "participant")
    categories = workshop_categories(workshop, programme)
    problems += _duplicates(
        (((*base, "outputs", j, "id"), o.id) for j, o in enumerate(workshop.outputs)), "output"
    )
    issue_ids = {o.id for o in workshop.outputs if o.kind is OutputKind.ISSUE}
    for j, output in enumerate(workshop.outputs):
        where = (*base, "outputs", j)
        problems += _ref((*where, "table"), output.table, workshop.tables, "table")
        problems += _ref((*where, "category"), output.category, categories, "category")
        problems += _ref((*where, "option"), output.option, options, "option")
        problems += _ref((*where, "responds_to"), output.responds_to, issue_ids, "issue")
    return problems
