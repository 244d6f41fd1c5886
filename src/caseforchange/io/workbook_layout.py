"""The programme workbook's sheets and columns, described once for writing, reading and docs.

Every sheet is a table with one header row. Each column has a kind, which decides how a value
is written into a cell, how a cell is read back, which number format and which drop-down it
gets. The writer, the reader, the README sheet and ``docs/workbook.md`` all come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from caseforchange.domain.assurance import AssuranceStatus, EvidenceKind
from caseforchange.domain.criteria import Direction, WeightingMethod
from caseforchange.domain.engagement import ActivityKind, DatePrecision
from caseforchange.domain.equality import Characteristic, Impact
from caseforchange.domain.finance import FlowKind, TransitionCategory
from caseforchange.domain.market import Contestability, ProcurementRoute
from caseforchange.domain.organisations import OrganisationKind, Tristate
from caseforchange.domain.panels import Distribution
from caseforchange.domain.programme import Aggregation, WeightInformation
from caseforchange.domain.risks import RiskCategory
from caseforchange.domain.services import ClientGroup, DependencyKind, Tier
from caseforchange.domain.workforce import StaffConsultation

#: Separates the items of a list held in one cell, e.g. ``north; south``.
LIST_SEPARATOR = ";"
#: Separates a measure from its value in a value-function point, e.g. ``100000:0.5``.
POINT_SEPARATOR = ":"
#: The hidden sheet that holds the drop-down lists.
LISTS_SHEET = "Lists"
#: The sheet that explains the workbook; the reader ignores it.
README_SHEET = "README"
#: Rows below the data that still get drop-downs, so users can add records.
SPARE_ROWS = 200


class Kind(StrEnum):
    """How a column's cells are written and read."""

    ID = "id"
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    TIME = "time"
    CHOICE = "choice"
    ID_LIST = "id list"
    TEXT_LIST = "text list"
    POINTS = "points"
    DESTINATIONS = "destinations"
    NUMBER_LIST = "number list"


#: How each kind is described to the person filling the workbook.
KIND_HELP: dict[Kind, str] = {
    Kind.ID: "an identifier: letters, digits, '-', '_' or '.', no spaces",
    Kind.TEXT: "free text",
    Kind.NUMBER: "a number",
    Kind.INTEGER: "a whole number",
    Kind.BOOLEAN: "TRUE or FALSE",
    Kind.DATE: "a date (an Excel date, or text like 2011-03-31)",
    Kind.TIME: "a time of day (an Excel time, or text like 09:30)",
    Kind.CHOICE: "one of the values in the drop-down",
    Kind.ID_LIST: "identifiers separated by '; '",
    Kind.TEXT_LIST: "texts separated by '; ' (a text cannot itself contain ';')",
    Kind.POINTS: "measure:value pairs separated by '; ', e.g. 0:1; 500000:0",
    Kind.NUMBER_LIST: "numbers separated by '; ', one per year, e.g. 100000; 95000",
    Kind.DESTINATIONS: (
        "one organisation id, or several separated by '; ' when the service is divided"
        " (a trailing ';' keeps a list of one)"
    ),
}

#: Excel number formats by kind; text kinds are formatted as text so ids such as 007 survive.
NUMBER_FORMATS: dict[Kind, str] = {
    Kind.DATE: "yyyy-mm-dd",
    Kind.TIME: "hh:mm",
    Kind.INTEGER: "0",
    Kind.ID: "@",
    Kind.TEXT: "@",
    Kind.ID_LIST: "@",
    Kind.TEXT_LIST: "@",
    Kind.POINTS: "@",
    Kind.DESTINATIONS: "@",
    Kind.NUMBER_LIST: "@",
}
MONEY_FORMAT = "£#,##0"
WTE_FORMAT = "0.0"


@dataclass(frozen=True)
class Lookup:
    """Where a column's drop-down takes its values: another sheet's column, or the Lists sheet."""

    name: str
    sheet: str | None = None
    column: str = "id"


def _enum_values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


