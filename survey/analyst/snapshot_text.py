"""Words of the snapshot pages (review, publish, withdraw, compare) in French, Dutch and English.

Why a table of its own: publishing is the one irreversible act of the workbench, and its wording
(what the confirmation means, what withdrawal does to the public page) is read carefully; keeping
it together makes the three languages easy to review side by side.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["SNAPSHOT_TEXT", "snapshot_text"]

SNAPSHOT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "report": "Report of this snapshot (its frozen figures)", "report_pdf": "PDF ({language})", "report_html": "HTML ({language})",
        "title": "Snapshot {id}", "review": "Review and publish", "state": "State",
        "draft": "draft (not public)", "public": "public since {date}", "withdrawn": "withdrawn on {date}",
        "preview": "Preview as the public will see it", "confirm": "I have checked the preview: publish these results",
        "publish": "Publish", "must_confirm": "Tick the box to confirm that you checked the preview.",
        "withdraw": "Withdraw from the public pages",
        "confirm_withdraw": "I understand that the public page will say these results were withdrawn",
        "must_confirm_withdraw": "Tick the box to confirm the withdrawal.",
        "withdrawn_done": "Snapshot {id} withdrawn.", "compare": "Compare with another snapshot",
        "compare_button": "Compare", "compare_title": "Snapshot {a} → snapshot {b}",
        "question": "Question", "answer": "Answer", "before": "Snapshot {id}", "after": "Snapshot {id}",
        "change": "Change (points)", "only_one": "only in one snapshot", "nothing_else": "No other snapshot yet.",
        "duplicate": "Not frozen: snapshot {id} already holds these results (same data, targets and settings).",
        "what_changed": "What changed between the two runs", "item": "Item", "same": "unchanged",
        "n": "Responses", "deff": "Design effect", "method": "Method", "targets": "Targets set",
        "data_hash": "Data hash", "version": "Questionnaire version", "preview_banner":
        "Preview: this page is not public. Only staff can see it.",
    },
    "fr": {
        "report": "Rapport de cet instantané (ses chiffres figés)", "report_pdf": "PDF ({language})", "report_html": "HTML ({language})",
        "title": "Instantané {id}", "review": "Vérifier et publier", "state": "État",
        "draft": "brouillon (non public)", "public": "public depuis le {date}", "withdrawn": "retiré le {date}",
        "preview": "Aperçu tel que le public le verra",
        "confirm": "J’ai vérifié l’aperçu : publier ces résultats", "publish": "Publier",
        "must_confirm": "Cochez la case pour confirmer que vous avez vérifié l’aperçu.",
        "withdraw": "Retirer des pages publiques",
        "confirm_withdraw": "Je comprends que la page publique indiquera que ces résultats ont été retirés",
        "must_confirm_withdraw": "Cochez la case pour confirmer le retrait.",
        "withdrawn_done": "Instantané {id} retiré.", "compare": "Comparer avec un autre instantané",
        "compare_button": "Comparer", "compare_title": "Instantané {a} → instantané {b}",
        "question": "Question", "answer": "Réponse", "before": "Instantané {id}", "after": "Instantané {id}",
        "change": "Écart (points)", "only_one": "dans un seul instantané",
        "nothing_else": "Aucun autre instantané pour l’instant.",
        "duplicate": "Non figé : l’instantané {id} contient déjà ces résultats (mêmes données, cibles et réglages).",
        "what_changed": "Ce qui a changé entre les deux calculs", "item": "Élément", "same": "inchangé",
        "n": "Réponses", "deff": "Effet de plan", "method": "Méthode", "targets": "Jeu de cibles",
        "data_hash": "Empreinte des données", "version": "Version du questionnaire",
        "preview_banner": "Aperçu : cette page n’est pas publique. Seule l’équipe peut la voir.",
    },
    "nl": {
        "report": "Rapport van deze momentopname (de vastgelegde cijfers)", "report_pdf": "Pdf ({language})", "report_html": "HTML ({language})",
        "title": "Momentopname {id}", "review": "Nakijken en publiceren", "state": "Status",
        "draft": "concept (niet openbaar)", "public": "openbaar sinds {date}", "withdrawn": "ingetrokken op {date}",
        "preview": "Voorbeeld zoals het publiek het ziet",
        "confirm": "Ik heb het voorbeeld nagekeken: deze resultaten publiceren", "publish": "Publiceren",
        "must_confirm": "Vink het vakje aan om te bevestigen dat u het voorbeeld hebt nagekeken.",
        "withdraw": "Van de openbare pagina’s halen",
        "confirm_withdraw": "Ik begrijp dat de openbare pagina zal vermelden dat deze resultaten zijn ingetrokken",
        "must_confirm_withdraw": "Vink het vakje aan om de intrekking te bevestigen.",
        "withdrawn_done": "Momentopname {id} ingetrokken.", "compare": "Vergelijken met een andere momentopname",
        "compare_button": "Vergelijken", "compare_title": "Momentopname {a} → momentopname {b}",
        "question": "Vraag", "answer": "Antwoord", "before": "Momentopname {id}", "after": "Momentopname {id}",
        "change": "Verschil (punten)", "only_one": "slechts in één momentopname",
        "nothing_else": "Nog geen andere momentopname.",
        "duplicate": "Niet vastgelegd: momentopname {id} bevat deze resultaten al (zelfde gegevens, "
                     "streefcijfers en instellingen).",
        "what_changed": "Wat er tussen de twee berekeningen veranderde", "item": "Onderdeel", "same": "ongewijzigd",
        "n": "Antwoorden", "deff": "Designeffect", "method": "Methode", "targets": "Set streefcijfers",
        "data_hash": "Vingerafdruk van de gegevens", "version": "Versie van de vragenlijst",
        "preview_banner": "Voorbeeld: deze pagina is niet openbaar. Alleen het team kan ze zien.",
    },
}  # fmt: skip


def snapshot_text(lang: str) -> Mapping[str, str]:
    """The snapshot pages' words in ``lang`` (English for anything else)."""
    return SNAPSHOT_TEXT.get(lang, SNAPSHOT_TEXT["en"])
