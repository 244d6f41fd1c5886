"""A referral record as the flow metrics see it: already read and checked by ``io.referrals``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ReferralRecord:
    """One referral into one team, as read from the data.

    ``discharge_date`` is None while the episode is open (an open-ended sentinel such as
    9999-12-31 in the data is read as open). ``location`` is where the record was read from.
    """

    referral_id: str
    referral_date: dt.date
    team: str
    source: str | None
    triage_outcome: str | None
    first_contact_date: dt.date | None
    discharge_date: dt.date | None
    onward_referral: str | None
    patient_id: str | None
    location: str