#: Drop-down lists that are fixed (enumerations and catalogues), kept on the hidden Lists sheet.
ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "boolean": ("TRUE", "FALSE"),
    "organisation_kind": _enum_values(OrganisationKind),
    "client_group": _enum_values(ClientGroup),
    "tier": _enum_values(Tier),
    "dependency_kind": _enum_values(DependencyKind),
    "direction": _enum_values(Direction),
    "weighting_method": _enum_values(WeightingMethod),
    "distribution": _enum_values(Distribution),
    "activity_kind": _enum_values(ActivityKind),
    "date_precision": _enum_values(DatePrecision),
    "aggregation": _enum_values(Aggregation),
    "weight_information": _enum_values(WeightInformation),
    "flow_kind": _enum_values(FlowKind),
    "transition_category": _enum_values(TransitionCategory),
    "staff_consultation": _enum_values(StaffConsultation),
    "tristate": _enum_values(Tristate),
    "risk_category": _enum_values(RiskCategory),
    "characteristic": _enum_values(Characteristic),
    "impact": _enum_values(Impact),
    "assurance_status": _enum_values(AssuranceStatus),
    "evidence_kind": _enum_values(EvidenceKind),
    "contestability": _enum_values(Contestability),
    "procurement_route": _enum_values(ProcurementRoute),
}

# Lists whose values depend on the programme or the catalogue, filled in when writing.
FORMS = Lookup("forms")
SCALES = Lookup("scales")
# Lists that follow another sheet's id column, so records added later appear in the drop-down.
ORGANISATIONS = Lookup("organisations", "Organisations")
SERVICES = Lookup("services", "Services")
OPTIONS = Lookup("options", "Options")
CRITERIA = Lookup("criteria", "Criteria")
PANELS = Lookup("panels", "Panels")
MEMBERS = Lookup("members", "Members")
STAKEHOLDERS = Lookup("stakeholders", "Stakeholders")
MILESTONES = Lookup("milestones", "Milestones")


@dataclass(frozen=True)
class Column:
    """One column of a sheet (or one field row of the Programme sheet)."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    choices: str | None = None
    lookup: Lookup | None = None
    number_format: str | None = None
    width: int = 16

    @property
    def format(self) -> str | None:
        """The Excel number format for this column's cells, if any."""
        return self.number_format or NUMBER_FORMATS.get(self.kind)

    @property
    def list_name(self) -> str | None:
        """The name of the fixed drop-down list for this column, if it has one."""
        if self.kind is Kind.BOOLEAN:
            return "boolean"
        if self.choices is not None:
            return self.choices
        if self.lookup is not None and self.lookup.sheet is None:
            return self.lookup.name
        return None


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook: a table with one header row of column names."""

    name: str
    key: str
    about: str
    columns: tuple[Column, ...]
    optional: bool = False

    def column(self, name: str) -> Column:
        """Return the column called ``name``.

        Raises:
            KeyError: when the sheet has no such column.
        """
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the columns that must be present."""
        return tuple(c.name for c in self.columns if c.required)


def _id(help_text: str, *, required: bool = True, lookup: Lookup | None = None) -> Column:
    return Column("id", Kind.ID, help_text, required=required, lookup=lookup, width=22)


def _text(name: str, help_text: str, *, required: bool = False, width: int = 30) -> Column:
    return Column(name, Kind.TEXT, help_text, required=required, width=width)


def _ref(name: str, lookup: Lookup, help_text: str, *, required: bool = False) -> Column:
    return Column(name, Kind.ID, help_text, required=required, lookup=lookup, width=22)


def _choice(name: str, choices: str, help_text: str, *, required: bool = False) -> Column:
    return Column(name, Kind.CHOICE, help_text, required=required, choices=choices, width=20)


def _flag(name: str, help_text: str) -> Column:
    return Column(name, Kind.BOOLEAN, help_text, width=12)


def _number(name: str, help_text: str, *, required: bool = False, fmt: str | None = None) -> Column:
    return Column(name, Kind.NUMBER, help_text, required=required, number_format=fmt, width=12)


def _integer(name: str, help_text: str) -> Column:
    return Column(name, Kind.INTEGER, help_text, width=10)


def _date(name: str, help_text: str) -> Column:
    return Column(name, Kind.DATE, help_text, width=12)


