from perfxl.rules import run as _run  # noqa: E402,F401  (batch-run codes F9xx)
from perfxl.rules import file, values  # noqa: F401  (reader: F and V codes)
from perfxl.rules import profile, budget, three_public, goals, indicators, totals, batch  # noqa: F401  (checks: P B S G I T X)
from perfxl.rules import project  # noqa: F401  (the 项目支出 kind: J codes)
