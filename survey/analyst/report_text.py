"""The wording of the weighted-results report and its sections, in French, Dutch and English.

Why a table beside the templates: the same section bodies serve the workbench pages and the
report, and a Brussels policy lab publishes in French and Dutch; keeping every sentence here lets
a test check that each language has each sentence, with the same placeholders.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from survey.catalogue import Catalogue, per_language, register
from survey.http.i18n import SUPPORTED

__all__ = ["REPORT_TEXT", "mode_name", "report_language", "report_text"]

_REPORT_WORDS: Catalogue = {
    "g_title": {"fr": "Rapports g : poids final ÷ poids de départ", "nl": "g-gewichten: eindgewicht ÷ startgewicht", "en": "g-weights: final weight ÷ starting weight"},
    "g_intro": {"fr": "Les bornes et l'écrêtage portent sur g. Des valeurs accumulées sur une borne signifient qu'elle est atteinte ; une grande dispersion signifie que la pondération a fortement déplacé le poids de certains répondants.", "nl": "Grenzen en aftopping werken op g. Waarden die zich bij een grens ophopen, betekenen dat die grens bindt; een grote spreiding betekent dat de weging het gewicht van sommige respondenten sterk verschoof.", "en": "Bounds and trimming act on g. Values piled up at a bound mean the bound binds; a wide spread means the weighting moved some respondents' weight a lot."},
    "g_caption": {"fr": "g sur les {n} répondants : minimum, centiles, maximum et moyenne", "nl": "g over de {n} respondenten: minimum, percentielen, maximum en gemiddelde", "en": "g over the {n} respondents: minimum, percentiles, maximum and mean"},
    "g_mean": {"fr": "moyenne", "nl": "gemiddelde", "en": "mean"},
    "g_bins": {"fr": "Nombre de répondants dont g est dans chaque intervalle", "nl": "Aantal respondenten met g in elk interval", "en": "How many respondents have g in each range"},
    "g_range": {"fr": "g de – à", "nl": "g van – tot", "en": "g from – to"},
    "g_chart": {"fr": "Distribution de g", "nl": "Verdeling van g", "en": "Distribution of g"},
    "g_chart_desc": {"fr": "{n} rapports g, de {low} à {high}.", "nl": "{n} g-gewichten, van {low} tot {high}.", "en": "{n} g-weights from {low} to {high}."},
    "scheme_line": {"fr": "Schéma de pondération : {name}.", "nl": "Wegingsschema: {name}.", "en": "Weighting scheme: {name}."},
    "contents": {"fr": "Sommaire", "nl": "Inhoud", "en": "Contents"},
    "appendix": {"fr": "Annexe – {title}", "nl": "Bijlage – {title}", "en": "Appendix – {title}"},
    "snapshot_published": {"fr": "Instantané {id}, publié le {date}.", "nl": "Momentopname {id}, gepubliceerd op {date}.", "en": "Snapshot {id}, published on {date}."},
    "snapshot_withdrawn": {"fr": "Instantané {id}, retiré le {date} : ces résultats ne doivent plus être cités.", "nl": "Momentopname {id}, ingetrokken op {date}: deze resultaten mogen niet meer worden geciteerd.", "en": "Snapshot {id}, withdrawn on {date}: these results should no longer be cited."},
    "snapshot_draft": {"fr": "Instantané {id}, un brouillon qui n’a pas été publié.", "nl": "Momentopname {id}, een ontwerp dat niet werd gepubliceerd.", "en": "Snapshot {id}, a draft that has not been published."},
    "snapshot_frozen": {"fr": "Tous les chiffres sont ceux de l’instantané, tel qu’il a été figé : les réponses ou cibles ajoutées depuis ne les changent pas.", "nl": "Alle cijfers zijn die van de momentopname zoals ze werd vastgelegd: antwoorden of streefcijfers die sindsdien zijn toegevoegd, veranderen ze niet.", "en": "Every figure is the snapshot's, as frozen: responses or targets added since do not change it."},
    "bias_not_stored": {"fr": "Audit des biais non conservé dans cet instantané : il a été figé avant que l’audit soit conservé avec les résultats.", "nl": "Vertekeningsaudit niet bewaard in deze momentopname: ze werd vastgelegd voordat de audit samen met de resultaten werd bewaard.", "en": "Bias audit not stored in this snapshot: it was frozen before the audit was kept with the results."},
    "bias_frozen": {"fr": "L’audit des biais tel qu’il a été figé avec ces résultats (mêmes réponses, mêmes cibles).", "nl": "De vertekeningsaudit zoals die met deze resultaten werd vastgelegd (dezelfde antwoorden, dezelfde streefcijfers).", "en": "The bias audit as frozen with these results (same responses, same targets)."},
    "no_frozen_diagnostics": {"fr": "Cet instantané a été figé avant que les diagnostics soient conservés avec lui : son effet de plan est de {deff} et sa taille d’échantillon effective de {n_eff}.", "nl": "Deze momentopname werd vastgelegd voordat de diagnose erbij werd bewaard: het designeffect is {deff} en de effectieve steekproefgrootte {n_eff}.", "en": "This snapshot was frozen before diagnostics were kept with it: its design effect is {deff} and its effective sample size {n_eff}."},
    "weighting_line": {"fr": "Méthode : {method} ; marges : {margins} ; convergence : {converged} après {iterations} itération(s) ; plus grand écart restant à une cible {after} (avant pondération {before}).", "nl": "Methode: {method}; marges: {margins}; geconvergeerd: {converged} na {iterations} iteratie(s); grootste resterende verschil met een streefcijfer {after} (vóór de weging {before}).", "en": "Method: {method}; margins: {margins}; converged: {converged} after {iterations} iteration(s); largest remaining gap to a target {after} (before weighting {before})."},
    "exact_cell": {"fr": "exact", "nl": "exact", "en": "exact"},
    "exact_note": {"fr": "La pondération a rendu les parts de {margins} égales aux chiffres de la population : elles sont exactes par construction (erreur-type nulle) et leur intervalle est indiqué par « exact ».", "nl": "De weging maakte de aandelen van {margins} gelijk aan de bevolkingscijfers: ze zijn exact (standaardfout 0) en hun interval wordt als „exact” getoond.", "en": "Weighting made the shares of {margins} equal to the population figures: they are exact by construction (standard error 0) and their interval is shown as “exact”."},
    "title": {"fr": "Résultats pondérés : {title}", "nl": "Gewogen resultaten: {title}", "en": "Weighted results: {title}"},
    "generated": {"fr": "Produit le {when} par survey {version}.", "nl": "Gemaakt op {when} door survey {version}.", "en": "Generated {when} by survey {version}."},
    "responses": {"fr": "{n} réponses complètes ({modes}) ; version du questionnaire {questionnaire} ; version des cibles {targets} ({label}) ;", "nl": "{n} volledige antwoorden ({modes}); vragenlijstversie {questionnaire}; versie van de streefcijfers {targets} ({label});", "en": "{n} complete responses ({modes}); questionnaire version {questionnaire}; targets version {targets} ({label});"},
    "data_hash": {"fr": "empreinte des données", "nl": "vingerafdruk van de gegevens", "en": "data hash"},
    "methodology": {"fr": "Méthodologie", "nl": "Methode", "en": "Methodology"},
    "weighted_by": {"fr": "Méthode de pondération : {method} ; marges de population : {margins}.", "nl": "Wegingsmethode: {method}; bevolkingsmarges: {margins}.", "en": "Weighting method: {method}; population margins: {margins}."},
    "trimmed": {"fr": "Les poids ont été bornés à g dans [{low} ; {high}].", "nl": "De gewichten werden begrensd tot g in [{low}; {high}].", "en": "Weights were trimmed to g in [{low}, {high}]."},
    "converged": {"fr": "La pondération a convergé : {converged} ; le plus grand écart restant à une cible est de {after} (avant pondération {before}).", "nl": "De weging is geconvergeerd: {converged}; het grootste resterende verschil met een streefcijfer is {after} (vóór de weging {before}).", "en": "The weighting converged: {converged}; the largest remaining gap to a target is {after} (before weighting {before})."},
    "yes": {"fr": "oui", "nl": "ja", "en": "yes"},
    "no": {"fr": "non", "nl": "nee", "en": "no"},
    "standard_errors": {"fr": "Les erreurs-types sont linéarisées (Taylor) et tiennent compte du calage ; les intervalles sont à 95 %.", "nl": "De standaardfouten zijn gelineariseerd (Taylor) en houden rekening met de kalibratie; de intervallen zijn 95%-intervallen.", "en": "Standard errors are Taylor-linearised and take the calibration into account; intervals are 95%."},
    "design_effect": {"fr": "L'effet de plan dû à la pondération est de {deff} : les {n} réponses ont la précision d'environ {n_eff} réponses d'un échantillon aléatoire simple.", "nl": "Het designeffect van de weging is {deff}: de {n} antwoorden hebben de nauwkeurigheid van ongeveer {n_eff} antwoorden uit een enkelvoudige toevalssteekproef.", "en": "The design effect from weighting is {deff}, so the {n} responses give the precision of about {n_eff} simple-random-sample responses."},
    "diagnostics": {"fr": "Diagnostics de la pondération", "nl": "Diagnose van de weging", "en": "Weighting diagnostics"},
    "results": {"fr": "Résultats par question", "nl": "Resultaten per vraag", "en": "Results per question"},
    "bias": {"fr": "Audit des biais", "nl": "Vertekeningsaudit", "en": "Bias audit"},
    "deff_title": {"fr": "Effet de plan et taille d'échantillon effective", "nl": "Designeffect en effectieve steekproefgrootte", "en": "Design effect and effective sample size"},
    "group": {"fr": "Groupe", "nl": "Groep", "en": "Group"},
    "n": {"fr": "n", "nl": "n", "en": "n"},
    "weight_share": {"fr": "Part des poids", "nl": "Aandeel van de gewichten", "en": "Weight share"},
    "min": {"fr": "min", "nl": "min", "en": "min"},
    "max": {"fr": "max", "nl": "max", "en": "max"},
    "deff": {"fr": "effet de plan", "nl": "designeffect", "en": "deff"},
    "n_eff": {"fr": "n effectif", "nl": "effectieve n", "en": "effective n"},
    "missing_title": {"fr": "Réponses manquantes aux questions de pondération", "nl": "Ontbrekende antwoorden op weegvragen", "en": "Missing answers to weighting questions"},
    "missing_mode": {"fr": "{question} : {n} répondants sans réponse ont été comptés dans la catégorie la plus fréquente, {category}, pour la pondération seulement ; leurs autres réponses sont inchangées.", "nl": "{question}: {n} respondenten zonder antwoord werden alleen voor de weging bij de meest voorkomende categorie geteld, {category}; hun andere antwoorden blijven ongewijzigd.", "en": "{question}: {n} respondents without an answer were counted in its most common category, {category}, for weighting only; their answers elsewhere are unchanged."},
    "missing_category": {"fr": "{question} : {n} répondants sans réponse ont été pondérés comme une catégorie à part.", "nl": "{question}: {n} respondenten zonder antwoord werden als een eigen categorie gewogen.", "en": "{question}: {n} respondents without an answer were weighted as a category of their own."},
    "histogram": {"fr": "Distribution des poids", "nl": "Verdeling van de gewichten", "en": "Weight distribution"},
    "fit": {"fr": "Ajustement aux cibles", "nl": "Aansluiting op de streefcijfers", "en": "Fit to targets"},
    "category": {"fr": "Catégorie", "nl": "Categorie", "en": "Category"},
    "target": {"fr": "Cible", "nl": "Streefcijfer", "en": "Target"},
    "unweighted": {"fr": "Non pondéré", "nl": "Ongewogen", "en": "Unweighted"},
    "weighted": {"fr": "Pondéré", "nl": "Gewogen", "en": "Weighted"},
    "answer": {"fr": "Réponse", "nl": "Antwoord", "en": "Answer"},
    "ci": {"fr": "IC à 95 %", "nl": "95%-BI", "en": "95% CI"},
    "online_only": {"fr": "En ligne, non pondéré", "nl": "Online, ongewogen", "en": "Online, unweighted"},
    "field_only": {"fr": "Terrain, non pondéré", "nl": "Terrein, ongewogen", "en": "Field, unweighted"},
    "comments": {"fr": "Commentaires libres", "nl": "Open opmerkingen", "en": "Open comments"},
    "comments_capped": {"fr": "Les {shown} premiers des {total} commentaires ; tous figurent dans « survey export ».", "nl": "De eerste {shown} van {total} opmerkingen; ze staan allemaal in „survey export”.", "en": "The first {shown} of {total} comments; all of them are in “survey export”."},
    "no_comments": {"fr": "Aucun commentaire.", "nl": "Geen opmerkingen.", "en": "No comments."},
    "field_brought": {"fr": "Ce que le travail de terrain a apporté", "nl": "Wat het veldwerk heeft opgeleverd", "en": "What the field work brought in"},
    "make_up": {"fr": "Composition de l'échantillon face à la population", "nl": "Samenstelling van de steekproef tegenover de bevolking", "en": "Sample make-up against the population"},
    "distance": {"fr": "Distance à la population (moitié de la somme des écarts absolus) : en ligne {online} points, terrain {field}, ensemble {combined}.", "nl": "Afstand tot de bevolking (de helft van de som van de absolute verschillen): online {online} punten, terrein {field}, samen {combined}.", "en": "Distance from the population (half the sum of absolute gaps): online {online} points, field {field}, combined {combined}."},
    "population": {"fr": "Population", "nl": "Bevolking", "en": "Population"},
    "online": {"fr": "En ligne", "nl": "Online", "en": "Online"},
    "field": {"fr": "Terrain", "nl": "Terrein", "en": "Field"},
    "combined": {"fr": "Ensemble", "nl": "Samen", "en": "Combined"},
    "online_vs_weighted": {"fr": "Réponses en ligne seules face aux estimations pondérées tous modes", "nl": "Alleen online antwoorden tegenover gewogen schattingen over alle modi", "en": "Online-only answers against weighted all-mode estimates"},
    "sorted": {"fr": "Triées selon l'écart mesuré en erreurs-types de l'estimation pondérée.", "nl": "Gesorteerd op het verschil in standaardfouten van de gewogen schatting.", "en": "Sorted by the gap measured in standard errors of the weighted estimate."},
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "weighted_all": {"fr": "Pondéré, tous modes", "nl": "Gewogen, alle modi", "en": "Weighted, all modes"},
    "gap_points": {"fr": "Écart (points)", "nl": "Verschil (punten)", "en": "Gap (points)"},
    "gap_se": {"fr": "Écart (erreurs-types)", "nl": "Verschil (standaardfouten)", "en": "Gap (SEs)"},
    "mode_effects": {"fr": "Effets de mode : estimation pondérée avec et sans les entretiens de terrain", "nl": "Mode-effecten: gewogen met en zonder de interviews op het terrein", "en": "Mode effects: weighted with and without the field interviews"},
    "with_field": {"fr": "Avec le terrain", "nl": "Met terrein", "en": "With field"},
    "online_weighted": {"fr": "En ligne seul, repondéré à part", "nl": "Alleen online, apart herwogen", "en": "Online only, reweighted alone"},
    "difference": {"fr": "Différence (points)", "nl": "Verschil (punten)", "en": "Difference (points)"},
    "online_failed": {"fr": "La pondération des seules réponses en ligne a échoué : {error}", "nl": "De weging van alleen de online antwoorden is mislukt: {error}", "en": "Online-only weighting failed: {error}"},
    "chart_fit": {"fr": "{margin} : cible, échantillon non pondéré et échantillon pondéré", "nl": "{margin}: streefcijfer, ongewogen en gewogen steekproef", "en": "{margin}: target, unweighted sample and weighted sample"},
    "chart_neff": {"fr": "Répondants et taille d'échantillon effective par mode", "nl": "Respondenten en effectieve steekproefgrootte per modus", "en": "Respondents and effective sample size per mode"},
    "respondents": {"fr": "répondants", "nl": "respondenten", "en": "respondents"},
    "chart_weights": {"fr": "Distribution des poids", "nl": "Verdeling van de gewichten", "en": "Distribution of the weights"},
    "chart_tallest": {"fr": "effectif maximal {n}", "nl": "hoogste aantal {n}", "en": "max count {n}"},
    "chart_weights_desc": {"fr": "{n} poids, de {low} à {high}.", "nl": "{n} gewichten, van {low} tot {high}.", "en": "{n} weights from {low} to {high}."},
    "chart_bias": {"fr": "{margin} : population et échantillons", "nl": "{margin}: bevolking en steekproeven", "en": "{margin}: population and samples"},
    "summary_group": {"fr": "{group} : {online} des répondants en ligne, {field} des répondants sur le terrain, {population} de la population.", "nl": "{group}: {online} van de online respondenten, {field} van de respondenten op het terrein, {population} van de bevolking.", "en": "{group}: {online} of online respondents, {field} of field respondents, {population} of the population."},
    "summary_closer": {"fr": "Les entretiens de terrain ont rapproché l'échantillon de la population pour : {margins}.", "nl": "De interviews op het terrein brachten de steekproef dichter bij de bevolking voor: {margins}.", "en": "Adding the field interviews brought the sample closer to the population on: {margins}."},
    "summary_margin": {"fr": "{margin} ({before} → {after} points)", "nl": "{margin} ({before} → {after} punten)", "en": "{margin} ({before} → {after} points)"},
    "summary_none": {"fr": "Le travail de terrain n'a pas changé sensiblement la composition de l'échantillon.", "nl": "Het veldwerk heeft de samenstelling van de steekproef niet merkbaar veranderd.", "en": "The field work did not change the sample's make-up noticeably."},
    "modes_note": {"fr": "Trois chiffres portent sur les répondants en ligne, nommés de la même façon sur chaque page : « en ligne, non pondéré » est la part brute parmi les répondants en ligne ; dans une ventilation par mode, chaque mode est montré avec les poids communs à tous les modes ; « en ligne seul, repondéré à part » est ce qu’une consultation uniquement en ligne, pondérée sur les mêmes cibles, aurait publié.", "nl": "Drie cijfers gaan over online respondenten, op elke pagina op dezelfde manier benoemd: „online, ongewogen” is het ruwe aandeel onder de online respondenten; in een uitsplitsing naar modus wordt elke modus getoond met de gezamenlijke gewichten van alle modi; „alleen online, apart herwogen” is wat een raadpleging die alleen online liep, gewogen naar dezelfde streefcijfers, zou hebben gepubliceerd.", "en": "Three figures concern online respondents, each named the same way on every page: “online, unweighted” is the plain share among online respondents; in a breakdown by mode, each mode is shown with the combined weights of all modes; “online only, reweighted alone” is what an online-only consultation weighted to the same targets would have published."},
    "mode_all": {"fr": "tous", "nl": "alle", "en": "all"},
    "mode_online": {"fr": "en ligne", "nl": "online", "en": "online"},
    "mode_field": {"fr": "terrain", "nl": "terrein", "en": "field"},
    "mode_paper": {"fr": "papier", "nl": "papier", "en": "paper"},
}  # fmt: skip
REPORT_TEXT: dict[str, dict[str, str]] = per_language(register("report_text.report_text", _REPORT_WORDS))


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