#: The rows of the Programme sheet: one per field, named by its dotted path in programme.yaml.
PROGRAMME_FIELDS: tuple[Column, ...] = (
    Column("id", Kind.ID, "Short identifier of the programme", required=True),
    _text("title", "Title of the programme", required=True),
    _ref("commissioner", ORGANISATIONS, "The commissioning organisation", required=True),
    _text("scope", "What the decision covers", required=True),
    _date("decision_date", "When the decision is due"),
    _choice("decision_date_precision", "date_precision", "'month' when only the month is known"),
    _text("decision", "What the paper asks for (default: who should provide the services)"),
    _text("decision_body", "Who the paper goes to (default: the Board)"),
    _date("timetable.start", "Start of the programme"),
    _date("timetable.end", "End of the programme"),
    _flag("provenance.illustrative", "TRUE when some numbers are illustrative, not real"),
    _text("provenance.note", "What is illustrative (required when illustrative is TRUE)"),
    _text("provenance.sources", "A source document; repeat the row for each source"),
    Column("framework.id", Kind.ID, "Identifier of the criteria framework", required=True),
    _text("framework.name", "Name of the criteria framework", required=True),
    _text("framework.source", "Where the framework comes from"),
    _text("framework.description", "What the framework is for"),
    _choice("framework.weighting.method", "weighting_method", "How weights were set"),
    _text("framework.weighting.set_by", "Who set the weights"),
    _text("framework.weighting.date", "When the weights were set (text)"),
    _text("framework.weighting.note", "Notes on the weighting"),
    _flag("framework.weighting.accept_inconsistency", "TRUE to accept inconsistent AHP input"),
    _choice("appraisal.aggregation", "aggregation", "How members' scores are combined"),
    _integer("appraisal.samples", "Number of samples for the uncertainty analysis"),
    _integer("appraisal.seed", "Random seed, so results can be reproduced"),
    _choice("appraisal.weight_information", "weight_information", "What SMAA assumes of weights"),
    # The decision file: a part is present when any of its fields or sheets is filled in.
    _integer("finance.first_year", "Calendar year in which year 0 (2011 for 2011/12) starts"),
    _number("finance.discount_rate", "Discount rate (default 0.035, the Green Book rate)"),
    _flag("finance.illustrative", "TRUE when the finance figures are illustrative"),
    _text("finance.note", "What is illustrative in the finance figures"),
    _flag("workforce.illustrative", "TRUE when the staff figures are illustrative"),
    _text("workforce.note", "What is illustrative in the staff figures"),
    _flag("risks.illustrative", "TRUE when the risk register is illustrative"),
    _text("risks.note", "What is illustrative in the risk register"),
    _flag("equality.illustrative", "TRUE when the equality findings are illustrative"),
    _text("equality.note", "What is illustrative in the equality findings"),
    _text("equality.psed_statement", "How the public sector equality duty was considered"),
    _flag("assurance.illustrative", "TRUE when the assurance statuses are illustrative"),
    _text("assurance.note", "What is illustrative in the assurance statuses"),
    Column(
        "assurance.checklists",
        Kind.ID_LIST,
        "Checklists the programme answers to, separated by '; ' (blank: all)",
    ),
    _flag("market.illustrative", "TRUE when the market review is illustrative"),
    _text("market.note", "What is illustrative in the market review"),
    _flag("competition.illustrative", "TRUE when turnovers or referrals are illustrative"),
    _text("competition.note", "What is illustrative in turnovers and referrals"),
    _text("board.meeting", "The meeting the paper goes to (e.g. the PCT Board)"),
    _text("board.date", "Date of the meeting: a day (2010-10-05) or a month (2010-10)"),
    _text("board.author", "Who wrote the paper"),
    _text(
        "board.resolutions",
        "What the Board is asked to do, as 'approve: ...', 'note: ...' or 'endorse: ...';"
        " repeat the row for each",
    ),
    _text("board.conditions", "A condition on the decision; repeat the row for each"),
)
#: Programme fields that may be given on several rows, each adding one item to a list.
REPEATED_FIELDS = frozenset({"provenance.sources", "board.resolutions", "board.conditions"})

