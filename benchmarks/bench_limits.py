"""Hostile inputs are refused fast and small: prints time and memory per case, PASS/FAIL.

Targets (issues 10 and 11): a workbook claiming a sheet too large is refused from its
dimensions in under 2 s and 200 MB; a YAML alias bomb (9 levels of 9 aliases, 387 million
values expanded) and 5,000-deep nesting are refused in under 2 s and 200 MB. Each case runs
in a forked child; memory is the growth of its peak resident set size over the child's start.

Run: ``PYTHONPATH=src python benchmarks/bench_limits.py``. Exit status 1 when a target is
missed.
"""

from __future__ import annotations

import io
import multiprocessing
import re
import resource
import sys
import time
import zipfile
from collections.abc import Callable

import openpyxl

from caseforchange.domain.problems import InvalidInput
from caseforchange.io.workbook_read import read_workbook_bytes
from caseforchange.io.yamlsource import load_yaml_text

SECONDS, MEGABYTES = 2.0, 200.0


def _far_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Organisations"
    sheet.append(["id", "name", "kind"])
    raw = io.BytesIO()
    book.save(raw)
    source = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                body = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body
                )
                body = body.replace(b"</sheetData>", far + b"</sheetData>")
            target.writestr(item, body)
    return out.getvalue()


def _alias_bomb() -> str:
    text = "l0: &a0 [x,x,x,x,x,x,x,x,x]\n"
    for n in range(1, 9):
        text += f"l{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]\n"
    return text


CASES: dict[str, Callable[[], object]] = {
    "workbook with a cell at XFD1048576": lambda: read_workbook_bytes(_far_workbook(), "w.xlsx"),
    "YAML alias bomb (9^9 values)": lambda: load_yaml_text(_alias_bomb(), "p.yaml"),
    "YAML nested 5,000 deep": lambda: load_yaml_text("a: " + "[" * 5000 + "]" * 5000, "p.yaml"),
}


def _child(name: str, send: object) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    try:
        CASES[name]()
        refused = ""
    except InvalidInput as error:
        refused = error.problems[0].render()
    seconds = time.process_time() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    send.send((seconds, grown, refused))  # type: ignore[attr-defined]


def main() -> int:
    """Run every case in a forked child and print its figures; return 1 if a target is missed."""
    context = multiprocessing.get_context("fork")
    failed = False
    for name in CASES:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(name, send))
        child.start()
        seconds, grown, refused = receive.recv()
        child.join()
        ok = bool(refused) and seconds <= SECONDS and grown <= MEGABYTES
        failed |= not ok
        print(
            f"{name}: refused in {seconds:.2f} s CPU, memory +{grown:.0f} MB "
            f"(targets {SECONDS:g} s, {MEGABYTES:g} MB): {'PASS' if ok else 'FAIL'}\n"
            f"    {refused[:160]}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
