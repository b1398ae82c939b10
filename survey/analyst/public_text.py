"""Texts of the public results page in French, Dutch and English (plain words, no jargon)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "results": "Résultats", "published": "Publié le", "respondents": "Participants",
        "online": "en ligne", "field": "enquêteurs sur le terrain", "method_title": "Comment lire ces chiffres",
        "method": (
            "Les personnes qui répondent en ligne ne ressemblent pas toujours à l'ensemble des habitants. "
            "Des enquêteurs ont donc aussi interrogé des habitants sur le terrain. Ensuite, chaque réponse a reçu "
            "un poids pour que l'ensemble des participants ressemble à la population adulte de la Région "
            "selon ces caractéristiques : {margins}. Les pourcentages sont donc des estimations pondérées."
        ),
        "ci": "Les traits noirs montrent l'intervalle de confiance à 95 % : la vraie valeur se trouve très probablement dans cet intervalle.",
        "neff": "Après pondération, la précision équivaut à un échantillon aléatoire d'environ {neff} personnes.",
        "answer": "Réponse", "estimate": "Estimation", "ci_col": "Intervalle de confiance 95 %",
        "n": "Nombre de réponses", "none": "Aucun résultat publié.", "source": "Chiffres de population",
        "technical": "Détails techniques", "data_table": "Tableau des données",
    },
    "nl": {
        "results": "Resultaten", "published": "Gepubliceerd op", "respondents": "Deelnemers",
        "online": "online", "field": "enquêteurs op het terrein", "method_title": "Hoe deze cijfers lezen",
        "method": (
            "Wie online antwoordt, lijkt niet altijd op alle inwoners. Daarom hebben enquêteurs ook inwoners op "
            "het terrein bevraagd. Daarna kreeg elk antwoord een gewicht, zodat de deelnemers samen lijken op de "
            "volwassen bevolking van het Gewest volgens deze kenmerken: {margins}. De percentages zijn dus "
            "gewogen schattingen."
        ),
        "ci": "De zwarte lijnen tonen het 95%-betrouwbaarheidsinterval: de echte waarde ligt zeer waarschijnlijk daarbinnen.",
        "neff": "Na weging is de nauwkeurigheid die van een toevalssteekproef van ongeveer {neff} personen.",
        "answer": "Antwoord", "estimate": "Schatting", "ci_col": "95%-betrouwbaarheidsinterval",
        "n": "Aantal antwoorden", "none": "Nog geen gepubliceerde resultaten.", "source": "Bevolkingscijfers",
        "technical": "Technische details", "data_table": "Gegevenstabel",
    },
    "en": {
        "results": "Results", "published": "Published on", "respondents": "Participants",
        "online": "online", "field": "by interviewers in the field", "method_title": "How to read these figures",
        "method": (
            "People who answer online do not always resemble all residents, so interviewers also spoke to "
            "residents in the field. Each answer was then given a weight so that the participants together "
            "resemble the adult population of the Region on these characteristics: {margins}. The percentages "
            "are therefore weighted estimates."
        ),
        "ci": "The black lines show the 95% confidence interval: the true value very probably lies within it.",
        "neff": "After weighting, the precision equals that of a random sample of about {neff} people.",
        "answer": "Answer", "estimate": "Estimate", "ci_col": "95% confidence interval",
        "n": "Number of answers", "none": "No results published yet.", "source": "Population figures",
        "technical": "Technical details", "data_table": "Data table",
    },
}  # fmt: skip
