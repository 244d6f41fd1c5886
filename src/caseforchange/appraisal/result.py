"""The appraisal's result objects and their documented JSON form (see docs/appraisal.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from caseforchange.appraisal.crosscheck import CrossCheck
from caseforchange.appraisal.hurdles import Screening
from caseforchange.appraisal.panels import Disagreement
from caseforchange.appraisal.sensitivity import Sensitivity
from caseforchange.appraisal.smaa import SmaaResult
from caseforchange.appraisal.weights import FrameworkWeights

#: Identifies the layout of the JSON, so readers can check what they are given.
JSON_FORMAT = "caseforchange.appraisal/1"


@dataclass
class PanelResult:
    """One panel's own totals and ranking, from its scores alone.

    ``totals[o]`` is None when the panel did not score option o on every criterion;
    ``missing`` lists those (option, criterion) pairs. ``ranking`` covers options with totals.
    ``values[o][c]`` is the panel's own 0..1 value (None where it gave no score).
    """

    panel: str
    weight: float
    totals: dict[str, float | None]
    ranking: list[str]
    missing: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, dict[str, float | None]] = field(default_factory=dict)


@dataclass
class AppraisalResult:
    """Everything the appraisal found, in input order unless said otherwise.

    ``options`` is the short list (after hurdles) in input order and ``long_list`` every option;
    ``criteria`` the scored leaf criteria; ``weights`` their global weights. ``values``,
    ``contributions`` and ``totals`` use the point scores; ``ranks`` are competition ranks
    (ties share the better rank, listed in ``ties``) and ``ranking`` is best first.
    """

    programme: str
    options: list[str]
    long_list: list[str]
    criteria: list[str]
    criterion_names: dict[str, str]
    weights: dict[str, float]
    weighting: FrameworkWeights
    screening: Screening
    values: dict[str, dict[str, float]]
    totals: dict[str, float]
    ranks: dict[str, int]
    ranking: list[str]
    ties: list[list[str]]
    contributions: dict[str, dict[str, float]]
    panels: list[PanelResult]
    disagreement: Disagreement
    sensitivity: Sensitivity
    weight_information: str
    smaa: SmaaResult
    crosscheck: CrossCheck
    warnings: list[str]
    provenance: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """Return the result as plain JSON data (NaN becomes null), as documented."""
        cleaned: dict[str, Any] = _clean(_result_json(self))
        return cleaned


def _clean(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _clean(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_clean(v) for v in data]
    if isinstance(data, np.generic):
        return _clean(data.item())
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data


def _rows(names: list[str], array: npt.NDArray[np.float64]) -> dict[str, list[float]]:
    return {name: [float(x) for x in row] for name, row in zip(names, array, strict=True)}


def _table(
    rows: list[str], columns: list[str], array: npt.NDArray[np.float64]
) -> dict[str, dict[str, float] | None]:
    out: dict[str, dict[str, float] | None] = {}
    for name, row in zip(rows, array, strict=True):
        out[name] = (
            None if np.isnan(row).all() else dict(zip(columns, map(float, row), strict=True))
        )
    return out


def smaa_json(smaa: SmaaResult, weight_information: str) -> dict[str, Any]:
    """Return the SMAA part of the JSON."""
    o, c = smaa.options, smaa.criteria
    return {
        "samples": smaa.samples,
        "seed": smaa.seed,
        "weight_information": weight_information,
        "sampler": smaa.sampler,
        "scores_uncertain": smaa.scores_uncertain,
        "rank_acceptability": _rows(o, smaa.rank_acceptability),
        "rank_acceptability_se": _rows(o, smaa.rank_acceptability_se),
        "central_weights": _table(o, c, smaa.central_weights),
        "central_weights_se": _table(o, c, smaa.central_weights_se),
        "confidence": dict(zip(o, map(float, smaa.confidence), strict=True)),
        "confidence_se": dict(zip(o, map(float, smaa.confidence_se), strict=True)),
        "confidence_samples": smaa.confidence_samples,
        "holistic_acceptability": dict(zip(o, map(float, smaa.holistic), strict=True)),
        "holistic_acceptability_se": dict(zip(o, map(float, smaa.holistic_se), strict=True)),
        "meta_weights": [float(a) for a in smaa.meta_weights],
        "chunk_size": smaa.chunk_size,
    }


def _result_json(r: AppraisalResult) -> dict[str, Any]:
    w = r.weighting
    return {
        "format": JSON_FORMAT,
        "programme": r.programme,
        "options": r.options,
        "long_list": r.long_list,
        "screening": [
            {
                "option": d.option,
                "kept": d.kept,
                "reason": d.reason,
                "failed_hurdles": list(d.failed),
            }
            for d in r.screening.decisions
        ],
        "criteria": r.criteria,
        "criterion_names": r.criterion_names,
        "weights": r.weights,
        "weighting": {
            "method": w.method.value,
            "local": w.local,
            "global": w.global_,
            "ahp": {
                group: {
                    "weights": list(a.weights),
                    "lambda_max": a.lambda_max,
                    "consistency_index": a.consistency_index,
                    "random_index": a.random_index,
                    "consistency_ratio": a.consistency_ratio,
                }
                for group, a in w.ahp.items()
            },
        },
        "values": r.values,
        "totals": r.totals,
        "ranks": r.ranks,
        "ranking": r.ranking,
        "ties": r.ties,
        "contributions": r.contributions,
        "panels": {
            p.panel: {
                "weight": p.weight,
                "totals": p.totals,
                "ranking": p.ranking,
                "missing": [list(m) for m in p.missing],
            }
            for p in r.panels
        },
        "disagreement": {
            "by_criterion": r.disagreement.by_criterion,
            "by_option": r.disagreement.by_option,
            "most_divisive": [
                {
                    "option": c.option,
                    "criterion": c.criterion,
                    "spread": c.spread,
                    "iqr": c.iqr,
                    "panel_values": c.panel_values,
                    "member_spread": c.member_spread,
                    "member_iqr": c.member_iqr,
                }
                for c in r.disagreement.most_divisive
            ],
        },
        "sensitivity": {
            "swing": r.sensitivity.swing,
            "criteria": {
                s.criterion: {
                    "weight": s.weight,
                    "is_leaf": s.is_leaf,
                    "top": s.top,
                    "top_interval": list(s.top_interval),
                    "below": s.below,
                    "above": s.above,
                    "rank_changes": [
                        {"weight": c.weight, "overtaker": c.overtaker, "overtaken": c.overtaken}
                        for c in s.rank_changes
                    ],
                    "stable": {o: list(v) for o, v in s.stable.items()},
                }
                for s in r.sensitivity.criteria
            },
            "tornado": [
                {
                    "criterion": b.criterion,
                    "weight": b.weight,
                    "weight_low": b.weight_low,
                    "weight_high": b.weight_high,
                    "margin_low": b.margin_low,
                    "margin_high": b.margin_high,
                    "total_low": b.total_low,
                    "total_high": b.total_high,
                }
                for b in r.sensitivity.tornado
            ],
        },
        "smaa": smaa_json(r.smaa, r.weight_information),
        "crosscheck": {
            "methods": list(r.crosscheck.ranks),
            "ranks": r.crosscheck.ranks,
            "scores": r.crosscheck.scores,
            "dropped_criteria": r.crosscheck.dropped_criteria,
            "agree": r.crosscheck.agree,
            "note": r.crosscheck.note,
        },
        "warnings": r.warnings,
        "provenance": r.provenance,
    }
