"""Free-text answers in the browser: the codebook, coding, the review queue, ledger, themes.

Everyone with a role on the programme sees these pages and downloads the ledger; only
programme leads (``Right.EDIT``) write the codebook, code answers and accept proposals. Every
form is a plain POST that works without JavaScript; ``coding.js`` adds the keyboard keys.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from caseforchange.io.text_files import ledger_csv, write_ledger_xlsx
from caseforchange.text.pipeline import MIN_CODED
from caseforchange.text.redact import redact
from caseforchange.text.suggest import CandidateTheme
from caseforchange.web.accounts.roles import Right
from caseforchange.web.consultation import coding, repository
from caseforchange.web.consultation.analysis import group_names as analysis_names
from caseforchange.web.consultation.dispatch import (
    candidates_params,
    candidates_result,
    stored_candidates,
)
from caseforchange.web.consultation.models import CodebookTheme, QuestionCodebook
from caseforchange.web.errors import ErrorItem
from caseforchange.web.programmes import repository as programmes
from caseforchange.web.programmes.models import ProgrammeRecord
from caseforchange.web.shortcuts import actor, programme_for

#: Number keys toggle the first nine themes (1-9).
KEYED_THEMES = 9
#: Proposals listed at once in the review queue, least confident first.
REVIEW_SHOWN = 25
LEDGER_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _question(
    request: HttpRequest, slug: str, questionnaire: str, question: str, needed: Right
) -> tuple[ProgrammeRecord, Right, repository.EngagementState, coding.OpenQuestion]:
    row, right = programme_for(request, slug, needed)
    state = repository.load(row, programmes.to_programme(row))
    found = coding.find_question(state, questionnaire, question)
    if found is None or state.record is None:
        raise Http404("no such open question")
    return row, right, state, found


def _edit_only(request: HttpRequest, right: Right) -> None:
    if request.method == "POST" and right < Right.EDIT:
        raise PermissionDenied("only programme leads change the codebook or code answers")


def _coding(
    request: HttpRequest, slug: str, questionnaire: str, question: str
) -> tuple[ProgrammeRecord, Right, coding.OpenQuestion, QuestionCodebook, coding.QuestionAnalysis]:
    """Return a coding page's programme, right, question, codebook and analysis.

    Anyone with a role reads; only leads post. Raises PermissionDenied or Http404 as
    :func:`_question` and :func:`_edit_only` do.
    """
    row, right, state, found = _question(request, slug, questionnaire, question, Right.VIEW)
    _edit_only(request, right)
    book = coding.codebook_row(state, found)
    return row, right, found, book, coding.analyse(book, found)


def _context(
    row: ProgrammeRecord,
    right: Right,
    found: coding.OpenQuestion,
    book: QuestionCodebook,
    analysis: coding.QuestionAnalysis,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "row": row,
        "found": found,
        "book": book,
        "analysis": analysis,
        "names": {t.id: t.name for t in analysis.codebook.themes},
        "can_edit": right >= Right.EDIT,
        "min_coded": MIN_CODED,
        "redact": redact,
        "args": [row.slug, found.questionnaire, found.question],
        "errors": [],
        **extra,
    }


@login_required
def text_index(request: HttpRequest, slug: str) -> HttpResponse:
    """List the open questions, with how many answers each has and how many are decided."""
    row, _ = programme_for(request, slug, Right.VIEW)
    state = repository.load(row, programmes.to_programme(row))
    items = []
    for found in coding.open_questions(state):
        answered = decided = themes = 0
        if found.responses is not None and state.record is not None:
            answered = sum(1 for r in coding.question_responses(found) if r.text.strip())
            book = QuestionCodebook.objects.filter(
                engagement=state.record,
                questionnaire=found.questionnaire,
                question=found.question,
            ).first()
            if book is not None:
                decided = book.codings.count()
                themes = book.themes.count()
        items.append({"q": found, "answered": answered, "decided": decided, "themes": themes})
    return render(request, "consultation/text_index.jinja", {"row": row, "items": items})


@login_required
def question_summary(
    request: HttpRequest, slug: str, questionnaire: str, question: str
) -> HttpResponse:
    """Show one question: every response considered, themes with Wilson intervals, campaigns."""
    row, right, state, found = _question(request, slug, questionnaire, question, Right.VIEW)
    book = coding.codebook_row(state, found)
    analysis = coding.analyse(book, found)
    return render(
        request,
        "consultation/text_question.jinja",
        _context(row, right, found, book, analysis, current="summary"),
    )


def _theme_input(request: HttpRequest, prefix: str = "") -> coding.ThemeInput:
    post = request.POST
    name = post.get(prefix + "name", "").strip()
    return coding.ThemeInput(
        key=(post.get(prefix + "key", "").strip() or coding.theme_key(name)),
        name=name,
        definition=post.get(prefix + "definition", ""),
        includes=coding.lines(post.get(prefix + "includes", "")),
        excludes=coding.lines(post.get(prefix + "excludes", "")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, slug: str, questionnaire: str, question: str) -> HttpResponse:
    """Show the codebook and candidates; leads add themes, or adopt, merge or ignore candidates.

    The candidates are a background job (``text.candidates``) built once per import: until it
    is built the page shows its progress panel where they would be.
    """
    row, right, found, book, analysis = _coding(request, slug, questionnaire, question)
    job = None
    found_candidates: list[CandidateTheme] = []
    if found.responses is not None:
        job = candidates_result(
            row, candidates_params(questionnaire, question, found.responses.file_sha256)
        )
        if job.ready:
            found_candidates = stored_candidates(job)
    by_key = {coding.candidate_key(c): c for c in found_candidates}
    shown = [c for c in found_candidates if coding.candidate_key(c) not in book.ignored]
    errors: dict[str, str] = {}
    form_id = ""
    here = reverse("consultation:text_codebook", args=[slug, questionnaire, question])
    if request.method == "POST":
        action = request.POST.get("action", "")
        key = request.POST.get("candidate", "")
        candidate = by_key.get(key)
        if action == "add":
            submitted = _theme_input(request)
            errors = coding.check_theme(book, submitted, None)
            form_id = "add"
            if not errors:
                coding.save_theme(book, submitted, None, actor(request))
                messages.success(request, f"Added the theme '{submitted.name}'.")
                return redirect(here)
        elif action in ("adopt", "merge", "ignore") and candidate is None:
            messages.error(request, "That candidate theme is no longer suggested: look again.")
            return redirect(here)
        elif action == "adopt" and candidate is not None:
            submitted = _theme_input(request)
            submitted = coding.ThemeInput(
                submitted.key,
                submitted.name,
                submitted.definition or "Suggested from the answers: " + ", ".join(candidate.words),
                submitted.includes or tuple(redact(e) for e in candidate.examples),
                submitted.excludes,
            )
            errors = coding.check_theme(book, submitted, None)
            form_id = f"c{shown.index(candidate) + 1}" if candidate in shown else "add"
            if not errors:
                coding.save_theme(book, submitted, None, actor(request), "candidate theme adopted")
                messages.success(request, f"Adopted the candidate as the theme '{submitted.name}'.")
                return redirect(here)
        elif action == "merge" and candidate is not None:
            target = book.themes.filter(key=request.POST.get("into", "")).first()
            if target is None:
                errors = {"into": "Choose the theme to merge the candidate into"}
                form_id = f"c{shown.index(candidate) + 1}" if candidate in shown else "add"
            else:
                examples = [redact(e) for e in candidate.examples]
                includes = tuple(dict.fromkeys([*target.includes, *examples]))
                merged = coding.ThemeInput(
                    target.key, target.name, target.definition, includes, tuple(target.excludes)
                )
                coding.save_theme(book, merged, target, actor(request), "candidate theme merged")
                messages.success(
                    request, f"Merged the candidate's examples into the theme '{target.name}'."
                )
                return redirect(here)
        elif action == "ignore" and candidate is not None:
            coding.ignore_candidate(book, key, actor(request))
            messages.success(request, "The candidate theme is ignored.")
            return redirect(here)
        else:
            raise Http404("no such action")
    return render(
        request,
        "consultation/text_codebook.jinja",
        _context(
            row,
            right,
            found,
            book,
            analysis,
            current="codebook",
            candidates=shown,
            candidates_job=job,
            ignored=len(found_candidates) - len(shown),
            candidate_key=coding.candidate_key,
            theme_key=coding.theme_key,
            form_errors=errors,
            form_id=form_id,
            posted=request.POST,
            errors=[ErrorItem(m, f"#f-{form_id}-{f}") for f, m in errors.items()],
            uses={t.key: coding.theme_uses(book, t.key) for t in book.themes.all()},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(
    request: HttpRequest, slug: str, questionnaire: str, question: str, key: str
) -> HttpResponse:
    """Change (rename, redefine) or remove one theme of the codebook."""
    row, right, state, found = _question(request, slug, questionnaire, question, Right.VIEW)
    _edit_only(request, right)
    book = coding.codebook_row(state, found)
    theme = CodebookTheme.objects.filter(codebook=book, key=key).first()
    if theme is None:
        raise Http404("no such theme")
    back = reverse("consultation:text_codebook", args=[slug, questionnaire, question])
    errors: dict[str, str] = {}
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                coding.remove_theme(book, theme, actor(request))
            except ValueError as error:
                errors = {"remove": str(error)[:1].upper() + str(error)[1:]}
            else:
                messages.success(request, f"Removed the theme '{theme.name}'.")
                return redirect(back)
        else:
            submitted = _theme_input(request)
            submitted = coding.ThemeInput(
                theme.key,
                submitted.name,
                submitted.definition,
                submitted.includes,
                submitted.excludes,
            )
            errors = coding.check_theme(book, submitted, theme)
            if not errors:
                coding.save_theme(book, submitted, theme, actor(request))
                messages.success(request, f"Saved the theme '{submitted.name}'.")
                return redirect(back)
    return render(
        request,
        "consultation/text_theme.jinja",
        {
            "row": row,
            "found": found,
            "theme": theme,
            "args": [row.slug, found.questionnaire, found.question],
            "can_edit": right >= Right.EDIT,
            "form_errors": errors,
            "posted": request.POST if request.method == "POST" else None,
            "uses": coding.theme_uses(book, theme.key),
            "errors": [ErrorItem(m, f"#f-{f}") for f, m in errors.items()],
        },
    )


def _coding_input(request: HttpRequest) -> coding.CodingInput:
    post = request.POST
    return coding.CodingInput(
        themes=tuple(dict.fromkeys(t for t in post.getlist("themes") if t)),
        stance=post.get("stance", "").strip(),
        reason=post.get("reason", "").strip(),
        evidence_rich=post.get("evidence_rich") == "yes",
        note=post.get("note", "").strip(),
    )


def _next_response(analysis: coding.QuestionAnalysis, after: str = "") -> str | None:
    """Return the next answer to code: the model's pick, else the next undecided in order."""
    for rid in analysis.next_to_code:
        if rid != after and not analysis.decided(rid):
            return rid
    return None


