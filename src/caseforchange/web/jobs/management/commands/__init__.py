"""``load_examples``: load the example programmes."""
