"""Finance engines against hand-worked discounted cash flows at the Green Book rate."""

from __future__ import annotations

import pytest

from caseforchange.decision.finance import (
    appraise_finance,
    discount_factors,
    equivalent_annual_cost,
    net_present_cost,
    tornado,
    value_for_money,
)
from caseforchange.domain.finance import Finance

# Discount factors at 3.5%, worked by hand: 1/1.035^t for t = 0..4
# 1.035^1 = 1.035, ^2 = 1.071225, ^3 = 1.108717875, ^4 = 1.147523000625
HAND_FACTORS = [1.0, 0.9661835749, 0.9335107004, 0.9019427057, 0.8714422277]


def test_discount_factors_match_hand_values() -> None:
    assert discount_factors(0.035, 5) == pytest.approx(HAND_FACTORS, abs=1e-10)


def test_level_cost_over_five_years_to_the_penny() -> None:
    # 100,000 a year, paid at the start of each year: 100,000 x 4.6730792086 = 467,307.92
    assert round(net_present_cost([100_000.0] * 5, 0.035), 2) == 467_307.92
    # the equivalent annual cost of a level stream is the stream itself
    assert round(equivalent_annual_cost(467_307.92086, 0.035, 5), 2) == 100_000.00


FINANCE = Finance.model_validate(
    {
        "first_year": 2011,
        "envelope_gbp": [240_000, 130_000, 130_000, 130_000, 130_000],
        "assumptions": [{"id": "pay", "name": "Pay award", "low": 0.9, "high": 1.2}],
        "options": [
            {
                "option": "a",
                "lines": [
                    {
                        "kind": "cost",
                        "label": "Running",
                        "amounts_gbp": [200_000, 150_000, 150_000, 150_000, 150_000],
                        "assumption": "pay",
                    },
                    {
                        "kind": "transition",
                        "category": "legal",
                        "label": "Legal",
                        "amounts_gbp": [30_000],
                    },
                    {
                        "kind": "transition",
                        "category": "it",
                        "label": "IT",
                        "amounts_gbp": [20_000],
                    },
                    {
                        "kind": "saving",
                        "label": "Estates",
                        "amounts_gbp": [0, 30_000, 30_000, 70_000, 70_000],
                    },
                ],
            },
            {
                "option": "b",
                "lines": [
                    {"kind": "cost", "label": "Running", "amounts_gbp": [100_000] * 5},
                    {"kind": "capital", "label": "Building", "amounts_gbp": [50_000]},
                ],
            },
        ],
    }
)


def test_mixed_flows_npc_eac_and_affordability() -> None:
    result = appraise_finance(FINANCE)
    a = result.cost("a")
    assert a is not None
    # net by year: 250,000, 120,000, 120,000, 80,000, 80,000
    assert a.net == [250_000, 120_000, 120_000, 80_000, 80_000]
    # 250,000 + 115,942.0290 + 112,021.2839 + 72,155.4166 + 69,715.3785 = 619,834.1080
    assert round(a.npc, 2) == 619_834.11
    # 619,834.1080 / 4.6730792086 = 132,639.33
    assert round(a.eac, 2) == 132_639.33
    assert a.transition_by_category == {
        "legal": 30_000,
        "it": 20_000,
        "estates": 0,
        "hr": 0,
        "programme": 0,
    }
    assert a.headroom == [-10_000, 10_000, 10_000, 50_000, 50_000]
    assert a.years_short == [0] and a.affordable is False
    b = result.cost("b")
    assert b is not None
    # capital counts in the NPC (467,307.92 + 50,000) but not against the revenue envelope
    assert round(b.npc, 2) == 517_307.92
    assert b.revenue == [100_000] * 5 and b.affordable is True
    assert result.year_labels() == ["2011/12", "2012/13", "2013/14", "2014/15", "2015/16"]


def test_dominated_option_is_flagged() -> None:
    result = appraise_finance(FINANCE)
    # b costs less (517k < 620k); with more value too it dominates a
    points = {p.option: p for p in value_for_money(result, {"a": 0.6, "b": 0.7})}
    assert points["a"].dominated_by == ("b",)
    assert points["b"].dominated_by == ()
    # with less value b no longer dominates a: a trade-off, nobody dominated
    points = {p.option: p for p in value_for_money(result, {"a": 0.8, "b": 0.7})}
    assert points["a"].dominated_by == () and points["b"].dominated_by == ()


def test_tornado_scales_the_assumption_lines() -> None:
    base, bars = tornado(FINANCE, "a")
    assert round(base, 2) == 619_834.11
    (bar,) = bars
    # running costs' NPC: 200,000 + 150,000 x (0.9661835749 + 0.9335107004 + 0.9019427057
    # + 0.8714422277) = 750,961.8813; x0.9 lowers the NPC by 75,096.19, x1.2 raises it by
    # 150,192.38
    assert round(bar.npc_low, 2) == 544_737.92
    assert round(bar.npc_high, 2) == 770_026.48
    with pytest.raises(KeyError):
        tornado(FINANCE, "zzz")


def test_flow_cost_comparison_sets_each_linked_options_simulated_cost_against_its_costs() -> None:
    from caseforchange.decision.finance import flow_cost_comparison

    finance = Finance.model_validate(
        {
            "options": [
                {
                    "option": "stay",
                    "flow_scenario": "separate",
                    "lines": [
                        {"kind": "cost", "label": "Running", "amounts_gbp": [100_000, 90_000]},
                        {"kind": "cost", "label": "Overheads", "amounts_gbp": [5_000]},
                        {"kind": "transition", "category": "it", "label": "IT", "amounts_gbp": [7]},
                        {"kind": "saving", "label": "Saving", "amounts_gbp": [1_000]},
                    ],
                },
                {"option": "move", "flow_scenario": "not-run"},
                {"option": "other"},
            ]
        }
    )
    rows = flow_cost_comparison(finance, {"separate": (120_000.0, 110_000.0, 130_000.0)})
    assert len(rows) == 1
    row = rows[0]
    # Recurrent costs in the first year: 100,000 + 5,000 (transition and saving left out).
    assert (row.option, row.scenario, row.recorded) == ("stay", "separate", 105_000.0)
    assert (row.low, row.high) == (110_000.0, 130_000.0)
    assert row.difference == 15_000.0
