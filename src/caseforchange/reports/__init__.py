"""The report model and its renderings (HTML, PDF, Word, Excel), charts and engagement papers."""
