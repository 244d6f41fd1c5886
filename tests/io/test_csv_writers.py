"""Every CSV the product writes keeps user text as typed and never as a formula.

Property: any text given as a rationale (scores.csv) or an answer (imported responses) is
read back by the product's own readers as the same text, and no raw cell a spreadsheet opens
starts with a formula trigger.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from caseforchange.domain.consultation import Question, Questionnaire, QuestionType
from caseforchange.domain.panels import Score
from caseforchange.io.cells import FORMULA_TRIGGERS, CsvWriter, csv_text_back
from caseforchange.io.responses import ResponseMapping, convert_export
from caseforchange.io.scores_csv import read_scores_text, scores_text

#: Text a person can type: no control characters (refused on input), no lone surrogates.
TYPED = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
).filter(lambda t: t.strip() != "")
#: Beginnings that spreadsheets run as formulas, mixed into the generated text.
FORMULA = st.sampled_from(["=", "+", "-", "@", "'", "''=", '=HYPERLINK("x")'])
HOSTILE = st.builds(lambda a, b: a + b, FORMULA, TYPED) | TYPED


def _raw_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _never_formula(text: str) -> None:
    # A number the product wrote (a score of -2.5) is a number to a spreadsheet, not a formula.
    for cell in _raw_cells(text):
        assert _is_number(cell) or not cell.startswith(FORMULA_TRIGGERS), cell


@settings(max_examples=60, derandomize=True, database=None)
@given(rationale=HOSTILE)
def test_scores_csv_rationale_round_trips(rationale: str) -> None:
    score = Score(option="a", criterion="c", value=-2.5, rationale=rationale)
    text = scores_text([score])
    _never_formula(text)
    records, _ = read_scores_text(text, "scores.csv")
    assert records[0]["rationale"] == rationale.strip()
    assert records[0]["value"] == "-2.5"  # a number is not guarded like text


@settings(max_examples=60, derandomize=True, database=None)
@given(answer=HOSTILE)
def test_imported_answer_round_trips(answer: str) -> None:
    questionnaire = Questionnaire(
        id="q",
        title="Q",
        questions=[Question(id="comments", text="Anything else?", type=QuestionType.OPEN)],
    )
    out = io.StringIO()
    CsvWriter(out).writerow(["respondent_id", "comments"])
    # The export as a survey tool writes it: plain CSV, no guard.
    csv.writer(out, lineterminator="\r\n").writerow(["1", answer])
    mapping = ResponseMapping(name="m", id_column="respondent_id", questions="ids")
    converted = convert_export(
        out.getvalue().encode("utf-8"),
        "export.csv",
        mapping,
        questionnaire,
        salt=b"s",
        groups=set(),
    )
    _never_formula(converted.csv_text)
    rows = list(csv.DictReader(io.StringIO(converted.csv_text, newline="")))
    assert csv_text_back(rows[0]["comments"]) == answer.strip()


def test_carriage_return_inside_a_cell_stays_in_the_cell(tmp_path: Path) -> None:
    out = io.StringIO()
    CsvWriter(out).writerow(["a\rb", "c"])
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [["a\rb", "c"]]
