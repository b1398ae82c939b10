"""Words of the tablet preview (the citizen preview's are in :mod:`survey.console.consultation_texts`)."""

from __future__ import annotations

from survey.console import texts

TEXTS: texts.Catalogue = {
    "tablet_preview": {"fr": "tablette", "nl": "tablet", "en": "tablet"},
    "tablet_preview_of": {"fr": "Aperçu de la version {n} telle que la tablette l'affiche ({language}{easy})",
                          "nl": "Voorbeeld van versie {n} zoals de tablet ze toont ({language}{easy})",
                          "en": "Preview of version {n} as the tablet shows it ({language}{easy})"},
    "tablet_preview_notice": {"fr": "Les réponses restent dans cette page : rien n'est envoyé ni enregistré.",
                              "nl": "De antwoorden blijven op deze pagina: er wordt niets verzonden of opgeslagen.",
                              "en": "Answers stay in this page: nothing is sent or stored."},
    "tablet_preview_noscript": {"fr": "La tablette affiche le questionnaire avec JavaScript : activez-le pour cet aperçu, "
                                      "ou utilisez l'aperçu citoyen, qui fonctionne sans.",
                                "nl": "De tablet toont de vragenlijst met JavaScript: schakel het in voor dit voorbeeld, "
                                      "of gebruik het burgervoorbeeld, dat zonder werkt.",
                                "en": "The tablet shows the questionnaire with JavaScript: turn it on for this preview, "
                                      "or use the citizen preview, which works without."},
    "tablet_preview_paused_title": {"fr": "Entretien en pause", "nl": "Interview gepauzeerd", "en": "Interview paused"},
    "tablet_preview_paused": {"fr": "Aperçu : sur la tablette, l'entretien resterait parmi les entretiens inachevés.",
                              "nl": "Voorbeeld: op de tablet bleef het interview bij de onafgewerkte interviews.",
                              "en": "Preview: on the tablet the interview would stay among the unfinished ones."},
    "tablet_preview_finished_title": {"fr": "Fin de l'aperçu", "nl": "Einde van het voorbeeld", "en": "End of the preview"},
    "tablet_preview_finished": {"fr": "Aperçu : sur la tablette, l'entretien serait maintenant prêt à être envoyé. "
                                      "Ici, rien n'a été enregistré.",
                                "nl": "Voorbeeld: op de tablet zou het interview nu klaar zijn om te verzenden. "
                                      "Hier is niets opgeslagen.",
                                "en": "Preview: on the tablet the interview would now be ready to send. "
                                      "Here nothing was stored."},
    "tablet_preview_resume": {"fr": "Reprendre l'entretien", "nl": "Interview hervatten", "en": "Resume the interview"},
    "tablet_preview_restart": {"fr": "Recommencer", "nl": "Opnieuw beginnen", "en": "Start again"},
}  # fmt: skip

texts.register(TEXTS)
