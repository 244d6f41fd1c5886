"""Free-text coding in the web app: codebooks, codings and the model, stored and audited.

The only place that reads or writes :class:`QuestionCodebook`, :class:`CodebookTheme` and
:class:`TextCoding`. The engine (:mod:`caseforchange.text`) does the work: campaigns, the model
that learns from a person's codings, what to code next, the review queue, the ledger. The
model learns from every answer a person decided (coded, or the model's proposal accepted after
reading it) and is kept in memory per codebook revision, so pages that only read do not train
it again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F

from caseforchange.domain.codebook import Codebook, Coding, Reason, Theme
from caseforchange.domain.consultation import QuestionType
from caseforchange.io.cells import CsvWriter
from caseforchange.io.folder import dump_yaml
from caseforchange.text.active import code_next, review_queue
from caseforchange.text.campaigns import Campaign, find_campaigns
from caseforchange.text.classify import Proposal, ThemeModel, train
from caseforchange.text.ledger import Entry, Response, build_ledger, reconcile
from caseforchange.text.outputs import ThemeCount, theme_counts
from caseforchange.text.pipeline import MIN_CODED
from caseforchange.text.suggest import CandidateTheme
from caseforchange.web.audit.chain import Change, record_many
from caseforchange.web.consultation.models import (
    CodebookTheme,
    QuestionCodebook,
    ResponseSet,
    TextCoding,
)
from caseforchange.web.consultation.repository import (
    EngagementState,
    response_rows,
    response_sets,
)

#: The seed of the model and of the candidate themes (the command line's default).
SEED = 0
#: Reasons a person may give instead of themes.
PERSON_REASONS = (Reason.OUT_OF_SCOPE.value, Reason.UNCLASSIFIABLE.value)
#: Analyses kept in memory per process (one per question being coded).
CACHE_SIZE = 16


@dataclass(frozen=True)
class OpenQuestion:
    """An open question of a questionnaire, and its stored responses if any."""

    questionnaire: str
    question: str
    text: str
    responses: ResponseSet | None


def open_questions(state: EngagementState) -> list[OpenQuestion]:
    """Return every open question of the stored questionnaires, in file order."""
    stored = response_sets(state)
    return [
        OpenQuestion(q.id, item.id, item.text, stored.get(q.id))
        for q in state.engagement.questionnaires
        for item in q.questions
        if item.type is QuestionType.OPEN
    ]


def find_question(state: EngagementState, questionnaire: str, question: str) -> OpenQuestion | None:
    """Return the open question ``questionnaire``/``question``, or None when there is none."""
    return next(
        (
            q
            for q in open_questions(state)
            if q.questionnaire == questionnaire and q.question == question
        ),
        None,
    )


def codebook_row(state: EngagementState, found: OpenQuestion) -> QuestionCodebook:
    """Return the question's codebook row, creating an empty one (default stances) if needed.

    Raises:
        ValueError: when no engagement file is stored.
    """
    if state.record is None:
        raise ValueError("no engagement file is stored")
    row, _ = QuestionCodebook.objects.get_or_create(
        engagement=state.record,
        questionnaire=found.questionnaire,
        question=found.question,
        defaults={"stances": list(Codebook(question="q").stances)},
    )
    return row


def to_codebook(row: QuestionCodebook) -> Codebook:
    """Return the stored codebook as the engine's :class:`Codebook`."""
    return Codebook(
        question=row.question,
        stances=list(row.stances) or list(Codebook(question="q").stances),
        themes=[
            Theme(
                id=t.key,
                name=t.name,
                definition=t.definition,
                includes=list(t.includes),
                excludes=list(t.excludes),
            )
            for t in row.themes.all()
        ],
    )


def question_responses(found: OpenQuestion) -> list[Response]:
    """Return every imported response to the question (answered or not), in import order."""
    if found.responses is None:
        return []
    return [
        Response(row["respondent"], row.get("group", "") or "", row.get(found.question, "") or "")
        for row in response_rows(found.responses)
    ]


def coding_of(row: TextCoding) -> Coding:
    """Return a stored person's coding as the engine's :class:`Coding`."""
    return Coding(
        response=row.response,
        themes=list(row.themes),
        stance=row.stance or None,
        reason=Reason(row.reason) if row.reason else None,
        evidence_rich=row.evidence_rich,
        note=row.note or None,
        coder=row.coder,
    )


