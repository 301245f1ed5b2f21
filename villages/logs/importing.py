"""Bulk import of logs of an `importable` kind from CSV or GeoJSON (manage.py
import_actions, /review/import/).

Each row goes through the kind's API serializer (typing) and its create service (rules,
retries), so an imported log is checked exactly like one from a phone. Valid
rows are stored; the others are reported with their reasons. A row without a
client_uuid gets a deterministic one (UUID5 of its content), so importing the
same file again stores nothing twice.

CSV columns: the kind's content fields by name (village by slug, dates YYYY-MM-DD),
client_uuid (optional); a kind with a geometry field takes either lon and lat or the
geometry as GeoJSON text; the kind's `import_cells` reads what is not a plain cell (an
action's species, "Scientific name:count;..."). GeoJSON: a FeatureCollection whose
features carry the same properties.
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

from .services import LogConflict

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
IMPORT_NAMESPACE = uuid.UUID("6f1d3c52-5b8e-4c1e-9d7a-2f0b8e4a9c11")  # fixed: keeps UUID5s stable


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    existing: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (row label, [reasons])
    fatal: str = ""
    dry_run: bool = False


def _fields(kind) -> tuple[tuple[str, ...], str | None]:
    """(plain cell fields, the geometry field or None) of a kind."""
    geometry = next(
        (n for n in kind.content_fields if getattr(kind.model_field(n), "geom_type", None)),
        None,
    )
    plain = tuple(n for n in kind.content_fields if n != geometry)
    return plain, geometry


def _csv_rows(kind, text: str):
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
            f"{name}: {problem}" for name, value in row.items() if (problem := text_problem(value))
        ]
        if bad_cells:
            yield _("row %(n)d") % {"n": number}, {}, "", bad_cells
            continue
        plain, geometry = _fields(kind)
        raw = {k: row[k] for k in plain if row.get(k) not in (None, "")}
        errors = []
        try:
            if geometry is None:
                pass
            elif row.get(geometry):
                raw[geometry] = row[geometry]
            elif row.get("lon") or row.get("lat"):
                raw[geometry] = {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                }
        except (TypeError, ValueError):
            errors.append(_("lon/lat: not numbers."))
        extra, extra_errors = kind.import_cells(row)
        raw.update(extra)
        errors += extra_errors
        yield _("row %(n)d") % {"n": number}, raw, row.get("client_uuid", ""), errors


def _geojson_rows(kind, text: str):
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
        plain, geometry = _fields(kind)
        raw = {k: props[k] for k in plain if props.get(k) not in (None, "")}
        if geometry is not None:
            raw[geometry] = feature.get("geometry")
        extra, errors = kind.import_cells(props)
        raw.update(extra)
        yield label, raw, str(props.get("client_uuid") or ""), errors


def _row_uuid(raw: dict, given: str):
    if given:
        return given
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), default=str)
    return str(uuid.uuid5(IMPORT_NAMESPACE, canonical))


def import_file(*, kind, fileobj, filename: str, actor, dry_run: bool = False) -> ImportReport:
    """Import every valid row as a log of `kind`; report the others. Nothing is stored when
    dry_run is set."""
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
        rows = list(_geojson_rows(kind, text) if is_geojson else _csv_rows(kind, text))
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
            serializer = kind.serializer(data={**raw, "client_uuid": _row_uuid(raw, given_uuid)})
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
                    log, created = kind.create(actor, serializer.validated_data)
            except ValidationError as exc:
                report.rejected.append(
                    (label, [f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()])
                )
            except LogConflict as exc:
                report.rejected.append((label, [f"client_uuid: {exc.message}"]))
            else:
                (report.created if created else report.existing).append((label, log.pk))
        if dry_run:
            transaction.set_rollback(True)
    return report
