"""The commissioner's market picture: service lines by contestability and procurement route."""

from __future__ import annotations

from dataclasses import dataclass

from caseforchange.domain.market import Contestability, Market, ProcurementRoute


@dataclass
class MarketPicture:
    """Counts of service lines by route and by contestability, and the providers named."""

    by_route: dict[str, list[str]]
    by_contestability: dict[str, list[str]]
    providers: list[str]


def market_picture(market: Market) -> MarketPicture:
    """Return the service lines grouped by route and contestability, every group present."""
    by_route: dict[str, list[str]] = {r.value: [] for r in ProcurementRoute}
    by_contest: dict[str, list[str]] = {c.value: [] for c in Contestability}
    providers: list[str] = []
    for review in market.reviews:
        by_route[review.route.value].append(review.service)
        by_contest[review.contestability.value].append(review.service)
        providers += [p for p in review.potential_providers if p not in providers]
    return MarketPicture(by_route, by_contest, providers)
