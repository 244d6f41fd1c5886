"""Finance engines: net present cost, equivalent annual cost, affordability, value for money.

Conventions (docs/decision.md): year 0 is the first financial year and is not discounted; a
flow in year t is divided by (1 + r)^t. Every option is costed over the same horizon, the
longest line or envelope in the file, with missing years counting as zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from caseforchange.domain.finance import (
    CREDIT_KINDS,
    Finance,
    FinanceLine,
    FlowKind,
    OptionFinance,
    TransitionCategory,
)


def discount_factors(rate: float, years: int) -> list[float]:
    """Return the discount factor of each year 0..years-1: 1 / (1 + rate) ** t."""
    return [1.0 / (1.0 + rate) ** t for t in range(years)]


def net_present_cost(flows: Sequence[float], rate: float) -> float:
    """Return the sum of ``flows`` (year 0 first) discounted at ``rate``."""
    return sum(f * d for f, d in zip(flows, discount_factors(rate, len(flows)), strict=True))


def equivalent_annual_cost(npc: float, rate: float, years: int) -> float:
    """Return the constant yearly amount over years 0..years-1 with the same present value.

    Raises:
        ValueError: when ``years`` is not positive.
    """
    if years < 1:
        raise ValueError("the horizon must be at least one year")
    return npc / sum(discount_factors(rate, years))


def horizon(finance: Finance) -> int:
    """Return the number of years every option is costed over (at least one)."""
    lengths = [len(line.amounts_gbp) for o in finance.options for line in o.lines]
    return max([1, len(finance.envelope_gbp), *lengths])


def _signed(line: FinanceLine, years: int, factor: float) -> list[float]:
    sign = -1.0 if line.kind in CREDIT_KINDS else 1.0
    padded = [*line.amounts_gbp, *([0.0] * (years - len(line.amounts_gbp)))]
    return [sign * factor * a for a in padded[:years]]


def net_flows(
    option: OptionFinance, years: int, factors: Mapping[str, float] | None = None
) -> list[float]:
    """Return the option's net cost per year.

    That is costs, transition and capital less income and savings, each line scaled by its
    assumption's factor in ``factors`` (1 when absent).
    """
    total = [0.0] * years
    for line in option.lines:
        factor = (factors or {}).get(line.assumption or "", 1.0)
        total = [a + b for a, b in zip(total, _signed(line, years, factor), strict=True)]
    return total


def _kind_by_year(option: OptionFinance, years: int, kinds: set[FlowKind]) -> list[float]:
    total = [0.0] * years
    for line in option.lines:
        if line.kind in kinds:
            padded = [*line.amounts_gbp, *([0.0] * years)][:years]
            total = [a + b for a, b in zip(total, padded, strict=True)]
    return total


@dataclass
class OptionCost:
    """One option's costs over the horizon and their discounted summaries.

    ``revenue`` is the net revenue cost each year (costs and transition less income and
    savings; capital is funded separately); ``headroom`` is envelope less revenue, None in
    years without an envelope.
    """

    option: str
    net: list[float]
    revenue: list[float]
    capital: list[float]
    npc: float
    eac: float
    totals_by_kind: dict[str, float]
    transition_by_category: dict[str, float]
    headroom: list[float | None] = field(default_factory=list)

    @property
    def affordable(self) -> bool | None:
        """True when every year with an envelope has headroom >= 0; None without an envelope."""
        known = [h for h in self.headroom if h is not None]
        return None if not known else all(h >= -0.005 for h in known)

    @property
    def years_short(self) -> list[int]:
        """Return the year indexes in which the option costs more than the envelope."""
        return [t for t, h in enumerate(self.headroom) if h is not None and h < -0.005]


@dataclass
class FinanceResult:
    """Costs of every option with finance data, in file order."""

    first_year: int
    years: int
    rate: float
    envelope: list[float | None]
    options: list[OptionCost]

    def year_labels(self) -> list[str]:
        """Return financial-year labels such as ``2011/12`` for years 0..years-1."""
        return [
            f"{y}/{(y + 1) % 100:02d}" for y in range(self.first_year, self.first_year + self.years)
        ]

    def cost(self, option: str) -> OptionCost | None:
        """Return the option's costs, or None when it has no finance data."""
        return next((c for c in self.options if c.option == option), None)


