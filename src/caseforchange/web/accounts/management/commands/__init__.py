"""``create_dev_users``: the development log-ins."""
