"""grant_role and passwords of existing users: --password, --set-password, the prompt."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from villages import roles

pytestmark = pytest.mark.django_db

GETPASS = "villages.management.commands.grant_role.getpass"


@pytest.fixture
def alpha(make_village):
    return make_village("Alpha", slug="alpha")


@pytest.fixture
def no_password_user(alpha):
    user, _ = roles.ensure_user(username="demo-coordinator")
    roles.grant_coordinator(user=user, village=alpha)
    assert not user.has_usable_password()
    return user


class _Tty(io.StringIO):
    def isatty(self):
        return True


def _run(*args):
    out = io.StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


def _answers(monkeypatch, *answers):
    it = iter(answers)
    prompts = []

    def fake(prompt):
        prompts.append(prompt)
        return next(it)

    monkeypatch.setattr(GETPASS, fake)
    return prompts


def test_password_flag_sets_the_password_of_an_existing_user(no_password_user):
    out = _run(
        "demo-coordinator",
        "coordinator",
        "--village",
        "alpha",
        "--password",
        "tifa-and-suling-2026",
    )
    no_password_user.refresh_from_db()
    assert no_password_user.check_password("tifa-and-suling-2026")
    assert "set a new password for demo-coordinator" in out


def test_set_password_prompts_for_an_existing_user(no_password_user, monkeypatch):
    prompts = _answers(monkeypatch, "gong-and-totobuang-9", "gong-and-totobuang-9")
    out = _run("demo-coordinator", "coordinator", "--village", "alpha", "--set-password")
    no_password_user.refresh_from_db()
    assert no_password_user.check_password("gong-and-totobuang-9")
    assert len(prompts) == 2
    assert "set a new password" in out


def test_set_password_replaces_a_usable_password(alpha, monkeypatch):
    _run("maria", "coordinator", "--village", "alpha", "--password", "tifa-and-suling-2026")
    _answers(monkeypatch, "gong-and-totobuang-9", "gong-and-totobuang-9")
    _run("maria", "coordinator", "--village", "alpha", "--set-password")
    user = get_user_model().objects.get(username="maria")
    assert user.check_password("gong-and-totobuang-9")


def test_user_without_usable_password_is_prompted_on_a_terminal(no_password_user, monkeypatch):
    """The README's line works as written: no flag, a terminal, a prompt."""
    monkeypatch.setattr("sys.stdin", _Tty())
    prompts = _answers(monkeypatch, "gong-and-totobuang-9", "gong-and-totobuang-9")
    out = _run("demo-coordinator", "coordinator", "--village", "alpha")
    no_password_user.refresh_from_db()
    assert no_password_user.check_password("gong-and-totobuang-9")
    assert len(prompts) == 2
    assert "has no usable password yet" in out


def test_no_prompt_without_a_terminal_and_it_says_so(no_password_user, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO())

    def refuse(prompt):
        raise AssertionError("must not prompt without a terminal")

    monkeypatch.setattr(GETPASS, refuse)
    out = _run("demo-coordinator", "coordinator", "--village", "alpha")
    no_password_user.refresh_from_db()
    assert not no_password_user.has_usable_password()
    assert "left the password of demo-coordinator unchanged" in out
    assert "cannot sign in" in out


def test_usable_password_is_left_unchanged_and_it_says_so(alpha, monkeypatch):
    _run("maria", "coordinator", "--village", "alpha", "--password", "tifa-and-suling-2026")
    monkeypatch.setattr("sys.stdin", _Tty())

    def refuse(prompt):
        raise AssertionError("a usable password needs --set-password to be prompted for")

    monkeypatch.setattr(GETPASS, refuse)
    out = _run("maria", "reviewer")
    user = get_user_model().objects.get(username="maria")
    assert user.check_password("tifa-and-suling-2026")
    assert "left the password of maria unchanged" in out
    assert "--set-password" in out


def test_enter_at_the_prompt_leaves_the_password(no_password_user, monkeypatch):
    _answers(monkeypatch, "")
    out = _run("demo-coordinator", "coordinator", "--village", "alpha", "--set-password")
    no_password_user.refresh_from_db()
    assert not no_password_user.has_usable_password()
    assert "unchanged" in out


def test_mismatched_prompt_answers_are_refused(no_password_user, monkeypatch):
    _answers(monkeypatch, "gong-and-totobuang-9", "gong-and-totobuang-8")
    with pytest.raises(CommandError, match="do not match"):
        _run("demo-coordinator", "coordinator", "--village", "alpha", "--set-password")
    no_password_user.refresh_from_db()
    assert not no_password_user.has_usable_password()


def test_weak_prompted_password_is_refused(no_password_user, monkeypatch):
    _answers(monkeypatch, "123", "123")
    with pytest.raises(CommandError):
        _run("demo-coordinator", "coordinator", "--village", "alpha", "--set-password")
    no_password_user.refresh_from_db()
    assert not no_password_user.has_usable_password()


def test_conflicting_flags(no_password_user):
    with pytest.raises(CommandError, match="not both"):
        _run("demo-coordinator", "reviewer", "--password", "gong-and-totobuang-9", "--set-password")
    with pytest.raises(CommandError, match="--no-input"):
        _run("demo-coordinator", "reviewer", "--set-password", "--no-input")
