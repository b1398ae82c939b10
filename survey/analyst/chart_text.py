"""The words on and around the charts (axes, legends, descriptions, download links) in FR, NL and EN.

Why a table of its own: the chart builders draw for the workbench, the public page and the report
alike, and until now their few words (the "mean" row of a numeric question, a chart's description)
were English on French and Dutch pages. ``tests/analyst/test_chart_text.py`` checks every language
has every entry with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

from survey.catalogue import Catalogue, per_language, register

__all__ = ["CHART_TEXT", "chart_text", "mean_labels"]

_CHART_WORDS: Catalogue = {
    "mean": {"fr": "moyenne", "nl": "gemiddelde", "en": "mean"},
    "axis_percent": {"fr": "Pourcentage", "nl": "Percentage", "en": "Percentage"},
    "axis_points": {"fr": "Points de pourcentage", "nl": "Procentpunten", "en": "Percentage points"},
    "axis_mean": {
        "fr": "Moyenne pondérée sur l'échelle de la question, de {low} à {high}",
        "nl": "Gewogen gemiddelde op de schaal van de vraag, van {low} tot {high}",
        "en": "Weighted mean on the question's scale, {low} to {high}",
    },
    "axis_mean_open": {"fr": "Moyenne pondérée", "nl": "Gewogen gemiddelde", "en": "Weighted mean"},
    "axis_count": {"fr": "Répondants", "nl": "Respondenten", "en": "Respondents"},
    "axis_weight": {
        "fr": "Poids d'un répondant",
        "nl": "Gewicht van een respondent",
        "en": "Weight of a respondent",
    },
    "axis_day": {"fr": "Jour de l'envoi", "nl": "Dag van verzending", "en": "Day of submission"},
    "weighted_ci": {
        "fr": "Pondéré, avec IC à 95 %",
        "nl": "Gewogen, met 95%-BI",
        "en": "Weighted, with 95% CI",
    },
    "unweighted": {"fr": "Non pondéré", "nl": "Ongewogen", "en": "Unweighted"},
    "desc_estimates": {
        "fr": "{title} : estimations pondérées avec intervalles de confiance à 95 % ; le tableau ci-dessous donne chaque chiffre.",
        "nl": "{title}: gewogen schattingen met 95%-betrouwbaarheidsintervallen; de tabel hieronder geeft elk cijfer.",
        "en": "{title}: weighted estimates with 95% confidence intervals; the table below gives every figure.",
    },
    "desc_series": {
        "fr": "{title} : {series} par catégorie ; le tableau ci-dessous donne chaque chiffre.",
        "nl": "{title}: {series} per categorie; de tabel hieronder geeft elk cijfer.",
        "en": "{title}: {series} per category; the table below gives every figure.",
    },
    "scale": {
        "fr": "échelle de {low} à {high}",
        "nl": "schaal van {low} tot {high}",
        "en": "scale {low} to {high}",
    },
    "download": {
        "fr": "Télécharger ce graphique :",
        "nl": "Deze grafiek downloaden:",
        "en": "Download this chart:",
    },
    "download_svg": {"fr": "SVG", "nl": "SVG", "en": "SVG"},
    "download_png": {"fr": "PNG", "nl": "PNG", "en": "PNG"},
    "csv_fit": {
        "fr": "Télécharger l'ajustement aux cibles (CSV)",
        "nl": "De aansluiting op de streefcijfers downloaden (CSV)",
        "en": "Download the fit to the targets (CSV)",
    },
    "csv_bias": {
        "fr": "Télécharger la composition des échantillons (CSV)",
        "nl": "De samenstelling van de steekproeven downloaden (CSV)",
        "en": "Download the sample make-up (CSV)",
    },
    "contents": {"fr": "Sommaire", "nl": "Inhoud", "en": "Contents"},
    "questions": {"fr": "Questions", "nl": "Vragen", "en": "Questions"},
}
CHART_TEXT: dict[str, dict[str, str]] = per_language(register("chart_text.chart_text", _CHART_WORDS))


def chart_text(lang: str) -> Mapping[str, str]:
    return CHART_TEXT.get(lang, CHART_TEXT["en"])


def mean_labels(languages: tuple[str, ...] | list[str]) -> dict[str, str]:
    """The label of a numeric question's one row, in each of the questionnaire's languages."""
    return {lang: chart_text(lang)["mean"] for lang in languages}
