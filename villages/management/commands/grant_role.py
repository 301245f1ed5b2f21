"""manage.py grant_role USERNAME coordinator --village SLUG | reviewer [--password P]"""

from getpass import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from villages import roles
from villages.models import Village


class Command(BaseCommand):
    help = (
        "Grant a role, creating the user when missing. coordinator needs --village SLUG "
        "(repeat for several villages). A new user's password comes from --password or a "
        "prompt; press Enter at the prompt to leave it unusable (set it later)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=["coordinator", "reviewer"])
        parser.add_argument("--village", action="append", default=[], metavar="SLUG")
        parser.add_argument(
            "--password", help="set this password (visible in shell history: prefer the prompt)"
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_true", help="never prompt")

    def handle(self, *args, username, role, village, password, email, no_input, **options):
        villages = []
        if role == "coordinator":
            if not village:
                raise CommandError("A coordinator needs --village SLUG.")
            for slug in village:
                found = Village.objects.filter(slug=slug).first()
                if found is None:
                    raise CommandError(f"No village with slug {slug!r}.")
                villages.append(found)
        elif village:
            raise CommandError("--village applies to coordinators only.")
        from django.contrib.auth import get_user_model

        exists = get_user_model().objects.filter(username=username).exists()
        if password is None and not exists and not no_input:
            password = self._prompt() or None
        if password:
            try:
                validate_password(password, get_user_model()(username=username, email=email))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            user, created = roles.ensure_user(username=username, password=password, email=email)
            if created:
                note = "" if password else " (no usable password yet: run again with --password)"
                self.stdout.write(f"created user {username}{note}")
            elif password:
                self.stdout.write(f"set a new password for {username}")
            if role == "reviewer":
                granted = roles.grant_reviewer(user=user)
                self.stdout.write(f"{username}: AMO reviewer" + ("" if granted else " (already)"))
            for found in villages:
                granted = roles.grant_coordinator(user=user, village=found)
                self.stdout.write(
                    f"{username}: coordinator of {found.slug}" + ("" if granted else " (already)")
                )

    def _prompt(self) -> str:
        first = getpass("Password (Enter to leave unusable): ")
        if not first:
            return ""
        if getpass("Password again: ") != first:
            raise CommandError("The passwords do not match.")
        return first