def coding_summary(row: TextCoding | None) -> dict[str, Any] | None:
    """Return what the audit trail records of a coding (None when there was none)."""
    if row is None:
        return None
    out: dict[str, Any] = {
        "themes": list(row.themes),
        "stance": row.stance or None,
        "reason": row.reason or None,
        "evidence_rich": row.evidence_rich,
        "note": row.note or None,
        "source": row.source,
    }
    if row.source == TextCoding.MODEL:
        out["confidence"] = row.confidence
        out["reviewed_by"] = row.reviewed_by
    return out


@dataclass
class QuestionAnalysis:
    """One question's coding state: campaigns, model, proposals, the ledger and what is next."""

    codebook: Codebook
    responses: list[Response]
    texts: dict[str, str]
    campaigns: list[Campaign]
    #: Campaign members other than the template: covered by their campaign, never coded.
    copies: set[str]
    person: dict[str, Coding]
    accepted: dict[str, TextCoding]
    model: ThemeModel | None
    #: The model's proposals not yet decided by a person, by response id.
    pending: dict[str, Proposal]
    ledger: list[Entry]
    counts: dict[str, int]
    next_to_code: list[str]
    review: list[str]
    themes: list[ThemeCount] = field(default_factory=list)

    @property
    def coded_with_themes(self) -> int:
        """How many decided answers give themes (what the model learns from)."""
        return sum(1 for c in self.person.values() if c.themes) + sum(
            1 for c in self.accepted.values() if c.themes
        )

    @property
    def deciders(self) -> dict[str, int]:
        """Count the ledger's rows by who decided: person, accepted, model, rule, none."""
        out = {"person": 0, "accepted": 0, "model": 0, "rule": 0, "none": 0}
        for e in self.ledger:
            if e.decided_by.startswith("person"):
                out["person"] += 1
            elif e.decided_by == "model":
                out["accepted" if e.reviewer else "model"] += 1
            else:
                out["rule" if e.decided_by == "rule" else "none"] += 1
        return out

    def decided(self, response: str) -> bool:
        """True when a person coded the answer or accepted the model's proposal for it."""
        return response in self.person or response in self.accepted


_cache: OrderedDict[tuple[Any, ...], QuestionAnalysis] = OrderedDict()
_lock = threading.Lock()


def _key(row: QuestionCodebook, found: OpenQuestion) -> tuple[Any, ...]:
    responses = found.responses
    imported = (responses.pk, responses.file_sha256, responses.imported_at) if responses else None
    return (row.pk, row.revision, imported)


def analyse(row: QuestionCodebook, found: OpenQuestion) -> QuestionAnalysis:
    """Return the question's analysis at the codebook's current revision (cached in memory).

    A model is trained once :data:`~caseforchange.text.pipeline.MIN_CODED` answers have a
    person's themes; it proposes themes and stance for every other answer with words.
    """
    key = _key(row, found)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = _analyse(row, found)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _analyse(row: QuestionCodebook, found: OpenQuestion) -> QuestionAnalysis:
    book = to_codebook(row)
    responses = question_responses(found)
    texts = {r.id: r.text for r in responses if r.text.strip()}
    stored = [c for c in row.codings.all() if c.response in texts]
    person = {c.response: coding_of(c) for c in stored if c.source == TextCoding.PERSON}
    accepted = {c.response: c for c in stored if c.source == TextCoding.MODEL}
    campaigns = find_campaigns(list(texts.items()))
    copies = {m for c in campaigns for m in c.members} - {c.template_id for c in campaigns}
    # The model learns from every answer a person decided (coded, or a proposal accepted), in
    # the order they were first decided, as the report reads them from the codings file.
    coded = [(texts[c.response], coding_of(c)) for c in stored if c.themes]
    model = None
    proposals: dict[str, Proposal] = {}
    if len(coded) >= MIN_CODED and book.themes:
        model = _model(coded, book.theme_ids())
        todo = [i for i in texts if i not in person and i not in copies]
        proposals = dict(zip(todo, model.propose([texts[i] for i in todo]), strict=True))
    pending = {i: p for i, p in proposals.items() if i not in accepted}
    # An accepted proposal is the model's as it stood when a person accepted it.
    for i, c in accepted.items():
        proposals[i] = Proposal(
            tuple(c.themes), {}, c.confidence or 0.0, c.stance or None, None, False
        )
    reviewers = {i: c.reviewed_by for i, c in accepted.items()}
    ledger = build_ledger(responses, person, proposals, campaigns, reviewers)
    counts = reconcile(ledger, len(responses))
    if model is not None:
        upcoming = code_next(pending, {i: texts[i] for i in pending}, 20)
    else:
        upcoming = [i for i in texts if i not in person and i not in accepted and i not in copies]
    return QuestionAnalysis(
        book,
        responses,
        texts,
        campaigns,
        copies,
        person,
        accepted,
        model,
        pending,
        ledger,
        counts,
        upcoming,
        review_queue(pending),
        theme_counts(ledger, book),
    )