PROGRAMME = Sheet(
    "Programme",
    "programme",
    "The programme itself, its sources, its criteria framework and the appraisal settings:"
    " one row per field, the value in column B.",
    (
        Column("field", Kind.TEXT, "The field's name (do not change it)", required=True, width=42),
        Column("value", Kind.TEXT, "The field's value", required=True, width=50),
        Column("about", Kind.TEXT, "What the field means (ignored when reading)", width=60),
    ),
)

CHARACTERISTICS = Sheet(
    "Characteristics",
    "characteristics",
    "Characteristics of the local health economy, one per row.",
    (_text("characteristic", "One characteristic", required=True, width=80),),
)

ORGANISATION_SHEET = Sheet(
    "Organisations",
    "organisations",
    "Commissioners, providers, candidate providers and partners.",
    (
        _id("Identifier other sheets use for this organisation"),
        _text("name", "Full name", required=True),
        _choice("kind", "organisation_kind", "The organisation's role", required=True),
        _text("short_name", "Short name", width=16),
        Column("ods_code", Kind.ID, "ODS code (3-6 capital letters or digits)", width=10),
        _text("notes", "Notes"),
        _number("turnover_gbp", "Annual turnover (£); 0 for a new body", fmt=MONEY_FORMAT),
    ),
)

SERVICE_SHEET = Sheet(
    "Services",
    "services",
    "Community service lines.",
    (
        _id("Identifier other sheets use for this service"),
        _text("name", "Name of the service", required=True),
        _choice("client_group", "client_group", "Who the service is for", required=True),
        _choice("tier", "tier", "Universal or specialist", required=True),
        _number("budget_gbp", "Annual budget in pounds", fmt=MONEY_FORMAT),
        _number("staff_wte", "Staff, whole-time equivalents", fmt=WTE_FORMAT),
        _ref("current_provider", ORGANISATIONS, "Who provides it now (blank for a new function)"),
        Column("localities", Kind.TEXT_LIST, "Localities served, separated by '; '", width=30),
        _text("description", "Description"),
    ),
)

DEPENDENCY_SHEET = Sheet(
    "Dependencies",
    "dependencies",
    "Rules about which services go where together, and why.",
    (
        _id("Identifier of the rule"),
        _choice("kind", "dependency_kind", "The kind of rule", required=True),
        Column("services", Kind.ID_LIST, "Service ids separated by '; '", required=True, width=30),
        _text("reason", "Why the rule applies", required=True),
        _text("raised_by", "Who raised it", width=20),
    ),
)

OPTION_SHEET = Sheet(
    "Options",
    "options",
    "Candidate futures: an organisational form and a provider. Where services go to"
    " different destinations, list them on the Configuration sheet.",
    (
        _id("Identifier other sheets use for this option"),
        _text("name", "Name of the option", required=True),
        _ref("form", FORMS, "Organisational form (from the catalogue)", required=True),
        _ref("provider", ORGANISATIONS, "The provider under this option"),
        _text("description", "Description"),
        _flag("business_as_usual", "TRUE for the business-as-usual option"),
        _flag("do_minimum", "TRUE for the do-minimum option"),
        _text("stage_reached", "How far the option got (long list, short list...)", width=18),
    ),
)

CONFIGURATION_SHEET = Sheet(
    "Configuration",
    "configuration",
    "Where each service goes under an option, one row per option and service.",
    (
        _ref("option", OPTIONS, "The option", required=True),
        _ref("service", SERVICES, "The service", required=True),
        Column("destinations", Kind.DESTINATIONS, KIND_HELP[Kind.DESTINATIONS], required=True),
    ),
)

CRITERIA_SHEET = Sheet(
    "Criteria",
    "criteria",
    "The criteria tree, one criterion per row in depth-first order: a sub-criterion names its"
    " group in 'parent', and the group must be on a row above it.",
    (
        _id("Identifier of the criterion", lookup=None),
        _ref("parent", CRITERIA, "The group this criterion belongs to (blank at the top level)"),
        _text("name", "Name of the criterion", required=True),
        _text("description", "Description"),
        _number("weight", "Weight among its siblings"),
        _integer("rank", "Rank among its siblings (rank-order centroid weighting)"),
        _ref("scale", SCALES, "Scoring scale (blank for a group of criteria)"),
        _flag("hurdle", "TRUE for a pass/fail hurdle"),
        _choice("direction", "direction", "Whether more is better (maximise) or worse"),
        _text("value_function_unit", "Unit of a measured criterion, e.g. £", width=14),
        Column("value_function_points", Kind.POINTS, KIND_HELP[Kind.POINTS], width=30),
    ),
)

