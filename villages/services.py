"""Writes about villages: the register importer and the demo data loader."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import transaction
from django.utils.text import slugify

from . import generalise
from .models import DatasetLoad, District, Village

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
VILLAGE_LEVELS = {"kelurahan": Village.Kind.KELURAHAN, "desa": Village.Kind.DESA}
KNOWN_LEVELS = {"province", "regency", "district", *VILLAGE_LEVELS}


class ImportFileError(Exception):
    """The file cannot be read at all; the message is one line for a person."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def village_slug(name: str) -> str:
    return slugify(name.replace("/", " "))


def _read_register(path: Path) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {"code", "level", "parent_code", "name"} - set(reader.fieldnames or [])
            if missing:
                raise ImportFileError(
                    f"{path}: missing column(s) {', '.join(sorted(missing))}; "
                    "expected code,level,parent_code,name"
                )
            return [dict(row, _line=n) for n, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(f"Cannot read {path}: {exc}") from exc


def _assign(obj, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


@transaction.atomic
def import_admin_areas(*, path: Path) -> ImportReport:
    """See _import_admin_areas; the villages' map shapes are refreshed once, at the end."""
    with generalise.deferred():
        return _import_admin_areas(path=path)


def _import_admin_areas(*, path: Path) -> ImportReport:
    """Load districts and villages from the Kemendagri register CSV; idempotent.

    Existing villages keep their slug (links depend on it) and a negeri stays a
    negeri when the register says desa (the register does not tell them apart).
    """
    report = ImportReport()
    rows = _read_register(path)
    districts: dict[str, District] = {}
    village_rows = []
    for row in rows:
        code, level, name = row["code"].strip(), row["level"].strip(), row["name"].strip()
        where = f"line {row['_line']}"
        if level not in KNOWN_LEVELS:
            report.errors.append(f"{where}: unknown level {level!r}")
            continue
        if not CODE_RE.match(code) or not name:
            report.errors.append(f"{where}: bad code {code!r} or empty name")
            continue
        if level == "district":
            district = District.objects.filter(code=code).first()
            if district is None:
                districts[code] = District.objects.create(code=code, name=name)
                report.created.append(f"district {code} {name}")
            else:
                changed = _assign(district, {"name": name})
                if changed:
                    district.save()
                (report.updated if changed else report.unchanged).append(f"district {code} {name}")
                districts[code] = district
        elif level in VILLAGE_LEVELS:
            village_rows.append(row)

    name_counts: dict[str, int] = {}
    for row in village_rows:
        key = village_slug(row["name"].strip())
        name_counts[key] = name_counts.get(key, 0) + 1

    for row in village_rows:
        code, level, name = row["code"].strip(), row["level"].strip(), row["name"].strip()
        parent_code = row["parent_code"].strip()
        district = districts.get(parent_code) or District.objects.filter(code=parent_code).first()
        if district is None:
            report.errors.append(f"line {row['_line']}: district {parent_code!r} not found")
            continue
        kind = VILLAGE_LEVELS[level]
        village = Village.objects.filter(code=code).first()
        if village is None:
            slug = village_slug(name)
            # Two villages share a name (a kelurahan and a desa): the kelurahan says so.
            if name_counts[slug] > 1 and kind == Village.Kind.KELURAHAN:
                slug = f"{slug}-kelurahan"
            if Village.objects.filter(slug=slug).exists():
                slug = f"{slug}-{code.replace('.', '')}"
            Village.objects.create(code=code, name=name, slug=slug, kind=kind, district=district)
            report.created.append(f"village {code} {name}")
            continue
        values = {"name": name, "district": district}
        if not (kind == Village.Kind.DESA and village.kind == Village.Kind.NEGERI):
            values["kind"] = kind
        changed = _assign(village, values)
        if changed:
            village.save()
        (report.updated if changed else report.unchanged).append(f"village {code} {name}")
    return report


# --- Demo data ---------------------------------------------------------------


def _polygon(rings) -> MultiPolygon:
    return MultiPolygon(Polygon(*[tuple(map(tuple, ring)) for ring in rings], srid=4326), srid=4326)


@transaction.atomic
def load_demo_places(*, path: Path, force: bool = False) -> dict:
    """Apply fixtures/sog_places.json once (see _load_demo_places); the villages' low-zoom map
    shapes (villages/generalise.py) are refreshed once, at the end."""
    with generalise.deferred():
        return _load_demo_places(path=path, force=force)


def _load_demo_places(*, path: Path, force: bool = False) -> dict:
    """Apply fixtures/sog_places.json once: positions, Dusun Tuni, SoG sites.

    Loaded once per database (recorded in DatasetLoad) so a restart never
    overwrites what a user edited or re-creates what a user deleted.
    """
    raw = Path(path).read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()
    if not force and DatasetLoad.objects.filter(name="sog_places").exists():
        return {"skipped": True}
    data = json.loads(raw)
    counts = {"positioned": 0, "created": 0, "described": 0}
    for code, (lon, lat) in data["centres"].items():
        updated = Village.objects.filter(code=code, centre__isnull=True).update(
            centre=Point(lon, lat, srid=4326), geometry_is_approximate=True
        )
        counts["positioned"] += updated
    # update() sends no signal: these villages' map shapes are refreshed explicitly.
    generalise.refresh(
        Village.objects.filter(code__in=data["centres"]).values_list("pk", flat=True)
    )
    for item in data["villages"]:
        if item.get("code"):
            village = Village.objects.filter(code=item["code"]).first()
        else:
            village = Village.objects.filter(slug=item["slug"]).first()
        values = {
            k: v for k, v in item.items() if k not in {"code", "parent_code", "boundary", "centre"}
        }
        if item.get("centre"):
            values["centre"] = Point(*item["centre"], srid=4326)
        if item.get("boundary"):
            values["boundary"] = _polygon(item["boundary"])
        values["geometry_is_approximate"] = True
        if village is None:
            parent = (
                Village.objects.get(code=item["parent_code"]) if item.get("parent_code") else None
            )
            district = (
                parent.district if parent else District.objects.get(code=item["district_code"])
            )
            values.pop("district_code", None)
            Village.objects.create(parent=parent, district=district, **values)
            counts["created"] += 1
        else:
            values.pop("slug", None)
            values.pop("district_code", None)
            _assign(village, values)
            village.full_clean()
            village.save()
            counts["described"] += 1
    DatasetLoad.objects.update_or_create(name="sog_places", defaults={"checksum": checksum})
    return counts
