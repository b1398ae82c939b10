"""The wording of the weighted-results report and its sections, in French, Dutch and English.

Why a table beside the templates: the same section bodies serve the workbench pages and the
report, and a Brussels policy lab publishes in French and Dutch; keeping every sentence here lets
a test check that each language has each sentence, with the same placeholders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from survey.http.i18n import SUPPORTED

__all__ = ["REPORT_TEXT", "mode_name", "report_language", "report_text"]

REPORT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "g_title": "g-weights: final weight ÷ starting weight",
        "g_intro": "Bounds and trimming act on g. Values piled up at a bound mean the bound binds; a wide spread "
                   "means the weighting moved some respondents' weight a lot.",
        "g_caption": "g over the {n} respondents: minimum, percentiles, maximum and mean",
        "g_mean": "mean", "g_bins": "How many respondents have g in each range", "g_range": "g from – to",
        "g_chart": "Distribution of g", "g_chart_desc": "{n} g-weights from {low} to {high}.",
        "scheme_line": "Weighting scheme: {name}.",
        "contents": "Contents", "appendix": "Appendix – {title}",
        "snapshot_published": "Snapshot {id}, published on {date}.",
        "snapshot_withdrawn": "Snapshot {id}, withdrawn on {date}: these results should no longer be cited.",
        "snapshot_draft": "Snapshot {id}, a draft that has not been published.",
        "snapshot_frozen": "Every figure is the snapshot's, as frozen: responses or targets added since do not change it.",
        "no_frozen_diagnostics": "This snapshot was frozen before diagnostics were kept with it: its design effect is {deff} and its effective sample size {n_eff}.",
        "weighting_line": "Method: {method}; margins: {margins}; converged: {converged} after {iterations} iteration(s); largest remaining gap to a target {after} (before weighting {before}).",
        "exact_cell": "exact",
        "exact_note": "Weighting made the shares of {margins} equal to the population figures: they are exact by construction (standard error 0) and their interval is shown as “exact”.",
        "title": "Weighted results: {title}",
        "generated": "Generated {when} by survey {version}.",
        "responses": "{n} complete responses ({modes}); questionnaire version {questionnaire}; "
                     "targets version {targets} ({label});",
        "data_hash": "data hash",
        "methodology": "Methodology",
        "weighted_by": "Weighting method: {method}; population margins: {margins}.",
        "trimmed": "Weights were trimmed to g in [{low}, {high}].",
        "converged": "The weighting converged: {converged}; the largest remaining gap to a target is {after} "
                     "(before weighting {before}).",
        "yes": "yes", "no": "no",
        "standard_errors": "Standard errors are Taylor-linearised and take the calibration into account; "
                           "intervals are 95%.",
        "design_effect": "The design effect from weighting is {deff}, so the {n} responses give the precision "
                         "of about {n_eff} simple-random-sample responses.",
        "diagnostics": "Weighting diagnostics", "results": "Results per question", "bias": "Bias audit",
        "deff_title": "Design effect and effective sample size", "group": "Group", "n": "n",
        "weight_share": "Weight share", "min": "min", "max": "max", "deff": "deff", "n_eff": "effective n",
        "missing_title": "Missing answers to weighting questions",
        "missing_mode": "{question}: {n} respondents without an answer were counted in its most common category, "
                        "{category}, for weighting only; their answers elsewhere are unchanged.",
        "missing_category": "{question}: {n} respondents without an answer were weighted as a category of their own.",
        "histogram": "Weight distribution", "fit": "Fit to targets", "category": "Category", "target": "Target",
        "unweighted": "Unweighted", "weighted": "Weighted", "answer": "Answer", "ci": "95% CI",
        "online_only": "Online, unweighted", "field_only": "Field, unweighted", "comments": "Open comments",
        "comments_capped": "The first {shown} of {total} comments; all of them are in “survey export”.",
        "no_comments": "No comments.",
        "field_brought": "What the field work brought in",
        "make_up": "Sample make-up against the population",
        "distance": "Distance from the population (half the sum of absolute gaps): online {online} points, "
                    "field {field}, combined {combined}.",
        "population": "Population", "online": "Online", "field": "Field", "combined": "Combined",
        "online_vs_weighted": "Online-only answers against weighted all-mode estimates",
        "sorted": "Sorted by the gap measured in standard errors of the weighted estimate.",
        "question": "Question", "weighted_all": "Weighted, all modes", "gap_points": "Gap (points)",
        "gap_se": "Gap (SEs)", "mode_effects": "Mode effects: weighted with and without the field interviews",
        "with_field": "With field", "online_weighted": "Online only, reweighted alone",
        "difference": "Difference (points)", "online_failed": "Online-only weighting failed: {error}",
        "chart_fit": "{margin}: target, unweighted sample and weighted sample",
        "chart_neff": "Respondents and effective sample size per mode", "respondents": "respondents",
        "chart_weights": "Distribution of the weights", "chart_tallest": "max count {n}",
        "chart_weights_desc": "{n} weights from {low} to {high}.", "chart_bias": "{margin}: population and samples",
        "summary_group": "{group}: {online} of online respondents, {field} of field respondents, "
                         "{population} of the population.",
        "summary_closer": "Adding the field interviews brought the sample closer to the population on: {margins}.",
        "summary_margin": "{margin} ({before} → {after} points)",
        "summary_none": "The field work did not change the sample's make-up noticeably.",
        "modes_note": "Three figures concern online respondents, each named the same way on every page: “online, unweighted” is the plain share among online respondents; in a breakdown by mode, each mode is shown with the combined weights of all modes; “online only, reweighted alone” is what an online-only consultation weighted to the same targets would have published.",
        "mode_all": "all", "mode_online": "online", "mode_field": "field", "mode_paper": "paper",
    },
    "fr": {
        "g_title": "Rapports g : poids final ÷ poids de départ",
        "g_intro": "Les bornes et l'écrêtage portent sur g. Des valeurs accumulées sur une borne signifient qu'elle "
                   "est atteinte ; une grande dispersion signifie que la pondération a fortement déplacé le poids "
                   "de certains répondants.",
        "g_caption": "g sur les {n} répondants : minimum, centiles, maximum et moyenne",
        "g_mean": "moyenne", "g_bins": "Nombre de répondants dont g est dans chaque intervalle",
        "g_range": "g de – à", "g_chart": "Distribution de g", "g_chart_desc": "{n} rapports g, de {low} à {high}.",
        "scheme_line": "Schéma de pondération : {name}.",
        "contents": "Sommaire", "appendix": "Annexe – {title}",
        "snapshot_published": "Instantané {id}, publié le {date}.",
        "snapshot_withdrawn": "Instantané {id}, retiré le {date} : ces résultats ne doivent plus être cités.",
        "snapshot_draft": "Instantané {id}, un brouillon qui n’a pas été publié.",
        "snapshot_frozen": "Tous les chiffres sont ceux de l’instantané, tel qu’il a été figé : les réponses ou cibles ajoutées depuis ne les changent pas.",
        "no_frozen_diagnostics": "Cet instantané a été figé avant que les diagnostics soient conservés avec lui : son effet de plan est de {deff} et sa taille d’échantillon effective de {n_eff}.",
        "weighting_line": "Méthode : {method} ; marges : {margins} ; convergence : {converged} après {iterations} itération(s) ; plus grand écart restant à une cible {after} (avant pondération {before}).",
        "exact_cell": "exact",
        "exact_note": "La pondération a rendu les parts de {margins} égales aux chiffres de la population : elles sont exactes par construction (erreur-type nulle) et leur intervalle est indiqué par « exact ».",
        "title": "Résultats pondérés : {title}",
        "generated": "Produit le {when} par survey {version}.",
        "responses": "{n} réponses complètes ({modes}) ; version du questionnaire {questionnaire} ; "
                     "version des cibles {targets} ({label}) ;",
        "data_hash": "empreinte des données",
        "methodology": "Méthodologie",
        "weighted_by": "Méthode de pondération : {method} ; marges de population : {margins}.",
        "trimmed": "Les poids ont été bornés à g dans [{low} ; {high}].",
        "converged": "La pondération a convergé : {converged} ; le plus grand écart restant à une cible est de "
                     "{after} (avant pondération {before}).",
        "yes": "oui", "no": "non",
        "standard_errors": "Les erreurs-types sont linéarisées (Taylor) et tiennent compte du calage ; "
                           "les intervalles sont à 95 %.",
        "design_effect": "L'effet de plan dû à la pondération est de {deff} : les {n} réponses ont la précision "
                         "d'environ {n_eff} réponses d'un échantillon aléatoire simple.",
        "diagnostics": "Diagnostics de la pondération", "results": "Résultats par question",
        "bias": "Audit des biais",
        "deff_title": "Effet de plan et taille d'échantillon effective", "group": "Groupe", "n": "n",
        "weight_share": "Part des poids", "min": "min", "max": "max", "deff": "effet de plan",
        "n_eff": "n effectif",
        "missing_title": "Réponses manquantes aux questions de pondération",
        "missing_mode": "{question} : {n} répondants sans réponse ont été comptés dans la catégorie la plus "
                        "fréquente, {category}, pour la pondération seulement ; leurs autres réponses sont inchangées.",
        "missing_category": "{question} : {n} répondants sans réponse ont été pondérés comme une catégorie à part.",
        "histogram": "Distribution des poids", "fit": "Ajustement aux cibles", "category": "Catégorie",
        "target": "Cible", "unweighted": "Non pondéré", "weighted": "Pondéré", "answer": "Réponse",
        "ci": "IC à 95 %", "online_only": "En ligne, non pondéré", "field_only": "Terrain, non pondéré",
        "comments": "Commentaires libres",
        "comments_capped": "Les {shown} premiers des {total} commentaires ; tous figurent dans « survey export ».",
        "no_comments": "Aucun commentaire.",
        "field_brought": "Ce que le travail de terrain a apporté",
        "make_up": "Composition de l'échantillon face à la population",
        "distance": "Distance à la population (moitié de la somme des écarts absolus) : en ligne {online} points, "
                    "terrain {field}, ensemble {combined}.",
        "population": "Population", "online": "En ligne", "field": "Terrain", "combined": "Ensemble",
        "online_vs_weighted": "Réponses en ligne seules face aux estimations pondérées tous modes",
        "sorted": "Triées selon l'écart mesuré en erreurs-types de l'estimation pondérée.",
        "question": "Question", "weighted_all": "Pondéré, tous modes", "gap_points": "Écart (points)",
        "gap_se": "Écart (erreurs-types)",
        "mode_effects": "Effets de mode : estimation pondérée avec et sans les entretiens de terrain",
        "with_field": "Avec le terrain", "online_weighted": "En ligne seul, repondéré à part",
        "difference": "Différence (points)", "online_failed": "La pondération des seules réponses en ligne a "
                                                           "échoué : {error}",
        "chart_fit": "{margin} : cible, échantillon non pondéré et échantillon pondéré",
        "chart_neff": "Répondants et taille d'échantillon effective par mode", "respondents": "répondants",
        "chart_weights": "Distribution des poids", "chart_tallest": "effectif maximal {n}",
        "chart_weights_desc": "{n} poids, de {low} à {high}.", "chart_bias": "{margin} : population et échantillons",
        "summary_group": "{group} : {online} des répondants en ligne, {field} des répondants sur le terrain, "
                         "{population} de la population.",
        "summary_closer": "Les entretiens de terrain ont rapproché l'échantillon de la population pour : "
                          "{margins}.",
        "summary_margin": "{margin} ({before} → {after} points)",
        "summary_none": "Le travail de terrain n'a pas changé sensiblement la composition de l'échantillon.",
        "modes_note": "Trois chiffres portent sur les répondants en ligne, nommés de la même façon sur chaque page : « en ligne, non pondéré » est la part brute parmi les répondants en ligne ; dans une ventilation par mode, chaque mode est montré avec les poids communs à tous les modes ; « en ligne seul, repondéré à part » est ce qu’une consultation uniquement en ligne, pondérée sur les mêmes cibles, aurait publié.",
        "mode_all": "tous", "mode_online": "en ligne", "mode_field": "terrain", "mode_paper": "papier",
    },
    "nl": {
        "g_title": "g-gewichten: eindgewicht ÷ startgewicht",
        "g_intro": "Grenzen en aftopping werken op g. Waarden die zich bij een grens ophopen, betekenen dat die "
                   "grens bindt; een grote spreiding betekent dat de weging het gewicht van sommige respondenten "
                   "sterk verschoof.",
        "g_caption": "g over de {n} respondenten: minimum, percentielen, maximum en gemiddelde",
        "g_mean": "gemiddelde", "g_bins": "Aantal respondenten met g in elk interval", "g_range": "g van – tot",
        "g_chart": "Verdeling van g", "g_chart_desc": "{n} g-gewichten, van {low} tot {high}.",
        "scheme_line": "Wegingsschema: {name}.",
        "contents": "Inhoud", "appendix": "Bijlage – {title}",
        "snapshot_published": "Momentopname {id}, gepubliceerd op {date}.",
        "snapshot_withdrawn": "Momentopname {id}, ingetrokken op {date}: deze resultaten mogen niet meer worden geciteerd.",
        "snapshot_draft": "Momentopname {id}, een ontwerp dat niet werd gepubliceerd.",
        "snapshot_frozen": "Alle cijfers zijn die van de momentopname zoals ze werd vastgelegd: antwoorden of streefcijfers die sindsdien zijn toegevoegd, veranderen ze niet.",
        "no_frozen_diagnostics": "Deze momentopname werd vastgelegd voordat de diagnose erbij werd bewaard: het designeffect is {deff} en de effectieve steekproefgrootte {n_eff}.",
        "weighting_line": "Methode: {method}; marges: {margins}; geconvergeerd: {converged} na {iterations} iteratie(s); grootste resterende verschil met een streefcijfer {after} (vóór de weging {before}).",
        "exact_cell": "exact",
        "exact_note": "De weging maakte de aandelen van {margins} gelijk aan de bevolkingscijfers: ze zijn exact (standaardfout 0) en hun interval wordt als „exact” getoond.",
        "title": "Gewogen resultaten: {title}",
        "generated": "Gemaakt op {when} door survey {version}.",
        "responses": "{n} volledige antwoorden ({modes}); vragenlijstversie {questionnaire}; "
                     "versie van de streefcijfers {targets} ({label});",
        "data_hash": "vingerafdruk van de gegevens",
        "methodology": "Methode",
        "weighted_by": "Wegingsmethode: {method}; bevolkingsmarges: {margins}.",
        "trimmed": "De gewichten werden begrensd tot g in [{low}; {high}].",
        "converged": "De weging is geconvergeerd: {converged}; het grootste resterende verschil met een "
                     "streefcijfer is {after} (vóór de weging {before}).",
        "yes": "ja", "no": "nee",
        "standard_errors": "De standaardfouten zijn gelineariseerd (Taylor) en houden rekening met de kalibratie; "
                           "de intervallen zijn 95%-intervallen.",
        "design_effect": "Het designeffect van de weging is {deff}: de {n} antwoorden hebben de nauwkeurigheid van "
                         "ongeveer {n_eff} antwoorden uit een enkelvoudige toevalssteekproef.",
        "diagnostics": "Diagnose van de weging", "results": "Resultaten per vraag", "bias": "Vertekeningsaudit",
        "deff_title": "Designeffect en effectieve steekproefgrootte", "group": "Groep", "n": "n",
        "weight_share": "Aandeel van de gewichten", "min": "min", "max": "max", "deff": "designeffect",
        "n_eff": "effectieve n",
        "missing_title": "Ontbrekende antwoorden op weegvragen",
        "missing_mode": "{question}: {n} respondenten zonder antwoord werden alleen voor de weging bij de meest "
                        "voorkomende categorie geteld, {category}; hun andere antwoorden blijven ongewijzigd.",
        "missing_category": "{question}: {n} respondenten zonder antwoord werden als een eigen categorie gewogen.",
        "histogram": "Verdeling van de gewichten", "fit": "Aansluiting op de streefcijfers",
        "category": "Categorie", "target": "Streefcijfer", "unweighted": "Ongewogen", "weighted": "Gewogen",
        "answer": "Antwoord", "ci": "95%-BI", "online_only": "Online, ongewogen", "field_only": "Terrein, ongewogen",
        "comments": "Open opmerkingen",
        "comments_capped": "De eerste {shown} van {total} opmerkingen; ze staan allemaal in „survey export”.",
        "no_comments": "Geen opmerkingen.",
        "field_brought": "Wat het veldwerk heeft opgeleverd",
        "make_up": "Samenstelling van de steekproef tegenover de bevolking",
        "distance": "Afstand tot de bevolking (de helft van de som van de absolute verschillen): online {online} "
                    "punten, terrein {field}, samen {combined}.",
        "population": "Bevolking", "online": "Online", "field": "Terrein", "combined": "Samen",
        "online_vs_weighted": "Alleen online antwoorden tegenover gewogen schattingen over alle modi",
        "sorted": "Gesorteerd op het verschil in standaardfouten van de gewogen schatting.",
        "question": "Vraag", "weighted_all": "Gewogen, alle modi", "gap_points": "Verschil (punten)",
        "gap_se": "Verschil (standaardfouten)",
        "mode_effects": "Mode-effecten: gewogen met en zonder de interviews op het terrein",
        "with_field": "Met terrein", "online_weighted": "Alleen online, apart herwogen",
        "difference": "Verschil (punten)", "online_failed": "De weging van alleen de online antwoorden is "
                                                         "mislukt: {error}",
        "chart_fit": "{margin}: streefcijfer, ongewogen en gewogen steekproef",
        "chart_neff": "Respondenten en effectieve steekproefgrootte per modus", "respondents": "respondenten",
        "chart_weights": "Verdeling van de gewichten", "chart_tallest": "hoogste aantal {n}",
        "chart_weights_desc": "{n} gewichten, van {low} tot {high}.", "chart_bias": "{margin}: bevolking en steekproeven",
        "summary_group": "{group}: {online} van de online respondenten, {field} van de respondenten op het "
                         "terrein, {population} van de bevolking.",
        "summary_closer": "De interviews op het terrein brachten de steekproef dichter bij de bevolking voor: "
                          "{margins}.",
        "summary_margin": "{margin} ({before} → {after} punten)",
        "summary_none": "Het veldwerk heeft de samenstelling van de steekproef niet merkbaar veranderd.",
        "modes_note": "Drie cijfers gaan over online respondenten, op elke pagina op dezelfde manier benoemd: „online, ongewogen” is het ruwe aandeel onder de online respondenten; in een uitsplitsing naar modus wordt elke modus getoond met de gezamenlijke gewichten van alle modi; „alleen online, apart herwogen” is wat een raadpleging die alleen online liep, gewogen naar dezelfde streefcijfers, zou hebben gepubliceerd.",
        "mode_all": "alle", "mode_online": "online", "mode_field": "terrein", "mode_paper": "papier",
    },
}  # fmt: skip


def report_text(lang: str) -> Mapping[str, str]:
    """The sentences in ``lang``; an unsupported language gets English rather than an error mid-render."""
    return REPORT_TEXT.get(lang, REPORT_TEXT["en"])


def mode_name(mode: str, lang: str) -> str:
    """``online`` / ``field`` / ``all`` as the reader says it; an unknown mode keeps its code."""
    return report_text(lang).get(f"mode_{mode}", mode)


def report_language(explicit: str | None = None) -> str:
    """The language asked for, else the analyst's locale (``LANG=nl_BE.UTF-8`` → ``nl``), else English."""
    if explicit:
        return explicit
    # POSIX order: the first of these that is set decides, even when it names an unsupported language
    setting = next((os.environ[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(v)), "")
    code = setting[:2].lower()
    return code if code in SUPPORTED else "en"