_models: OrderedDict[str, ThemeModel] = OrderedDict()


def _model(coded: list[tuple[str, Coding]], themes: list[str]) -> ThemeModel:
    """Return the model trained on ``coded``, reusing one trained on exactly the same data.

    A new note, evidence-rich mark or a theme's new name changes the codebook's revision but
    not what the model learns from, so it is not trained again.
    """
    stances = [c.stance for _, c in coded]
    data = [[t, sorted(c.themes), c.stance or ""] for t, c in coded]
    key = hashlib.sha256(json.dumps([data, themes]).encode("utf-8")).hexdigest()
    with _lock:
        if key in _models:
            _models.move_to_end(key)
            return _models[key]
    model = train(
        [t for t, _ in coded],
        [c.themes for _, c in coded],
        stances if any(stances) else None,
        themes,
        seed=SEED,
    )
    with _lock:
        _models[key] = model
        while len(_models) > CACHE_SIZE:
            _models.popitem(last=False)
    return model


def clear_cache() -> None:
    """Forget every cached analysis (tests; a new process starts empty anyway)."""
    with _lock:
        _cache.clear()
        _models.clear()


def _target(codebook: QuestionCodebook, part: str) -> str:
    slug = codebook.engagement.programme.slug
    return f"{slug}:text[{codebook.questionnaire}.{codebook.question}].{part}"


def _bump(codebook: QuestionCodebook) -> None:
    # In the database, so two people saving at once make two revisions, never one.
    QuestionCodebook.objects.filter(pk=codebook.pk).update(revision=F("revision") + 1)
    codebook.refresh_from_db(fields=["revision"])


@dataclass(frozen=True)
class CodingInput:
    """What a person submitted for one answer."""

    themes: tuple[str, ...]
    stance: str
    reason: str
    evidence_rich: bool
    note: str


def check_coding(book: Codebook, submitted: CodingInput) -> dict[str, str]:
    """Return field -> message for each problem with a submitted coding (empty when fine)."""
    errors: dict[str, str] = {}
    unknown = [t for t in submitted.themes if book.theme(t) is None]
    if unknown:
        errors["themes"] = f"Not a theme of the codebook: {', '.join(unknown)}"
    elif submitted.themes and submitted.reason:
        errors["reason"] = "Choose themes or a reason for no theme, not both"
    elif not submitted.themes and not submitted.reason:
        errors["themes"] = "Choose at least one theme, or a reason why the answer has none"
    if submitted.reason and submitted.reason not in PERSON_REASONS:
        errors["reason"] = "Choose a reason from the list"
    if submitted.stance and submitted.stance not in book.stances:
        errors["stance"] = f"Choose a stance from the list ({', '.join(book.stances)})"
    if len(submitted.note) > 2000:
        errors["note"] = "Keep the note under 2,000 characters"
    return errors


