"""Live workshop scoring: the facilitator's screens and the participants' phone pages."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import segno
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from markupsafe import Markup, escape

from caseforchange.domain.problems import InvalidInput
from caseforchange.web.accounts.roles import Right, require, right_on
from caseforchange.web.charts import chart_image
from caseforchange.web.errors import ErrorItem, field_id
from caseforchange.web.jinja2_env import Kept, plain_key
from caseforchange.web.lan import is_loopback_host, lan_addresses
from caseforchange.web.programmes import repository as programmes
from caseforchange.web.shortcuts import actor, programme_for
from caseforchange.web.workshops import people, phone, ratelimit, repository
from caseforchange.web.workshops.charts import room_chart
from caseforchange.web.workshops.codes import display, link_token, normalise, token_matches
from caseforchange.web.workshops.models import (
    OutputKind,
    Participant,
    TableOutput,
    WorkshopSession,
)
from caseforchange.web.workshops.phone import PhonePass


def _session_for(request: HttpRequest, pk: int, needed: Right) -> tuple[WorkshopSession, Right]:
    session = get_object_or_404(WorkshopSession.objects.select_related("programme"), pk=pk)
    return session, require(request.user, session.programme, needed)


def _names(session: WorkshopSession) -> dict[str, dict[str, str]]:
    return {
        "options": {o["id"]: o["name"] for o in session.options},
        "criteria": {c["id"]: c["name"] for c in session.criteria},
        "groups": {g["id"]: g["name"] for g in session.groups},
    }


# Facilitator -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request: HttpRequest, slug: str) -> HttpResponse:
    """List a programme's scoring sessions; facilitators open new ones for a panel."""
    row, right = programme_for(request, slug, Right.VIEW)
    programme = programmes.to_programme(row)
    errors: list[ErrorItem] = []
    values = {"title": "Scoring workshop", "panel": "", "names": "", "cap": "300"}
    if request.method == "POST":
        if right < Right.FACILITATE:
            raise PermissionDenied("only facilitators open scoring sessions")
        values = {k: request.POST.get(k, "").strip() for k in values}
        title = values["title"] or "Scoring workshop"
        if values["panel"] not in {p.id for p in programme.panels}:
            errors.append(ErrorItem.on("panel", "Choose the panel that is scoring"))
        if values["names"] not in {"named", "anonymous"}:
            errors.append(ErrorItem.on("names", "Choose whether participants give a display name"))
        cap = int(values["cap"]) if values["cap"].isdigit() else 0
        if not 1 <= cap <= MAX_CAP:
            errors.append(
                ErrorItem.on(
                    "cap", f"Enter how many people may join, a whole number from 1 to {MAX_CAP}"
                )
            )
        if not errors:
            try:
                session = repository.open_session(
                    row,
                    values["panel"],
                    title[:200],
                    actor(request),
                    request.user,
                    anonymous=values["names"] == "anonymous",
                    cap=cap,
                )
            except repository.RoomRefused as refused:
                errors.append(ErrorItem.on("panel", str(refused)))
            else:
                return redirect("workshops:dashboard", pk=session.pk)
    return render(
        request,
        "workshops/list.jinja",
        {
            "row": row,
            "sessions": row.sessions.all(),
            "panels": programme.panels,
            "can_open": right >= Right.FACILITATE,
            "errors": errors,
            "values": values,
            "max_cap": MAX_CAP,
        },
    )


#: The largest participant cap a facilitator may set.
MAX_CAP = 2000


def join_base(request: HttpRequest) -> str:
    """Return the join page's address as phones should use it.

    The configured ``PUBLIC_URL`` when there is one (behind a proxy, or a name phones resolve),
    else the address the facilitator's own browser used to reach this page.
    """
    path = reverse("workshops:join")
    if django_settings.PUBLIC_URL:
        return django_settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def join_url(request: HttpRequest, session: WorkshopSession) -> str:
    """Return the QR code's link: the join page with the session's code and link token."""
    token = link_token(session.pk, session.code)
    return join_base(request) + f"?code={session.code}&t={token}"


