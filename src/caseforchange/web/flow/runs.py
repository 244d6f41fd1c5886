"""Running a stored flow model: the job body that computes a run and records its progress.

:func:`execute` is what a worker runs for a :class:`FlowRun`: it reads the copy of the model
stored with the run, runs the chosen scenarios and stores ``RunResult.as_dict()``. Progress
is written to the run row at most every half second, so the page can show it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from caseforchange.domain.problems import InvalidInput
from caseforchange.flow.runner import run_model
from caseforchange.web.flow import repository
from caseforchange.web.flow.models import FlowRun

#: Most replications a run from the web may ask for (each scenario runs this many times).
MAX_WEB_REPLICATIONS = 30

#: Seconds between progress writes.
PROGRESS_EVERY = 0.5


#: Reports progress to whoever runs the job: a percentage and a message for people.
Report = Callable[[int, str], None]


def compute(run: FlowRun, report: Report | None = None) -> dict[str, Any]:
    """Run the scenarios a run asks for and return the JSON record of the result.

    Raises:
        InvalidInput: the model or the run's size is refused (located problems).
    """
    model = repository.run_model_of(run)
    last = [0.0]
    # With an automatic warm-up, pilot runs come first (about a third of the work).
    stages = ["Choosing the warm-up (pilot runs)", "Running the replications"]
    if model.run.warmup_days != "auto":
        stages = stages[1:]
    stage = [0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            repository.mark_progress(run.pk, done, total)
            if report is not None:
                share = (stage[0] + done / max(total, 1)) / len(stages)
                report(int(99 * share), f"{stages[stage[0]]}: {done} of {total}")
        if done == total and stage[0] + 1 < len(stages):
            stage[0] += 1

    result = run_model(
        model,
        scenarios=list(run.scenarios) or None,
        replications=run.replications,
        seed=run.seed,
        progress=progress,
    )
    return result.as_dict()


def execute(run_id: int, report: Report | None = None) -> dict[str, Any] | None:
    """Compute run ``run_id`` and record its result or its error; return the result.

    A refused model or run size is recorded as the run's error (one located problem a line),
    not raised: the person who asked sees it on the run's page.
    """
    run = FlowRun.objects.get(pk=run_id)
    repository.mark_progress(run.pk, 0, 0)
    try:
        result = compute(run, report)
    except InvalidInput as error:
        repository.finish(run.pk, None, repository.problems_text(error))
        return None
    repository.finish(run.pk, result)
    return result
