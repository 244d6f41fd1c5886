"""Problems found in a programme, located by the path of the field they concern."""

from __future__ import annotations

from dataclasses import dataclass

#: The path of a field inside a programme, e.g. ("services", 2, "budget_gbp").
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, at a field path; ``location`` is filled by the reader."""

    path: Path
    message: str
    location: str | None = None

    def field(self) -> str:
        """Return the path as a dotted field name, e.g. ``services[2].budget_gbp``."""
        text = ""
        for part in self.path:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += ("." if text else "") + str(part)
        return text or "(file)"

    def render(self) -> str:
        """Return ``LOCATION: field: message``, the one-line form users see."""
        where = self.location or "?"
        return f"{where}: {self.field()}: {self.message}"


class InvalidInput(Exception):
    """Raised when input cannot be accepted; carries every problem found, with locations."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.render() for p in problems))
        self.problems = problems
