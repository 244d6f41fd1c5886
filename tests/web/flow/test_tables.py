"""The flow model as tables: figures as written, loads worked out by hand."""

from __future__ import annotations

from caseforchange.flow.model import GammaDuration, LogNormal, Triangular
from caseforchange.io.flow_file import parse_flow_model
from caseforchange.web.flow import tables

from .conftest import SMALL


def test_numbers_and_durations_read_as_written() -> None:
    assert tables.number(4.0) == "4" and tables.number(12500.0) == "12,500"
    assert tables.number(0.15) == "0.15" and tables.number(11.428571) == "11.43"
    assert tables.duration(LogNormal(mean=28, sd=20)) == "log-normal, mean 28, sd 20"
    assert tables.duration(GammaDuration(mean=35, cv=0.6)) == "gamma, mean 35, cv 0.6"
    assert tables.duration(Triangular(low=1, mode=2, high=4)) == "triangular 1 / 2 / 4"
    assert tables.row_text({"discharge": 0.8, "therapy": 0.2}) == "discharge 80%, therapy 20%"


def test_offered_loads_match_the_hand_worked_figures() -> None:
    model = parse_flow_model(SMALL)
    table = tables.load_table(model)
    assert table.columns == ["Team", "now", "more"]
    rows = {r[0]: r[1:] for r in table.rows}
    # Nursing: 95% of 9 referrals a day, 1 day each, on 10 places: 8.55 / 10 = 0.855;
    # with 12 staff, 8.55 / 12 = 0.7125. Beds: 5% of 9 a day x (1 + 2 + 4) / 3 days on 4 beds
    # = 1.05 / 4 = 0.2625. No seasonality, so the peak is the average.
    assert rows["nursing"] == ["0.85 (peak 0.85)", "0.71 (peak 0.71)"]
    assert rows["beds"] == ["0.26 (peak 0.26)", "0.26 (peak 0.26)"]


def test_teams_and_beds_are_split_and_link_to_their_forms() -> None:
    model = parse_flow_model(SMALL)
    (teams,) = tables.team_tables(model)
    assert [r[0] for r in teams.rows] == ["nursing"] and teams.links == ["base/nursing"]
    beds = tables.bed_table(model)
    assert beds is not None and beds.rows[0][2:4] == ["step-up", "4"]
    costs = tables.cost_table(model)
    assert costs is not None and ["Per bed-day", "step-up", "£100"] in costs.rows
