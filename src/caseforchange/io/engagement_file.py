"""Read ``engagement.yaml`` and check it against the programme it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from pydantic import ValidationError

from caseforchange.domain.checks.engagement import check_engagement
from caseforchange.domain.consultation import Engagement
from caseforchange.domain.problems import InvalidInput, Problem
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