SCALE_SHEET = Sheet(
    "Scales",
    "scales",
    "The framework's own scoring scales (built-in scales 0-10, 1-5, 0-5 and pass-fail need no"
    " row).",
    (
        _id("Identifier of the scale"),
        _text("name", "Name of the scale", required=True),
        _number("min", "Lowest score", required=True),
        _number("max", "Highest score", required=True),
        _flag("pass_fail", "TRUE for a pass/fail scale"),
    ),
)

SCALE_POINT_SHEET = Sheet(
    "ScalePoints",
    "scale_points",
    "Labelled points of the framework's own scales, in order.",
    (
        Column("scale", Kind.ID, "The scale", required=True, lookup=Lookup("own_scales", "Scales")),
        _number("value", "The score", required=True),
        _text("label", "What the score means", required=True),
    ),
)

AHP_SHEET = Sheet(
    "AHP",
    "ahp",
    "Pairwise comparison matrices for AHP weighting, one cell per row: 'matrix' is the group"
    " whose sub-criteria are compared ('root' for the top level); 'row' and 'col' count from 1.",
    (
        Column("matrix", Kind.ID, "The group compared, or root", required=True, width=22),
        Column("row", Kind.INTEGER, "Row of the matrix, from 1", required=True, width=8),
        Column("col", Kind.INTEGER, "Column of the matrix, from 1", required=True, width=8),
        _number("value", "How much more important the row is than the column", required=True),
    ),
    optional=True,
)

PANEL_SHEET = Sheet(
    "Panels",
    "panels",
    "Stakeholder groups that score the options.",
    (
        _id("Identifier of the panel"),
        _text("name", "Name of the panel", required=True),
        _ref("group", STAKEHOLDERS, "The stakeholder group the panel speaks for"),
        _number("weight", "Weight of the panel's scores (default 1)"),
    ),
)

MEMBER_SHEET = Sheet(
    "Members",
    "members",
    "Panel members, named by role, one per row.",
    (
        _ref("panel", PANELS, "The panel", required=True),
        _id("Identifier of the member within the panel"),
        _text("name", "Name or role", required=True),
        _ref("organisation", ORGANISATIONS, "The member's organisation"),
        _text("role", "Role", width=20),
    ),
)

SCORE_SHEET = Sheet(
    "Scores",
    "scores",
    "Scores: an option on a criterion by a panel or one of its members. Give a value, or a"
    " low and high with a distribution for an uncertain score.",
    (
        _ref("option", OPTIONS, "The option scored", required=True),
        _ref("criterion", CRITERIA, "The criterion (not a group)", required=True),
        _ref("panel", PANELS, "The panel that scored"),
        _ref("member", MEMBERS, "The member who scored (blank for the panel's score)"),
        _number("value", "The score, on the criterion's scale"),
        _number("low", "Lowest plausible score"),
        _number("high", "Highest plausible score"),
        _choice("distribution", "distribution", "How the score is spread between low and high"),
        _text("rationale", "Why this score", width=50),
    ),
)

STAKEHOLDER_SHEET = Sheet(
    "Stakeholders",
    "stakeholders",
    "Stakeholder groups, with interest and influence from 1 to 5.",
    (
        _id("Identifier of the group"),
        _text("name", "Name", required=True),
        _text("kind", "Kind of group", width=18),
        _ref("organisation", ORGANISATIONS, "Organisation the group belongs to"),
        _integer("interest", "Interest, 1-5"),
        _integer("influence", "Influence, 1-5"),
        _integer("size", "Number of people"),
    ),
)

