"""The one percentile every benchmark and evaluation reports (p50, p95).

Linear interpolation between the two nearest ranks (NumPy's default, "type 7" of Hyndman
and Fan): p95 of 20 values lies between the 19th and the 20th smallest. An empty sample
has no percentile (NaN).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values`` by linear interpolation; NaN when empty."""
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")
