"""The one use case behind ``caseforchange report`` and the web's downloads.

A programme's case for change, built from everything its folder holds (appraisal, flow model,
engagement).
"""

from __future__ import annotations

from pathlib import Path

from caseforchange.appraisal.run import appraise
from caseforchange.domain.consultation import Engagement
from caseforchange.flow.runner import run_model
from caseforchange.flow.scoring import suggest_scores
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, LoadedEngagement, validate_engagement
from caseforchange.io.flow_file import load_flow_model
from caseforchange.io.folder import LoadedProgramme
from caseforchange.io.yamlsource import SourceMap, load_yaml_file
from caseforchange.reports.blocks import Report, Section
from caseforchange.reports.build import build_report
from caseforchange.reports.flow_section import flow_section


def flow_report_section(root: Path) -> Section | None:
    """Run the folder's patient-flow model, if it has one, and return its report section.

    Raises:
        InvalidInput: when ``flow.yaml`` has problems.
    """
    path = root / "flow.yaml"
    if not root.is_dir() or not path.exists():
        return None
    model = load_flow_model(path)
    run = run_model(model, jobs=1)
    return flow_section(run, suggest_scores(run, model.scoring))


def engagement_of(loaded: LoadedProgramme) -> LoadedEngagement:
    """Return the programme folder's engagement data (empty when it has no engagement file).

    Raises:
        InvalidInput: when ``engagement.yaml`` has problems, located as FILE:LINE.
    """
    path = loaded.root / ENGAGEMENT_FILE
    if not loaded.root.is_dir() or not path.exists():
        return LoadedEngagement(loaded, Engagement(), SourceMap(default=str(path)))
    data, source = load_yaml_file(path, str(path))
    return LoadedEngagement(loaded, validate_engagement(data, source, loaded.programme), source)


def build_case_for_change(
    loaded: LoadedProgramme,
    *,
    engaged: LoadedEngagement | None = None,
    flow: Section | None = None,
) -> Report:
    """Return the Board paper for a loaded programme.

    It appraises the programme, runs its flow model and reads its engagement data and imported
    responses (each from the folder unless given).

    Raises:
        InvalidInput: when the programme cannot be appraised or a folder file has problems.
    """
    result = appraise(loaded.programme, file_hashes=loaded.file_hashes)
    if flow is None:
        flow = flow_report_section(loaded.root)
    if engaged is None:
        engaged = engagement_of(loaded)
    return build_report(loaded, result, flow=flow, engaged=engaged)
