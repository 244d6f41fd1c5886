"""The programme as an Excel workbook: one sheet per table, drop-downs, and a README sheet.

The layout lives in :mod:`caseforchange.io.workbook_layout`; writing and reading are in
:mod:`caseforchange.io.workbook_write` and :mod:`caseforchange.io.workbook_read`.
"""

from __future__ import annotations

from caseforchange.io.workbook_read import read_workbook
from caseforchange.io.workbook_write import build_workbook, write_workbook

__all__ = ["build_workbook", "read_workbook", "write_workbook"]
