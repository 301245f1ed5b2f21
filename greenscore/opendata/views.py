"""/data/: the open data downloads, each with its licence and a "cite as" line."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import datasets as opendata

LABELS = {"geojson": "GeoJSON", "csv": "CSV", "gpkg": "GeoPackage"}


def index(request):
    today = timezone.localdate()
    page = request.build_absolute_uri(reverse("opendata:index"))
    rows = []
    for dataset in opendata.DATASETS.values():
        links = [
            (LABELS[fmt], reverse("opendata:download", args=[dataset.name, fmt]))
            for fmt in opendata.FORMATS
        ]
        cite = _(
            "Ambon Music Office (%(year)s). Sound of Green: %(title)s [data set], "
            "%(licence)s. %(url)s (retrieved %(date)s)."
        ) % {
            "year": today.year,
            "title": dataset.title,
            "licence": dataset.licence[0],
            "date": today.isoformat(),
            "url": f"{page}#{dataset.name}",
        }
        rows.append({"dataset": dataset, "links": links, "cite": cite})
    return render(request, "opendata/index.html", {"rows": rows})


def download(request, name, fmt):
    if name not in opendata.DATASETS or fmt not in opendata.FORMATS:
        raise Http404(_("No such download: the data sets and formats are listed on /data/."))
    filename = f"sound-of-green-{name}.{fmt}"
    if fmt == "gpkg":
        try:
            handle = opendata.geopackage_file(name)
        except opendata.GeoPackageUnavailable:
            return HttpResponse(
                _(
                    "The GeoPackage cannot be built on this server; use the "
                    "GeoJSON or CSV download."
                ),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        return FileResponse(
            handle, as_attachment=True, filename=filename, content_type=opendata.FORMATS[fmt]
        )
    body = opendata.to_geojson(name) if fmt == "geojson" else opendata.to_csv(name)
    response = HttpResponse(body, content_type=opendata.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
