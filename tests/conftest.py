"""Shared fixtures: a small, readable programme folder that tests copy and break."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

# A shared 2-core CI machine is slow at times: properties are about behaviour, never wall time.
settings.register_profile("caseforchange", deadline=None)
settings.load_profile("caseforchange")

SMALL_PROGRAMME = textwrap.dedent(
    """\
    id: small
    title: A small programme
    commissioner: pct
    scope: Two community services
    decision_date: 2011-03-31
    timetable: {start: 2010-06-01, end: 2011-04-01}
    provenance: {sources: [test], illustrative: true, note: Scores are made up for tests.}
    organisations:
      - {id: pct, name: Test PCT, kind: commissioner}
      - {id: arm, name: Test provider arm, kind: provider_arm}
      - {id: acute, name: Test acute trust, kind: acute_trust}
    services:
      - {id: dn, name: District nursing, client_group: adults, tier: universal,
         current_provider: arm, budget_gbp: 1000000, staff_wte: 25.5}
      - {id: aud, name: Audiology, client_group: children, tier: specialist,
         current_provider: arm}
    dependencies:
      - {id: together, kind: keep_together, services: [dn, aud], reason: shared staff}
    options:
      - {id: stay, name: Stay in house, form: in-house, provider: arm, business_as_usual: true}
      - id: vertical
        name: Join the acute trust
        form: integrated-community-acute-trust
        provider: acute
        configuration: {dn: acute, aud: [acute, arm]}
    framework:
      id: fw
      name: Test framework
      criteria:
        - {id: gate, name: Can deliver, hurdle: true, scale: pass-fail}
        - id: quality
          name: Quality
          weight: 3
          children:
            - {id: outcomes, name: Outcomes, scale: "0-10", weight: 1}
            - {id: access, name: Access, scale: "0-10", weight: 1}
        - {id: cost, name: Cost, scale: "1-5", weight: 1}
    panels:
      - id: board
        name: Board
        weight: 2
        members:
          - {id: chair, name: Chair, organisation: pct}
          - {id: nurse, name: Nurse director, organisation: arm}
      - {id: staff, name: Staff, weight: 1}
    stakeholders:
      - {id: staff-group, name: Provider staff, organisation: arm, interest: 5, influence: 3}
    activities:
      - {id: ev1, kind: event, title: Open event, date: 2010-09-22, start_time: "09:00",
         end_time: "13:00", venue: Town hall, audience: [staff-group], milestone: launch}
    milestones:
      - {id: launch, name: Launch of consultation, date: 2010-10-11}
    """
)

SMALL_SCORES = textwrap.dedent(
    """\
    option,criterion,panel,member,value,low,high,distribution,rationale
    stay,gate,board,,1,,,,meets the test
    vertical,gate,board,,1,,,,meets the test
    stay,outcomes,board,chair,5,,,,
    stay,outcomes,board,nurse,7,,,,
    vertical,outcomes,staff,,6,4,8,triangular,uncertain
    """
)


@pytest.fixture
def small_folder(tmp_path: Path) -> Path:
    """Return a valid programme folder with a YAML file and a scores table."""
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "programme.yaml").write_text(SMALL_PROGRAMME, encoding="utf-8")
    (folder / "scores.csv").write_text(SMALL_SCORES, encoding="utf-8")
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of ``old`` in a file (fails the test if absent)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")
