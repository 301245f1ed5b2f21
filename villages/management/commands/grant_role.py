"""manage.py grant_role USER coordinator --village SLUG | reviewer [--password P | --set-password]

The password: `--password P` sets it; `--set-password` prompts for it (new or existing
user); without either, a new user or an existing user with no usable password is
prompted when stdin is a terminal. Every run says what happened to the password.
"""

import sys
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
        "(repeat for several villages). The password comes from --password or a prompt: "
        "--set-password always prompts; a new user, or one without a usable password, is "
        "prompted when stdin is a terminal. Press Enter at the prompt to leave it as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=["coordinator", "reviewer"])
        parser.add_argument("--village", action="append", default=[], metavar="SLUG")
        parser.add_argument(
            "--password", help="set this password (visible in shell history: prefer the prompt)"
        )
        parser.add_argument(
            "--set-password",
            action="store_true",
            help="prompt for a new password, also for an existing user",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--no-input", action="store_true", help="never prompt")

    def handle(
        self, *args, username, role, village, password, set_password, email, no_input, **options
    ):
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

        if password is not None and set_password:
            raise CommandError("Give either --password or --set-password, not both.")
        if set_password and no_input:
            raise CommandError("--set-password prompts: it cannot be used with --no-input.")
        existing = get_user_model().objects.filter(username=username).first()
        if password is None and not no_input:
            if set_password or existing is None:
                password = self._prompt() or None
            elif not existing.has_usable_password() and _stdin_is_a_terminal():
                self.stdout.write(f"{username} has no usable password yet.")
                password = self._prompt() or None
        elif password == "":
            raise CommandError("--password needs a non-empty password.")
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
            elif user.has_usable_password():
                self.stdout.write(
                    f"left the password of {username} unchanged "
                    "(use --set-password or --password to change it)"
                )
            else:
                self.stdout.write(
                    f"left the password of {username} unchanged: {username} still has no usable "
                    "password and cannot sign in (run again with --set-password or --password)"
                )
            if role == "reviewer":
                granted = roles.grant_reviewer(user=user)
                self.stdout.write(f"{username}: AMO reviewer" + ("" if granted else " (already)"))
            for found in villages:
                granted = roles.grant_coordinator(user=user, village=found)
                self.stdout.write(
                    f"{username}: coordinator of {found.slug}" + ("" if granted else " (already)")
                )

    def _prompt(self) -> str:
        first = getpass("Password (Enter to leave it as it is): ")
        if not first:
            return ""
        if getpass("Password again: ") != first:
            raise CommandError("The passwords do not match.")
        return first


def _stdin_is_a_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
