"""Engagement data for the small test programme, and a small Decidim-style export."""

# ruff: noqa: E501  (the YAML and CSV fixtures read best with their rows unbroken)

from __future__ import annotations

import textwrap
from pathlib import Path

SMALL_ENGAGEMENT = textwrap.dedent(
    """\
    settings:
      minimum_consultation_weeks: 12
      pre_election_periods:
        - {name: Local elections, start: 2010-09-01, end: 2010-09-30}
    workshops:
      - id: ws
        title: Options workshop
        date: 2010-09-22
        activity: ev1
        tables: [t1, t2]
        participants:
          - {id: f1, role: facilitator, organisation: pct}
          - {id: f2, role: facilitator, organisation: pct}
          - {id: s1, role: scribe, organisation: arm}
          - {id: s2, role: scribe, organisation: arm}
          - {id: a1, organisation: acute, label: "Participant 1, acute"}
          - {id: a2, organisation: acute}
          - {id: r1, organisation: arm}
          - {id: r2, organisation: arm}
        keep_apart:
          - [a1, a2]
        outputs:
          - {id: adv1, kind: advantage, table: t1, category: outcomes, option: vertical, text: Care closer to home}
          - {id: iss1, kind: issue, table: t1, category: access, option: vertical, text: Staff may have to move}
          - {id: mit1, kind: mitigation, table: t2, category: access, responds_to: iss1, text: Say clearly that services stay local}
          - {id: iss2, kind: issue, table: t2, category: cost, text: Estates may shrink}
    questionnaires:
      - id: survey
        title: Consultation questionnaire
        questions:
          - {id: support, text: "Do you support the proposal?", type: closed,
             options: ["Yes", "No", Not sure]}
          - {id: who, text: "Which best describes you?", type: demographic, options: [Staff, Public]}
          - {id: matters, text: "What matters?", type: multi_select, options: [Local care, NHS, Quality]}
          - {id: comments, text: "Anything else?", type: open}
    ballots:
      - id: ballot
        title: Staff ballot
        question: "Which option do you prefer?"
        choices:
          - {id: stay, label: Stay in house, option: stay}
          - {id: join, label: Join the acute trust, option: vertical}
        results:
          - {group: staff-group, counts: {stay: 30, join: 10}}
        illustrative: true
        note: Counts are made up for tests.
    you_said_we_did:
      - {issue: iss1, response: We published a list of where each service will be based.}
    """
)

#: A Decidim-style survey export: id, created_at, ip_hash, user_status, then questions.
DECIDIM_EXPORT = textwrap.dedent(
    """\
    id,created_at,ip_hash,user_status,1. Do you support the proposal?,2. Which best describes you?,3. What matters?,4. Anything else?
    101,2010-10-12 09:30:00 UTC,9f86d081884c,registered,Yes,Staff,Local care;NHS,Keep the district nurses
    102,2010-10-13 10:00:00 UTC,60303ae22b99,unregistered,No,Public,Quality,
    103,2010-10-14 11:15:00 UTC,fd61a03af4f7,registered,Yes,Public,NHS,"Please, think of
    rural areas"
    104,2010-10-15 12:00:00 UTC,a4e624d686e0,registered,Not sure,Staff,,
    """
)

#: A mapping that uses the shipped Decidim layout for the test questionnaire.
DECIDIM_MAPPING = textwrap.dedent(
    """\
    name: test-decidim
    extends: decidim
    questionnaire: survey
    group_question: who
    """
)


def write_engagement(folder: Path, text: str = SMALL_ENGAGEMENT) -> Path:
    """Write ``engagement.yaml`` into a programme folder; return the folder."""
    (folder / "engagement.yaml").write_text(text, encoding="utf-8")
    return folder


def write_export(folder: Path, text: str = DECIDIM_EXPORT, name: str = "export.csv") -> Path:
    """Write an export and the test mapping beside ``folder``; return the export's path."""
    path = folder.parent / name
    path.write_text(text, encoding="utf-8")
    (folder.parent / "mapping.yaml").write_text(DECIDIM_MAPPING, encoding="utf-8")
    return path
