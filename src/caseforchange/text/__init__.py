"""Free-text consultation analysis: redaction, candidate themes, a classifier learning from
people's codings, stance, campaigns and the considered-responses ledger. Pure: no file I/O.
"""
