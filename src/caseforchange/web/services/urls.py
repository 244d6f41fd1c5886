"""Routes of the cross-app pages: import and export a whole programme, its lifecycle.

They belong to the ``programmes`` namespace; the project's ``urls.py`` lists them first.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from caseforchange.web.services import lifecycle, transfer

routes: list[URLPattern] = [
    path("import/", transfer.programme_import, name="import"),
    path("archived/", lifecycle.archived_list, name="archived"),
    path("<slug:slug>/versions/", lifecycle.programme_versions, name="versions"),
    path("<slug:slug>/duplicate/", lifecycle.programme_duplicate, name="duplicate"),
    path("<slug:slug>/archive/", lifecycle.programme_archive, name="archive"),
    path("<slug:slug>/delete/", lifecycle.programme_delete, name="delete"),
    path("<slug:slug>/export/<str:kind>/", transfer.export, name="export"),
]
