"""Taylor-linearisation variance, calibration-aware by construction.

Why: R survey's `svyrecvar` first residualises the linearised scores on every recorded
calibration step (post-stratum means, raking margins, GREG regression), then sums
PSU totals within strata: n_h/(n_h-1) Σ (z_hi - z̄_h)². We follow it operation for
operation so values agree with R to rounding, but work on joint cells: one pass over
the rows per step whatever the number of variables' iterations.
"""

from __future__ import annotations

import numpy as np

from weighting._fit import gram, model_matrix
from weighting._stages import stage_covariance
from weighting.design import Design, Step
from weighting.errors import DesignError

__all__ = [
    "degrees_of_freedom",
    "describe_variance",
    "residualise",
    "rowsum",
    "taylor_covariance",
    "taylor_variance",
]


def rowsum(x: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Column-wise sums of `x` (n × k) per group code (like R's rowsum), via bincount."""
    out = np.empty((n_groups, x.shape[1]))
    for j in range(x.shape[1]):
        out[:, j] = np.bincount(groups, weights=x[:, j], minlength=n_groups)
    return out


def _poststratify(step: Step, x: np.ndarray) -> np.ndarray:
    # psmeans = rowsum(x*oldw/psw)/rowsum(oldw) = rowsum(x)/rowsum(psw); x - psmeans[cell]*psw
    psw = step.old_weights * step.factors[0][step.cells]
    cell_psw = np.bincount(step.cells, weights=psw, minlength=step.n_cells)
    means = rowsum(x, step.cells, step.n_cells) / cell_psw[:, None]
    residuals: np.ndarray = x - means[step.cells] * psw[:, None]
    return residuals


def _rake(step: Step, x: np.ndarray) -> np.ndarray:
    # R: 10 times, for each margin: x <- x - psw * ave(x/psw, margin), psw the weights after that
    # margin in the last sweep (= old weight * cumulative cell factor). Writing x = x0 - old*D[cell]
    # makes every update a cell-level operation.
    b, cells, n_cells = step.old_weights, step.cells, step.n_cells
    s = rowsum(x / b[:, None], cells, n_cells)
    n_c = np.bincount(cells, minlength=n_cells).astype(np.float64)
    d = np.zeros_like(s)
    for _ in range(10):
        for f, cats in zip(step.factors, step.cell_categories, strict=True):
            k = int(cats.max()) + 1
            v = (s - n_c[:, None] * d) / f[:, None]
            n_k = np.bincount(cats, weights=n_c, minlength=k)
            mean_k = rowsum(v, cats, k) / n_k[:, None]
            d += f[:, None] * mean_k[cats]
    residuals: np.ndarray = x - b[:, None] * d[cells]
    return residuals


def _greg(step: Step, x: np.ndarray) -> np.ndarray:
    # R: qr.resid(qr(X*sqrt(ww)), x/(g*sqrt(ww))) * g*sqrt(ww)  ==  x - g*ww * (X beta)[cell]
    sizes = tuple(int(c.size) for c in step.totals)
    xc = model_matrix(step.cell_categories, sizes)
    g = step.factors[0]
    cell_w = np.bincount(step.cells, weights=step.old_weights, minlength=step.n_cells)
    ata = gram(xc, cell_w.astype(np.float64))
    atu = xc.T @ (rowsum(x, step.cells, step.n_cells) / g[:, None])
    beta = np.linalg.pinv(ata, rcond=1e-10, hermitian=True) @ atu
    h = xc @ beta
    new_w = step.old_weights * g[step.cells]
    residuals: np.ndarray = x - new_w[:, None] * h[step.cells]
    return residuals


def describe_variance(design: Design, *, calibrated: bool = True) -> str:
    """What a Taylor SE of `design` accounts for, in words for a header (say only what was done).

    Examples:
        >>> import pandas as pd
        >>> describe_variance(Design.from_frame(pd.DataFrame({"y": [1.0, 2.0]})))
        'taylor'
    """
    text = "taylor, calibration-aware" if calibrated and design.steps else "taylor"
    if design.fpc is not None:
        text += (
            ", multistage without replacement (fpc)"
            if design.ssu is not None
            else ", without replacement (fpc)"
        )
    if design.lonely_psu != "fail":
        text += f", lonely PSUs: {design.lonely_psu}"
    return text


def residualise(design: Design, scores: np.ndarray) -> np.ndarray:
    """Residualise weighted scores on every calibration step of the design, in order (as svyrecvar).

    Examples:
        >>> import numpy as np, pandas as pd
        >>> from weighting import Design, Targets, poststratify
        >>> d = poststratify(Design.from_frame(pd.DataFrame({"s": ["a", "a", "b"]})),
        ...                  Targets.from_dict({"s": {"a": 0.5, "b": 0.5}}))
        >>> residualise(d, np.ones((3, 1))).round(12).ravel().tolist()  # constant within cells: no variance
        [0.0, 0.0, 0.0]
    """
    x = np.asarray(scores, dtype=np.float64)
    for step in design.steps:
        if step.method == "poststratify":
            x = _poststratify(step, x)
        elif step.method == "rake":
            x = _rake(step, x)
        elif step.method in ("linear", "raking", "logit"):
            x = _greg(step, x)
    return x


def taylor_variance(design: Design, scores: np.ndarray, *, calibrated: bool = True) -> np.ndarray:
    """Variance of each column total of `scores` (n × k) under the with-replacement design.

    Args:
        design: Gives strata, PSUs and calibration steps.
        scores: Weighted linearised scores, zero outside a domain.
        calibrated: Residualise on the calibration steps first (the calibration-aware SE).

    Returns:
        Variances (k,).

    Examples:
        >>> import numpy as np, pandas as pd
        >>> from weighting import Design
        >>> d = Design.from_frame(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
        >>> z = ((d.data["y"] - 2.0) / 3.0).to_numpy()[:, None]  # scores of the mean
        >>> float(taylor_variance(d, z)[0])  # = s^2 / n
        0.3333333333333333
    """
    x = residualise(design, scores) if calibrated else np.asarray(scores, dtype=np.float64)
    if _multistage(design):
        return np.asarray(np.diag(_stage_covariance(design, x)))
    centred, scale = _centred_totals(design, x)
    if isinstance(scale, float):
        return np.asarray(scale * np.einsum("ij,ij->j", centred, centred))
    return np.asarray(np.einsum("ij,ij,i->j", centred, centred, scale))


def taylor_covariance(design: Design, scores: np.ndarray, *, calibrated: bool = True) -> np.ndarray:
    """Covariance matrix (k × k) of the column totals of `scores`, like `taylor_variance`'s diagonal.

    Why: tests on several estimates at once (Rao–Scott) need the covariances, computed the
    same calibration-aware way as the variances R's `svymean` reports for a vector.

    Examples:
        >>> import numpy as np, pandas as pd
        >>> from weighting import Design
        >>> d = Design.from_frame(pd.DataFrame({"y": [1.0, 2.0, 3.0]}))
        >>> z = np.column_stack([[-1.0, 0.0, 1.0], [1.0, 0.0, -1.0]]) / 3
        >>> taylor_covariance(d, z).round(6).tolist()
        [[0.333333, -0.333333], [-0.333333, 0.333333]]
    """
    x = residualise(design, scores) if calibrated else np.asarray(scores, dtype=np.float64)
    if _multistage(design):
        return _stage_covariance(design, x)
    centred, scale = _centred_totals(design, x)
    weighted = centred * (scale if isinstance(scale, float) else scale[:, None])
    return np.asarray(weighted.T @ centred)


def _multistage(design: Design) -> bool:
    """Whether the design needs R's multistage formula (fpc, or a lonely-PSU policy other than fail)."""
    return design.fpc is not None or design.lonely_psu != "fail"


def _stage_covariance(design: Design, x: np.ndarray) -> np.ndarray:
    """R's `multistage`: first stage, plus (with fpc and an SSU) each PSU's second stage times n/N."""
    n = design.n
    strata = design.strata if design.strata is not None else np.zeros(n, dtype=np.int64)
    psu = design.psu if design.psu is not None else np.arange(n)
    pop = design.fpc
    cov = stage_covariance(
        x, strata, psu, None if pop is None else pop[0],
        lonely=design.lonely_psu, stage=1, labels=design.strata_labels,
    )  # fmt: skip
    if pop is not None and design.ssu is not None and len(pop) > 1:
        n_psu = int(psu.max()) + 1
        sampled = np.bincount(strata[np.unique(psu, return_index=True)[1]], minlength=int(strata.max()) + 1)
        fraction = np.zeros(n_psu)
        fraction[psu] = sampled[strata] / pop[0]
        cov = cov + stage_covariance(
            x, psu, design.ssu, pop[1], lonely=design.lonely_psu, stage=2,
            labels=tuple(f"PSU {k + 1}" for k in range(n_psu)), multiplier=fraction,
        )  # fmt: skip
    return cov


def _centred_totals(design: Design, x: np.ndarray) -> tuple[np.ndarray, np.ndarray | float]:
    """PSU totals centred within strata, and their n_h/(n_h-1) factor (one number without strata/PSUs)."""
    if design.psu is None and design.strata is None:
        n = x.shape[0]
        if n < 2:
            raise DesignError("variance needs at least 2 respondents")
        return x - x.mean(axis=0), n / (n - 1)
    if design.psu is not None:
        n_psu = int(design.psu.max()) + 1
        totals = rowsum(x, design.psu, n_psu)
        strata_of = np.zeros(n_psu, dtype=np.int64)
        if design.strata is not None:
            strata_of[design.psu] = design.strata
    else:
        totals, strata_of = x, np.asarray(design.strata)
    n_strata = int(strata_of.max()) + 1
    n_h = np.bincount(strata_of, minlength=n_strata).astype(np.float64)
    if (n_h == 1).any():
        lonely = int(np.flatnonzero(n_h == 1)[0])
        label = design.strata_labels[lonely] if lonely < len(design.strata_labels) else str(lonely + 1)
        raise DesignError(
            f"stratum {label} has only one PSU at stage 1: its variance cannot be estimated; choose a "
            "lonely-PSU policy (remove, adjust, average, certainty) or merge strata",
            code="lonely_psu", stratum=label, stage=1,
        )  # fmt: skip
    means = rowsum(totals, strata_of, n_strata) / n_h[:, None]
    return totals - means[strata_of], (n_h / (n_h - 1))[strata_of]


def degrees_of_freedom(design: Design, domain: np.ndarray | None = None) -> int:
    """Design df as R's `degf`: PSUs minus strata among rows in the domain (rows with weight)."""
    mask = np.ones(design.n, dtype=bool) if domain is None else domain
    if design.psu is None and design.strata is None:
        # Every row is its own PSU in one stratum: counting beats sorting 1M rows per estimate.
        return max(int(np.count_nonzero(mask)) - 1, 1)
    psu = design.psu[mask] if design.psu is not None else np.flatnonzero(mask)
    n_psu = np.unique(psu).size
    n_strata = np.unique(design.strata[mask]).size if design.strata is not None else 1
    return max(int(n_psu - n_strata), 1)
