"""Cross-checks of the decision file's parts: unknown ids are located by file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.folder import load_programme

DECISION = textwrap.dedent(
    """\
    finance:
      discount_rate: 0.035
      envelope_gbp: [100, 100]
      assumptions:
        - {id: pay, name: Pay award, low: 0.9, high: 1.1}
      options:
        - option: stay
          lines:
            - {kind: cost, label: Running costs, amounts_gbp: [90, 90], assumption: pay}
        - option: nowhere
          lines:
            - {kind: cost, label: Running costs, amounts_gbp: [90], assumption: rent}
    workforce:
      options:
        - option: vertical
          moves:
            - {service: dn, destination: acute, wte: 20, headcount: 24}
            - {service: podiatry, destination: elsewhere, wte: 2, headcount: 2}
    risks:
      risks:
        - {id: r1, title: Staff leave, category: workforce, likelihood: 3, impact: 4,
           owner: Director of HR, option: vertical}
        - {id: r1, title: Costs rise, category: finance, likelihood: 2, impact: 2,
           owner: Director of Finance, option: ghost}
    equality:
      psed_statement: Considered at each stage.
      options:
        - option: stay
          findings:
            - {characteristic: age, impact: neutral}
            - {characteristic: age, impact: positive}
    assurance:
      checklists: [gunning, invented]
      items:
        - checklist: gunning
          item: no-such-item
          status: met
          evidence: [{kind: activity, ref: ev9}]
    market:
      reviews:
        - {service: dn, contestability: low, route: transfer, rationale: Core service}
        - {service: xx, contestability: high, route: competitive_tender, rationale: Many}
    competition:
      referrals:
        - {service: dn, refers_to: [acute, gp]}
    """
)


def test_unknown_ids_in_every_part_are_located(small_folder: Path) -> None:
    path = small_folder / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8") + DECISION, encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_programme(small_folder)
    lines = path.read_text(encoding="utf-8").splitlines()
    rendered = [p.render() for p in caught.value.problems]

    def line_of(text: str) -> int:
        return next(i for i, line in enumerate(lines, 1) if text in line)

    expected = {
        f":{line_of('option: nowhere')}: finance.options[1].option: unknown option 'nowhere'",
        f":{line_of('assumption: rent')}: finance.options[1].lines[0].assumption: unknown"
        " assumption 'rent'",
        f":{line_of('service: podiatry')}: workforce.options[0].moves[1].service: unknown service"
        " 'podiatry'",
        f":{line_of('service: podiatry')}: workforce.options[0].moves[1].destination: unknown"
        " organisation 'elsewhere'",
        f":{line_of('id: r1, title: Costs')}: risks.risks[1].id: duplicate risk id 'r1'",
        f":{line_of('characteristic: age, impact: positive')}: equality.options[0].findings[1]"
        ".characteristic: duplicate characteristic id 'age'",
        f":{line_of('checklists: [gunning')}: assurance.checklists[1]: unknown checklist"
        " 'invented'",
        f":{line_of('item: no-such-item')}: assurance.items[0].item: unknown item 'no-such-item'"
        " in checklist 'gunning'",
        f":{line_of('ref: ev9')}: assurance.items[0].evidence[0].ref: unknown activity 'ev9'",
        f":{line_of('service: xx')}: market.reviews[1].service: unknown service 'xx'",
        f":{line_of('refers_to: [acute, gp]')}: competition.referrals[0].refers_to[1]: unknown"
        " organisation 'gp'",
    }
    for want in expected:
        assert any(
            want.split(": ", 1)[0] in r and want.split(": ", 1)[1][:60] in r for r in rendered
        ), (
            want,
            rendered,
        )
    assert any("owner: Director of Finance, option: ghost" in lines[i] for i in range(len(lines)))
    assert any("risks.risks[1].option: unknown option 'ghost'" in r for r in rendered)
