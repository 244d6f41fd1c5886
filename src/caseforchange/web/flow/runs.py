"""Running a stored flow model: the job body that computes a run and records its progress.

:func:`execute` is what a worker runs for a :class:`FlowRun`: it reads the copy of the model
stored with the run, runs the chosen scenarios and stores ``RunResult.as_dict()``. Progress
is written to the run row at most every half second, so the page can show it.
"""

from __future__ import annotations

import time
from typing import Any

from caseforchange.domain.problems import InvalidInput
from caseforchange.flow.runner import run_model
from caseforchange.web.flow import repository
from caseforchange.web.flow.models import FlowRun

#: Most replications a run from the web may ask for (each scenario runs this many times).
MAX_WEB_REPLICATIONS = 30

#: Seconds between progress writes.
PROGRESS_EVERY = 0.5


def compute(run: FlowRun) -> dict[str, Any]:
    """Run the scenarios a run asks for and return the JSON record of the result.

    Raises:
        InvalidInput: the model or the run's size is refused (located problems).
    """
    model = repository.run_model_of(run)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        # Pilot runs (for an automatic warm-up) come first, then the replications proper.
        now = time.monotonic()
        if done == total or now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            repository.mark_progress(run.pk, done, total)

    result = run_model(
        model,
        scenarios=list(run.scenarios) or None,
        replications=run.replications,
        seed=run.seed,
        progress=progress,
    )
    return result.as_dict()


def execute(run_id: int) -> dict[str, Any] | None:
    """Compute run ``run_id`` and record its result or its error; return the result.

    A refused model or run size is recorded as the run's error (one located problem a line),
    not raised: the person who asked sees it on the run's page.
    """
    run = FlowRun.objects.get(pk=run_id)
    repository.mark_progress(run.pk, 0, 0)
    try:
        result = compute(run)
    except InvalidInput as error:
        repository.finish(run.pk, None, repository.problems_text(error))
        return None
    repository.finish(run.pk, result)
    return result
