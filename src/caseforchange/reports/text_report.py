"""The free-text part of the consultation report: every response considered, themes with
Wilson intervals, themes by respondent group (chi-square), stance by theme, quotes, and
"you said, we did".

Built as the consultation report's sections and blocks, so it renders through the same HTML
template and Word writer (user text is escaped there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from caseforchange.domain.codebook import Codebook
from caseforchange.domain.consultation import YouSaidWeDid
from caseforchange.reports.consultation import Block, ConsultationReport, Section
from caseforchange.text.campaigns import Campaign
from caseforchange.text.charts import themes_chart
from caseforchange.text.ledger import Entry
from caseforchange.text.outputs import (
    quotes,
    stance_by_theme,
    theme_by_group,
    theme_counts,
    you_said_we_did,
)
from caseforchange.text.redact import redact

#: Characters of a campaign's template shown in the report.
TEMPLATE_CHARS = 300


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.1f}%"


def text_sections(
    question: str,
    entries: Sequence[Entry],
    codebook: Codebook,
    campaigns: Sequence[Campaign],
    counts: Mapping[str, int],
    records: Sequence[YouSaidWeDid] = (),
    group_names: Mapping[str, str] | None = None,
) -> list[Section]:
    """Return the report sections for one open question's analysis."""
    names = dict(group_names or {})
    considered = Section(f"Every response considered: {question}")
    considered.blocks.append(
        Block(
            "table",
            caption=f"How each of the {counts.get('total', len(entries))} responses was "
            "considered (the ledger lists every response)",
            columns=["status", "responses"],
            rows=[[k, str(v)] for k, v in counts.items() if k != "total"]
            + [["total", str(counts.get("total", len(entries)))]],
        )
    )
    if campaigns:
        considered.blocks.append(
            Block(
                "table",
                caption="Campaigns: template and near-duplicate responses, each counted as its "
                "responses and once as a campaign",
                columns=["campaign", "responses", "template (redacted)"],
                rows=[
                    [c.id, str(c.size), _short(redact(c.template), TEMPLATE_CHARS)]
                    for c in campaigns
                ],
            )
        )
    themes = Section("Themes", level=3)
    tallies = theme_counts(entries, codebook)
    base = tallies[0].share.total if tallies else 0
    themes.blocks.append(
        Block(
            "table",
            caption=f"Themes raised, of the {base} responses with a theme (a response may "
            "raise several; 95% Wilson intervals)",
            columns=["theme", "responses", "%", "95% interval", "campaigns counted once"],
            rows=[
                [
                    c.name,
                    str(c.share.count),
                    _pct(c.share.fraction),
                    f"{_pct(c.share.low)} to {_pct(c.share.high)}",
                    str(c.counting_campaigns_once),
                ]
                for c in tallies
            ],
        )
    )
    themes.blocks.append(Block("chart", chart=themes_chart(tallies)))
    by_group = Section("Themes by respondent group", level=3)
    tabs = [(c, theme_by_group(entries, c.theme)) for c in tallies]
    groups = tabs[0][1].groups if tabs else []
    if len(groups) >= 2:
        totals = tabs[0][1].totals()
        rows = []
        for c, tab in tabs:
            raised = {g: row[0] for g, row in zip(tab.groups, tab.counts, strict=True)}
            p = "-" if tab.test is None else f"{tab.test.p_value:.3g}"
            rows.append(
                [c.name]
                + [f"{raised.get(g, 0)} ({_pct(raised.get(g, 0) / totals[g])})" for g in groups]
                + [p]
            )
        by_group.blocks.append(
            Block(
                "table",
                caption="Responses raising each theme, by respondent group (of the group's "
                "themed responses), with the chi-square test of independence (p)",
                columns=["theme"] + [f"{names.get(g, g)} (n={totals[g]})" for g in groups] + ["p"],
                rows=rows,
            )
        )
        notes = {tab.note for _, tab in tabs if tab.note}
        for note in sorted(notes):
            by_group.blocks.append(Block("note", text=note))
    else:
        by_group.blocks.append(Block("paragraph", text="Only one respondent group answered."))
    stance = Section("Stance by theme", level=3)
    table = stance_by_theme(entries, codebook)
    stance.blocks.append(
        Block(
            "table",
            caption="Stance of the responses raising each theme",
            columns=["theme", *codebook.stances],
            rows=[
                [c.name, *[str(table[c.theme].get(s, 0)) for s in codebook.stances]]
                for c in tallies
            ],
        )
    )
    quoted = Section("Representative quotes (personal data redacted)", level=3)
    for c in tallies:
        chosen = quotes(entries, c.theme)
        if chosen:
            quoted.blocks.append(
                Block("list", caption=c.name, items=[f"“{e.text}” ({e.response})" for e in chosen])
            )
    said = Section("You said, we did", level=3)
    said.blocks.append(
        Block(
            "table",
            caption="Each theme, the responses that raised it, and the programme's response",
            columns=["you said", "responses", "we did", "status", "response ids"],
            rows=[
                [r.name, str(r.count), r.we_did, r.status, _short(", ".join(r.responses), 200)]
                for r in you_said_we_did(entries, codebook, records)
            ],
        )
    )
    return [considered, themes, by_group, stance, quoted, said]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_report(
    title: str,
    sections: list[Section],
    illustrative: str | None,
) -> ConsultationReport:
    """Return a stand-alone report of the free-text sections (for ``text report``)."""
    return ConsultationReport(
        title=title,
        summary="Free-text answers: how every response was considered, the themes people "
        "raised and by whom, stance, campaigns and what the programme did.",
        illustrative=illustrative,
        sections=sections,
    )
