"""Where a requested flow run goes to be computed.

Until the job queue is in place, a run is computed inside the request, which the web limit on
replications keeps short.
"""

from __future__ import annotations

from caseforchange.web.flow.models import FlowRun
from caseforchange.web.flow.runs import execute


def start(run: FlowRun) -> None:
    """Have ``run`` computed (here: at once, in this request)."""
    execute(run.pk)
