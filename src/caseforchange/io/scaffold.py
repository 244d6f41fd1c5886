"""A new programme folder, scaffolded from a built-in criteria framework, with comments."""

from __future__ import annotations

import re
from pathlib import Path

from caseforchange.catalogue.forms import forms
from caseforchange.catalogue.frameworks import framework
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.io.atomic import staged_folder
from caseforchange.io.folder import PROGRAMME_FILE, SCORES_FILE, dump_yaml
from caseforchange.io.scores_csv import COLUMNS

_HEAD = """\
# A caseforchange programme: one decision about who runs a community's health services.
# Every field is explained in docs/formats.md; `caseforchange validate .` checks this folder.
# Ids are short words (letters, digits, - _ .) that other records use to refer to a record.

id: {programme_id}            # the programme's id
title: New programme          # a title for reports and the Board paper
commissioner: commissioner    # id of the commissioning organisation (listed below)
scope: Community health services provided by the PCT's provider arm.  # what is in scope
# decision_date: 2011-03-31   # when the Board decides
# timetable: {{start: 2010-06-01, end: 2011-04-01}}
# characteristics:            # what the commissioner wants the new system to achieve
#   - Care close to home

provenance:
  sources: []                 # documents the facts come from
  illustrative: false         # true when numbers are made up for illustration (needs a note)

# Organisation kinds: {kinds}
organisations:
  - {{id: commissioner, name: The commissioning PCT, kind: commissioner}}
  - {{id: provider-arm, name: The PCT provider arm, kind: provider_arm}}

# Services: client_group is children, adults or all; tier is universal or specialist;
# budget_gbp is the annual budget in pounds; staff_wte the whole-time-equivalent staff.
services:
  - id: district-nursing
    name: District nursing
    client_group: adults
    tier: universal
    current_provider: provider-arm
    # budget_gbp: 1000000
    # staff_wte: 25
    localities: []

# Dependency rules: kind is keep_together, do_not_split or prefer_same_destination.
dependencies: []

# Options: form is an organisational form id from the catalogue:
#   {forms}
# configuration (optional) sends each service id to a destination organisation id.
options:
  - id: in-house
    name: Stay in house
    form: in-house
    provider: provider-arm
    business_as_usual: true

# Panels score the options; each panel's weight sets its share in the combined result.
panels:
  - {{id: board, name: Board, weight: 1, members: []}}

# appraisal: aggregation (mean | median | geometric_mean), samples and seed for SMAA, and
# weight_information (exact | none | ranking | intervals).
appraisal: {{aggregation: mean, samples: 10000, seed: 2010, weight_information: none}}

stakeholders: []              # stakeholder groups: id, name, interest and influence 1-5
activities: []                # engagement: id, kind, title, date, start_time, venue, audience
milestones: []                # id, name, date

# The criteria framework, copied from the built-in '{framework_id}'. Weights are relative
# within each group of siblings (blank = equal); hurdle criteria are pass/fail.
"""


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.")
    return slug or "programme"


def scaffold(directory: Path, framework_id: str, programme_id: str | None = None) -> list[Path]:
    """Create a new programme folder at ``directory`` from a built-in framework.

    Returns:
        The files written.

    Raises:
        InvalidInput: when the framework is unknown, the folder already holds a programme, or
            the place cannot be written (then nothing is written).
    """
    try:
        chosen = framework(framework_id)
    except KeyError:
        from caseforchange.catalogue.frameworks import frameworks

        known = ", ".join(frameworks())
        raise InvalidInput(
            [Problem(("framework",), f"unknown framework '{framework_id}' (known: {known})")]
        ) from None
    if (directory / PROGRAMME_FILE).exists():
        raise InvalidInput([Problem((), "this folder already holds a programme", str(directory))])
    from caseforchange.domain.organisations import OrganisationKind

    text = _HEAD.format(
        programme_id=programme_id or _slug(directory.resolve().name),
        kinds=", ".join(k.value for k in OrganisationKind),
        forms=", ".join(forms()),
        framework_id=framework_id,
    )
    body = dump_yaml({"framework": chosen.model_dump(mode="json", exclude_defaults=True)})
    with staged_folder(directory) as staging:
        staging.write_text(PROGRAMME_FILE, text + body)
        staging.write_text(SCORES_FILE, ",".join(COLUMNS) + "\n")
    return [directory / PROGRAMME_FILE, directory / SCORES_FILE]