@login_required
@require_http_methods(["GET", "POST"])
def code_answer(request: HttpRequest, slug: str, questionnaire: str, question: str) -> HttpResponse:
    """Code one answer: themes, stance, evidence-rich, a note, or a reason; save and go on."""
    row, right, found, book, analysis = _coding(request, slug, questionnaire, question)
    here = reverse("consultation:text_code", args=[slug, questionnaire, question])
    origin = request.POST.get("from") or request.GET.get("from", "")
    origin = origin if origin in ("review", "") else ""
    rid = request.POST.get("response") or request.GET.get("response") or _next_response(analysis)
    errors: dict[str, str] = {}
    submitted: coding.CodingInput | None = None
    if rid is not None and rid not in analysis.texts:
        raise Http404("no such answer with words")
    if request.method == "POST" and rid is not None:
        submitted = _coding_input(request)
        errors = coding.check_coding(analysis.codebook, submitted)
        if not errors:
            action = coding.save_coding(
                book,
                rid,
                submitted,
                analysis.pending.get(rid),
                request.user.get_username(),
                actor(request),
            )
            messages.success(request, f"Saved {rid}: {action.removeprefix('text ')}.")
            if origin == "review":
                return redirect(
                    reverse("consultation:text_review", args=[slug, questionnaire, question])
                )
            return redirect(here)
    stored = book.codings.filter(response=rid).first() if rid else None
    proposal = analysis.pending.get(rid) if rid else None
    if submitted is not None:
        chosen = {
            "themes": set(submitted.themes),
            "stance": submitted.stance,
            "reason": submitted.reason,
            "evidence_rich": submitted.evidence_rich,
            "note": submitted.note,
        }
    elif stored is not None:
        chosen = {
            "themes": set(stored.themes),
            "stance": stored.stance,
            "reason": stored.reason,
            "evidence_rich": stored.evidence_rich,
            "note": stored.note,
        }
    elif proposal is not None:
        chosen = {
            "themes": set(proposal.themes),
            "stance": proposal.stance or "",
            "reason": "",
            "evidence_rich": False,
            "note": "",
        }
    else:
        chosen = {"themes": set(), "stance": "", "reason": "", "evidence_rich": False, "note": ""}
    response = next((r for r in analysis.responses if r.id == rid), None)
    campaign = next((c for c in analysis.campaigns if rid in c.members), None)
    left = sum(1 for i in analysis.texts if not analysis.decided(i) and i not in analysis.copies)
    return render(
        request,
        "consultation/text_code.jinja",
        _context(
            row,
            right,
            found,
            book,
            analysis,
            current="code",
            rid=rid,
            response=response,
            campaign=campaign,
            stored=stored,
            proposal=proposal,
            chosen=chosen,
            origin=origin,
            left=left,
            keyed=KEYED_THEMES,
            groups=analysis_names(programmes.to_programme(row)),
            stance_keys=_stance_keys(analysis.codebook.stances),
            reasons=coding.PERSON_REASONS,
            form_errors=errors,
            errors=[ErrorItem(m, f"#f-{f}") for f, m in errors.items()],
        ),
    )