def save_coding(
    codebook: QuestionCodebook,
    response: str,
    submitted: CodingInput,
    proposal: Proposal | None,
    user: str,
    actor: str,
) -> str:
    """Store a person's decision on one answer and audit it; return the audit action.

    When the model proposed themes for the answer and the person keeps its themes and stance,
    the proposal is recorded as accepted (the model's, with its confidence, reviewed by the
    person); otherwise the coding is the person's, and the audit entry keeps the proposal it
    replaced.
    """
    same = (
        proposal is not None
        and not submitted.reason
        and set(submitted.themes) == set(proposal.themes)
        and (submitted.stance or None) == proposal.stance
    )
    values: dict[str, Any] = {
        "themes": list(submitted.themes),
        "stance": submitted.stance,
        "reason": submitted.reason,
        "evidence_rich": submitted.evidence_rich,
        "note": submitted.note,
    }
    if same and proposal is not None:
        values.update(
            source=TextCoding.MODEL,
            confidence=proposal.confidence,
            coder="model",
            reviewed_by=user,
        )
        action = "text proposal accepted"
    else:
        values.update(source=TextCoding.PERSON, confidence=None, coder=user, reviewed_by="")
        action = "text proposal changed" if proposal is not None else "text coding saved"
    with transaction.atomic():
        before_row = (
            TextCoding.objects.select_for_update()
            .filter(codebook=codebook, response=response)
            .first()
        )
        before = coding_summary(before_row)
        if before is not None and action == "text coding saved":
            action = "text coding changed"
        saved, _ = TextCoding.objects.update_or_create(
            codebook=codebook, response=response, defaults=values
        )
        after = coding_summary(saved)
        if proposal is not None and after is not None:
            after["proposal"] = {
                "themes": list(proposal.themes),
                "stance": proposal.stance,
                "confidence": proposal.confidence,
            }
        _bump(codebook)
        record_many(
            [
                Change(
                    actor,
                    action,
                    _target(codebook, f"codings[{response}]"),
                    codebook.engagement.programme.slug,
                    before=before,
                    after=after,
                )
            ]
        )
    return action


def theme_key(name: str) -> str:
    """Return a theme id made from its name: lower case words joined by hyphens."""
    key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
    return key or "theme"


@dataclass(frozen=True)
class ThemeInput:
    """A theme as a person wrote it in the form."""

    key: str
    name: str
    definition: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...]


def lines(text: str) -> tuple[str, ...]:
    """Return the non-empty lines of a text box, stripped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def check_theme(
    codebook: QuestionCodebook, submitted: ThemeInput, current: CodebookTheme | None
) -> dict[str, str]:
    """Return field -> message for each problem with a theme (empty when fine)."""
    errors: dict[str, str] = {}
    if not submitted.name.strip():
        errors["name"] = "Enter the theme's name"
    elif len(submitted.name) > 200:
        errors["name"] = "Keep the name under 200 characters"
    if current is None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", submitted.key):
            errors["key"] = (
                "Enter an id of lower case letters, digits and hyphens, starting with a letter or "
                "digit (at most 60 characters)"
            )
        elif codebook.themes.filter(key=submitted.key).exists():
            errors["key"] = f"The codebook already has a theme '{submitted.key}'"
    return errors


def _theme_summary(theme: CodebookTheme) -> dict[str, Any]:
    return {
        "name": theme.name,
        "definition": theme.definition,
        "includes": list(theme.includes),
        "excludes": list(theme.excludes),
    }


def save_theme(
    codebook: QuestionCodebook,
    submitted: ThemeInput,
    current: CodebookTheme | None,
    actor: str,
    action: str | None = None,
) -> CodebookTheme:
    """Add a theme (``current`` None) or change one, and audit it; return the stored theme."""
    with transaction.atomic():
        before = None if current is None else _theme_summary(current)
        if current is None:
            last = codebook.themes.order_by("-position").values_list("position", flat=True)
            theme = CodebookTheme(
                codebook=codebook, key=submitted.key, position=(last.first() or 0) + 1
            )
            theme.created_by = actor
        else:
            theme = current
        theme.name = submitted.name.strip()
        theme.definition = submitted.definition.strip()
        theme.includes = list(submitted.includes)
        theme.excludes = list(submitted.excludes)
        theme.save()
        _bump(codebook)
        record_many(
            [
                Change(
                    actor,
                    action
                    or ("codebook theme added" if current is None else "codebook theme changed"),
                    _target(codebook, f"themes[{theme.key}]"),
                    codebook.engagement.programme.slug,
                    before=before,
                    after=_theme_summary(theme),
                )
            ]
        )
    return theme


def theme_uses(codebook: QuestionCodebook, key: str) -> int:
    """Return how many stored codings give the theme ``key``."""
    return sum(1 for c in codebook.codings.all() if key in c.themes)


def remove_theme(codebook: QuestionCodebook, theme: CodebookTheme, actor: str) -> None:
    """Remove a theme no coding uses, and audit it.

    Raises:
        ValueError: when codings use the theme.
    """
    uses = theme_uses(codebook, theme.key)
    if uses:
        raise ValueError(f"{uses} codings give this theme: change them first")
    with transaction.atomic():
        before = _theme_summary(theme)
        key = theme.key
        theme.delete()
        _bump(codebook)
        record_many(
            [
                Change(
                    actor,
                    "codebook theme removed",
                    _target(codebook, f"themes[{key}]"),
                    codebook.engagement.programme.slug,
                    before=before,
                )
            ]
        )


def candidate_key(candidate: CandidateTheme) -> str:
    """Return a candidate's stable key: its first distinctive words."""
    return " ".join(candidate.words[:4])


