"""The web app's routes: each app's own ``urls.py``, put together under one prefix each.

The ``programmes`` namespace gathers three packages' routes: the services' (import, export,
lifecycle; first, so ``import/`` and ``archived/`` win over ``<slug>/``), the programmes app's
and the decision file's.
"""

from __future__ import annotations

from django.urls import include, path

from caseforchange.web.accounts import urls as accounts
from caseforchange.web.consultation import urls as consultation
from caseforchange.web.decision_file import urls as decision_file
from caseforchange.web.flow import urls as flow
from caseforchange.web.jobs import urls as jobs
from caseforchange.web.people import urls as people
from caseforchange.web.programmes import urls as programmes
from caseforchange.web.services import urls as services
from caseforchange.web.workshops import urls as workshops

programme_routes = [*services.routes, *programmes.routes, *decision_file.routes]

urlpatterns = [
    *programmes.root_routes,
    path("accounts/", include(accounts)),
    path("people/", include(people)),
    path("programmes/", include((programme_routes, "programmes"))),
    path("", include(workshops)),
    path("", include((programmes.audit_routes, "audit"))),
    path("", include(consultation)),
    path("", include(flow)),
    path("jobs/", include(jobs)),
]
