"""``survey scheme``: a consultation's named weighting schemes, as the workbench saves them.

A scheme fixes a targets version, the method, the margins, bounds and trimming; snapshots, reports
(``survey report --scheme``) and the analyst API (``?scheme=``) refer to it by name. Adding one runs
it on the consultation's responses first, so a scheme that cannot weight is refused when it is named,
not when a report first needs it. The command line acts as the server operator (actor ``cli``).
"""

# ruff: noqa: PLC0415
# (the store and the weighting library load with the command that uses them, so `survey --help` stays fast)

from __future__ import annotations

import typer

from survey.cli._common import DatabaseOption, fail, out, sessions

app = typer.Typer(help="Named weighting schemes of a consultation (add, list, remove).", no_args_is_help=True)


def _pair(text: str | None, option: str) -> tuple[float, float] | None:
    if text is None:
        return None
    try:
        lo, hi = (float(part) for part in text.split(","))
    except ValueError:
        fail(f"{option} must be two numbers LO,HI (got {text!r})")
    return lo, hi


@app.command("add")
def add(
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    name: str = typer.Argument(..., help="The scheme's name: letters, digits, '.', '_' or '-' (up to 60)."),
    targets: int | None = typer.Option(
        None,
        "--targets-version",
        help="Targets version to weight to (default: the latest upload).",
        show_default=False,
    ),
    method: str = typer.Option("rake", help="rake | poststratify | linear | logit | raking."),
    variables: str = typer.Option("", help="Comma-separated margins (default: every margin of the targets)."),
    bounds: str | None = typer.Option(None, help="LO,HI bounds on g (linear, logit only)."),
    trim: str | None = typer.Option(None, help="LO,HI caps on g, e.g. 0.3,3."),
    missing: str = typer.Option("mode", help="Missing weighting answers: mode | category | error."),
    database: str | None = DatabaseOption,
) -> None:
    """Save a weighting under a name, after running it once on the responses."""
    from survey.analyst.services import WeightingSpec, load_context, run_analysis
    from survey.store.db import transaction
    from survey.store.errors import StoreError
    from survey.store.services.schemes import SchemeChoice, SchemeService, check_choice
    from weighting import WeightingError

    choice = SchemeChoice(
        method=method, variables=tuple(v.strip() for v in variables.split(",") if v.strip()),
        bounds=_pair(bounds, "--bounds"), trim=_pair(trim, "--trim"), missing=missing,
    )  # fmt: skip
    try:
        check_choice(choice)
        with transaction(sessions(database)) as session:
            context = load_context(session, consultation, targets=targets)
            if context.target_set is None:
                fail(f"consultation '{consultation}' has no targets: upload them first")
            spec = WeightingSpec(method=choice.method, variables=choice.variables, bounds=choice.bounds,
                                 trim=choice.trim, missing=choice.missing)  # fmt: skip
            analysis = run_analysis(context, spec)
            SchemeService(session).add(context.consultation, name, context.target_set, choice, actor="cli")
            version = context.target_set.version
    except (StoreError, WeightingError) as exc:
        fail(str(exc))
    out.print(
        f"saved scheme '{name.strip()}' of '{consultation}': targets version {version}, {method}, "
        f"design effect {analysis.final.overall.deff:.3g}",
        highlight=False,
    )


@app.command("list")
def list_(
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    database: str | None = DatabaseOption,
) -> None:
    """Every scheme of a consultation: name, targets version, method, margins, bounds, trimming."""
    from survey.store.errors import StoreError
    from survey.store.services.consultations import ConsultationService
    from survey.store.services.schemes import SchemeChoice, SchemeService

    try:
        with sessions(database)() as session:
            found = ConsultationService(session).get(consultation)
            service = SchemeService(session)
            schemes = service.all(found)
            rows = [(s, service.target_set(s).version, SchemeChoice.of(s)) for s in schemes]
    except StoreError as exc:
        fail(str(exc))
    if not rows:
        out.print(f"'{consultation}' has no weighting scheme yet", highlight=False)
    for scheme, version, choice in rows:
        parts = [
            f"targets v{version}", choice.method,
            f"margins {','.join(choice.variables) or 'all'}",
            f"bounds {choice.bounds[0]:g},{choice.bounds[1]:g}" if choice.bounds else "no bounds",
            f"trim {choice.trim[0]:g},{choice.trim[1]:g}" if choice.trim else "no trim",
            f"missing {choice.missing}",
        ]  # fmt: skip
        typer.echo("\t".join([scheme.name, *parts]))  # tab-separated as written, for scripts too


@app.command("remove")
def remove(
    consultation: str = typer.Argument(..., help="Slug of the consultation."),
    name: str = typer.Argument(..., help="The scheme's name."),
    database: str | None = DatabaseOption,
) -> None:
    """Delete a scheme; snapshots made with it keep its name and full definition."""
    from survey.store.db import transaction
    from survey.store.errors import StoreError
    from survey.store.services.consultations import ConsultationService
    from survey.store.services.schemes import SchemeService

    try:
        with transaction(sessions(database)) as session:
            SchemeService(session).remove(ConsultationService(session).get(consultation), name, actor="cli")
    except StoreError as exc:
        fail(str(exc))
    out.print(f"removed scheme '{name}' of '{consultation}'", highlight=False)
