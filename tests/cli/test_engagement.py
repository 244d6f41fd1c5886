"""The engagement commands, through their own Typer app."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from caseforchange.cli.engagement import app
from caseforchange.examples import example_path
from caseforchange.io.responses import responses_path
from tests.engagement.helpers import DECIDIM_EXPORT, write_engagement, write_export

runner = CliRunner()
ENV = {"COLUMNS": "160"}


def test_check_flags_the_ten_week_consultation() -> None:
    path = example_path("shropshire-telford-2010")
    # A narrow terminal must not break the FILE:LINE location across lines.
    result = runner.invoke(app, ["check", str(path)], env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert f"warning: {path / 'programme.yaml'}:" in result.stdout
    assert "shorter than the minimum of 12 weeks" in result.stdout
    strict = runner.invoke(app, ["check", str(path), "--strict"], env=ENV)
    assert strict.exit_code == 1


def test_check_reports_a_broken_engagement_file_with_exit_2(small_folder: Path) -> None:
    write_engagement(small_folder)
    text = (small_folder / "engagement.yaml").read_text().replace("tables: [t1, t2]", "tables: 2")
    (small_folder / "engagement.yaml").write_text(text)
    result = runner.invoke(app, ["check", str(small_folder)], env=ENV)
    assert result.exit_code == 2
    assert f"{small_folder / 'engagement.yaml'}:10: workshops[0].tables:" in result.stderr
    assert "Traceback" not in result.output


def test_seating_prints_tables_and_the_objective(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    result = runner.invoke(
        app,
        [
            "seating",
            str(example_path("leicester-children-2010")),
            "children-stakeholder-event",
            "--csv",
            str(out),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "status: optimal" in result.stdout and "gap: 0.00%" in result.stdout
    assert "the seating as recorded scores" in result.stdout
    assert len(out.read_text().splitlines()) == 43


def test_seating_unknown_workshop(small_folder: Path) -> None:
    write_engagement(small_folder)
    result = runner.invoke(app, ["seating", str(small_folder), "nope"], env=ENV)
    assert result.exit_code == 2 and "unknown workshop 'nope' (known: ws)" in result.stderr


def test_letters(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    result = runner.invoke(
        app,
        [
            "letters",
            str(example_path("shropshire-telford-2010")),
            "sha-ibp-feedback",
            "-o",
            str(out),
        ],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    html = sorted(out.glob("*.html"))
    assert len(html) == 7 and len(list(out.glob("*.docx"))) == 7
    assert "SHA feeds back" in html[0].read_text()
    bad = runner.invoke(
        app, ["letters", str(example_path("shropshire-telford-2010")), "nope", "-o", str(out)]
    )
    assert bad.exit_code == 2 and "unknown milestone 'nope'" in bad.stderr


def test_letter_template_can_be_overridden(small_folder: Path, tmp_path: Path) -> None:
    (small_folder / "templates").mkdir()
    (small_folder / "templates" / "letter.txt.j2").write_text(
        "# Dear {{ group.name }}\n\nOur own words about {{ milestone.name }}.\n"
    )
    out = tmp_path / "l"
    result = runner.invoke(
        app, ["letters", str(small_folder), "launch", "-o", str(out), "--format", "html"]
    )
    assert result.exit_code == 0, result.output
    text = (out / "launch--staff-group.html").read_text()
    assert "Our own words about Launch of consultation." in text


def test_import_responses_then_report(small_folder: Path, tmp_path: Path) -> None:
    write_engagement(small_folder)
    export = write_export(small_folder)
    mapping = small_folder.parent / "mapping.yaml"
    result = runner.invoke(
        app,
        ["import-responses", str(small_folder), str(export), "--mapping", str(mapping)],
        env=ENV,
    )
    assert result.exit_code == 0, result.output
    assert "imported 4 responses" in result.stdout and "ip_hash" in result.stdout
    out = tmp_path / "report"
    result = runner.invoke(app, ["consultation-report", str(small_folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "consultation-report.html").exists()
    assert (out / "consultation-report.docx").exists()


def test_import_bad_answer_exits_2_and_writes_nothing(small_folder: Path) -> None:
    write_engagement(small_folder)
    export = write_export(small_folder, DECIDIM_EXPORT.replace("No,Public", "Nah,Public"))
    mapping = small_folder.parent / "mapping.yaml"
    result = runner.invoke(
        app,
        ["import-responses", str(small_folder), str(export), "--mapping", str(mapping)],
        env=ENV,
    )
    assert result.exit_code == 2
    assert f"{export}:3: support: 'Nah' is not an option" in result.stderr
    assert not responses_path(small_folder, "survey").exists()
    assert "Traceback" not in result.output


def test_import_unknown_mapping(small_folder: Path) -> None:
    write_engagement(small_folder)
    export = write_export(small_folder)
    result = runner.invoke(
        app, ["import-responses", str(small_folder), str(export), "--mapping", "nosuch"]
    )
    assert result.exit_code == 2 and "shipped: decidim" in result.stderr
