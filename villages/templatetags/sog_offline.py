"""The offline app's words, for static/js/offline/ (read from a JSON script element)."""

import re

from django import template
from django.templatetags.static import static
from django.utils.html import format_html_join, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def offline_strings() -> dict:
    return {
        "offline": _("No network: what you save is kept on this device and sent later."),
        "waiting": _("Waiting on this device: %(n)s"),
        "lastSynced": _("Last synced: %(when)s"),
        "neverSynced": _("Not synced yet on this device."),
        "signIn": _("Sign in again to send the logs waiting on this device."),
        "sending": _("Sending…"),
        "quota": _(
            "This device's storage is full: the log was NOT saved. Free some space, then save again."
        ),
        "updated": _("A new version of the app is ready: it is used from your next page."),
        "signOutWarning": _(
            "%(n)s logs on this device have not been sent yet. Sign out anyway? They stay on "
            "this device and are sent after the next sign-in."
        ),
        "savedOnDevice": _("Saved on this device. It is sent when the network returns."),
        "required": _("This field is required."),
        "unitForKind": _("The unit for this kind must be one of: %(units)s."),
        "unitNeeded": _("Give the unit of the quantity."),
        "quantityNeeded": _("Give the quantity in %(unit)s."),
        "moreThanTotal": _("This is more than the %(total)s participants in total."),
        "outsideVillage": _(
            "This place is %(km)s km outside %(village)s's boundary; the limit is %(limit)s km."
        ),
        "species": _("Which species?"),
        "count": _("How many were planted?"),
        "state_waiting": _("Waiting"),
        "state_sending": _("Sending"),
        "state_stored": _("Stored"),
        "state_needs_fixing": _("Needs fixing"),
        "state_conflict": _("Conflict"),
        "fix": _("Fix"),
        "deleteItem": _("Delete from this device"),
        "deleteConfirm": _("Delete this log from the device? It has not been sent."),
        "keepStored": _("Keep the stored version"),
        "keepDevice": _("Keep this device's version"),
        "storedVersion": _("Stored on the server"),
        "deviceVersion": _("On this device"),
        "sendNow": _("Send now"),
        "nothingWaiting": _("Nothing is waiting on this device."),
        "decided": _("Decided by AMO"),
        "status_verified": _("Verified"),
        "status_rejected": _("Sent back"),
        "reason": _("Reason:"),
        "photo": _("Photo"),
        "fixingThis": _("This log was refused by the server: fix the fields marked below."),
    }


@register.simple_tag
def offline_strings_json():
    return json_script(offline_strings(), "offline-strings")


# The offline app's modules, each named in the page so the browser fetches them side by side
# (from the service worker's cache, or in parallel on a first visit) instead of one import
# level after another.
APP_MODULES = (
    "vendor/idb/index.js",
    "js/offline/strings.js",
    "js/offline/db.js",
    "js/offline/geo.js",
    "js/offline/sync.js",
    "js/offline/queue.js",
)


@register.simple_tag
def offline_modulepreload():
    return format_html_join(
        "", '<link rel="modulepreload" href="{}">', ((static(m),) for m in APP_MODULES)
    )


SCRIPT_SRC = re.compile(r"<script (src=)")


@register.filter
def defer_scripts(html):
    """Classic <script src> tags made `defer` (django-leaflet's leaflet_js output): fetched
    without blocking the page, run in order once it is parsed, before its "load" event (when
    django-leaflet starts the map), so the form is usable before Leaflet has run."""
    return mark_safe(SCRIPT_SRC.sub(r"<script defer \1", str(html)))  # noqa: S308 (tags we made)
