"""API tokens: one per user, reused while valid, revoked on sign-out and on a password change.

`POST /api/v1/auth/token/` returns the user's token, creating one when they have
none. The token lives until it is revoked:
- `DELETE /api/v1/auth/token/` (signing out of the API) revokes the token sent;
- any change of the user's password revokes it (`grant_role --password`, the
  password-reset page, the admin, `changepassword`, `set_password()` + `save()`
  anywhere): the model's save is watched, comparing the stored password hash;
- an administrator may delete it in the admin (Auth Token).
The next sign-in then gets a new token. The user's devices share the one token,
so signing out of one signs all of them out.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db.models.signals import post_save, pre_save
from rest_framework.authtoken.models import Token


def revoke_tokens(*, user) -> int:
    """Delete the user's API tokens; returns how many were deleted."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def issue_token(*, user) -> Token:
    """The user's valid token, or a new one when they have none."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def _note_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._sog_password_changed = False
    if raw or instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and "password" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    old = stored.first()
    if old is None or old == instance.password:
        return
    instance._sog_password_changed = not _is_hash_upgrade(old, instance)


def _is_hash_upgrade(old: str, instance) -> bool:
    """Django re-hashes an unchanged password at sign-in when the hasher's settings grew
    (check_password's setter, which clears `_password`): not a password change."""
    if getattr(instance, "_password", None) is not None:
        return False  # set_password() was called: a new password (even if the same text)
    try:
        preferred = get_hasher("default")
        old_hasher = identify_hasher(old)
    except ValueError:
        return False
    outdated = old_hasher.algorithm != preferred.algorithm or preferred.must_update(old)
    return outdated and instance.password.startswith(f"{preferred.algorithm}$")


def _revoke_after_password_change(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or not getattr(instance, "_sog_password_changed", False):
        return
    instance._sog_password_changed = False
    revoke_tokens(user=instance)


def connect() -> None:
    User = get_user_model()
    pre_save.connect(_note_password_change, sender=User, dispatch_uid="sog_token_pw_pre")
    post_save.connect(_revoke_after_password_change, sender=User, dispatch_uid="sog_token_pw_post")
