"""Render update letters to HTML and DOCX from one editable Jinja2 text template.

The template (``letter.txt.j2``) writes plain text: ``# `` starts a heading, ``- `` a bullet,
and blank lines separate paragraphs. Both outputs are built from the same text, so a user edits
one file. A programme folder may hold its own ``templates/letter.txt.j2``, used instead of the
shipped one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateError
from markupsafe import escape

from caseforchange.domain.problems import InvalidInput, Problem
from caseforchange.engagement.letters import LetterContext

TEMPLATE_NAME = "letter.txt.j2"


@dataclass(frozen=True)
class Block:
    """One piece of a letter: a heading, a paragraph or a bullet."""

    kind: str
    text: str


def _environment(programme_root: Path | None) -> Environment:
    custom = programme_root / "templates" if programme_root is not None else None
    if custom is not None and (custom / TEMPLATE_NAME).exists():
        loader: FileSystemLoader | PackageLoader = FileSystemLoader(str(custom))
    else:
        loader = PackageLoader("caseforchange.reports", "templates")
    # Plain text: the HTML renderer escapes each block itself.
    return Environment(
        loader=loader,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )


def letter_blocks(context: LetterContext, programme_root: Path | None = None) -> list[Block]:
    """Render the letter template for one context and split it into blocks.

    Raises:
        InvalidInput: when the (user's) template has an error, located by template line.
    """
    env = _environment(programme_root)
    try:
        text = env.get_template(TEMPLATE_NAME).render(**context.as_dict())
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        where = f"{getattr(error, 'filename', None) or TEMPLATE_NAME}:{line or 1}"
        raise InvalidInput([Problem(("template",), f"letter template: {error}", where)]) from None
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append(Block("heading", line[2:].strip()))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        else:
            paragraph.append(line)
    flush()
    return blocks


def letter_html(blocks: list[Block], title: str) -> str:
    """Return a letter as a self-contained HTML page."""
    body: list[str] = []
    in_list = False
    for block in blocks:
        if block.kind == "bullet" and not in_list:
            body.append("<ul>")
            in_list = True
        if block.kind != "bullet" and in_list:
            body.append("</ul>")
            in_list = False
        text = escape(block.text)
        if block.kind == "heading":
            level = "h1" if not any("<h1>" in b for b in body) else "h2"
            body.append(f"<{level}>{text}</{level}>")
        elif block.kind == "bullet":
            body.append(f"<li>{text}</li>")
        else:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:Arial,sans-serif;max-width:40em;margin:1rem auto;"
        "padding:0 1rem;line-height:1.5;color:#212b32}h1{font-size:1.5rem}"
        "h2{font-size:1.2rem}</style></head><body><main>\n"
        + "\n".join(body)
        + "\n</main></body></html>\n"
    )


def write_letter_docx(blocks: list[Block], path: Path) -> None:
    """Write a letter as a Word document with real headings and bullets."""
    from docx import Document

    document = Document()
    first_heading = True
    for block in blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=1 if first_heading else 2)
            first_heading = False
        elif block.kind == "bullet":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    document.save(str(path))


def write_letters(
    contexts: list[LetterContext],
    out_dir: Path,
    *,
    programme_root: Path | None = None,
    formats: tuple[str, ...] = ("html", "docx"),
) -> list[Path]:
    """Render one letter per context into ``out_dir`` in each format.

    Returns:
        The files written, named ``<milestone>--<group>.<format>``.

    Raises:
        InvalidInput: when the template has an error (nothing is written then).
    """
    rendered = [(c, letter_blocks(c, programme_root)) for c in contexts]
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for context, blocks in rendered:
        stem = f"{context.milestone.id}--{context.group.id}"
        title = f"{context.milestone.name}: letter to {context.group.name}"
        if "html" in formats:
            path = out_dir / f"{stem}.html"
            path.write_text(letter_html(blocks, title), encoding="utf-8")
            written.append(path)
        if "docx" in formats:
            path = out_dir / f"{stem}.docx"
            write_letter_docx(blocks, path)
            written.append(path)
    return written
