"""Free-text consultation analysis; pure, no file I/O.

Redaction, candidate themes, a classifier learning from people's codings, stance, campaigns and
the considered-responses ledger.
"""
