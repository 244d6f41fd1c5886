"""The four example programmes loaded into the database with their engagement and flow files."""

from __future__ import annotations

from django.db import transaction

from caseforchange.examples import EXAMPLE_IDS, example_path
from caseforchange.io.engagement_file import ENGAGEMENT_FILE, load_engagement
from caseforchange.io.flow_file import FLOW_FILE, load_flow_model
from caseforchange.io.folder import load_programme
from caseforchange.web.consultation.repository import store as store_engagement
from caseforchange.web.flow.repository import store as store_flow
from caseforchange.web.programmes import repository
from caseforchange.web.programmes.models import ProgrammeRecord


def load_examples() -> list[tuple[str, bool]]:
    """Load each shipped example programme that is not in the database yet.

    Returns:
        Each example's id with True when it was loaded now, False when it was there already.

    Raises:
        InvalidInput: when a shipped example no longer validates (a packaging error).
    """
    done: list[tuple[str, bool]] = []
    for example in EXAMPLE_IDS:
        if ProgrammeRecord.objects.filter(slug=example).exists():
            done.append((example, False))
            continue
        root = example_path(example)
        loaded = load_programme(root)
        with transaction.atomic():
            row = repository.create(
                loaded.programme, "system load_examples", loaded.file_hashes, "example loaded"
            )
            # engagement.yaml beside programme.yaml, checked as the command line checks it.
            if (root / ENGAGEMENT_FILE).exists():
                engagement = load_engagement(root).engagement
                text = (root / ENGAGEMENT_FILE).read_text(encoding="utf-8")
                store_engagement(row, engagement, text, ENGAGEMENT_FILE, "system load_examples")
            # flow.yaml likewise: the programme's patient-flow model.
            if (root / FLOW_FILE).exists():
                store_flow(row, load_flow_model(root), FLOW_FILE, "system load_examples")
        done.append((example, True))
    return done
