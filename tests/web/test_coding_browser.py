"""Free-text coding in Debian's Chromium: keyboard only, at desktop width and on a 390 px phone.

A lead codes two answers with the keys alone (number keys, stance letter, ``e``, Enter); the
pages with the Shropshire example's illustrative answers (codebook, candidates, coding with a
proposal, review queue, summary) pass axe-core and are saved to ``out/screenshots/`` for a
person to look at.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseforchange.examples import example_path
from caseforchange.io.text_files import load_codebook, read_answers, read_codings
from caseforchange.web.consultation import coding
from caseforchange.web.consultation.models import QuestionCodebook, TextCoding
from caseforchange.web.programmes.models import ProgrammeRecord

from .browser import check_axe, new_context, sign_in
from .test_coding import BASE, PARKING, _state, imported
from .test_consultation import SHROPSHIRE, shropshire

__all__ = ["imported", "shropshire"]

pytestmark = [pytest.mark.browser]


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _focus_ring(page: Any) -> str:
    """Return the focus ring the NHS.UK styles draw around the focused checkbox or radio."""
    return str(
        page.evaluate(
            "() => getComputedStyle(document.activeElement.nextElementSibling, '::before')"
            ".boxShadow"
        )
    )


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_two_answers_coded_with_the_keyboard_only(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    imported: dict[str, str],
    name: str,
    width: int,
) -> None:
    base = live_server.url
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    sign_in(page, base, "lead")
    page.goto(base + BASE + "code/")
    assert "1" in page.inner_text("#keys-help") and "Enter" in page.inner_text("#keys-help")
    first = page.input_value("input[name=response]")
    assert first == imported[PARKING[0]]
    check_axe(page, f"coding-keys-{name}")
    assert _no_sideways_scroll(page)
    # 1 = the first theme (Parking), a = against, e = evidence-rich, Enter = save and next.
    page.keyboard.press("1")
    assert page.evaluate("document.activeElement.value") == "parking"
    assert page.is_checked("input[value=parking]")
    assert _focus_ring(page) not in ("", "none"), "no visible focus on the chosen theme"
    page.keyboard.press("a")
    assert page.is_checked("input[name=stance][value=against]")
    page.keyboard.press("e")
    assert page.is_checked("#f-evidence-rich")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("text=Saved")
    second = page.input_value("input[name=response]")
    assert second == imported[PARKING[1]]
    # The second answer: both themes, then one taken off again, stance unclear.
    page.keyboard.press("1")
    page.keyboard.press("2")
    page.keyboard.press("2")
    page.keyboard.press("u")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("text=Saved")
    saved = {c.response: c for c in TextCoding.objects.all()}
    assert set(saved) == {first, second}
    assert saved[first].themes == ["parking"] and saved[first].stance == "against"
    assert saved[first].evidence_rich and saved[first].coder == "lead"
    assert saved[second].themes == ["parking"] and saved[second].stance == "unclear"
    assert not saved[second].evidence_rich
    # Typing in the note is not taken for keys.
    page.click("summary:has-text('No theme, or a note')")
    page.click("#f-note")
    page.keyboard.type("1 a e")
    assert page.input_value("#f-note") == "1 a e"
    assert not page.is_checked("input[value=parking]")
    # Escape leaves the note, so the keys work again; Ctrl+Enter saves from the note.
    page.keyboard.press("Escape")
    page.keyboard.press("1")
    assert page.is_checked("input[value=parking]")
    third = page.input_value("input[name=response]")
    page.click("#f-note")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    page.wait_for_selector("text=Saved")
    assert TextCoding.objects.get(response=third).note == "1 a e"
    assert not [m for m in console if "Loading the font" not in m], console
    context.close()


def _load_illustrative(client: Client, row: ProgrammeRecord) -> None:
    """Import the example's illustrative answers, codebook and one analyst's 80 codings."""
    text = example_path(SHROPSHIRE) / "text"
    answers = read_answers(text / "comments-answers.csv")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = "respondent_id submitted group support respondent-type priorities comments"
    writer.writerow(columns.split())
    for a in answers:
        writer.writerow([a.id, "2010-10-12", a.group, "", "", "", a.text])
    upload = SimpleUploadedFile("answers.csv", out.getvalue().encode(), content_type="text/csv")
    response = client.post(
        f"/programmes/{SHROPSHIRE}/engagement/responses/",
        {"file": upload, "mapping": "generic", "questionnaire": "written-consultation"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    found = coding.find_question(_state(row), "written-consultation", "comments")
    assert found is not None
    pseudonyms = [r.id for r in coding.question_responses(found)]
    by_id = dict(zip([a.id for a in answers], pseudonyms, strict=True))
    book_row = coding.codebook_row(_state(row), found)
    book = load_codebook(text / "comments-codebook.yaml")
    for theme in book.themes:
        coding.save_theme(
            book_row,
            coding.ThemeInput(
                theme.id,
                theme.name,
                theme.definition,
                tuple(theme.includes),
                tuple(theme.excludes),
            ),
            None,
            "test",
        )
    for rid, c in read_codings(text / "comments-codings.csv", book).items():
        submitted = coding.CodingInput(
            tuple(c.themes),
            c.stance or "",
            c.reason.value if c.reason else "",
            c.evidence_rich,
            c.note or "",
        )
        coding.save_coding(book_row, by_id[rid], submitted, None, c.coder, "test")


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_coding_pages_with_the_illustrative_answers(
    browser: Any,
    live_server: Any,
    flushable_audit: None,
    users: dict[str, Any],
    shropshire: ProgrammeRecord,
    name: str,
    width: int,
) -> None:
    coding.clear_cache()
    client = Client()
    client.force_login(users["lead"])
    _load_illustrative(client, shropshire)
    assert QuestionCodebook.objects.get().themes.count() == 9
    base = live_server.url
    context = new_context(browser, viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, base, "lead")
    for route, shot in (
        ("", "summary"),
        ("codebook/", "codebook"),
        ("code/", "code"),
        ("review/", "review"),
    ):
        page.goto(base + BASE + route)
        check_axe(page, f"coding-{shot}-{name}")
        assert _no_sideways_scroll(page), route
    # The coding page offers a proposal from the model trained on the analyst's codings.
    page.goto(base + BASE + "code/")
    assert "The model proposes" in page.inner_text("#proposal")
    page.goto(base + f"/programmes/{SHROPSHIRE}/engagement/text/")
    check_axe(page, f"coding-index-{name}")
    context.close()


def test_coding_works_without_javascript(
    browser: Any, live_server: Any, flushable_audit: None, imported: dict[str, str]
) -> None:
    base = live_server.url
    context = new_context(
        browser, viewport={"width": 390, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, base, "lead")
    page.goto(base + BASE + "code/")
    first = page.input_value("input[name=response]")
    # The keys do nothing without the script; the form is an ordinary one.
    page.keyboard.press("1")
    assert not page.is_checked("input[value=parking]")
    page.focus("input[value=parking]")
    page.keyboard.press("Space")
    page.check("input[name=stance][value=for]")
    with page.expect_navigation():
        page.click("#save-next")
    assert "Saved" in page.inner_text("main")
    saved = TextCoding.objects.get(response=first)
    assert saved.themes == ["parking"] and saved.stance == "for"
    context.close()
