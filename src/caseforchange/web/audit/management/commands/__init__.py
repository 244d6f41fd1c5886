"""``verify_audit``: check the audit log's hash chain."""
