"""Management commands that span several web apps."""