def ignore_candidate(codebook: QuestionCodebook, key: str, actor: str) -> None:
    """Hide a candidate theme from the codebook page, and audit it."""
    with transaction.atomic():
        ignored = list(codebook.ignored)
        if key not in ignored:
            ignored.append(key)
        QuestionCodebook.objects.filter(pk=codebook.pk).update(ignored=ignored)
        codebook.ignored = ignored
        record_many(
            [
                Change(
                    actor,
                    "candidate theme ignored",
                    _target(codebook, "candidates"),
                    codebook.engagement.programme.slug,
                    after={"words": key},
                )
            ]
        )


def codebook_yaml_data(book: Codebook) -> dict[str, Any]:
    """Return the codebook as the data of ``text/<question>-codebook.yaml``."""
    return book.model_dump(mode="json", exclude_defaults=True) | {"question": book.question}


def person_codings_csv(
    codebook: QuestionCodebook, known: set[str] | None = None, *, guard: bool = False
) -> str:
    """Return the decided codings as ``text/<question>-codings.csv``, as the engine reads it.

    A proposal a person accepted is written as that person's coding: the report's model then
    learns from the same answers as the web app's, so both give the same themes. (The report
    shows no reviewers; the web app's ledger does.) With ``guard`` (a file people download)
    text that a spreadsheet would run as a formula starts with an apostrophe. With ``known``,
    only codings of those respondents are written (a later import may have dropped some).
    """
    out = io.StringIO()
    writer: Any = CsvWriter(out) if guard else csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "themes", "stance", "reason", "evidence_rich", "note", "coder"])
    for c in codebook.codings.all():
        if known is not None and c.response not in known:
            continue
        writer.writerow(
            [
                c.response,
                ";".join(c.themes),
                c.stance,
                c.reason,
                "yes" if c.evidence_rich else "",
                c.note.replace("\n", " "),
                c.reviewed_by if c.source == TextCoding.MODEL else c.coder,
            ]
        )
    return out.getvalue()


def folder_text_files(state: EngagementState, *, guard: bool = False) -> dict[str, bytes]:
    """Return ``text/<question>-codebook.yaml`` and ``-codings.csv`` of each stored codebook.

    These are the files ``caseforchange text ...`` and the consultation report read from a
    programme folder; codings are keyed by the pseudonymised respondent ids of the responses.
    """
    files: dict[str, bytes] = {}
    stored = response_sets(state)
    for row in stored_codebooks(state):
        data = codebook_yaml_data(to_codebook(row))
        files[f"text/{row.question}-codebook.yaml"] = dump_yaml(data).encode("utf-8")
        responses = stored.get(row.questionnaire)
        known = {r["respondent"] for r in response_rows(responses)} if responses else set()
        codings = person_codings_csv(row, known, guard=guard)
        files[f"text/{row.question}-codings.csv"] = codings.encode("utf-8")
    return files


def stored_codebooks(state: EngagementState) -> Sequence[QuestionCodebook]:
    """Return the programme's stored codebooks that have at least one theme."""
    if state.record is None:
        return []
    return [c for c in state.record.codebooks.all() if c.themes.exists()]
