"""Every word of the tablet's interface (the interviewer's own language), in French, Dutch and English.

Why here and not in a table inside ``static/i18n.js``: the one catalogue checks every key in the three
languages with the same ``{placeholders}`` (tests/test_catalogues.py), and translators read one format.
The shell serves ``/field/i18n.js`` with these texts written into it (:mod:`field_app.shell`), so the
tablet still has them offline from its first start, before any sign-in.
"""

from __future__ import annotations

from survey.catalogue import register

TEXTS: dict[str, dict[str, str]] = register(
    "field.tablet",
    {
        "msg.saveFailed": {
            "fr": "Enregistrement impossible sur la tablette ({msg}). Libérez de la place ou redémarrez le navigateur ; l'entretien garde ce qui était déjà enregistré.",
            "nl": "Bewaren op de tablet lukt niet ({msg}). Maak ruimte vrij of herstart de browser; het interview houdt wat al bewaard was.",
            "en": "Could not save on the tablet ({msg}). Free some space or restart the browser; the interview keeps what was saved before.",
        },
        "msg.storageFailed": {
            "fr": "Le stockage de la tablette n'a pas répondu ({msg}). Libérez de la place ou redémarrez le navigateur ; ce qui était déjà enregistré reste sur la tablette.",
            "nl": "De opslag van de tablet reageerde niet ({msg}). Maak ruimte vrij of herstart de browser; wat al bewaard was, blijft op de tablet.",
            "en": "The tablet's storage did not answer ({msg}). Free some space or restart the browser; what was saved before stays on the tablet.",
        },
        "iv.jump": {
            "fr": "Aller à",
            "nl": "Ga naar",
            "en": "Go to",
        },
        "iv.handover": {
            "fr": "Donner la tablette à la personne",
            "nl": "Tablet aan de respondent geven",
            "en": "Hand to the respondent",
        },
        "iv.handback": {
            "fr": "Retour à l'enquêteur (PIN)",
            "nl": "Terug naar de enquêteur (pincode)",
            "en": "Back to the interviewer (PIN)",
        },
        "quota.full": {
            "fr": "complet",
            "nl": "vol",
            "en": "full",
        },
        "msg.resumed": {
            "fr": "Déverrouillé : retour à l'entretien là où il était.",
            "nl": "Ontgrendeld: terug naar het interview waar het was.",
            "en": "Unlocked: back to the interview where it was.",
        },
        "iv.clear": {
            "fr": "Effacer la réponse",
            "nl": "Antwoord wissen",
            "en": "Clear answer",
        },
        "iv.rankHint": {
            "fr": "Touchez les options dans l'ordre : première, deuxième… Touchez une option numérotée pour la retirer.",
            "nl": "Tik de opties in volgorde aan: eerste, tweede… Tik een genummerde optie aan om ze weg te halen.",
            "en": "Tap the options in order: first, second… Tap a numbered one to take it out.",
        },
        "iv.recordPosition": {
            "fr": "Enregistrer la position",
            "nl": "Positie vastleggen",
            "en": "Record the position",
        },
        "iv.positionFailed": {
            "fr": "La position n'a pas pu être lue : tapez-la (latitude longitude).",
            "nl": "De positie kon niet gelezen worden: typ ze in (breedte lengte).",
            "en": "The position could not be read: type it (latitude longitude).",
        },
        "iv.respondentLang": {
            "fr": "Langue de la personne",
            "nl": "Taal van de respondent",
            "en": "Respondent's language",
        },
        "iv.errors": {
            "fr": "{n} réponse(s) à vérifier",
            "nl": "{n} antwoord(en) na te kijken",
            "en": "{n} answer(s) to check",
        },
        "iv.navigation": {
            "fr": "Navigation dans l'entretien",
            "nl": "Navigatie in het interview",
            "en": "Interview navigation",
        },
        "iv.review": {
            "fr": "Relire les réponses",
            "nl": "Antwoorden nalezen",
            "en": "Review answers",
        },
        "iv.reviewTitle": {
            "fr": "Relecture avant de terminer",
            "nl": "Nalezen voor het afronden",
            "en": "Review before finishing",
        },
        "iv.reviewHint": {
            "fr": "Touchez une réponse pour revenir à sa page.",
            "nl": "Tik op een antwoord om naar zijn pagina terug te gaan.",
            "en": "Tap an answer to go back to its page.",
        },
        "queue.correcting": {
            "fr": "correction en cours",
            "nl": "correctie bezig",
            "en": "correction in progress",
        },
        "queue.corrected": {
            "fr": "corrigé",
            "nl": "gecorrigeerd",
            "en": "corrected",
        },
        "queue.correctionOf": {
            "fr": "correction de {no}",
            "nl": "correctie van {no}",
            "en": "correction of {no}",
        },
        "queue.no": {
            "fr": "n° {no}",
            "nl": "nr. {no}",
            "en": "no. {no}",
        },
        "home.undo": {
            "fr": "Annuler",
            "nl": "Ongedaan maken",
            "en": "Undo",
        },
        "home.signOut": {
            "fr": "Se déconnecter",
            "nl": "Afmelden",
            "en": "Sign out",
        },
        "home.loginAgain": {
            "fr": "Se reconnecter",
            "nl": "Opnieuw inloggen",
            "en": "Sign in again",
        },
        "home.allSent": {
            "fr": "Tout est envoyé : vous pouvez fermer l'application.",
            "nl": "Alles is verzonden: u kunt de app veilig sluiten.",
            "en": "Everything is sent: it is safe to close the app.",
        },
        "home.discardYes": {
            "fr": "Oui, l'abandonner",
            "nl": "Ja, weggooien",
            "en": "Yes, discard it",
        },
        "home.confirmDiscard": {
            "fr": "Abandonner définitivement cet entretien inachevé ? {what}",
            "nl": "Dit onafgewerkte interview definitief weggooien? {what}",
            "en": "Discard this unfinished interview for good? {what}",
        },
        "home.discard": {
            "fr": "Abandonner",
            "nl": "Weggooien",
            "en": "Discard",
        },
        "home.resumeShort": {
            "fr": "Reprendre",
            "nl": "Hervatten",
            "en": "Resume",
        },
        "home.answered": {
            "fr": "{n} réponse(s)",
            "nl": "{n} antwoord(en)",
            "en": "{n} answer(s)",
        },
        "home.paperNoHint": {
            "fr": "Seulement pour un questionnaire papier saisi après coup : le remplir fait de l'entretien une saisie papier.",
            "nl": "Alleen voor een papieren vragenlijst die achteraf ingevoerd wordt: wie dit invult, maakt van het interview een papieren invoer.",
            "en": "Only for a paper questionnaire typed in afterwards: filling it in makes the interview a paper entry.",
        },
        "home.paperNoLabel": {
            "fr": "Numéro du questionnaire papier",
            "nl": "Nummer van de papieren vragenlijst",
            "en": "Paper form number",
        },
        "msg.discardFailed": {
            "fr": "Pas abandonné : cet entretien a changé dans une autre fenêtre.",
            "nl": "Niet weggegooid: dit interview werd in een ander venster gewijzigd.",
            "en": "Not discarded: this interview changed in another window.",
        },
        "msg.discarded": {
            "fr": "Entretien inachevé abandonné.",
            "nl": "Onafgewerkt interview weggegooid.",
            "en": "Unfinished interview discarded.",
        },
        "msg.undoTooLate": {
            "fr": "Trop tard pour annuler : c'est déjà envoyé.",
            "nl": "Te laat om ongedaan te maken: het is al verzonden.",
            "en": "Too late to undo: it was already sent.",
        },
        "msg.undone": {
            "fr": "Annulé : {what}.",
            "nl": "Ongedaan gemaakt: {what}.",
            "en": "Taken back: {what}.",
        },
        "msg.recordedUndo": {
            "fr": "Enregistré : {what}. Vous pouvez l'annuler dans la file d'envoi tant qu'il n'est pas envoyé.",
            "nl": "Geregistreerd: {what}. U kunt het in de wachtrij ongedaan maken zolang het niet verzonden is.",
            "en": "Recorded: {what}. You can undo it in the queue until it is sent.",
        },
        "home.confirmYes": {
            "fr": "Oui, enregistrer",
            "nl": "Ja, registreren",
            "en": "Yes, record it",
        },
        "home.confirmContact": {
            "fr": "Enregistrer « {what} » pour {title} ?",
            "nl": "„{what}” registreren voor {title}?",
            "en": "Record “{what}” for {title}?",
        },
        "home.cancel": {
            "fr": "Annuler",
            "nl": "Annuleren",
            "en": "Cancel",
        },
        "out.done": {
            "fr": "Déconnecté.",
            "nl": "Afgemeld.",
            "en": "Signed out.",
        },
        "status.user": {
            "fr": "Enquêteur : {name}",
            "nl": "Enquêteur: {name}",
            "en": "Interviewer: {name}",
        },
        "login.addTitle": {
            "fr": "Un autre enquêteur sur cette tablette",
            "nl": "Een andere enquêteur op deze tablet",
            "en": "Another interviewer on this tablet",
        },
        "login.addExplain": {
            "fr": "Connectez-vous avec votre propre compte (il faut du réseau). Vous choisirez votre propre code PIN et ne verrez que vos entretiens.",
            "nl": "Meld u aan met uw eigen account (dit vraagt netwerk). U kiest uw eigen pincode en ziet alleen uw eigen interviews.",
            "en": "Sign in with your own account (this needs the network). You will choose your own PIN and see only your own interviews.",
        },
        "lock.who": {
            "fr": "Enquêteur : {name}",
            "nl": "Enquêteur: {name}",
            "en": "Interviewer: {name}",
        },
        "lock.others": {
            "fr": "Autres enquêteurs sur cette tablette",
            "nl": "Andere enquêteurs op deze tablet",
            "en": "Other interviewers on this tablet",
        },
        "lock.switchTo": {
            "fr": "Je suis {name}",
            "nl": "Ik ben {name}",
            "en": "I am {name}",
        },
        "lock.add": {
            "fr": "Un autre enquêteur : se connecter",
            "nl": "Een andere enquêteur: aanmelden",
            "en": "Another interviewer: sign in",
        },
        "home.switchUser": {
            "fr": "Changer d'enquêteur",
            "nl": "Andere enquêteur",
            "en": "Change interviewer",
        },
        "sup.button": {
            "fr": "Débloquer avec le code du superviseur",
            "nl": "Ontgrendelen met de code van de supervisor",
            "en": "Unlock with the supervisor's code",
        },
        "sup.title": {
            "fr": "Code du superviseur",
            "nl": "Code van de supervisor",
            "en": "Supervisor's code",
        },
        "sup.explain": {
            "fr": "Votre superviseur tape le code de déblocage de votre consultation. Cela fonctionne sans réseau ; vous choisissez ensuite un nouveau code PIN. Vos entretiens restent sur la tablette.",
            "nl": "Uw supervisor typt de ontgrendelcode van uw raadpleging. Dat werkt zonder netwerk; daarna kiest u een nieuwe pincode. Uw interviews blijven op de tablet.",
            "en": "Your supervisor types the unlock code of your consultation. It works without network; then you choose a new PIN. Your interviews stay on the tablet.",
        },
        "sup.label": {
            "fr": "Code de déblocage",
            "nl": "Ontgrendelcode",
            "en": "Unlock code",
        },
        "sup.ok": {
            "fr": "Vérifier le code",
            "nl": "Code controleren",
            "en": "Check the code",
        },
        "sup.checking": {
            "fr": "Vérification…",
            "nl": "Controleren…",
            "en": "Checking…",
        },
        "sup.wrong": {
            "fr": "Code erroné. Attendez un instant avant de réessayer.",
            "nl": "Verkeerde code. Wacht even voor u het opnieuw probeert.",
            "en": "Wrong code. Wait a moment before trying again.",
        },
        "sup.none": {
            "fr": "Aucun code de superviseur n'est encore arrivé sur cette tablette : reconnectez-vous avec le mot de passe, en ligne.",
            "nl": "Er is nog geen supervisorcode op deze tablet: meld u opnieuw aan met het wachtwoord, met netwerk.",
            "en": "No supervisor code has reached this tablet yet: sign in again with the password while online.",
        },
        "out.offline": {
            "fr": "La déconnexion demande du réseau : le serveur doit annuler la clé de cette tablette. Réessayez une fois en ligne.",
            "nl": "Afmelden vraagt netwerk: de server moet de sleutel van deze tablet intrekken. Probeer opnieuw met netwerk.",
            "en": "Signing out needs the network: the server must cancel this tablet's key. Try again when online.",
        },
        "out.failed": {
            "fr": "Pas déconnecté : {msg}. Réessayez.",
            "nl": "Niet afgemeld: {msg}. Probeer opnieuw.",
            "en": "Not signed out: {msg}. Try again.",
        },
        "msg.clock": {
            "fr": "L'horloge de cette tablette est fausse (date ou heure). Les entretiens sont gardés, mais leur heure est notée inconnue : réglez la date et l'heure dans les paramètres de la tablette.",
            "nl": "De klok van deze tablet staat verkeerd (datum of uur). De interviews worden bewaard, maar hun tijd wordt als onbekend genoteerd: stel datum en uur in bij de instellingen van de tablet.",
            "en": "This tablet's clock is wrong (date or time). Interviews are kept, but their time is recorded as unknown: set the date and time in the tablet's settings.",
        },
        "out.no": {
            "fr": "Rester connecté",
            "nl": "Aangemeld blijven",
            "en": "Stay signed in",
        },
        "out.yes": {
            "fr": "Se déconnecter",
            "nl": "Afmelden",
            "en": "Sign out",
        },
        "out.confirm": {
            "fr": "Se déconnecter de cette tablette ? Tout est sur le serveur ; la tablette oublie votre session, votre code PIN et la liste des entretiens envoyés.",
            "nl": "Afmelden van deze tablet? Alles staat op de server; de tablet vergeet uw sessie, uw pincode en de lijst van verzonden interviews.",
            "en": "Sign out of this tablet? Everything is on the server; the tablet forgets your session, your PIN and the list of sent interviews.",
        },
        "out.refused": {
            "fr": "Déconnexion impossible : {n} entretien(s) ou contact(s) ne sont pas encore sur le serveur. Synchronisez-les ou exportez-les d'abord pour votre superviseur.",
            "nl": "Afmelden kan niet: {n} interview(s) of contact(en) staan nog niet op de server. Synchroniseer ze of exporteer ze eerst voor uw supervisor.",
            "en": "Signing out is not possible: {n} interview(s) or contact(s) are not on the server yet. Sync them, or export them for your supervisor first.",
        },
        "lock.forgot": {
            "fr": "Code PIN oublié ?",
            "nl": "Pincode vergeten?",
            "en": "Forgot PIN?",
        },
        "lock.password": {
            "fr": "Me connecter avec mon mot de passe",
            "nl": "Inloggen met mijn wachtwoord",
            "en": "Sign in with my password",
        },
        "lock.blocked": {
            "fr": "{n} codes PIN erronés : reconnectez-vous avec votre mot de passe pour ouvrir la tablette. Vos entretiens y restent.",
            "nl": "{n} verkeerde pincodes: log opnieuw in met uw wachtwoord om de tablet te openen. Uw interviews blijven erop.",
            "en": "{n} wrong PINs: sign in again with your password to open the tablet. Your interviews stay on it.",
        },
        "pin.differ": {
            "fr": "Les deux codes PIN diffèrent : tapez deux fois le même.",
            "nl": "De twee pincodes verschillen: typ twee keer dezelfde.",
            "en": "The two PINs differ: type the same PIN twice.",
        },
        "pin.againLabel": {
            "fr": "Le même code PIN, encore une fois",
            "nl": "Dezelfde pincode nog eens",
            "en": "The same PIN again",
        },
        "login.back": {
            "fr": "Retour",
            "nl": "Terug",
            "en": "Back",
        },
        "login.againExplain": {
            "fr": "Connectez-vous avec votre mot de passe (il faut le réseau), puis choisissez un nouveau code PIN. Les entretiens restent sur cette tablette.",
            "nl": "Log in met uw wachtwoord (daarvoor is netwerk nodig) en kies daarna een nieuwe pincode. De interviews blijven op deze tablet.",
            "en": "Sign in with your password (this needs the network), then choose a new PIN. The interviews on this tablet stay where they are.",
        },
        "login.againTitle": {
            "fr": "Se reconnecter",
            "nl": "Opnieuw inloggen",
            "en": "Sign in again",
        },
        "status.unfinished": {
            "fr": "{n} inachevé(s)",
            "nl": "{n} onafgewerkt",
            "en": "{n} unfinished",
        },
        "storage.explainOff": {
            "fr": "Ce navigateur n'a pas promis de garder les données de l'application. Si la tablette manque de place, il peut les effacer, y compris les entretiens pas encore envoyés. Synchronisez dès que vous avez du réseau et ajoutez l'application à l'écran d'accueil : les navigateurs gardent en général les données d'une application installée. L'application redemande à chaque démarrage.",
            "nl": "Deze browser heeft niet beloofd de gegevens van de app te bewaren. Als de tablet te weinig ruimte heeft, kan hij ze wissen, ook interviews die nog niet verzonden zijn. Synchroniseer zodra u netwerk hebt en zet de app op het startscherm: browsers bewaren meestal de gegevens van een geïnstalleerde app. De app vraagt het opnieuw bij elke start.",
            "en": "This browser has not promised to keep the app's data. If the tablet runs short of space it may delete it, including interviews not yet sent. Sync whenever you have the network, and add the app to the home screen: browsers usually keep an installed app's data. The app asks again at each start.",
        },
        "storage.explainOn": {
            "fr": "Stockage persistant : le navigateur n'effacera pas les entretiens de lui-même. Effacer à la main les données du navigateur les supprimerait quand même : synchronisez avant.",
            "nl": "Opslag blijvend: de browser wist de interviews niet uit zichzelf. De browsergegevens met de hand wissen zou ze wel verwijderen: synchroniseer eerst.",
            "en": "Storage is persistent: the browser will not delete the interviews on its own. Clearing the browser's data by hand still would, so sync before doing that.",
        },
        "iv.busyTitle": {
            "fr": "Ouvert dans une autre fenêtre",
            "nl": "Open in een ander venster",
            "en": "Open in another window",
        },
        "iv.busy": {
            "fr": "Cet entretien est ouvert dans une autre fenêtre ou un autre onglet de l'application. Terminez-le ou mettez-le en pause là-bas, ou ouvrez-le ici : l'autre fenêtre cesse alors de le modifier (rien de ce qui a déjà été répondu n'est perdu).",
            "nl": "Dit interview is open in een ander venster of tabblad van de app. Rond het daar af of pauzeer het, of open het hier: het andere venster kan het dan niet meer wijzigen (niets wat al beantwoord is, gaat verloren).",
            "en": "This interview is open in another window or tab of the app. Finish or pause it there, or open it here: the other window then stops editing it (nothing already answered is lost).",
        },
        "iv.takeOver": {
            "fr": "L'ouvrir ici",
            "nl": "Hier openen",
            "en": "Open it here",
        },
        "iv.backHome": {
            "fr": "Retour à l'écran d'accueil",
            "nl": "Terug naar het startscherm",
            "en": "Back to the start screen",
        },
        "iv.takenOver": {
            "fr": "Cet entretien a été ouvert dans une autre fenêtre ; celle-ci a cessé de le modifier. Tout ce qui a été répondu ici est enregistré.",
            "nl": "Dit interview werd in een ander venster geopend; dit venster wijzigt het niet meer. Alles wat hier beantwoord werd, is bewaard.",
            "en": "This interview was opened in another window, so this one stopped editing it. Everything answered here is saved.",
        },
        "iv.alreadyDone": {
            "fr": "Cet entretien a déjà été terminé dans une autre fenêtre ; il est dans la file d'envoi et ne peut plus être modifié ici.",
            "nl": "Dit interview werd al afgerond in een ander venster; het staat in de wachtrij en kan hier niet meer gewijzigd worden.",
            "en": "This interview was already finished in another window; it is in the queue and can no longer be changed here.",
        },
        "iv.gone": {
            "fr": "Cet entretien a été abandonné dans une autre fenêtre.",
            "nl": "Dit interview werd in een ander venster weggegooid.",
            "en": "This interview was discarded in another window.",
        },
        "iv.clash": {
            "fr": "Cet entretien a été modifié en même temps dans une autre fenêtre. Rien n'a été écrasé : les réponses de cet écran ont été gardées comme un entretien inachevé séparé, lié à l'autre. Vérifiez les deux et abandonnez celui qui ne sert pas.",
            "nl": "Dit interview werd tegelijk in een ander venster gewijzigd. Er werd niets overschreven: de antwoorden op dit scherm werden bewaard als een apart onafgewerkt interview, gekoppeld aan het andere. Controleer beide en gooi het overbodige weg.",
            "en": "This interview was changed in another window at the same time. Nothing was overwritten: the answers on this screen were kept as a separate unfinished interview, linked to the other one. Check both and discard the one you do not need.",
        },
        "iv.copy": {
            "fr": "copie après un conflit entre deux fenêtres",
            "nl": "kopie na een conflict tussen twee vensters",
            "en": "copy after a clash between two windows",
        },
        "home.copyOf": {
            "fr": "copie après un conflit",
            "nl": "kopie na een conflict",
            "en": "copy after a clash",
        },
        "ui.language": {
            "fr": "Langue de l'application",
            "nl": "Taal van de app",
            "en": "App language",
        },
        "status.online": {
            "fr": "en ligne",
            "nl": "online",
            "en": "online",
        },
        "status.offline": {
            "fr": "hors ligne",
            "nl": "offline",
            "en": "offline",
        },
        "status.pending": {
            "fr": "{n} à envoyer",
            "nl": "{n} te verzenden",
            "en": "{n} to send",
        },
        "status.sent": {
            "fr": "envoyés {n}",
            "nl": "verzonden {n}",
            "en": "sent {n}",
        },
        "status.rejected": {
            "fr": "refusés {n}",
            "nl": "geweigerd {n}",
            "en": "rejected {n}",
        },
        "status.never": {
            "fr": "jamais synchronisé",
            "nl": "nooit gesynchroniseerd",
            "en": "never synced",
        },
        "status.last": {
            "fr": "dernière synchro {at}",
            "nl": "laatste synchronisatie {at}",
            "en": "last sync {at}",
        },
        "storage.on": {
            "fr": "stockage persistant",
            "nl": "opslag blijvend",
            "en": "storage persistent",
        },
        "storage.off": {
            "fr": "stockage NON persistant",
            "nl": "opslag NIET blijvend",
            "en": "storage NOT persistent",
        },
        "storage.free": {
            "fr": "{mb} Mo libres",
            "nl": "{mb} MB vrij",
            "en": "{mb} MB free",
        },
        "loading": {
            "fr": "Chargement…",
            "nl": "Laden…",
            "en": "Loading…",
        },
        "login.title": {
            "fr": "Entretiens de terrain",
            "nl": "Veldinterviews",
            "en": "Field interviews",
        },
        "login.user": {
            "fr": "Identifiant",
            "nl": "Gebruikersnaam",
            "en": "Username",
        },
        "login.pass": {
            "fr": "Mot de passe",
            "nl": "Wachtwoord",
            "en": "Password",
        },
        "login.device": {
            "fr": "Nom de la tablette",
            "nl": "Naam van de tablet",
            "en": "Tablet name",
        },
        "login.submit": {
            "fr": "Se connecter",
            "nl": "Inloggen",
            "en": "Log in",
        },
        "login.network": {
            "fr": "La première connexion demande le réseau.",
            "nl": "De eerste keer inloggen vraagt netwerk.",
            "en": "The first login needs the network.",
        },
        "login.busy": {
            "fr": "Connexion…",
            "nl": "Inloggen…",
            "en": "Logging in…",
        },
        "login.wrong": {
            "fr": "Identifiant ou mot de passe erroné, ou compte qui n'est pas enquêteur.",
            "nl": "Verkeerde gebruikersnaam of wachtwoord, of geen enquêteursaccount.",
            "en": "Wrong username or password, or not an interviewer account.",
        },
        "login.tooMany": {
            "fr": "Trop d'essais manqués. Attendez {minutes} minute(s) ou demandez à votre superviseur.",
            "nl": "Te veel mislukte pogingen. Wacht {minutes} minuut/minuten of vraag het uw supervisor.",
            "en": "Too many failed attempts. Wait {minutes} minute(s), or ask your supervisor.",
        },
        "pin.title": {
            "fr": "Choisissez un code PIN",
            "nl": "Kies een pincode",
            "en": "Choose a PIN",
        },
        "pin.explain": {
            "fr": "Il déverrouille l'application sur cette tablette, même hors ligne.",
            "nl": "Ze ontgrendelt de app op deze tablet, ook offline.",
            "en": "It unlocks the app on this tablet, also offline.",
        },
        "pin.label": {
            "fr": "Code PIN",
            "nl": "Pincode",
            "en": "PIN",
        },
        "pin.save": {
            "fr": "Enregistrer le PIN",
            "nl": "Pincode bewaren",
            "en": "Save PIN",
        },
        "pin.digits": {
            "fr": "4 à 8 chiffres.",
            "nl": "4 tot 8 cijfers.",
            "en": "4 to 8 digits.",
        },
        "lock.title": {
            "fr": "Verrouillé",
            "nl": "Vergrendeld",
            "en": "Locked",
        },
        "lock.unlock": {
            "fr": "Déverrouiller",
            "nl": "Ontgrendelen",
            "en": "Unlock",
        },
        "lock.wrong": {
            "fr": "Code PIN erroné. Encore {left} essai(s) avant de devoir vous reconnecter avec votre mot de passe.",
            "nl": "Verkeerde pincode. Nog {left} poging(en) voor u met uw wachtwoord moet inloggen.",
            "en": "Wrong PIN. {left} tries left before you must sign in with your password.",
        },
        "home.new": {
            "fr": "Nouveau contact",
            "nl": "Nieuw contact",
            "en": "New contact",
        },
        "home.respondentLang": {
            "fr": "Langue de la personne interrogée",
            "nl": "Taal van de respondent",
            "en": "Respondent's language",
        },
        "home.easy": {
            "fr": "Facile à lire",
            "nl": "Makkelijk lezen",
            "en": "Easy-read",
        },
        "home.start": {
            "fr": "Commencer l'entretien",
            "nl": "Interview starten",
            "en": "Start interview",
        },
        "home.refusal": {
            "fr": "Refus",
            "nl": "Weigering",
            "en": "Refusal",
        },
        "home.notAtHome": {
            "fr": "Absent",
            "nl": "Niet thuis",
            "en": "Not at home",
        },
        "home.quotas": {
            "fr": "Quotas",
            "nl": "Quota",
            "en": "Quotas",
        },
        "home.note": {
            "fr": "Note sur le contact",
            "nl": "Notitie bij het contact",
            "en": "Contact note",
        },
        "home.none": {
            "fr": "Aucune consultation ne vous est encore attribuée.",
            "nl": "U hebt nog geen bevraging toegewezen gekregen.",
            "en": "No consultation assigned to you yet.",
        },
        "home.unfinished": {
            "fr": "Entretiens inachevés",
            "nl": "Onafgewerkte interviews",
            "en": "Unfinished interviews",
        },
        "home.queue": {
            "fr": "File d'envoi",
            "nl": "Wachtrij",
            "en": "Queue",
        },
        "home.sync": {
            "fr": "Synchroniser",
            "nl": "Nu synchroniseren",
            "en": "Sync now",
        },
        "home.export": {
            "fr": "Exporter les non envoyés",
            "nl": "Niet-verzonden exporteren",
            "en": "Export unsynced",
        },
        "home.lock": {
            "fr": "Verrouiller",
            "nl": "Vergrendelen",
            "en": "Lock",
        },
        "home.correct": {
            "fr": "Corriger",
            "nl": "Corrigeren",
            "en": "Correct",
        },
        "kind.interview": {
            "fr": "entretien",
            "nl": "interview",
            "en": "interview",
        },
        "kind.refusal": {
            "fr": "refus",
            "nl": "weigering",
            "en": "refusal",
        },
        "kind.not_at_home": {
            "fr": "absent",
            "nl": "niet thuis",
            "en": "not at home",
        },
        "state.pending": {
            "fr": "en attente",
            "nl": "wachtend",
            "en": "pending",
        },
        "state.sent": {
            "fr": "envoyé",
            "nl": "verzonden",
            "en": "sent",
        },
        "state.rejected": {
            "fr": "refusé",
            "nl": "geweigerd",
            "en": "rejected",
        },
        "queue.paper": {
            "fr": "papier {no}",
            "nl": "papier {no}",
            "en": "paper {no}",
        },
        "msg.refused": {
            "fr": "Synchronisation refusée : {msg}",
            "nl": "Synchronisatie geweigerd: {msg}",
            "en": "Sync refused: {msg}",
        },
        "msg.retry": {
            "fr": "Nouvel essai de synchronisation : {msg}",
            "nl": "Synchronisatie wordt opnieuw geprobeerd: {msg}",
            "en": "Sync will retry: {msg}",
        },
        "msg.saved": {
            "fr": "Entretien enregistré sur la tablette.",
            "nl": "Interview op de tablet bewaard.",
            "en": "Interview saved on the tablet.",
        },
        "msg.noVersion": {
            "fr": "Cette version du questionnaire n'est pas sur la tablette.",
            "nl": "Deze versie van de vragenlijst staat niet op de tablet.",
            "en": "This questionnaire version is not on the tablet.",
        },
        "msg.exported": {
            "fr": "{n} élément(s) non envoyé(s) exporté(s).",
            "nl": "{n} niet-verzonden item(s) geëxporteerd.",
            "en": "{n} unsynced item(s) exported.",
        },
        "msg.noOffline": {
            "fr": "Mode hors ligne indisponible : {msg}",
            "nl": "Offline modus niet beschikbaar: {msg}",
            "en": "Offline mode unavailable: {msg}",
        },
        "msg.network": {
            "fr": "réseau indisponible",
            "nl": "netwerk niet beschikbaar",
            "en": "network unavailable",
        },
        "msg.server": {
            "fr": "le serveur a répondu {status}",
            "nl": "de server antwoordde {status}",
            "en": "server answered {status}",
        },
        "iv.paper": {
            "fr": "Questionnaire papier {no}",
            "nl": "Papieren vragenlijst {no}",
            "en": "Paper form {no}",
        },
        "iv.page": {
            "fr": "Page {pos} / {total}",
            "nl": "Pagina {pos} / {total}",
            "en": "Page {pos} / {total}",
        },
        "iv.correction": {
            "fr": "correction",
            "nl": "correctie",
            "en": "correction",
        },
        "iv.note": {
            "fr": "Note de l'enquêteur",
            "nl": "Notitie van de enquêteur",
            "en": "Interviewer note",
        },
        "iv.noteHint": {
            "fr": "Note de l'enquêteur (non montrée à la personne)",
            "nl": "Notitie van de enquêteur (niet getoond aan de respondent)",
            "en": "Interviewer note (not shown to the respondent)",
        },
        "iv.back": {
            "fr": "Retour",
            "nl": "Terug",
            "en": "Back",
        },
        "iv.pause": {
            "fr": "Pause",
            "nl": "Pauze",
            "en": "Pause",
        },
        "iv.next": {
            "fr": "Suivant",
            "nl": "Volgende",
            "en": "Next",
        },
        "iv.finish": {
            "fr": "Terminer",
            "nl": "Afronden",
            "en": "Finish",
        },
        "quota.title": {
            "fr": "Quotas",
            "nl": "Quota",
            "en": "Quotas",
        },
        "quota.asOf": {
            "fr": "au {at} (+ en attente sur cette tablette)",
            "nl": "op {at} (+ wachtend op deze tablet)",
            "en": "as of {at} (+ pending on this tablet)",
        },
        "quota.never": {
            "fr": "pas encore téléchargés",
            "nl": "nog niet gedownload",
            "en": "not downloaded yet",
        },
        "quota.cell": {
            "fr": "Cellule",
            "nl": "Cel",
            "en": "Cell",
        },
        "quota.done": {
            "fr": "Faits",
            "nl": "Gedaan",
            "en": "Done",
        },
        "quota.here": {
            "fr": "En attente ici",
            "nl": "Wachtend hier",
            "en": "Pending here",
        },
        "quota.target": {
            "fr": "Objectif",
            "nl": "Doel",
            "en": "Target",
        },
        "quota.left": {
            "fr": "Encore à faire",
            "nl": "Nog nodig",
            "en": "Still needed",
        },
        "quota.back": {
            "fr": "Retour",
            "nl": "Terug",
            "en": "Back",
        },
        "srv.device_revoked": {
            "fr": "cette tablette a été révoquée par un administrateur. Rien n'a été envoyé ; les entretiens restent sur la tablette. Demandez à votre superviseur de les exporter ou d'enregistrer à nouveau la tablette.",
            "nl": "deze tablet werd door een beheerder ingetrokken. Er werd niets verzonden; de interviews blijven op de tablet. Vraag uw supervisor om ze te exporteren of de tablet opnieuw te registreren.",
            "en": "this tablet was revoked by an administrator. Nothing was uploaded; the interviews stay on the tablet. Ask your supervisor to export them or to register the tablet again.",
        },
        "srv.device_unknown": {
            "fr": "le serveur ne connaît pas cette tablette. Les entretiens restent sur la tablette ; reconnectez-vous en ligne.",
            "nl": "de server kent deze tablet niet. De interviews blijven op de tablet; log opnieuw in terwijl u online bent.",
            "en": "the server does not know this tablet. The interviews stay on the tablet; log in again while online.",
        },
        "srv.token_missing": {
            "fr": "cette tablette n'est pas connectée. Les entretiens restent sur la tablette ; reconnectez-vous en ligne.",
            "nl": "deze tablet is niet ingelogd. De interviews blijven op de tablet; log opnieuw in terwijl u online bent.",
            "en": "this tablet is not logged in. The interviews stay on the tablet; log in again while online.",
        },
        "srv.interviewer_disabled": {
            "fr": "votre compte d'enquêteur est désactivé. Rien n'a été envoyé ; les entretiens restent sur la tablette. Adressez-vous à votre superviseur.",
            "nl": "uw enquêteursaccount is uitgeschakeld. Er werd niets verzonden; de interviews blijven op de tablet. Neem contact op met uw supervisor.",
            "en": "your interviewer account is disabled. Nothing was uploaded; the interviews stay on the tablet. Ask your supervisor.",
        },
        "srv.refused": {
            "fr": "le serveur a refusé cette tablette ({status}). Les entretiens restent sur la tablette ; adressez-vous à votre superviseur.",
            "nl": "de server weigerde deze tablet ({status}). De interviews blijven op de tablet; neem contact op met uw supervisor.",
            "en": "the server refused this tablet ({status}). The interviews stay on the tablet; ask your supervisor.",
        },
        "srv.not_assigned": {
            "fr": "cette consultation ne vous est plus attribuée.",
            "nl": "deze bevraging is u niet langer toegewezen.",
            "en": "this consultation is no longer assigned to you.",
        },
        "srv.batch_too_large": {
            "fr": "le serveur a refusé un lot trop grand ; les entretiens restent sur la tablette.",
            "nl": "de server weigerde een te grote reeks; de interviews blijven op de tablet.",
            "en": "the server refused a batch as too large; the interviews stay on the tablet.",
        },
        "srv.body_too_large": {
            "fr": "le serveur a refusé l'envoi, trop volumineux ; les entretiens restent sur la tablette. Exportez-les et prévenez votre superviseur.",
            "nl": "de server weigerde de verzending als te groot; de interviews blijven op de tablet. Exporteer ze en verwittig uw supervisor.",
            "en": "the server refused the upload as too large; the interviews stay on the tablet. Export them and tell your supervisor.",
        },
        "srv.invalid_request": {
            "fr": "le serveur n'a pas compris l'envoi (l'application est-elle à jour ?) ; les entretiens restent sur la tablette.",
            "nl": "de server begreep de verzending niet (is de app bijgewerkt?); de interviews blijven op de tablet.",
            "en": "the server did not understand the upload (is the app up to date?); the interviews stay on the tablet.",
        },
        "srv.server_error": {
            "fr": "le serveur a eu un problème ({status}) ; les entretiens restent sur la tablette.",
            "nl": "de server had een probleem ({status}); de interviews blijven op de tablet.",
            "en": "the server had a problem ({status}); the interviews stay on the tablet.",
        },
        "item.invalid_uuid": {
            "fr": "identifiant non valable",
            "nl": "ongeldige identificatie",
            "en": "identifier not valid",
        },
        "item.consultation_not_assigned": {
            "fr": "consultation qui ne vous est plus attribuée",
            "nl": "bevraging niet langer aan u toegewezen",
            "en": "consultation no longer assigned to you",
        },
        "item.unknown_version": {
            "fr": "version du questionnaire inconnue du serveur",
            "nl": "versie van de vragenlijst onbekend bij de server",
            "en": "questionnaire version unknown to the server",
        },
        "item.paper_number_required": {
            "fr": "numéro du questionnaire papier manquant",
            "nl": "nummer van de papieren vragenlijst ontbreekt",
            "en": "paper form number missing",
        },
        "item.outcome_required": {
            "fr": "issue du contact manquante",
            "nl": "uitkomst van het contact ontbreekt",
            "en": "contact outcome missing",
        },
        "item.invalid_answers": {
            "fr": "réponses refusées :",
            "nl": "antwoorden geweigerd:",
            "en": "answers refused:",
        },
        "item.invalid": {
            "fr": "refusé par le serveur",
            "nl": "geweigerd door de server",
            "en": "refused by the server",
        },
        "item.file_refused": {
            "fr": "une photo ou un fichier a été refusé par le serveur",
            "nl": "een foto of bestand werd door de server geweigerd",
            "en": "a photo or file was refused by the server",
        },
        "iv.fileKept": {
            "fr": "Fichier gardé : {name}",
            "nl": "Bestand bewaard: {name}",
            "en": "File kept: {name}",
        },
        "item.conflict": {
            "fr": "déjà reçu avec un autre contenu",
            "nl": "al ontvangen met andere inhoud",
            "en": "already received with different content",
        },
        "item.already_received_as_contact": {
            "fr": "déjà reçu comme contact sans entretien",
            "nl": "al ontvangen als contact zonder interview",
            "en": "already received as a contact without interview",
        },
        "item.already_received_as_interview": {
            "fr": "déjà reçu comme entretien",
            "nl": "al ontvangen als interview",
            "en": "already received as an interview",
        },
        "quota.over": {
            "fr": "au-delà de l'objectif",
            "nl": "boven het doel",
            "en": "over target",
        },
        "quota.order": {
            "fr": "Les cellules les plus demandées d'abord. Aucun entretien n'est refusé pour un quota : continuez toujours l'entretien.",
            "nl": "De meest gevraagde cellen eerst. Geen interview wordt geweigerd omwille van een quotum: ga altijd door met het interview.",
            "en": "Most needed cells first. No interview is refused for a quota: always carry on with the interview.",
        },
    },
)
