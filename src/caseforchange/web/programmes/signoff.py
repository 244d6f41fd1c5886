"""Sign-off: mark a revision as the version that went to the Board, and show what changed since.

Signing off keeps a copy of the programme's inputs at that revision, and freezes the stored
appraisal and Board paper of that revision (built in the background if they were not yet):
they are never rebuilt or deleted, so the signed-off paper downloads as it was. Every later
edit makes a new revision, as always, so the signed-off inputs never change and stay
viewable; the "what changed" page compares them with the programme now, figure by figure,
and lists the audited edits made since, with the ranking of both revisions when known.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseforchange.web.accounts.roles import Right
from caseforchange.web.audit.chain import record
from caseforchange.web.audit.models import AuditEntry
from caseforchange.web.errors import ErrorItem
from caseforchange.web.jobs import service as jobs
from caseforchange.web.jobs.builders import PAPERS, SIGNOFF_KINDS
from caseforchange.web.jobs.models import StoredResult
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord, SignOff
from caseforchange.web.shortcuts import actor, programme_for

#: Audit actions that change no input figure, left out of the edits since a sign-off.
NOT_EDITS = {"appraisal run", "programme signed off"}


class AlreadySignedOff(Exception):
    """Raised when the current revision has already been signed off."""


def sign_off(row: ProgrammeRecord, user_id: int | None, who: str, note: str) -> SignOff:
    """Record the programme's current revision as signed off, with a copy of its inputs.

    Returns:
        The sign-off.

    Raises:
        AlreadySignedOff: when this revision was signed off before.
    """
    programme = repository.to_programme(row)
    try:
        with transaction.atomic():
            signed = SignOff.objects.create(
                programme=row,
                revision=row.revision,
                title=row.title,
                document=row.document,
                scores=row.scores,
                sha256=repository.digest(programme),
                note=note[:300],
                signed_by_id=user_id,
            )
            record(
                who,
                "programme signed off",
                f"{row.slug}:programme",
                programme=row.slug,
                after={"revision": row.revision, "sha256": signed.sha256, "note": signed.note},
            )
    except IntegrityError:
        raise AlreadySignedOff(f"revision {row.revision} is already signed off") from None
    jobs.freeze(row, row.revision, SIGNOFF_KINDS)
    return signed


def snapshot(signed: SignOff) -> dict[str, Any]:
    """Return the signed-off inputs as raw programme data (document plus scores)."""
    return {**signed.document, "scores": signed.scores}


def edits_since(signed: SignOff) -> list[AuditEntry]:
    """Return the audited changes to the programme's inputs made after the sign-off."""
    mark = (
        AuditEntry.objects.filter(
            programme=signed.programme.slug,
            action="programme signed off",
            after__revision=signed.revision,
        )
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    entries = AuditEntry.objects.filter(programme=signed.programme.slug, id__gt=mark or 0)
    return [e for e in entries.order_by("id") if e.action not in NOT_EDITS]


def _ranking(row: ProgrammeRecord, revision: int) -> list[str] | None:
    """Return the ranking of ``revision``: its latest recorded run, else its stored appraisal."""
    run = row.runs.filter(revision=revision).first()
    result: Any = run.result if run else None
    if result is None:
        stored = (
            StoredResult.objects.filter(programme=row, revision=revision, kind="appraisal")
            .exclude(payload_json=None)
            .order_by("-frozen", "-id")
            .first()
        )
        result = stored.payload_json.get("result") if stored and stored.payload_json else None
    ranking = result.get("ranking") if isinstance(result, dict) else None
    return list(ranking) if isinstance(ranking, list) else None


def _signed(row: ProgrammeRecord, revision: int) -> SignOff:
    signed = row.signoffs.filter(revision=revision).first()
    if signed is None:
        raise Http404("that revision was not signed off")
    return signed


@login_required
@require_http_methods(["GET", "POST"])
def signoff_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Confirm and sign off the current revision (leads and administrators)."""
    row, _ = programme_for(request, slug, Right.EDIT)
    errors: list[ErrorItem] = []
    if request.method == "POST":
        if str(row.revision) != request.POST.get("revision"):
            errors = [
                ErrorItem(
                    f"The programme changed (revision {row.revision}) since you began: "
                    "check it and sign off again"
                )
            ]
        else:
            try:
                sign_off(row, request.user.pk, actor(request), request.POST.get("note", "").strip())
                messages.success(request, f"Signed off revision {row.revision}.")
                return redirect("programmes:signoff", slug=slug, revision=row.revision)
            except AlreadySignedOff as error:
                errors = [ErrorItem(str(error))]
    return render(
        request,
        "programmes/signoff_new.jinja",
        {"row": row, "errors": errors, "ranking": _ranking(row, row.revision)},
    )


@login_required
def signoff_detail(request: HttpRequest, slug: str, revision: int) -> HttpResponse:
    """Show a signed-off version: who, when, its fingerprint, its options and scores."""
    row, _ = programme_for(request, slug, Right.VIEW)
    signed = _signed(row, revision)
    return render(
        request,
        "programmes/signoff.jinja",
        {
            "row": row,
            "signed": signed,
            "data": snapshot(signed),
            "ranking": _ranking(row, revision),
            "changed": len(repository.changes(snapshot(signed), repository.data_of(row))),
            "results": jobs.frozen_results(row, revision),
            "papers": PAPERS,
        },
    )


@login_required
def changes_since(request: HttpRequest, slug: str, revision: int) -> HttpResponse:
    """List every figure that differs now from a signed-off version, and the edits since."""
    row, _ = programme_for(request, slug, Right.VIEW)
    signed = _signed(row, revision)
    names = {o["id"]: o.get("name") or o["id"] for o in row.document.get("options", [])}
    names.update({o["id"]: o.get("name") or o["id"] for o in signed.document.get("options", [])})
    return render(
        request,
        "programmes/signoff_changes.jinja",
        {
            "row": row,
            "signed": signed,
            "changes": repository.changes(snapshot(signed), repository.data_of(row)),
            "edits": edits_since(signed),
            "ranking_then": _ranking(row, revision),
            "ranking_now": _ranking(row, row.revision),
            "names": names,
        },
    )