def _lan_hint(request: HttpRequest) -> dict[str, Any] | None:
    """Say how phones can reach the app when the facilitator browses it on loopback."""
    if django_settings.PUBLIC_URL or not is_loopback_host(request.get_host()):
        return None
    host = request.get_host()
    port = host.rsplit(":", 1)[1] if host.rsplit(":", 1)[-1].isdigit() else request.get_port()
    return {
        "serving": django_settings.SERVE_LAN,
        "addresses": [f"http://{a}:{port}{request.path}" for a in lan_addresses()]
        if django_settings.SERVE_LAN
        else [],
    }


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The facilitator's screen: join code, QR code, live progress and the session's controls."""
    session, _ = _session_for(request, pk, Right.FACILITATE)
    url = join_url(request, session)
    qr = segno.make(url, error="m").svg_data_uri(scale=6, dark="#212b32", light="#ffffff")
    show_people = request.GET.get("people") == "1"
    return render(
        request,
        "workshops/dashboard.jinja",
        {
            "s": session,
            "row": session.programme,
            "code": display(session.code),
            "join_url": url,
            "join_base": join_base(request),
            "qr": qr,
            "progress": repository.progress(session),
            "names": _names(session),
            "people": show_people,
            "lan": _lan_hint(request),
        },
    )


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live progress fragment polled by HTMX: counts only, never anyone's scores."""
    session, _ = _session_for(request, pk, Right.FACILITATE)
    state = repository.progress(session)
    seen = request.GET.get("seen", "")
    summary = f"{state.joined}/{state.submitted}"
    return render(
        request,
        "workshops/_progress.jinja",
        {
            "s": session,
            "progress": state,
            "names": _names(session),
            "announce": seen != summary,
            "summary": summary,
            "people": request.GET.get("people") == "1",
        },
    )


