"""Background work: results built once per programme revision, in a task queue, and reused."""
