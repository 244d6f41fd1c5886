"""Read ``engagement.yaml`` and check it against the programme it belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from caseforchange.domain.consultation import Engagement, OutputKind, Workshop
from caseforchange.domain.problems import InvalidInput, Path, Problem
from caseforchange.domain.programme import Programme
from caseforchange.io.folder import LoadedProgramme, load_programme
from caseforchange.io.validation import problems_from_validation
from caseforchange.io.yamlsource import SourceMap, load_yaml_file

ENGAGEMENT_FILE = "engagement.yaml"


@dataclass
class LoadedEngagement:
    """A programme with its validated engagement data."""

    loaded: LoadedProgramme
    engagement: Engagement
    source: SourceMap

    @property
    def programme(self) -> Programme:
        """The programme the engagement data belongs to."""
        return self.loaded.programme

    @property
    def root(self) -> FilePath:
        """The programme folder."""
        return self.loaded.root


def load_engagement(root: FilePath) -> LoadedEngagement:
    """Load the programme folder at ``root`` and its ``engagement.yaml`` (empty if absent).

    Raises:
        InvalidInput: when either file has problems, each located as FILE:LINE.
    """
    loaded = load_programme(root)
    path = root / ENGAGEMENT_FILE
    if not path.exists():
        return LoadedEngagement(loaded, Engagement(), SourceMap(default=str(path)))
    data, source = load_yaml_file(path, str(path))
    engagement = validate_engagement(data, source, loaded.programme)
    return LoadedEngagement(loaded, engagement, source)


def validate_engagement(data: Any, source: SourceMap, programme: Programme) -> Engagement:
    """Validate parsed ``engagement.yaml`` data and its references into ``programme``.

    Returns:
        The engagement data when it has no problems.

    Raises:
        InvalidInput: with every problem found, located through ``source``.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(source.place([Problem((), "expected a mapping of engagement data")]))
    try:
        engagement = Engagement.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(source.place(problems_from_validation(error, data))) from None
    problems = check_engagement(engagement, programme)
    if problems:
        raise InvalidInput(source.place(problems))
    return engagement


def _ref(path: Path, value: str | None, known: Iterable[str], what: str) -> list[Problem]:
    known_set = set(known)
    if value is None or value in known_set:
        return []
    listed = ", ".join(sorted(known_set)) or "none defined"
    return [Problem(path, f"unknown {what} '{value}' (known: {listed})")]


def _unique(items: Iterable[tuple[Path, str]], what: str) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for path, value in items:
        if value in seen:
            problems.append(Problem(path, f"{what} id '{value}' is used more than once"))
        seen.add(value)
    return problems


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

    problems += _unique(
        ((("workshops", i, "id"), w.id) for i, w in enumerate(engagement.workshops)), "workshop"
    )
    issues: set[str] = set()
    for i, workshop in enumerate(engagement.workshops):
        base: Path = ("workshops", i)
        problems += _check_workshop(workshop, base, programme, activities, organisations, options)
        issues |= {o.id for o in workshop.outputs if o.kind is OutputKind.ISSUE}

    problems += _unique(
        ((("questionnaires", i, "id"), q.id) for i, q in enumerate(engagement.questionnaires)),
        "questionnaire",
    )
    for i, questionnaire in enumerate(engagement.questionnaires):
        base = ("questionnaires", i)
        problems += _ref((*base, "activity"), questionnaire.activity, activities, "activity")
        problems += _unique(
            (((*base, "questions", j, "id"), q.id) for j, q in enumerate(questionnaire.questions)),
            "question",
        )

    problems += _unique(
        ((("ballots", i, "id"), b.id) for i, b in enumerate(engagement.ballots)), "ballot"
    )
    for i, ballot in enumerate(engagement.ballots):
        base = ("ballots", i)
        problems += _ref((*base, "activity"), ballot.activity, activities, "activity")
        choice_ids = [c.id for c in ballot.choices]
        for j, choice in enumerate(ballot.choices):
            problems += _ref((*base, "choices", j, "option"), choice.option, options, "option")
        problems += _unique(
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
    problems += _unique((((*base, "tables", j), t) for j, t in enumerate(workshop.tables)), "table")
    people = [p.id for p in workshop.participants]
    problems += _unique(
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
    problems += _unique(
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