def _stance_keys(stances: list[str]) -> dict[str, str]:
    """Return stance -> its keyboard key: its first letter, unless an earlier one took it."""
    keys: dict[str, str] = {}
    for stance in stances:
        letter = stance[:1].lower()
        if letter.isalpha() and letter not in keys.values() and letter != "e":
            keys[stance] = letter
    return keys


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, slug: str, questionnaire: str, question: str) -> HttpResponse:
    """List the low-confidence proposals; leads accept one as it stands or open it to change."""
    row, right, found, book, analysis = _coding(request, slug, questionnaire, question)
    here = reverse("consultation:text_review", args=[slug, questionnaire, question])
    if request.method == "POST":
        rid = request.POST.get("response", "")
        proposal = analysis.pending.get(rid)
        shown = request.POST.get("themes", "")
        if proposal is None or ";".join(proposal.themes) != shown:
            messages.error(
                request,
                f"The proposal for {rid} has changed since the page was shown: check it again.",
            )
            return redirect(here)
        submitted = coding.CodingInput(proposal.themes, proposal.stance or "", "", False, "")
        coding.save_coding(
            book, rid, submitted, proposal, request.user.get_username(), actor(request)
        )
        messages.success(request, f"Accepted the proposal for {rid}.")
        return redirect(here)
    return render(
        request,
        "consultation/text_review.jinja",
        _context(row, right, found, book, analysis, current="review", shown=REVIEW_SHOWN),
    )


@login_required
def ledger(
    request: HttpRequest, slug: str, questionnaire: str, question: str, fmt: str
) -> HttpResponse:
    """Download the considered-responses ledger as CSV or XLSX (every text cell stays text)."""
    if fmt not in LEDGER_TYPES:
        raise Http404("no such format")
    row, _, state, found = _question(request, slug, questionnaire, question, Right.VIEW)
    analysis = coding.analyse(coding.codebook_row(state, found), found)
    if fmt == "csv":
        body = ledger_csv(analysis.ledger).encode("utf-8")
    else:
        with tempfile.TemporaryDirectory(prefix="cfc-ledger-") as tmp:
            path = Path(tmp) / "ledger.xlsx"
            write_ledger_xlsx(analysis.ledger, path)
            body = path.read_bytes()
    response = HttpResponse(body, content_type=LEDGER_TYPES[fmt])
    name = f"{row.slug}-{found.question}-ledger.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
