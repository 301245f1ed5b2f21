"""Bulk import of conservation actions from CSV or GeoJSON (manage.py import_actions, /review/import/).

Each row goes through the API's serializer (typing) and the service (rules,
retries), so an imported log is checked exactly like one from a phone. Valid
rows are stored; the others are reported with their reasons. A row without a
client_uuid gets a deterministic one (UUID5 of its content), so importing the
same file again stores nothing twice.

CSV columns: village (slug), kind, date (YYYY-MM-DD), either lon and lat or
geometry (GeoJSON text), quantity, unit, species ("Scientific name:count;..."),
participants_total, participants_women, participants_youth,
participants_visitors, volunteer_hours, notes, client_uuid (optional).
GeoJSON: a FeatureCollection whose features carry the same properties.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from villages.input_guard import json_problems, printable_name, text_problem
from villages.logs import LogConflict

from . import services_actions

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
IMPORT_NAMESPACE = uuid.UUID("6f1d3c52-5b8e-4c1e-9d7a-2f0b8e4a9c11")  # fixed: keeps UUID5s stable
FIELDS = (
    "village",
    "kind",
    "date",
    "geometry",
    "quantity",
    "unit",
    "species",
    "participants_total",
    "participants_women",
    "participants_youth",
    "participants_visitors",
    "volunteer_hours",
    "notes",
)


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    existing: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (row label, [reasons])
    fatal: str = ""
    dry_run: bool = False


def _species(text: str):
    items = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        name, sep, count = part.rpartition(":")
        if not sep:
            raise ValueError(
                _("Species %(part)r must be written 'Scientific name:count'.") % {"part": part}
            )
        try:
            number = int(count.strip())
        except ValueError:
            raise ValueError(
                _("The count in %(part)r is not a whole number.") % {"part": part}
            ) from None
        items.append({"species": name.strip(), "count": number})
    return items


def _csv_rows(text: str):
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "village" not in reader.fieldnames:
        raise ValueError(
            _("The CSV file needs a header row with at least: village, kind, date, lon, lat.")
        )
    for name in reader.fieldnames:
        problem = text_problem(name)
        if problem:
            raise ValueError(
                _("The header %(name)s is not acceptable. %(problem)s")
                % {"name": printable_name(name), "problem": problem}
            )
    for number, row in enumerate(reader, start=2):
        if None in row:  # more cells than the header has columns
            yield (
                _("row %(n)d") % {"n": number},
                {},
                "",
                [_("The row has more cells than the header.")],
            )
            continue
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        # The guard every input passes (villages.input_guard), cell by cell.
        bad_cells = [
            f"{name}: {problem}"
            for name, value in row.items()
            if (problem := text_problem(value))
        ]
        if bad_cells:
            yield _("row %(n)d") % {"n": number}, {}, "", bad_cells
            continue
        raw = {
            k: row[k]
            for k in FIELDS
            if row.get(k) not in (None, "") and k not in ("geometry", "species")
        }
        errors = []
        try:
            if row.get("geometry"):
                raw["geometry"] = row["geometry"]
            elif row.get("lon") or row.get("lat"):
                raw["geometry"] = {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                }
        except (TypeError, ValueError):
            errors.append(_("lon/lat: not numbers."))
        try:
            raw["species"] = _species(row.get("species", ""))
        except ValueError as exc:
            errors.append(f"species: {exc}")
        yield _("row %(n)d") % {"n": number}, raw, row.get("client_uuid", ""), errors


def _geojson_rows(text: str):
    data = json.loads(text)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ValueError(_("The GeoJSON file must be a FeatureCollection."))
    for number, feature in enumerate(data["features"], start=1):
        label = _("feature %(n)d") % {"n": number}
        if not isinstance(feature, dict):
            yield label, {}, "", [_("The feature is not a JSON object.")]
            continue
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            yield label, {}, "", [_("properties: must be a JSON object of the log's fields.")]
            continue
        # The guard every input passes (villages.input_guard), for every string at any depth.
        bad_strings = {
            **json_problems(props),
            **json_problems(feature.get("geometry"), "geometry"),
        }
        if bad_strings:
            yield label, {}, "", [f"{k}: {' '.join(v)}" for k, v in bad_strings.items()]
            continue
        raw = {
            k: props[k]
            for k in FIELDS
            if props.get(k) not in (None, "") and k not in ("geometry", "species")
        }
        raw["geometry"] = feature.get("geometry")
        errors = []
        species = props.get("species") or []
        try:
            raw["species"] = _species(species) if isinstance(species, str) else species
        except ValueError as exc:
            errors.append(f"species: {exc}")
        yield label, raw, str(props.get("client_uuid") or ""), errors


def _row_uuid(raw: dict, given: str):
    if given:
        return given
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str)
    return str(uuid.uuid5(IMPORT_NAMESPACE, canonical))


def import_actions_file(*, fileobj, filename: str, actor, dry_run: bool = False) -> ImportReport:
    """Import every valid row; report the others. Nothing is stored when dry_run is set."""
    from .api_actions import ActionSerializer

    report = ImportReport(dry_run=dry_run)
    data = fileobj.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        report.fatal = _("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024}
        return report
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.fatal = _("The file is not UTF-8 text.")
        return report
    is_geojson = filename.lower().endswith((".geojson", ".json")) or text.lstrip().startswith("{")
    try:
        rows = list(_geojson_rows(text) if is_geojson else _csv_rows(text))
    except (ValueError, RecursionError) as exc:
        report.fatal = (
            str(exc)
            if not isinstance(exc, json.JSONDecodeError)
            else _("The file is not valid GeoJSON.")
        )
        return report
    except csv.Error as exc:
        report.fatal = _("The CSV file cannot be read: %(error)s") % {"error": exc}
        return report
    if len(rows) > MAX_ROWS:
        report.fatal = _("The file has more than %(n)d rows; split it.") % {"n": MAX_ROWS}
        return report
    with transaction.atomic():
        for label, raw, given_uuid, errors in rows:
            if errors:
                report.rejected.append((label, errors))
                continue
            serializer = ActionSerializer(data={**raw, "client_uuid": _row_uuid(raw, given_uuid)})
            if not serializer.is_valid():
                report.rejected.append(
                    (
                        label,
                        [
                            f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                            for k, v in serializer.errors.items()
                        ],
                    )
                )
                continue
            try:
                with transaction.atomic():
                    action, created = services_actions.action_create(
                        author=actor, data=dict(serializer.validated_data)
                    )
            except ValidationError as exc:
                report.rejected.append(
                    (label, [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()])
                )
            except LogConflict as exc:
                report.rejected.append((label, [f"client_uuid: {exc.message}"]))
            else:
                (report.created if created else report.existing).append((label, action.pk))
        if dry_run:
            transaction.set_rollback(True)
    return report
