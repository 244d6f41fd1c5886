"""Render update letters to HTML and DOCX from one editable Jinja2 text template.

The template (``letter.txt.j2``) writes plain text: ``# `` starts a heading, ``- `` a bullet,
and blank lines separate paragraphs. The text becomes a report in the one report model, which
the shared renderers turn into HTML and Word, so a user edits one file. A programme folder
may hold its own ``templates/letter.txt.j2``, used instead of the shipped one.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.engagement.letters import LetterContext
from caseforchange.reports.blocks import Bullets, Paragraph, Report, Section
from caseforchange.reports.render import render_all
from caseforchange.reports.templating import environment

TEMPLATE_NAME = "letter.txt.j2"


def letter_text(context: LetterContext, programme_root: Path | None = None) -> str:
    """Render the letter template for one context to plain text.

    Raises:
        InvalidInput: when the (user's) template has an error, located by template line.
    """
    folder = programme_root / "templates" if programme_root is not None else None
    env = environment(html=False, folder=folder)
    try:
        return env.get_template(TEMPLATE_NAME).render(**context.as_dict())
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{getattr(error, 'filename', None) or TEMPLATE_NAME}:{line or 1}"
        raise InvalidInput([Problem(("template",), f"letter template: {error}", where)]) from None


def letter_report(context: LetterContext, programme_root: Path | None = None) -> Report:
    """Return one letter in the report model: a section per heading, paragraphs and bullets.

    Raises:
        InvalidInput: when the (user's) template has an error, located by template line.
    """
    text = letter_text(context, programme_root)
    sections: list[Section] = []
    title = ""
    current = Section("opening", "", [])
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            current.blocks.append(Paragraph(" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            current.blocks.append(Bullets(list(bullets)))
            bullets.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if paragraph:
                flush()
        elif line.startswith("# "):
            flush()
            if not title:
                title = line[2:].strip()
                continue
            if current.blocks or current.title:
                sections.append(current)
            current = Section(f"part-{len(sections) + 1}", line[2:].strip(), [])
        elif line.startswith("- "):
            if paragraph:
                flush()
            bullets.append(line[2:].strip())
        else:
            if bullets:
                flush()
            paragraph.append(line)
    flush()
    if current.blocks or current.title:
        sections.append(current)
    return Report(
        title=title or context.programme_title,
        subtitle="",
        programme_id="",
        illustrative_note=None,
        date="",
        sections=sections,
        provenance={},
        kind="letter",
    )


def write_letters(
    contexts: list[LetterContext],
    out_dir: Path,
    *,
    programme_root: Path | None = None,
    formats: tuple[str, ...] = ("html", "docx"),
) -> list[Path]:
    """Render one letter per context into ``out_dir`` in each format.

    Every letter is rendered to bytes before any file is written.

    Returns:
        The files written, named ``<milestone>--<group>.<format>``.

    Raises:
        InvalidInput: when the template has an error (nothing is written then).
    """
    rendered = [
        (f"{c.milestone.id}--{c.group.id}", render_all(letter_report(c, programme_root), formats))
        for c in contexts
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for stem, files in rendered:
        for fmt, body in files.items():
            path = out_dir / f"{stem}.{fmt}"
            path.write_bytes(body)
            written.append(path)
    return written