ACTIVITY_SHEET = Sheet(
    "Activities",
    "activities",
    "Engagement activities: when, where and for whom.",
    (
        _id("Identifier of the activity"),
        _choice("kind", "activity_kind", "Kind of activity", required=True),
        _text("title", "Title", required=True),
        _date("date", "Date (first day)"),
        _date("end_date", "Last day, for activities over several days"),
        Column("start_time", Kind.TIME, "Start time", width=10),
        Column("end_time", Kind.TIME, "End time", width=10),
        _text("venue", "Venue", width=24),
        Column("audience", Kind.ID_LIST, "Stakeholder group ids separated by '; '", width=24),
        _integer("capacity", "Places available"),
        _ref("milestone", MILESTONES, "The milestone the activity leads to"),
        _text("notes", "Notes"),
        _choice("date_precision", "date_precision", "'month' when only the month is known"),
    ),
)

MILESTONE_SHEET = Sheet(
    "Milestones",
    "milestones",
    "Decision points and events in the programme's timetable.",
    (
        _id("Identifier of the milestone"),
        _text("name", "Name", required=True),
        _date("date", "Date"),
        _choice("date_precision", "date_precision", "'month' when only the month is known"),
        _text("description", "Description"),
        _flag("achieved", "TRUE when the milestone has already passed"),
    ),
)

WEIGHT_INTERVAL_SHEET = Sheet(
    "WeightIntervals",
    "weight_intervals",
    "Bounds on criteria weights (0 to 1) when the weight information is 'intervals'.",
    (
        _ref("criterion", CRITERIA, "The criterion", required=True),
        _number("low", "Lowest weight", required=True),
        _number("high", "Highest weight", required=True),
    ),
)

ENVELOPE_SHEET = Sheet(
    "Envelope",
    "envelope",
    "The commissioner's envelope for the services, one row per year from finance.first_year.",
    (
        _integer("year", "Calendar year the financial year starts in (2011 for 2011/12)"),
        _number("envelope_gbp", "Money available that year (£)", required=True, fmt=MONEY_FORMAT),
    ),
    optional=True,
)

ASSUMPTION_SHEET = Sheet(
    "CostAssumptions",
    "cost_assumptions",
    "Uncertain cost assumptions: finance lines that name one are scaled by low and high.",
    (
        _id("Identifier of the assumption"),
        _text("name", "Name", required=True),
        _number("low", "Factor at the low end (e.g. 0.9)", required=True),
        _number("high", "Factor at the high end (e.g. 1.2)", required=True),
        _text("note", "Where the range comes from"),
    ),
    optional=True,
)

FINANCE_OPTION_SHEET = Sheet(
    "FinanceOptions",
    "finance_options",
    "Options that have finance lines, in the order shown, with a note on each.",
    (
        _ref("option", OPTIONS, "The option", required=True),
        _text("note", "Note"),
        Column(
            "flow_scenario",
            Kind.ID,
            "The flow.yaml scenario that models this option's services (optional)",
            width=22,
        ),
    ),
    optional=True,
)

FINANCE_LINE_SHEET = Sheet(
    "FinanceLines",
    "finance_lines",
    "Cash flows by option: one row per line, its amounts per year from finance.first_year.",
    (
        _ref("option", OPTIONS, "The option (listed on FinanceOptions)", required=True),
        _choice("kind", "flow_kind", "income, cost, transition, saving or capital", required=True),
        _text("label", "What the line is", required=True),
        Column("amounts_gbp", Kind.NUMBER_LIST, "£ per year, separated by '; '", required=True),
        _choice("category", "transition_category", "For transition costs: the category"),
        _ref("assumption", Lookup("assumptions", "CostAssumptions"), "A cost assumption's id"),
    ),
    optional=True,
)

WORKFORCE_OPTION_SHEET = Sheet(
    "WorkforceOptions",
    "workforce_options",
    "Options with staff moves, and where consultation with the staff side stands.",
    (
        _ref("option", OPTIONS, "The option", required=True),
        _choice("staff_consultation", "staff_consultation", "Staff-side consultation status"),
        _text("consultation_note", "Note on the consultation"),
    ),
    optional=True,
)

