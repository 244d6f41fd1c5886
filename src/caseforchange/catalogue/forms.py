"""The built-in catalogue of organisational forms a community provider can take.

Facts in ``forms.json`` are taken from the source documents (named in each form's ``sources``);
where a property depended on national policy that was still moving in 2007-2011, it is listed
under ``uncertain`` and the text says so.
"""

from __future__ import annotations

from functools import cache

from caseforchange.catalogue.loader import read_data
from caseforchange.domain.organisations import OrganisationalForm


@cache
def forms() -> dict[str, OrganisationalForm]:
    """Return every built-in organisational form keyed by id, in catalogue order."""
    return {
        f.id: f for f in (OrganisationalForm.model_validate(x) for x in read_data("forms.json"))
    }


def form(form_id: str) -> OrganisationalForm:
    """Return one organisational form.

    Raises:
        KeyError: when no built-in form has that id.
    """
    return forms()[form_id]
