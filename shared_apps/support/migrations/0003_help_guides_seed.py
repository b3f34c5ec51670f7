"""The help centre's first guides (in French, the platform's language), written for the region's
families and staff; operators change them and write more in the editor (/support/guides/)."""

from django.db import migrations

GUIDES = [
    (
        "se-connecter",
        "Se connecter à MBN",
        "everyone",
        "Votre identifiant, votre mot de passe, et quoi faire si cela ne marche pas.",
        "Ouvrez l'adresse de votre établissement (ou le portail de la région) et choisissez "
        "« Se connecter ».\n\n"
        "Saisissez votre identifiant (par exemple prenom.nom) ou votre adresse électronique, puis "
        "votre mot de passe.\n\n"
        "Mot de passe oublié ? Utilisez « Mot de passe oublié » : un lien vous est envoyé par "
        "courriel, valable une heure.\n\n"
        "Après plusieurs essais manqués, le compte est bloqué quelques minutes : attendez avant de "
        "réessayer.\n\n"
        "Toujours bloqué ? Écrivez-nous avec le formulaire « Demander de l'aide » : il fonctionne "
        "sans être connecté, et le référent numérique de votre établissement vous répond.",
    ),
    (
        "activer-son-compte",
        "Activer son compte",
        "families",
        "Le code d'activation reçu de l'établissement, et le choix du mot de passe.",
        "L'établissement vous remet (sur papier ou par courriel) votre identifiant et un code "
        "d'activation.\n\n"
        "Ouvrez « Activer mon compte », saisissez l'identifiant et le code, puis choisissez un mot "
        "de passe d'au moins 12 caractères, que vous n'utilisez nulle part ailleurs.\n\n"
        "Un code ne sert qu'une fois et expire : s'il ne marche plus, demandez-en un nouveau au "
        "secrétariat de l'établissement.",
    ),
    (
        "justifier-une-absence",
        "Justifier une absence",
        "families",
        "Signaler l'absence de votre enfant et joindre un justificatif.",
        "Depuis la page de votre enfant, choisissez « Justifier une absence ».\n\n"
        "Indiquez les dates, le motif et, si vous en avez un, joignez un justificatif (certificat, "
        "convocation). La vie scolaire le vérifie et vous voyez ensuite s'il est accepté.\n\n"
        "Seuls les responsables qui peuvent agir pour l'enfant voient ce bouton.",
    ),
    (
        "faire-l-appel",
        "Faire l'appel",
        "staff",
        "Prendre l'appel d'un cours, le corriger ensuite.",
        "Dans votre emploi du temps, ouvrez le cours et choisissez « Faire l'appel ».\n\n"
        "Tous les élèves sont présents par défaut : marquez les absents et les retards (avec les "
        "minutes), puis enregistrez.\n\n"
        "Une erreur ? Vous pouvez corriger l'appel : chaque correction est gardée dans l'historique "
        "de l'établissement.",
    ),
    (
        "application-d-authentification-perdue",
        "J'ai perdu mon application d'authentification",
        "staff",
        "Retrouver l'accès quand le téléphone qui donne les codes est perdu.",
        "Si vous avez gardé vos codes de secours, utilisez-en un à la place du code de "
        "l'application, puis installez la nouvelle application depuis « Mon compte ».\n\n"
        "Sinon, demandez à l'administrateur de votre établissement (ou au support de la région) de "
        "retirer l'ancienne application. Il vérifiera d'abord que c'est bien vous : en personne "
        "avec une pièce d'identité, ou en vous rappelant à un numéro que l'établissement connaît "
        "déjà. Vous configurerez ensuite une nouvelle application à la connexion.",
    ),
    (
        "referent-numerique",
        "Référent numérique : traiter les demandes d'aide",
        "referents",
        "Répondre, résoudre, ou transmettre au support de la région.",
        "Les demandes d'aide de votre établissement arrivent d'abord chez vous, dans « Demandes "
        "de support ».\n\n"
        "Répondez depuis la demande : la personne reçoit votre réponse par courriel. Une fois le "
        "problème réglé, marquez la demande comme résolue.\n\n"
        "Si vous ne pouvez pas la résoudre, choisissez « Transmettre à la région » en expliquant "
        "ce qui a été essayé : le support régional reprend la demande avec tout son historique.",
    ),
]


def seed(apps, schema_editor):
    HelpGuide = apps.get_model("support", "HelpGuide")
    for slug, title, audience, summary, body in GUIDES:
        HelpGuide.objects.get_or_create(
            slug=slug, defaults={"title": title, "audience": audience, "summary": summary, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0002_help_desk_and_referents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