STAFF_MOVE_SHEET = Sheet(
    "StaffMoves",
    "staff_moves",
    "Staff moving under an option, by service and destination. TUPE and NHS pension are"
    " derived from the option's form unless given here, with a reason.",
    (
        _ref("option", OPTIONS, "The option (listed on WorkforceOptions)", required=True),
        _ref("service", SERVICES, "The service", required=True),
        _ref("destination", ORGANISATIONS, "Where the staff go", required=True),
        _number("wte", "Whole-time equivalents", required=True, fmt=WTE_FORMAT),
        _integer("headcount", "Number of people"),
        _choice("tupe", "tristate", "Override: does TUPE apply?"),
        _text("tupe_reason", "Why TUPE is overridden"),
        _choice("nhs_pension", "tristate", "Override: NHS Pension Scheme access"),
        _text("pension_reason", "Why pension access is overridden"),
    ),
    optional=True,
)

RISK_SHEET = Sheet(
    "Risks",
    "risks",
    "The risk register: likelihood and impact from 1 to 5, before and after mitigation."
    " Leave option blank for a programme-wide risk.",
    (
        _id("Identifier of the risk"),
        _text("title", "The risk", required=True),
        _choice("category", "risk_category", "What it threatens", required=True),
        _integer("likelihood", "Likelihood, 1-5"),
        _integer("impact", "Impact, 1-5"),
        _text("owner", "Who owns it", required=True, width=20),
        _ref("option", OPTIONS, "The option it belongs to (blank: programme-wide)"),
        _text("mitigation", "How it is mitigated"),
        _integer("residual_likelihood", "Likelihood after mitigation, 1-5"),
        _integer("residual_impact", "Impact after mitigation, 1-5"),
        _text("description", "More detail"),
    ),
    optional=True,
)

EQUALITY_SHEET = Sheet(
    "Equality",
    "equality_findings",
    "Equality impact: one row per option and characteristic (the nine of the Equality Act 2010"
    " and health inequalities).",
    (
        _ref("option", OPTIONS, "The option", required=True),
        _choice("characteristic", "characteristic", "The characteristic", required=True),
        _choice("impact", "impact", "positive, neutral, negative or unknown", required=True),
        _text("evidence", "The evidence"),
        _text("mitigation", "How a negative impact is mitigated"),
    ),
    optional=True,
)

ASSURANCE_SHEET = Sheet(
    "Assurance",
    "assurance_items",
    "Status of checklist items (catalogue ids); items decided from data are kept current by"
    " the engine.",
    (
        _text("checklist", "Checklist id", required=True, width=22),
        _text("item", "Item id within the checklist", required=True, width=22),
        _choice("status", "assurance_status", "Where the item stands"),
        _text("owner", "Who owns it", width=20),
        _date("date", "Date of the status"),
        _text("note", "Note"),
    ),
    optional=True,
)

EVIDENCE_SHEET = Sheet(
    "AssuranceEvidence",
    "assurance_evidence",
    "Evidence for an item on the Assurance sheet: a link to an activity, milestone, option,"
    " risk, consultation analysis, appraisal run or document.",
    (
        _text("checklist", "Checklist id", required=True, width=22),
        _text("item", "Item id", required=True, width=22),
        _choice("kind", "evidence_kind", "What the evidence points at", required=True),
        _text("ref", "The id or reference", required=True),
        _text("note", "Note"),
    ),
    optional=True,
)

MARKET_SHEET = Sheet(
    "MarketReview",
    "market_reviews",
    "The market review: one row per service line.",
    (
        _ref("service", SERVICES, "The service line", required=True),
        Column("potential_providers", Kind.TEXT_LIST, "Providers separated by '; '", width=30),
        _choice("contestability", "contestability", "high, medium, low or none", required=True),
        _choice("route", "procurement_route", "How it is secured", required=True),
        _text("rationale", "Why", required=True),
    ),
    optional=True,
)

TURNOVER_SHEET = Sheet(
    "Turnovers",
    "turnovers",
    "Annual turnovers for the competition panel's merger test (0 for a new body).",
    (
        _ref("organisation", ORGANISATIONS, "The organisation", required=True),
        _number("turnover_gbp", "Annual turnover (£)", required=True, fmt=MONEY_FORMAT),
        _text("year", "Year of the figure", width=10),
        _text("source", "Where the figure comes from"),
    ),
    optional=True,
)

