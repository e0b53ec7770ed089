"""What ``python -m gdmath check`` says: the diagnosis of a config as JSON data and as words.

`check_report` is the JSON object (schema in the README, "What check reports"); `check_lines`
says the same in words, with the advice.
"""

from __future__ import annotations

import math
from typing import Any

from gdmath.config import MAX_STEPS, Config
from gdmath.diagnosis import Diagnosis

__all__ = ["advice", "check_lines", "check_report", "describe_no_minimum"]


def _num(value: float | None) -> float | None:
    """A float for JSON: None for inf or NaN (JSON has neither)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "n/a"
    if math.isinf(value):
        return "∞"
    return f"{value:.{digits}g}"


def _share(ratio: float) -> str:
    return f"{ratio:.0%}" if ratio < 10 else f"{ratio:.3g} times"


def describe_no_minimum(diagnosis: Diagnosis) -> str:
    """One sentence saying why there is no minimum (empty when there is one)."""
    land = diagnosis.landscape
    if land.reason == "no-finite-minimum":
        dw, db = land.direction or (0.0, 0.0)
        where = (f"; a threshold at x = {_fmt(land.threshold)} separates the data"
                 if land.threshold is not None else "")
        grows = ("w grows" if dw > 0 else "w grows more negative" if dw < 0
                 else "b grows" if db > 0 else "b grows more negative")
        return (f"no finite minimum: the loss keeps falling towards {_fmt(land.infimum)} as "
                f"{grows}, along the direction (w, b) ∝ ({dw:.3g}, {db:.3g}){where}")
    if land.reason == "underdetermined":
        return ("underdetermined: fewer than two distinct x values, so only w·x + b is fixed; "
                f"a whole line of (w, b) reaches the lowest loss {_fmt(land.infimum)}")
    if land.reason == "flat-region":
        return (f"no strict minimum: the lowest loss {_fmt(land.infimum)} is taken on a flat "
                "region where the gradient vanishes")
    return ""


def _outcome_words(cfg: Config, diagnosis: Diagnosis) -> str:
    scenario = cfg.scenario
    trajectory = scenario.trajectory
    crit = diagnosis.critical_learning_rate
    share = f"{scenario.learning_rate / crit:.3g} times" if math.isfinite(crit) else "n/a"
    return {
        "converged": f"converged: within the target after {diagnosis.steps_to_converge} steps",
        "diverged": f"diverged at step {diagnosis.diverged_at} (η is {share} the critical η "
                    "along the path)",
        "descending": f"still descending after {trajectory.n_steps} steps",
        "plateau": "stuck on a plateau: the gradient vanishes there, far above the lowest loss",
        "oscillating": f"bouncing without settling (η is {share} the critical η along the path)",
    }[diagnosis.outcome]


def advice(diagnosis: Diagnosis) -> list[str]:
    """What to change, as sentences (the same facts as the JSON's suggestions)."""
    sug = diagnosis.suggestion
    out = []
    if diagnosis.outcome in ("diverged", "oscillating", "plateau"):
        out.append(f"lower the step size: learning_rate = {_fmt(sug.learning_rate)} (what "
                   '"auto" gives: half the critical η along its own path)')
    if diagnosis.landscape.reason == "no-finite-minimum":
        out.append("no number of steps converges: the weights grow for ever; show a few "
                   "steps, or use data whose classes overlap")
    if diagnosis.landscape.reason == "underdetermined":
        out.append("add data points with different x values")
    need = diagnosis.steps_to_converge
    if diagnosis.outcome == "descending" and need is not None:
        out.append(f"about {need} steps reach within 1 % of the minimum loss at this η "
                   f"(steps = {need}" + (")" if need <= MAX_STEPS else
                                         f", above the cap of {MAX_STEPS})"))
    if sug.standardize:
        out.append(f"standardise x ([data] standardize = true): the condition number falls "
                   f"from {_fmt(diagnosis.condition_number, 3)} to "
                   f"{_fmt(diagnosis.standardized_condition_number, 3)}")
    if sug.steps is not None and diagnosis.outcome != "converged":
        out.append(f"suggested: learning_rate = {_fmt(sug.learning_rate)}, steps = {sug.steps}"
                   + (f" (above the cap of {MAX_STEPS}: standardise x)"
                      if sug.steps > MAX_STEPS else ""))
    return out


def check_report(cfg: Config) -> dict[str, Any]:
    """The JSON object of ``check --json`` (see the README for the schema)."""
    scenario = cfg.scenario
    trajectory = scenario.trajectory
    diagnosis = scenario.diagnosis
    minimum = diagnosis.minimum
    std = scenario.standardization
    land = diagnosis.landscape
    crit = diagnosis.critical_learning_rate
    return {
        "source": cfg.source,
        "problem": {
            "n": scenario.problem.n, "activation": scenario.problem.activation,
            "loss": scenario.problem.loss_kind,
            "dataset": cfg.dataset.name if cfg.dataset else None,
            "standardized": std is not None,
            "x_mean": std.mean if std else None, "x_std": std.std if std else None,
        },
        "start": list(scenario.start),
        "learning_rate": scenario.learning_rate,
        "learning_rate_auto": "learning_rate" in cfg.auto,
        "steps": scenario.steps,
        "steps_auto": "steps" in cfg.auto,
        "minimum": None if minimum is None else {
            "w": minimum.w, "b": minimum.b, "loss": minimum.loss,
            "hessian_eigenvalues": [float(value) for value in minimum.eigenvalues],
        },
        "no_minimum_reason": land.reason,
        "infimum": {"loss": land.infimum,
                    "direction": list(land.direction) if land.direction else None,
                    "threshold_x": land.threshold},
        "diagnosis": list(diagnosis.codes),
        "descent": {
            "outcome": diagnosis.outcome, "steps_taken": trajectory.n_steps,
            "diverged_at": diagnosis.diverged_at,
            "final": {"w": float(trajectory.w[-1]), "b": float(trajectory.b[-1]),
                      "loss": float(trajectory.loss[-1])},
            "message": trajectory.message,
        },
        "max_curvature": _num(diagnosis.max_curvature),
        "max_curvature_at": list(diagnosis.max_curvature_at),
        "critical_learning_rate": _num(crit),
        "critical_learning_rate_at_minimum": _num(diagnosis.critical_learning_rate_at_minimum),
        "learning_rate_over_critical": _num(scenario.learning_rate / crit) if crit > 0 else None,
        "steps_to_converge": diagnosis.steps_to_converge,
        "target_gap": diagnosis.target_gap,
        "condition_number": _num(diagnosis.condition_number),
        "standardized_condition_number": _num(diagnosis.standardized_condition_number),
        "suggested_learning_rate": diagnosis.suggestion.learning_rate,
        "suggested_steps": diagnosis.suggestion.steps,
        "suggest_standardize": diagnosis.suggestion.standardize,
        "view": {"w_range": list(scenario.w_range), "b_range": list(scenario.b_range)},
        "advice": advice(diagnosis),
    }


def check_lines(cfg: Config) -> list[str]:
    """``check``'s text: the same facts as `check_report`, in words."""
    scenario = cfg.scenario
    trajectory = scenario.trajectory
    diagnosis = scenario.diagnosis
    minimum = diagnosis.minimum
    std = scenario.standardization
    auto = {key: " (auto)" if key in cfg.auto else "" for key in ("learning_rate", "steps")}
    crit = diagnosis.critical_learning_rate
    lines = [
        f"source            {cfg.source}",
        f"problem           {scenario.problem.n} points, activation {scenario.problem.activation}, "
        f"loss {scenario.problem.loss_kind}"
        + (f", x standardised (mean {std.mean:.6g}, std {std.std:.6g})" if std else ""),
        f"start (w0, b0)    ({scenario.start[0]:.6g}, {scenario.start[1]:.6g}), "
        f"l = {trajectory.loss[0]:.6g}",
        f"learning rate     η = {scenario.learning_rate:.6g}{auto['learning_rate']}, "
        f"{scenario.steps} steps{auto['steps']}",
    ]
    if minimum is not None:
        lines += [
            f"minimum           (w, b) = ({minimum.w:.6g}, {minimum.b:.6g}), "
            f"l = {minimum.loss:.6g} (verified)",
            f"Hessian there     eigenvalues {minimum.eigenvalues[0]:.6g}, "
            f"{minimum.eigenvalues[1]:.6g} "
            f"(condition number {minimum.condition_number:.3g})",
        ]
    else:
        lines.append(f"minimum           none: {describe_no_minimum(diagnosis)}")
    lines += [
        f"critical η        2/λmax along the path = {_fmt(crit, 6)}"
        + ("" if math.isinf(crit) else f"  (η is {_share(scenario.learning_rate / crit)} of it)")
        + ("" if minimum is None else
           f"; at the minimum {_fmt(diagnosis.critical_learning_rate_at_minimum, 6)}"),
        f"descent           {_outcome_words(cfg, diagnosis)}; final l = {trajectory.loss[-1]:.6g} "
        f"at ({trajectory.w[-1]:.6g}, {trajectory.b[-1]:.6g}) [{trajectory.message}]",
        "to converge       " + ("n/a" if diagnosis.steps_to_converge is None else
                                 f"{diagnosis.steps_to_converge} steps from the start at this η "
                                 "(within 1 % of the minimum loss)"),
        f"conditioning      condition number {_fmt(diagnosis.condition_number, 3)}, "
        f"{_fmt(diagnosis.standardized_condition_number, 3)} with standardised x",
        f"diagnosis         {', '.join(diagnosis.codes)}",
    ]
    lines += [f"advice            {line}" for line in advice(diagnosis)]
    lines.append(f"view              w in [{scenario.w_range[0]:g}, {scenario.w_range[1]:g}], "
                 f"b in [{scenario.b_range[0]:g}, {scenario.b_range[1]:g}]")
    return lines
