"""perfxl: check, score and annotate 部门整体支出绩效自评表 workbooks.

Library first: every CLI command is one call here.  Heavy modules (pandas, openpyxl,
xlsxwriter) are imported only by the functions that need them, so ``perfxl check`` on one
file starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