REFERRAL_SHEET = Sheet(
    "Referrals",
    "referrals",
    "Services whose staff refer patients to an organisation (for the vertical check).",
    (
        _ref("service", SERVICES, "The service", required=True),
        Column("refers_to", Kind.ID_LIST, "Organisation ids separated by '; '", required=True),
    ),
    optional=True,
)

#: The decision file's sheets, after the programme's own.
DECISION_SHEETS: tuple[Sheet, ...] = (
    ENVELOPE_SHEET,
    ASSUMPTION_SHEET,
    FINANCE_OPTION_SHEET,
    FINANCE_LINE_SHEET,
    WORKFORCE_OPTION_SHEET,
    STAFF_MOVE_SHEET,
    RISK_SHEET,
    EQUALITY_SHEET,
    ASSURANCE_SHEET,
    EVIDENCE_SHEET,
    MARKET_SHEET,
    TURNOVER_SHEET,
    REFERRAL_SHEET,
)

#: The data sheets, in workbook order.
SHEETS: tuple[Sheet, ...] = (
    PROGRAMME,
    CHARACTERISTICS,
    ORGANISATION_SHEET,
    SERVICE_SHEET,
    DEPENDENCY_SHEET,
    OPTION_SHEET,
    CONFIGURATION_SHEET,
    CRITERIA_SHEET,
    SCALE_SHEET,
    SCALE_POINT_SHEET,
    AHP_SHEET,
    PANEL_SHEET,
    MEMBER_SHEET,
    SCORE_SHEET,
    STAKEHOLDER_SHEET,
    ACTIVITY_SHEET,
    MILESTONE_SHEET,
    WEIGHT_INTERVAL_SHEET,
    *DECISION_SHEETS,
)


def normalise_header(text: str) -> str:
    """Return a header as a column name: trimmed, lower case, spaces as underscores."""
    return "_".join(text.strip().lower().split())


def how_to_fill() -> list[str]:
    """Return the general instructions shown on the README sheet and in the docs."""
    return [
        "Each sheet is a table: row 1 holds the column names, every other row one record.",
        "Do not rename sheets or columns; empty rows are skipped; sheets you add are ignored.",
        "Identifiers link the sheets: a service's current_provider is an id from Organisations.",
        "Drop-downs list the allowed values; lists of ids or texts go in one cell,"
        " separated by '; '.",
        "Blank cells mean 'not given'; the defaults of programme.yaml then apply.",
        "Numbers keep Excel's precision (15 significant digits).",
        "Check your edits with: caseforchange validate WORKBOOK.xlsx",
        "Turn the workbook into a programme folder with: caseforchange import-xlsx IN.xlsx DIR",
    ]


def layout_markdown() -> str:
    """Return the workbook layout as Markdown: sheets, columns, required ones, enumerations."""
    lines = ["## How to fill it in", ""]
    lines += [f"- {line}" for line in how_to_fill()]
    lines += ["", "## Sheets", ""]
    for sheet in SHEETS:
        optional = " (optional sheet)" if sheet.optional else ""
        lines += [f"### {sheet.name}{optional}", "", sheet.about, ""]
        rows = PROGRAMME_FIELDS if sheet is PROGRAMME else sheet.columns
        label = "field (column A)" if sheet is PROGRAMME else "column"
        lines += [f"| {label} | required | kind | meaning |", "| --- | --- | --- | --- |"]
        for column in rows:
            kind = column.choices or (column.lookup.name if column.lookup else column.kind.value)
            needed = "yes" if column.required else ""
            lines.append(f"| `{column.name}` | {needed} | {kind} | {column.help} |")
        lines.append("")
    lines += ["## Enumerations", ""]
    lines += [f"- **{name}**: {', '.join(values)}" for name, values in ENUMERATIONS.items()]
    lines += [
        "- **forms**: the organisational forms of the built-in catalogue",
        "- **scales**: the built-in scales and the framework's own (Scales sheet)",
        "",
    ]
    return "\n".join(lines)
