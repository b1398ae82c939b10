"""Language choice: an explicit ``?lang=`` wins, then Accept-Language, then French.

Interface texts live here (not in the form) so every consultation gets the same wording for
consent, navigation and errors in the three official languages of Brussels.
"""

from __future__ import annotations

from survey.catalogue import register

SUPPORTED = ("fr", "nl", "en")
DEFAULT = "fr"
LANGUAGE_NAMES: tuple[tuple[str, str], ...] = (("fr", "Français"), ("nl", "Nederlands"), ("en", "English"))

TEXTS: dict[str, dict[str, str]] = {
    "site_title": {"fr": "Consultations citoyennes", "nl": "Burgerraadplegingen", "en": "Citizen consultations"},
    "open_consultations": {"fr": "Consultations ouvertes", "nl": "Lopende raadplegingen", "en": "Open consultations"},
    "none": {"fr": "Aucune consultation pour le moment.", "nl": "Momenteel geen raadplegingen.",
             "en": "No consultation at the moment."},
    "organised_by": {"fr": "Organisée par", "nl": "Georganiseerd door", "en": "Organised by"},
    "language": {"fr": "Langue", "nl": "Taal", "en": "Language"},
    "skip": {"fr": "Aller au contenu", "nl": "Naar de inhoud", "en": "Skip to content"},
    "easy_on": {"fr": "Facile à lire", "nl": "Makkelijk lezen", "en": "Easy read"},
    "easy_off": {"fr": "Texte habituel", "nl": "Gewone tekst", "en": "Standard text"},
    "purpose": {"fr": "Pourquoi cette consultation ?", "nl": "Waarom deze raadpleging?",
                "en": "Why this consultation?"},
    "duration": {"fr": "Durée : environ {n} minutes.", "nl": "Duur: ongeveer {n} minuten.",
                 "en": "Time needed: about {n} minutes."},
    "data_use": {"fr": "Ce que nous faisons de vos réponses", "nl": "Wat we met uw antwoorden doen",
                 "en": "How your answers are used"},
    "data_use_text": {
        "fr": "Vos réponses sont analysées avec celles des autres participants, uniquement pour cette "
              "consultation. Les résultats publiés sont des totaux : personne ne peut y retrouver vos réponses.",
        "nl": "Uw antwoorden worden samen met die van de andere deelnemers geanalyseerd, alleen voor deze "
              "raadpleging. De gepubliceerde resultaten zijn totalen: niemand kan er uw antwoorden in terugvinden.",
        "en": "Your answers are analysed together with everyone else's, only for this consultation. Published "
              "results are totals: nobody can find your own answers in them.",
    },
    "consent_title": {"fr": "Votre accord", "nl": "Uw toestemming", "en": "Your consent"},
    "consent_anonymity": {
        "fr": "Anonymat : nous ne demandons ni votre nom ni votre adresse, et nous n'enregistrons pas votre "
              "adresse IP.",
        "nl": "Anonimiteit: we vragen niet naar uw naam of adres en we bewaren uw IP-adres niet.",
        "en": "Anonymity: we do not ask for your name or address and we do not record your IP address.",
    },
    "consent_retention": {
        "fr": "Conservation : les réponses sont conservées deux ans après la fin de la consultation, puis "
              "effacées.",
        "nl": "Bewaring: de antwoorden worden twee jaar na het einde van de raadpleging bewaard en daarna "
              "gewist.",
        "en": "Retention: answers are kept for two years after the consultation closes, then deleted.",
    },
    "consent_voluntary": {
        "fr": "Participer est libre : vous pouvez arrêter à tout moment et ne pas répondre aux questions "
              "facultatives.",
        "nl": "Deelnemen is vrijwillig: u kunt op elk moment stoppen en niet-verplichte vragen overslaan.",
        "en": "Taking part is voluntary: you can stop at any time and skip optional questions.",
    },
    "contact": {"fr": "Contact (protection des données) :", "nl": "Contact (gegevensbescherming):",
                "en": "Contact (data protection):"},
    "consent_check": {
        "fr": "J'ai lu ces informations et j'accepte de participer.",
        "nl": "Ik heb deze informatie gelezen en ik wil deelnemen.",
        "en": "I have read this information and I agree to take part.",
    },
    "consent_required": {
        "fr": "Cochez la case pour donner votre accord.", "nl": "Vink het vakje aan om toestemming te geven.",
        "en": "Tick the box to give your consent.",
    },
    "start": {"fr": "Commencer", "nl": "Beginnen", "en": "Start"},
    "honeypot": {"fr": "Laissez ce champ vide", "nl": "Laat dit veld leeg", "en": "Leave this field empty"},
    "progress": {"fr": "Page {k} sur {n}", "nl": "Pagina {k} van {n}", "en": "Page {k} of {n}"},
    "next": {"fr": "Suivant", "nl": "Volgende", "en": "Next"},
    "back": {"fr": "Précédent", "nl": "Vorige", "en": "Previous"},
    "finish": {"fr": "Envoyer mes réponses", "nl": "Mijn antwoorden versturen", "en": "Send my answers"},
    "save": {"fr": "Enregistrer et continuer plus tard", "nl": "Opslaan en later verdergaan",
             "en": "Save and continue later"},
    "rank_place": {"fr": "{n}e place", "nl": "{n}e plaats", "en": "Place {n}"},
    "rank_first": {"fr": "1re place", "nl": "1e plaats", "en": "Place 1"},
    "rank_choose": {"fr": "Choisissez…", "nl": "Kies…", "en": "Choose…"},
    "rank_intro": {"fr": "Classez les options : une option par place, chacune une seule fois.",
                   "nl": "Rangschik de opties: één optie per plaats, elke optie maar één keer.",
                   "en": "Put the options in order: one option per place, each option once."},
    "file_kept": {"fr": "Fichier déjà envoyé : {name}. Choisissez-en un autre pour le remplacer.",
                  "nl": "Al verzonden bestand: {name}. Kies een ander om het te vervangen.",
                  "en": "File already sent: {name}. Choose another one to replace it."},
    "file_limit": {"fr": "Au maximum {limit}.", "nl": "Hoogstens {limit}.", "en": "At most {limit}."},
    "required_mark": {"fr": "(obligatoire)", "nl": "(verplicht)", "en": "(required)"},
    "errors_title": {"fr": "Il y a un problème", "nl": "Er is een probleem", "en": "There is a problem"},
    "errors_intro": {"fr": "Corrigez les réponses suivantes :", "nl": "Verbeter de volgende antwoorden:",
                     "en": "Please correct the following answers:"},
    "error_prefix": {"fr": "Erreur :", "nl": "Fout:", "en": "Error:"},
    "more_questions": {
        "fr": "Votre réponse ouvre d'autres questions ci-dessous.",
        "nl": "Uw antwoord opent hieronder bijkomende vragen.",
        "en": "Your answer opens further questions below.",
    },
    "saved_title": {"fr": "Vos réponses sont enregistrées", "nl": "Uw antwoorden zijn opgeslagen",
                    "en": "Your answers are saved"},
    "saved_text": {
        "fr": "Gardez ce lien pour continuer plus tard. Toute personne qui l'a peut voir et modifier vos "
              "réponses jusqu'à l'envoi.",
        "nl": "Bewaar deze link om later verder te gaan. Wie de link heeft, kan uw antwoorden zien en wijzigen "
              "tot ze verstuurd zijn.",
        "en": "Keep this link to continue later. Anyone with the link can see and change your answers until "
              "you send them.",
    },
    "resume_link": {"fr": "Lien pour reprendre", "nl": "Link om verder te gaan", "en": "Link to continue"},
    "continue": {"fr": "Continuer maintenant", "nl": "Nu verdergaan", "en": "Continue now"},
    "thanks_title": {"fr": "Merci pour votre participation !", "nl": "Bedankt voor uw deelname!",
                     "en": "Thank you for taking part!"},
    "thanks_text": {
        "fr": "Vos réponses ont été reçues. Elles ne peuvent plus être modifiées.",
        "nl": "Uw antwoorden zijn ontvangen. Ze kunnen niet meer gewijzigd worden.",
        "en": "Your answers have been received. They can no longer be changed.",
    },
    "reference": {"fr": "Référence :", "nl": "Referentie:", "en": "Reference:"},
    "closed": {"fr": "Cette consultation est clôturée.", "nl": "Deze raadpleging is afgesloten.",
               "en": "This consultation is closed."},
    "not_found": {"fr": "Page introuvable.", "nl": "Pagina niet gevonden.", "en": "Page not found."},
    "expired_form": {
        "fr": "Le formulaire a expiré. Rechargez la page et réessayez.",
        "nl": "Het formulier is verlopen. Laad de pagina opnieuw en probeer nog eens.",
        "en": "The form has expired. Reload the page and try again.",
    },
    "too_many": {
        "fr": "Trop de demandes. Patientez une minute puis réessayez.",
        "nl": "Te veel verzoeken. Wacht een minuut en probeer opnieuw.",
        "en": "Too many requests. Wait a minute and try again.",
    },
    "home": {"fr": "Accueil", "nl": "Startpagina", "en": "Home"},
    "qr_show": {"fr": "Afficher le lien en code QR", "nl": "Toon de link als QR-code", "en": "Show the link as a QR code"},
    "qr_title": {"fr": "Code QR du lien pour reprendre", "nl": "QR-code van de link om verder te gaan",
                 "en": "QR code of the link to continue"},
    "qr_help": {"fr": "Scannez-le avec votre téléphone pour continuer dessus.",
                "nl": "Scan hem met uw telefoon om daarop verder te gaan.",
                "en": "Scan it with your phone to continue there."},
    "invitation_code": {"fr": "Code d'invitation", "nl": "Uitnodigingscode", "en": "Invitation code"},
    "invitation_help": {
        "fr": "Il figure sur votre lettre d'invitation, par exemple 7KQ2-M9XD-4HBT.",
        "nl": "U vindt hem op uw uitnodigingsbrief, bijvoorbeeld 7KQ2-M9XD-4HBT.",
        "en": "You will find it on your invitation letter, for example 7KQ2-M9XD-4HBT.",
    },
    "invitation_missing": {"fr": "Saisissez votre code d'invitation.", "nl": "Vul uw uitnodigingscode in.",
                           "en": "Enter your invitation code."},
    "invitation_unknown": {
        "fr": "Ce code d'invitation n'existe pas. Vérifiez-le sur votre lettre.",
        "nl": "Deze uitnodigingscode bestaat niet. Controleer hem op uw brief.",
        "en": "This invitation code does not exist. Check it on your letter.",
    },
    "invitation_used": {
        "fr": "Ce code d'invitation a déjà servi à envoyer des réponses.",
        "nl": "Met deze uitnodigingscode werden al antwoorden verstuurd.",
        "en": "This invitation code has already been used to send answers.",
    },
    "results_link": {"fr": "Voir les résultats publiés", "nl": "Bekijk de gepubliceerde resultaten",
                     "en": "See the published results"},
    "closed_title": {"fr": "Cette consultation est terminée", "nl": "Deze raadpleging is afgelopen",
                     "en": "This consultation has ended"},
    "closed_thanks": {
        "fr": "Merci de votre intérêt. Il n'est plus possible de répondre : la consultation est clôturée.",
        "nl": "Bedankt voor uw interesse. Antwoorden is niet meer mogelijk: de raadpleging is afgesloten.",
        "en": "Thank you for your interest. It is no longer possible to answer: the consultation is closed.",
    },
    "closed_easy": {"fr": "Vous ne pouvez plus répondre. C'est fini. Merci !",
                    "nl": "U kunt niet meer antwoorden. Het is voorbij. Bedankt!",
                    "en": "You cannot answer any more. It is over. Thank you!"},
    "closed_results_later": {
        "fr": "Les résultats seront publiés sur ce site dès qu'ils seront prêts.",
        "nl": "De resultaten komen op deze website zodra ze klaar zijn.",
        "en": "The results will be published on this site as soon as they are ready.",
    },
    "test_mode": {
        "fr": "Mode test : vos réponses sont marquées comme tests et ne comptent dans aucun résultat.",
        "nl": "Testmodus: uw antwoorden worden als test gemarkeerd en tellen in geen enkel resultaat mee.",
        "en": "Test mode: your answers are marked as tests and count in no result.",
    },
}  # fmt: skip
register("http.i18n", TEXTS)