def cost_option(option: OptionFinance, finance: Finance, years: int) -> OptionCost:
    """Return the costs of one option over ``years`` at the file's discount rate."""
    rate = finance.discount_rate
    net = net_flows(option, years)
    capital = _kind_by_year(option, years, {FlowKind.CAPITAL})
    revenue = [n - c for n, c in zip(net, capital, strict=True)]
    npc = net_present_cost(net, rate)
    envelope = [*finance.envelope_gbp, *([None] * years)][:years]
    headroom = [None if e is None else e - r for e, r in zip(envelope, revenue, strict=True)]
    by_kind = {k.value: sum(_kind_by_year(option, years, {k})) for k in FlowKind}
    by_category = {c.value: 0.0 for c in TransitionCategory}
    for line in option.lines:
        if line.category is not None:
            by_category[line.category.value] += sum(line.amounts_gbp[:years])
    return OptionCost(
        option.option,
        net,
        revenue,
        capital,
        npc,
        equivalent_annual_cost(npc, rate, years),
        by_kind,
        by_category,
        headroom,
    )


def appraise_finance(finance: Finance) -> FinanceResult:
    """Return the costs, NPC, EAC and affordability of every option in ``finance``."""
    years = horizon(finance)
    envelope: list[float | None] = [*finance.envelope_gbp, *([None] * years)][:years]
    return FinanceResult(
        finance.first_year,
        years,
        finance.discount_rate,
        envelope,
        [cost_option(o, finance, years) for o in finance.options],
    )


@dataclass(frozen=True)
class ValuePoint:
    """An option's appraised value and net present cost, and the options that dominate it."""

    option: str
    value: float
    npc: float
    dominated_by: tuple[str, ...]


def value_for_money(result: FinanceResult, values: Mapping[str, float]) -> list[ValuePoint]:
    """Return each costed option with an appraised value, flagging dominated options.

    An option is dominated when another has at least its value at no more net present cost,
    and is strictly better on one of the two.
    """
    points = [(c.option, values[c.option], c.npc) for c in result.options if c.option in values]
    out = []
    for option, value, npc in points:
        better = tuple(
            other
            for other, v, n in points
            if other != option and v >= value and n <= npc and (v > value or n < npc)
        )
        out.append(ValuePoint(option, value, npc, better))
    return out


@dataclass(frozen=True)
class TornadoBar:
    """How far one assumption moves an option's net present cost between its low and high."""

    assumption: str
    name: str
    low_factor: float
    high_factor: float
    npc_low: float
    npc_high: float

    @property
    def swing(self) -> float:
        """Return the absolute difference between the NPCs at the two ends."""
        return abs(self.npc_high - self.npc_low)


def tornado(finance: Finance, option: str) -> tuple[float, list[TornadoBar]]:
    """Return the option's base NPC and one bar per assumption its lines use, widest first.

    Raises:
        KeyError: when ``option`` has no finance data.
    """
    found = next((o for o in finance.options if o.option == option), None)
    if found is None:
        raise KeyError(option)
    years = horizon(finance)
    rate = finance.discount_rate
    base = net_present_cost(net_flows(found, years), rate)
    used = {line.assumption for line in found.lines if line.assumption}
    bars = [
        TornadoBar(
            a.id,
            a.name,
            a.low,
            a.high,
            net_present_cost(net_flows(found, years, {a.id: a.low}), rate),
            net_present_cost(net_flows(found, years, {a.id: a.high}), rate),
        )
        for a in finance.assumptions
        if a.id in used
    ]
    return base, sorted(bars, key=lambda b: (-b.swing, b.assumption))


@dataclass(frozen=True)
class FlowCostRow:
    """An option's simulated cost a year (from its flow scenario) beside its recorded costs.

    ``recorded`` is the option's recurrent costs (lines of kind ``cost``) in the first year;
    ``difference`` is the simulated mean less ``recorded``. Pounds a year.
    """

    option: str
    scenario: str
    simulated: float
    low: float
    high: float
    recorded: float

    @property
    def difference(self) -> float:
        """Return the simulated mean cost less the recorded first-year recurrent costs."""
        return self.simulated - self.recorded


def flow_cost_comparison(
    finance: Finance, annual: Mapping[str, tuple[float, float, float]]
) -> list[FlowCostRow]:
    """Return a row for each option whose ``flow_scenario`` has a simulated cost in ``annual``.

    ``annual`` maps a flow scenario to its cost a year: (mean, 95% low, 95% high).
    """
    rows = []
    for option in finance.options:
        scenario = option.flow_scenario
        if scenario is None or scenario not in annual:
            continue
        mean, low, high = annual[scenario]
        recorded = _kind_by_year(option, 1, {FlowKind.COST})[0]
        rows.append(FlowCostRow(option.option, scenario, mean, low, high, recorded))
    return rows
