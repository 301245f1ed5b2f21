"""Values every page template needs."""

from django.conf import settings


def site(request):
    """Expose the tile server (possibly empty) to templates."""
    return {"SOG_TILE_URL": settings.SOG_TILE_URL}