# Month names for dates written out in full (never ambiguous between 03/04 and 04/03).
MONTHS: dict[str, tuple[str, ...]] = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip

# The words of every staff sign-in form (coordinators', analysts'): one wording wherever staff sign in.
STAFF_SIGN_IN: dict[str, dict[str, str]] = {
    "username": {"fr": "Nom d'utilisateur", "nl": "Gebruikersnaam", "en": "User name"},
    "password": {"fr": "Mot de passe", "nl": "Wachtwoord", "en": "Password"},
    "sign_in": {"fr": "Se connecter", "nl": "Aanmelden", "en": "Sign in"},
    "sign_out": {"fr": "Se déconnecter", "nl": "Afmelden", "en": "Sign out"},
    "bad_login": {"fr": "Nom d'utilisateur inconnu ou mot de passe erroné.",
                  "nl": "Onbekende gebruikersnaam of fout wachtwoord.", "en": "Unknown user or wrong password."},
    "too_many": {
        "fr": "Trop de tentatives de connexion échouées. Réessayez dans {minutes} minute(s).",
        "nl": "Te veel mislukte aanmeldpogingen. Probeer het opnieuw over {minutes} minuut/minuten.",
        "en": "Too many failed sign-in attempts. Try again in {minutes} minute(s).",
    },
}  # fmt: skip


def negotiate(accept_language: str | None, explicit: str | None = None, default: str = DEFAULT) -> str:
    """Pick a supported language; quality values in Accept-Language are honoured."""
    if explicit in SUPPORTED:
        return str(explicit)
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        pieces = part.strip().split(";")
        code = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for piece in pieces[1:]:
            if piece.strip().startswith("q="):
                try:
                    quality = float(piece.strip()[2:])
                except ValueError:
                    quality = 0.0
        if code in SUPPORTED:
            ranked.append((quality, code))
    ranked.sort(key=lambda item: -item[0])
    return ranked[0][1] if ranked else default


def text(key: str, language: str, **values: object) -> str:
    """Interface text in a language (French when a key lacks one), with ``{placeholders}`` filled."""
    template = TEXTS[key].get(language) or TEXTS[key][DEFAULT]
    return template.format(**values) if values else template
