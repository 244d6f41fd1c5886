"""``load_examples`` and ``create_dev_users``: a local app ready to use."""
