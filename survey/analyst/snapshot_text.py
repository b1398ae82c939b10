"""Words of the snapshot pages (review, publish, withdraw, compare) in French, Dutch and English.

Why a table of its own: publishing is the one irreversible act of the workbench, and its wording
(what the confirmation means, what withdrawal does to the public page) is read carefully; keeping
it together makes the three languages easy to review side by side.
"""

from __future__ import annotations

from collections.abc import Mapping

from survey.catalogue import Catalogue, per_language, register

__all__ = ["SNAPSHOT_TEXT", "snapshot_text"]

_SNAPSHOT_WORDS: Catalogue = {
    "report": {"fr": "Rapport de cet instantané (ses chiffres figés)", "nl": "Rapport van deze momentopname (de vastgelegde cijfers)", "en": "Report of this snapshot (its frozen figures)"},
    "report_pdf": {"fr": "PDF ({language})", "nl": "Pdf ({language})", "en": "PDF ({language})"},
    "report_html": {"fr": "HTML ({language})", "nl": "HTML ({language})", "en": "HTML ({language})"},
    "title": {"fr": "Instantané {id}", "nl": "Momentopname {id}", "en": "Snapshot {id}"},
    "review": {"fr": "Vérifier et publier", "nl": "Nakijken en publiceren", "en": "Review and publish"},
    "state": {"fr": "État", "nl": "Status", "en": "State"},
    "draft": {"fr": "brouillon (non public)", "nl": "concept (niet openbaar)", "en": "draft (not public)"},
    "public": {"fr": "public depuis le {date}", "nl": "openbaar sinds {date}", "en": "public since {date}"},
    "withdrawn": {"fr": "retiré le {date}", "nl": "ingetrokken op {date}", "en": "withdrawn on {date}"},
    "preview": {"fr": "Aperçu tel que le public le verra", "nl": "Voorbeeld zoals het publiek het ziet", "en": "Preview as the public will see it"},
    "confirm": {"fr": "J’ai vérifié l’aperçu : publier ces résultats", "nl": "Ik heb het voorbeeld nagekeken: deze resultaten publiceren", "en": "I have checked the preview: publish these results"},
    "publish": {"fr": "Publier", "nl": "Publiceren", "en": "Publish"},
    "must_confirm": {"fr": "Cochez la case pour confirmer que vous avez vérifié l’aperçu.", "nl": "Vink het vakje aan om te bevestigen dat u het voorbeeld hebt nagekeken.", "en": "Tick the box to confirm that you checked the preview."},
    "withdraw": {"fr": "Retirer des pages publiques", "nl": "Van de openbare pagina’s halen", "en": "Withdraw from the public pages"},
    "confirm_withdraw": {"fr": "Je comprends que la page publique indiquera que ces résultats ont été retirés", "nl": "Ik begrijp dat de openbare pagina zal vermelden dat deze resultaten zijn ingetrokken", "en": "I understand that the public page will say these results were withdrawn"},
    "must_confirm_withdraw": {"fr": "Cochez la case pour confirmer le retrait.", "nl": "Vink het vakje aan om de intrekking te bevestigen.", "en": "Tick the box to confirm the withdrawal."},
    "withdrawn_done": {"fr": "Instantané {id} retiré.", "nl": "Momentopname {id} ingetrokken.", "en": "Snapshot {id} withdrawn."},
    "compare": {"fr": "Comparer avec un autre instantané", "nl": "Vergelijken met een andere momentopname", "en": "Compare with another snapshot"},
    "compare_button": {"fr": "Comparer", "nl": "Vergelijken", "en": "Compare"},
    "compare_title": {"fr": "Instantané {a} → instantané {b}", "nl": "Momentopname {a} → momentopname {b}", "en": "Snapshot {a} → snapshot {b}"},
    "question": {"fr": "Question", "nl": "Vraag", "en": "Question"},
    "answer": {"fr": "Réponse", "nl": "Antwoord", "en": "Answer"},
    "before": {"fr": "Instantané {id}", "nl": "Momentopname {id}", "en": "Snapshot {id}"},
    "after": {"fr": "Instantané {id}", "nl": "Momentopname {id}", "en": "Snapshot {id}"},
    "change": {"fr": "Écart (points)", "nl": "Verschil (punten)", "en": "Change (points)"},
    "only_one": {"fr": "dans un seul instantané", "nl": "slechts in één momentopname", "en": "only in one snapshot"},
    "nothing_else": {"fr": "Aucun autre instantané pour l’instant.", "nl": "Nog geen andere momentopname.", "en": "No other snapshot yet."},
    "duplicate": {"fr": "Non figé : l’instantané {id} contient déjà ces résultats (mêmes données, cibles et réglages).", "nl": "Niet vastgelegd: momentopname {id} bevat deze resultaten al (zelfde gegevens, streefcijfers en instellingen).", "en": "Not frozen: snapshot {id} already holds these results (same data, targets and settings)."},
    "what_changed": {"fr": "Ce qui a changé entre les deux calculs", "nl": "Wat er tussen de twee berekeningen veranderde", "en": "What changed between the two runs"},
    "item": {"fr": "Élément", "nl": "Onderdeel", "en": "Item"},
    "same": {"fr": "inchangé", "nl": "ongewijzigd", "en": "unchanged"},
    "n": {"fr": "Réponses", "nl": "Antwoorden", "en": "Responses"},
    "deff": {"fr": "Effet de plan", "nl": "Designeffect", "en": "Design effect"},
    "method": {"fr": "Méthode", "nl": "Methode", "en": "Method"},
    "targets": {"fr": "Jeu de cibles", "nl": "Set streefcijfers", "en": "Targets set"},
    "data_hash": {"fr": "Empreinte des données", "nl": "Vingerafdruk van de gegevens", "en": "Data hash"},
    "version": {"fr": "Version du questionnaire", "nl": "Versie van de vragenlijst", "en": "Questionnaire version"},
    "preview_banner": {"fr": "Aperçu : cette page n’est pas publique. Seule l’équipe peut la voir.", "nl": "Voorbeeld: deze pagina is niet openbaar. Alleen het team kan ze zien.", "en": "Preview: this page is not public. Only staff can see it."},
}  # fmt: skip
SNAPSHOT_TEXT: dict[str, dict[str, str]] = per_language(
    register("snapshot_text.snapshot_text", _SNAPSHOT_WORDS)
)


def snapshot_text(lang: str) -> Mapping[str, str]:
    """The snapshot pages' words in ``lang`` (English for anything else)."""
    return SNAPSHOT_TEXT.get(lang, SNAPSHOT_TEXT["en"])
