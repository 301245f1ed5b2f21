"""{% user_roles user as roles %}: what the signed-in user is, for navigation only (never for access)."""

from django import template

from villages import roles

register = template.Library()


@register.simple_tag
def user_roles(user):
    return {
        "coordinator": roles.is_coordinator(user),
        "reviewer": roles.is_reviewer(user),
        "admin": roles.is_admin(user),
    }
