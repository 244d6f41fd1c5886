"""Web app: the append-only, hash-chained audit log."""