@login_required
@require_POST
def session_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Close, reopen, reveal (all or one option), hide, or apply the scores to the programme."""
    session, _ = _session_for(request, pk, Right.FACILITATE)
    action = request.POST.get("action", "")
    who = actor(request)
    option = request.POST.get("option", "")
    if action in {"reveal_option", "hide_option"}:
        if option not in {o["id"] for o in session.options}:
            raise Http404("that option is not scored in this session")
        if session.is_open:
            repository.set_status(session, who, close=True)
        repository.set_status(session, who, reveal=action == "reveal_option", option=option)
        return redirect("workshops:results", pk=pk)
    if action == "close":
        repository.set_status(session, who, close=True)
        messages.success(request, "Session closed: participants can no longer change answers.")
    elif action == "reopen":
        repository.set_status(session, who, close=False)
        messages.success(request, "Session reopened.")
    elif action == "reveal":
        if session.is_open:
            repository.set_status(session, who, close=True)
        repository.set_status(session, who, reveal=True)
        return redirect("workshops:results", pk=pk)
    elif action == "hide":
        repository.set_status(session, who, reveal=False)
        messages.success(request, "Results hidden: phones and viewers no longer see them.")
    elif action == "apply":
        if session.is_open:
            messages.error(request, "Close the session before adding its scores to the programme.")
        else:
            require(request.user, session.programme, Right.EDIT)
            try:
                count = repository.apply_to_programme(session, who)
                messages.success(request, f"Added {count} scores to panel '{session.panel}'.")
            except (InvalidInput, programmes.StaleEdit) as error:
                messages.error(request, f"Could not add the scores: {error}")
    else:
        raise Http404("no such action")
    return redirect("workshops:dashboard", pk=pk)


def _results_context(session: WorkshopSession, *, everything: bool) -> dict[str, Any]:
    """Return the results page's context; ``everything`` False keeps unrevealed options out."""
    aggregation = repository.aggregation(session)
    shown = [o for o in session.options if everything or session.shows(o["id"])]
    shown_ids = {o["id"] for o in shown}
    cells = [c for c in repository.results(session, aggregation) if c.option in shown_ids]
    names = _names(session)
    by_option: dict[str, list[Any]] = {}
    for cell in cells:
        by_option.setdefault(cell.option, []).append(cell)
    divisive = sorted((c for c in cells if c.n >= 2), key=lambda c: (-c.spread, -c.iqr))[:5]
    method = aggregation.value
    overview = []
    for option in shown:
        given = [c.value for c in by_option.get(option["id"], []) if c.value is not None]
        overview.append(
            {
                "option": option,
                "mean": sum(given) / len(given) if given else None,
                "cells": len(given),
            }
        )
    return {
        "overview": overview,
        "chart": chart_image(room_chart(shown, session.criteria, cells, method.replace("_", " ")))
        if shown
        else None,
        # Phones get the narrow drawing, whose text stays at 12 px or more at 390 px wide.
        "narrow_chart": chart_image(
            room_chart(shown, session.criteria, cells, method.replace("_", " "), narrow=True)
        )
        if shown
        else None,
        "shown": shown,
        "everything": everything,
        "s": session,
        "row": session.programme,
        "by_option": by_option,
        "divisive": divisive,
        "names": names,
        "method": method.replace("_", " "),
        "progress": repository.progress(session),
        "outputs": session.outputs.all(),
    }


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The reveal: each option's aggregate scores and where the room disagrees."""
    session, right = _session_for(request, pk, Right.VIEW)
    facilitating = right >= Right.FACILITATE
    if not session.anything_revealed and not facilitating:
        raise PermissionDenied("the facilitator has not revealed the results")
    if not session.anything_revealed and session.is_open:
        messages.info(request, "Close the session to see the results and reveal them.")
        return redirect("workshops:dashboard", pk=pk)
    context = _results_context(session, everything=facilitating)
    context["facilitating"] = facilitating
    return render(request, "workshops/results.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def facilitator_outputs(request: HttpRequest, pk: int) -> HttpResponse:
    """Table outputs entered by scribes; facilitators can add them too."""
    session, _ = _session_for(request, pk, Right.FACILITATE)
    return _outputs(request, session, actor(request), "workshops:outputs", {"pk": pk})


# Participants ------------------------------------------------------------------------------


def _participant(request: HttpRequest) -> Participant | None:
    held = phone.read(request)
    if held is None or held.participant is None:
        return None
    # A phone page needs the programme's slug and title, never its whole stored document:
    # loading and decoding that document was most of a busy workshop's database time.
    return repository.participant_for_phone(held.participant)


#: What a phone is told when its typed code is not checked.
REFUSALS = {
    ratelimit.Refusal.BROWSER: (
        "Too many wrong codes from this phone. Scan the QR code on the screen, "
        "or wait 10 minutes and try again."
    ),
    ratelimit.Refusal.ADDRESS: (
        "Too many wrong codes from this phone. Scan the QR code on the screen, "
        "or wait 10 minutes and try again."
    ),
    ratelimit.Refusal.SITE: (
        "Typed codes are paused for now because of many wrong guesses. "
        "Scan the QR code on the screen instead."
    ),
}


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Enter a join code (no account needed); wrong codes are rate limited.

    The QR code's link carries the session's link token as well as its code: a matching token
    joins straight away, without the rate limit (it cannot be guessed).
    """
    code = request.GET.get("code", "")
    errors: list[ErrorItem] = []
    status = 200
    held = phone.read_or_new(request)
    token = request.GET.get("t", "")
    if request.method == "GET" and token:
        linked = repository.open_session_by("code", normalise(code))
        if linked is not None and token_matches(linked.pk, linked.code, token):
            joining = PhonePass(browser=held.browser, joining=linked.pk)
            return phone.store(redirect("workshops:join_details"), joining)
    if request.method == "POST":
        code = request.POST.get("code", "")
        refused = ratelimit.refusal(request, held.browser)
        if refused is not None:
            errors.append(ErrorItem.on("code", REFUSALS[refused]))
            status = 429
        else:
            session = repository.open_session_by("code", normalise(code))
            if session is None:
                ratelimit.failed(request, held.browser)
                errors.append(
                    ErrorItem.on(
                        "code", "Enter the code shown on the screen: that code is not open"
                    )
                )
            else:
                joining = PhonePass(browser=held.browser, joining=session.pk)
                return phone.store(redirect("workshops:join_details"), joining)
    response = render(
        request,
        "workshops/join.jinja",
        {"code": code, "errors": errors, "participant": _participant(request)},
    )
    response.status_code = status
    # The browser id must persist so that its failures are counted together.
    return phone.store(response, held) if request.method == "POST" else response


@require_http_methods(["GET", "POST"])
def join_details(request: HttpRequest) -> HttpResponse:
    """Say who you are (optional display name) and which stakeholder group you belong to."""
    held = phone.read(request)
    session = repository.open_session_by("id", held.joining) if held and held.joining else None
    if held is None or session is None:
        return redirect("workshops:join")
    errors: list[ErrorItem] = []
    values = {"display_name": "", "group": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        groups = {g["id"] for g in session.groups}
        if groups and values["group"] not in groups:
            errors.append(ErrorItem.on("group", "Choose your stakeholder group"))
        else:
            try:
                participant = repository.join(session, values["display_name"][:60], values["group"])
            except repository.RoomRefused as refused:
                errors.append(ErrorItem.on("display-name", str(refused)))
            else:
                return phone.store(
                    redirect("workshops:participant_home"), held.joined(participant.pk)
                )
    return render(
        request,
        "workshops/join_details.jinja",
        {"s": session, "values": values, "errors": errors},
    )


def _require_participant(request: HttpRequest) -> Participant:
    participant = _participant(request)
    if participant is None:
        raise PermissionDenied("join a session with its code first")
    return participant


def participant_home(request: HttpRequest) -> HttpResponse:
    """The participant's list of options to score, with how far they have got."""
    participant = _participant(request)
    if participant is None:
        return redirect("workshops:join")
    session = participant.session
    answers = repository.answers_of(participant)
    rows = []
    for option in session.options:
        done = sum((option["id"], c["id"]) in answers for c in session.criteria)
        rows.append({"option": option, "done": done, "total": len(session.criteria)})
    complete = all(r["done"] == r["total"] for r in rows)
    return render(
        request,
        "workshops/participant_home.jinja",
        {"p": participant, "s": session, "rows": rows, "complete": complete},
    )


@require_http_methods(["GET", "POST"])
def score_option(request: HttpRequest, option: str) -> HttpResponse:
    """Score one option on every criterion, each with an optional rationale."""
    participant = _require_participant(request)
    session = participant.session
    options = [o["id"] for o in session.options]
    if option not in options:
        raise Http404("that option is not being scored in this session")
    # A POST replaces every field from the form, so the saved answers are read only to show
    # them (once, for both the fields and the "You scored" lines).
    answers = None if request.method == "POST" else repository.answers_of(participant)
    values = {} if answers is None else _saved_values(participant, option, answers)
    errors: list[ErrorItem] = []
    field_errors: dict[str, str] = {}
    if request.method == "POST":
        if not session.is_open:
            messages.error(
                request, "The facilitator has closed this session: answers can no longer change."
            )
            return redirect("workshops:participant_home")
        given: dict[str, tuple[float, str]] = {}
        for c in session.criteria:
            raw = request.POST.get(f"score-{c['id']}", "").strip()
            rationale = request.POST.get(f"rationale-{c['id']}", "").strip()[:2000]
            values[c["id"]] = {"value": raw, "rationale": rationale}
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                value = float("nan")
            if not c["min"] <= value <= c["max"]:
                message = f"Score '{c['name']}' from {_fmt(c['min'])} to {_fmt(c['max'])}"
                field_errors[c["id"]] = message
                errors.append(ErrorItem.on(f"score-{c['id']}", message))
                continue
            given[c["id"]] = (value, rationale)
        if not errors:
            repository.save_scores(participant, option, given)
            index = options.index(option)
            if request.POST.get("next") and index + 1 < len(options):
                return redirect("workshops:score", option=options[index + 1])
            messages.success(request, "Your scores are saved.")
            return redirect("workshops:participant_home")
    name = next(o["name"] for o in session.options if o["id"] == option)
    index = options.index(option)
    if answers is None:  # a POST with errors shows the form again, with what is saved
        answers = repository.answers_of(participant)
    return render(
        request,
        "workshops/score.jinja",
        {
            "p": participant,
            "s": session,
            "option": option,
            "option_name": name,
            "position": index + 1,
            "count": len(options),
            "has_next": index + 1 < len(options),
            "values": values,
            "errors": errors,
            "field_errors": field_errors,
            "fields": {
                c["id"]: score_field(
                    c,
                    values[c["id"]]["value"],
                    values[c["id"]]["rationale"],
                    field_errors.get(c["id"]),
                )
                for c in session.criteria
            },
            "saved": {c: _fmt(score.value) for (o, c), score in answers.items() if o == option},
        },
    )


def score_field(criterion: dict[str, Any], value: str, rationale: str, error: str | None) -> Markup:
    """Return one criterion's score and rationale fields, written by ``_score_field.jinja``.

    A phone's score page has one field per criterion and most are shown blank or with a bare
    score: those (no rationale) are rendered once per process and kept, keyed by the
    criterion's whole content, so a changed criterion can never reuse another's markup. A
    field with a rationale is the participant's own and is rendered every time.
    """

    def render_field() -> Markup:
        template = get_template("workshops/_score_field.jinja").template  # type: ignore[attr-defined]
        macro = template.module.score_field
        return Markup(macro(criterion, value, rationale, error, field_id, scale_radios))

    if rationale:
        return render_field()
    try:
        key = plain_key((criterion, value, error))
    except TypeError:  # not plain values: render it each time
        return render_field()
    return _kept_fields().get(key, render_field)


@cache
def _kept_fields() -> Kept[Markup]:
    return Kept(engines["jinja2"].env)  # type: ignore[attr-defined]


def scale_radios(base: str, name: str, choices: list[dict[str, Any]], value: str) -> Markup:
    """Return the NHS.UK radio items of one score scale, with ``value`` checked.

    The same markup the frontend's radios macro writes (first id ``base``, then ``base-2``...).
    A scale has a handful of choices and a value is one of them or blank, so each distinct
    item list is built once per process and kept.
    """
    return _scale_radios(base, name, tuple(str(ch["value"]) for ch in choices), value)


@lru_cache(maxsize=4096)
def _scale_radios(base: str, name: str, choices: tuple[str, ...], value: str) -> Markup:
    items = []
    for index, choice in enumerate(choices, start=1):
        rid = escape(base if index == 1 else f"{base}-{index}")
        checked = " checked" if value == choice else ""
        items.append(
            '<div class="nhsuk-radios__item">\n'
            f'<input class="nhsuk-radios__input" id="{rid}" name="{escape(name)}" type="radio"'
            f' value="{escape(choice)}"{checked}>\n'
            f'<label class="nhsuk-label nhsuk-radios__label" for="{rid}">{escape(choice)}</label>\n'
            "</div>"
        )
    return Markup("\n".join(items))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _saved_values(
    participant: Participant, option: str, answers: dict[tuple[str, str], repository.Answer]
) -> dict[str, dict[str, str]]:
    values = {}
    for c in participant.session.criteria:
        saved = answers.get((option, c["id"]))
        values[c["id"]] = {
            "value": "" if saved is None else _fmt(saved.value),
            "rationale": "" if saved is None else saved.rationale,
        }
    return values


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    """Mark the participant's answers as submitted (they can still change them while open)."""
    participant = _require_participant(request)
    if participant.session.is_open:
        participant.submitted_at = timezone.now()
        participant.save(update_fields=["submitted_at"])
        messages.success(
            request,
            "Thank you: your scores are submitted. You can change them until the session closes.",
        )
    return redirect("workshops:participant_home")


@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw one of the participant's own scores while the session is open."""
    participant = _require_participant(request)
    session = participant.session
    option = request.POST.get("option", "")
    criterion = request.POST.get("withdraw", "")
    if option not in {o["id"] for o in session.options} or criterion not in {
        c["id"] for c in session.criteria
    }:
        raise Http404("no such score")
    if not session.is_open:
        messages.error(
            request, "The facilitator has closed this session: answers can no longer change."
        )
        return redirect("workshops:participant_home")
    if people.withdraw(participant, option, criterion):
        name = next(c["name"] for c in session.criteria if c["id"] == criterion)
        messages.success(request, f"Your score on '{name}' is withdrawn.")
    return redirect("workshops:score", option=option)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Forget this browser's participant, so the phone can be handed to someone else.

    Only the phone pass goes: a staff member who joined from their own browser stays signed in.
    """
    return phone.forget(redirect("workshops:join"))


def participant_results(request: HttpRequest) -> HttpResponse:
    """The room's results on a phone, once the facilitator has revealed them."""
    participant = _require_participant(request)
    if not participant.session.anything_revealed:
        raise PermissionDenied("the facilitator has not revealed the results")
    context = _results_context(participant.session, everything=False)
    context["participant_view"] = True
    return render(request, "workshops/results.jinja", context)


@require_http_methods(["GET", "POST"])
def participant_outputs(request: HttpRequest) -> HttpResponse:
    """A scribe enters their table's advantages, issues and mitigations."""
    participant = _require_participant(request)
    return _outputs(
        request,
        participant.session,
        f"participant {participant.member_id}",
        "workshops:participant_outputs",
        {},
    )


def _outputs(
    request: HttpRequest, session: WorkshopSession, who: str, view: str, kwargs: dict[str, Any]
) -> HttpResponse:
    errors: list[ErrorItem] = []
    values = {"table": "", "kind": "", "category": "", "option": "", "text": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        if not session.is_open and (
            (right_on(request.user, session.programme) or 0) < Right.FACILITATE
        ):
            raise PermissionDenied("the session is closed")
        if not values["table"]:
            errors.append(ErrorItem.on("table", "Enter your table number or name"))
        if values["kind"] not in OutputKind.values:
            errors.append(ErrorItem.on("kind", "Choose advantage, issue or mitigation"))
        if values["category"] and values["category"] not in {c["id"] for c in session.criteria}:
            errors.append(ErrorItem.on("category", "Choose a category from the list"))
        if values["option"] and values["option"] not in {o["id"] for o in session.options}:
            errors.append(ErrorItem.on("option", "Choose an option from the list"))
        if not values["text"]:
            errors.append(ErrorItem.on("text", "Enter what the table said"))
        if not errors:
            output = TableOutput.objects.create(
                session=session,
                table=values["table"][:40],
                kind=values["kind"],
                category=values["category"],
                option=values["option"],
                text=values["text"][:4000],
                entered_by=who,
            )
            from caseforchange.web.audit.chain import record

            record(
                who,
                "table output",
                f"{session.programme.slug}:session[{session.pk}].output[{output.pk}]",
                programme=session.programme.slug,
                after={k: v for k, v in values.items()},
            )
            messages.success(request, "Saved. Add another, or go back.")
            return HttpResponseRedirect(reverse(view, kwargs=kwargs))
    return render(
        request,
        "workshops/outputs.jinja",
        {
            "s": session,
            "values": values,
            "errors": errors,
            "outputs": session.outputs.all(),
            "kinds": OutputKind.choices,
            "names": _names(session),
            "participant_view": not kwargs,
        },
    )
