"""The programme workbook's sheets and columns, described once for writing, reading and docs.

Every sheet is a table with one header row. Each column has a kind, which decides how a value
is written into a cell, how a cell is read back, which number format and which drop-down it
gets. The writer, the reader, the README sheet and ``docs/workbook.md`` all come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from caseforchange.domain.criteria import Direction, WeightingMethod
from caseforchange.domain.engagement import ActivityKind
from caseforchange.domain.organisations import OrganisationKind
from caseforchange.domain.panels import Distribution
from caseforchange.domain.programme import Aggregation, WeightInformation
from caseforchange.domain.services import ClientGroup, DependencyKind, Tier

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
    "aggregation": _enum_values(Aggregation),
    "weight_information": _enum_values(WeightInformation),
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
        _ref("current_provider", ORGANISATIONS, "Who provides it now", required=True),
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
        _text("description", "Description"),
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
