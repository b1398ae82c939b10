"""balance's rake, run by bench/weighting.py in balance's own venv (balance pins numpy<2).

Why a separate script: balance cannot be installed into the project's venv (numpy 2), so the
benchmark runs this file with the python of a venv it creates for balance.
usage: balance_rake.py DATA.npz OUR_RAKE_WEIGHTS.npy OUT.npy [TOL]

The target is the sample itself weighted by our raked weights: its margins are the target
margins exactly (balance's `target_margins` would round them to a 10,000-row synthetic frame).
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd

NAMES = ("m1", "m2", "m3", "m4", "m5")


def main() -> int:
    """Time balance's rake and save its weights."""
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    from balance.weighting_methods.rake import rake  # noqa: PLC0415  (after silencing its import-time logs)

    data_path, ours_path, out_path = sys.argv[1:4]
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-6
    with np.load(data_path) as z:
        df = pd.DataFrame({m: pd.Categorical([f"c{c:02d}" for c in z[f"{m}_codes"]]) for m in NAMES})
    ours = np.load(ours_path)
    n = len(df)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    res = rake(
        df,
        pd.Series(np.ones(n)),
        df,
        pd.Series(ours),
        transformations=None,
        na_action="drop",
        max_iteration=1000,
        convergence_rate=tol,
        rate_tolerance=1e-12,
    )
    seconds = time.perf_counter() - t0
    np.save(out_path, np.asarray(res["weight"], dtype=float))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rss_before_mb": rss_before,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
