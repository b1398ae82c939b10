"""The words on and around the charts (axes, legends, descriptions, download links) in FR, NL and EN.

Why a table of its own: the chart builders draw for the workbench, the public page and the report
alike, and until now their few words (the "mean" row of a numeric question, a chart's description)
were English on French and Dutch pages. ``tests/analyst/test_chart_text.py`` checks every language
has every entry with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CHART_TEXT", "chart_text", "mean_labels"]

CHART_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "mean": "mean",
        "axis_percent": "Percentage",
        "axis_points": "Percentage points",
        "axis_mean": "Weighted mean on the question's scale, {low} to {high}",
        "axis_mean_open": "Weighted mean",
        "axis_count": "Respondents",
        "axis_weight": "Weight of a respondent",
        "axis_day": "Day of submission",
        "weighted_ci": "Weighted, with 95% CI",
        "unweighted": "Unweighted",
        "desc_estimates": "{title}: weighted estimates with 95% confidence intervals; the table below gives "
        "every figure.",
        "desc_series": "{title}: {series} per category; the table below gives every figure.",
        "scale": "scale {low} to {high}",
        "download": "Download this chart:",
        "download_svg": "SVG",
        "download_png": "PNG",
        "csv_fit": "Download the fit to the targets (CSV)",
        "csv_bias": "Download the sample make-up (CSV)",
        "contents": "Contents",
        "questions": "Questions",
    },
    "fr": {
        "mean": "moyenne",
        "axis_percent": "Pourcentage",
        "axis_points": "Points de pourcentage",
        "axis_mean": "Moyenne pondérée sur l'échelle de la question, de {low} à {high}",
        "axis_mean_open": "Moyenne pondérée",
        "axis_count": "Répondants",
        "axis_weight": "Poids d'un répondant",
        "axis_day": "Jour de l'envoi",
        "weighted_ci": "Pondéré, avec IC à 95 %",
        "unweighted": "Non pondéré",
        "desc_estimates": "{title} : estimations pondérées avec intervalles de confiance à 95 % ; le tableau "
        "ci-dessous donne chaque chiffre.",
        "desc_series": "{title} : {series} par catégorie ; le tableau ci-dessous donne chaque chiffre.",
        "scale": "échelle de {low} à {high}",
        "download": "Télécharger ce graphique :",
        "download_svg": "SVG",
        "download_png": "PNG",
        "csv_fit": "Télécharger l'ajustement aux cibles (CSV)",
        "csv_bias": "Télécharger la composition des échantillons (CSV)",
        "contents": "Sommaire",
        "questions": "Questions",
    },
    "nl": {
        "mean": "gemiddelde",
        "axis_percent": "Percentage",
        "axis_points": "Procentpunten",
        "axis_mean": "Gewogen gemiddelde op de schaal van de vraag, van {low} tot {high}",
        "axis_mean_open": "Gewogen gemiddelde",
        "axis_count": "Respondenten",
        "axis_weight": "Gewicht van een respondent",
        "axis_day": "Dag van verzending",
        "weighted_ci": "Gewogen, met 95%-BI",
        "unweighted": "Ongewogen",
        "desc_estimates": "{title}: gewogen schattingen met 95%-betrouwbaarheidsintervallen; de tabel "
        "hieronder geeft elk cijfer.",
        "desc_series": "{title}: {series} per categorie; de tabel hieronder geeft elk cijfer.",
        "scale": "schaal van {low} tot {high}",
        "download": "Deze grafiek downloaden:",
        "download_svg": "SVG",
        "download_png": "PNG",
        "csv_fit": "De aansluiting op de streefcijfers downloaden (CSV)",
        "csv_bias": "De samenstelling van de steekproeven downloaden (CSV)",
        "contents": "Inhoud",
        "questions": "Vragen",
    },
}


def chart_text(lang: str) -> Mapping[str, str]:
    return CHART_TEXT.get(lang, CHART_TEXT["en"])


def mean_labels(languages: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The label of a numeric question's one row, in each of the questionnaire's languages."""
    return {lang: chart_text(lang)["mean"] for lang in languages}
