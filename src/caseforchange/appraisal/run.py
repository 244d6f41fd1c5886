"""The whole appraisal of a programme: hurdles, weights, totals, sensitivity, SMAA, cross-check.

``appraise`` is the one call a notebook or the command line needs; every step is also a pure
function in its own module for analysts who want one piece.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt

from caseforchange import __version__
from caseforchange.appraisal.crosscheck import cross_check
from caseforchange.appraisal.hurdles import Screening, screen
from caseforchange.appraisal.matrix import Scoring, build_matrix
from caseforchange.appraisal.result import AppraisalResult, PanelResult
from caseforchange.appraisal.sampling import sampler_for
from caseforchange.appraisal.sensitivity import weight_sensitivity
from caseforchange.appraisal.smaa import check_samples, smaa2
from caseforchange.appraisal.totals import (
    competition_ranks,
    contributions,
    ranking,
    tie_groups,
    weighted_totals,
)
from caseforchange.appraisal.weights import FrameworkWeights, framework_weights
from caseforchange.catalogue.scales import scales_for
from caseforchange.chunks import ChunkMap
from caseforchange.domain.criteria import Scale
from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.domain.programme import Programme

Progress = Callable[[int, int], None]
FloatArray = npt.NDArray[np.float64]


def inner_shares(weights: FrameworkWeights) -> dict[str, dict[int, float]]:
    """Return, for every weighted criterion, its leaves' shares of it from the local weights.

    Used when a criterion's own weight is zero, so its sub-criteria's proportions cannot be
    read from their global weights.
    """
    shares: dict[str, dict[int, float]] = {}
    for node in weights.members:
        for index in weights.members[node]:
            share = 1.0
            current = weights.leaves[index]
            while current != node:
                share *= weights.local[current]
                current = weights.parents[current]
            shares.setdefault(node, {})[index] = share
    return shares


def _panel_results(scoring: Scoring, leaf_weights: FloatArray) -> list[PanelResult]:
    matrix = scoring.matrix
    results = []
    for panel, values in scoring.panel_values.items():
        complete = np.asarray(~np.isnan(values).any(axis=1), dtype=bool)
        totals = np.where(complete, np.nan_to_num(values) @ leaf_weights, np.nan)
        scored = [i for i in range(len(matrix.options)) if complete[i]]
        order = [scored[i] for i in ranking(totals[scored])] if scored else []
        missing = [
            (matrix.options[i], matrix.criteria[j])
            for i, j in zip(*np.nonzero(np.isnan(values)), strict=True)
        ]
        results.append(
            PanelResult(
                panel,
                scoring.panel_weights[panel],
                {
                    o: (float(t) if complete[i] else None)
                    for i, (o, t) in enumerate(zip(matrix.options, totals, strict=True))
                },
                [matrix.options[i] for i in order],
                missing,
                {
                    o: {
                        c: (None if np.isnan(v) else float(v))
                        for c, v in zip(matrix.criteria, row, strict=True)
                    }
                    for o, row in zip(matrix.options, values, strict=True)
                },
            )
        )
    return results


def appraise(
    programme: Programme,
    samples: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    *,
    scales: Mapping[str, Scale] | None = None,
    file_hashes: Mapping[str, str] | None = None,
    workers: int | None = None,
    confidence_samples: int | None = None,
    chunk_map: ChunkMap | None = None,
) -> AppraisalResult:
    """Appraise a programme's options and return the full result.

    Steps: hurdles cut the long list to a short list; weights come from the framework's
    weighting method; panel scores are aggregated into a matrix of 0..1 values; the weighted sum
    gives totals and ranks; one-way sensitivity, SMAA-2 and the pymcdm cross-check follow.

    ``samples`` and ``seed`` override ``programme.appraisal``; ``progress(done, total)`` reports
    SMAA sampling; ``scales`` replaces the built-in scales (the framework's own always apply);
    ``file_hashes`` (name to SHA-256) go into the provenance; ``chunk_map`` runs the SMAA
    chunks elsewhere (a cluster), with the same result.

    Raises:
        InvalidInput: for every user mistake found (missing scores, scores off their scale,
            weights that sum to zero, an inconsistent AHP matrix, a panel with no members, a
            sample count below 1, a negative seed, infeasible weight constraints), each message
            naming the option, criterion, panel or member concerned.
    """
    settings = programme.appraisal
    n_samples = settings.samples if samples is None else samples
    check_samples(n_samples)
    used_seed = settings.seed if seed is None else seed
    if not isinstance(used_seed, int) or used_seed < 0:
        raise InvalidInput(
            [
                Problem(
                    ("appraisal", "seed"), f"the seed must be a whole number >= 0 (got {used_seed})"
                )
            ]
        )
    framework = programme.framework
    all_scales = (
        {**scales, **framework.scale_by_id()}
        if scales is not None
        else scales_for(framework.scales)
    )

    problems: list[Problem] = []
    weights: FrameworkWeights | None = None
    screening: Screening | None = None
    try:
        weights = framework_weights(framework)
    except InvalidInput as error:
        problems.extend(error.problems)
    try:
        screening = screen(programme, all_scales)
    except InvalidInput as error:
        problems.extend(error.problems)
    if screening is not None:
        try:
            scoring = build_matrix(programme, all_scales, screening.short_list)
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems or weights is None or screening is None:
        raise InvalidInput(list(dict.fromkeys(problems)))

    matrix = scoring.matrix
    w = np.asarray(weights.leaf_weights)
    values = matrix.values
    totals = weighted_totals(values, w)
    ranks = competition_ranks(totals)
    order = ranking(totals)
    parts = contributions(values, w)
    options = matrix.options
    criteria = matrix.criteria
    panels = _panel_results(scoring, w)

    sensitivity = weight_sensitivity(
        values,
        w,
        options,
        weights.members,
        leaves=criteria,
        inner=inner_shares(weights),
    )
    sampler = sampler_for(framework, settings, weights)
    smaa = smaa2(
        matrix,
        sampler,
        n_samples,
        used_seed,
        progress=progress,
        workers=workers,
        confidence_samples=confidence_samples,
        chunk_map=chunk_map,
    )
    check = cross_check(values, w, options, criteria)

    names = {c.id: c.name for c in framework.walk()}
    warnings = [*weights.warnings, *screening.warnings]
    if not check.agree:
        warnings.append(
            "the methods in the cross-check disagree on the top option: see the cross-check table"
        )
    provenance = {
        "package": "caseforchange",
        "version": __version__,
        "seed": used_seed,
        "samples": n_samples,
        "files": dict(file_hashes or {}),
        "programme": programme.id,
        "illustrative": programme.provenance.illustrative,
        "illustrative_note": programme.provenance.note,
    }
    return AppraisalResult(
        programme=programme.id,
        options=options,
        long_list=[o.id for o in programme.options],
        criteria=criteria,
        criterion_names=names,
        weights=dict(zip(criteria, map(float, w), strict=True)),
        weighting=weights,
        screening=screening,
        values={
            o: dict(zip(criteria, map(float, row), strict=True))
            for o, row in zip(options, values, strict=True)
        },
        totals=dict(zip(options, map(float, totals), strict=True)),
        ranks=dict(zip(options, map(int, ranks), strict=True)),
        ranking=[options[i] for i in order],
        ties=[[options[i] for i in group] for group in tie_groups(totals)],
        contributions={
            o: dict(zip(criteria, map(float, row), strict=True))
            for o, row in zip(options, parts, strict=True)
        },
        panels=panels,
        disagreement=scoring.disagreement,
        sensitivity=sensitivity,
        weight_information=settings.weight_information.value,
        smaa=smaa,
        crosscheck=check,
        warnings=warnings,
        provenance=provenance,
    )
