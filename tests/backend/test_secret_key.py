"""manage.py works after scripts/run: without DJANGO_SECRET_KEY, settings read the key file
scripts/run wrote under the var folder (SOG_VAR_DIR); the variable still wins; with
neither, a clear error."""

from .subprocess_env import environment, manage

PRINT_KEY = ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"]


def test_manage_py_reads_the_key_file(tmp_path):
    (tmp_path / "secret_key").write_text("key-from-the-file-" + "x" * 40 + "\n")
    env = environment(tmp_path)
    check = manage("check", env=env)
    assert check.returncode == 0, check.stderr
    shown = manage(*PRINT_KEY, env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[-1] == "key-from-the-file-" + "x" * 40  # without the newline


def test_the_environment_wins_over_the_file(tmp_path):
    (tmp_path / "secret_key").write_text("key-from-the-file")
    shown = manage(*PRINT_KEY, env=environment(tmp_path, DJANGO_SECRET_KEY="key-from-the-env"))
    assert shown.stdout.splitlines()[-1] == "key-from-the-env", shown.stderr


def test_neither_is_a_clear_error(tmp_path):
    result = manage("check", env=environment(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert str(tmp_path / "secret_key") in result.stderr
