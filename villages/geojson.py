"""GeoJSON FeatureCollections assembled from database rows.

The database renders each geometry to GeoJSON text (AsGeoJSON) and returns
plain values; Python only joins strings. No model instance or serializer is
built per feature, so a layer of 100,000 features stays fast.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Mapping

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import Func, TextField, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse

GEOJSON_CONTENT_TYPE = "application/geo+json"
PRECISION = 6  # about 0.1 m at the equator

_encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))


def with_geojson(queryset, geometry_field: str, alias: str = "_geojson"):
    """Annotate a queryset with its geometry as GeoJSON text rendered by the database."""
    return queryset.annotate(**{alias: AsGeoJSON(geometry_field, precision=PRECISION)})


def feature_text(geometry: str | None, properties: Mapping, feature_id=None) -> str:
    """One Feature as JSON text, from pre-rendered geometry text."""
    head = '{"type":"Feature",'
    if feature_id is not None:
        head += f'"id":{_encoder.encode(feature_id)},'
    return f'{head}"geometry":{geometry or "null"},"properties":{_encoder.encode(properties)}}}'


def collection_text(features: Iterable[str], extra: Mapping | None = None) -> str:
    """A FeatureCollection as JSON text from Feature texts."""
    head = '{"type":"FeatureCollection",'
    if extra:
        head += _encoder.encode(dict(extra))[1:-1] + ","
    return head + '"features":[' + ",".join(features) + "]}"


# --- Feature texts written by the database (the list endpoints' fast path) -------------------
#
# Each row's whole Feature is one text column the database concatenates (`||`) from JSON
# scalars: PostgreSQL `to_json(x)::text`, SQLite `json_quote(x)`, the geometry from AsGeoJSON.
# Python only joins the rows. A property the database cannot write (a storage URL) is a
# `Hole`: the row carries its raw value and Python splices its JSON in between two texts.


class JSONText(Func):
    """Text concatenated from literal strings and expressions that are already JSON text."""

    output_field = TextField()

    def __init__(self, *parts):
        layout, expressions = [], []
        for part in parts:
            if isinstance(part, str):
                if layout and isinstance(layout[-1], str):
                    layout[-1] += part  # adjacent literals are one parameter
                else:
                    layout.append(part)
            else:
                layout.append(None)
                expressions.append(part)
        self.layout = layout
        super().__init__(*expressions, output_field=TextField())

    def as_sql(self, compiler, connection, **extra_context):
        literal = "%s::text" if connection.vendor == "postgresql" else "%s"
        expressions = iter(self.get_source_expressions())
        sqls, params = [], []
        for part in self.layout or [""]:
            if part is None:
                sql, more = compiler.compile(next(expressions))
                sqls.append(f"({sql})")
                params.extend(more)
            else:
                sqls.append(literal)
                params.append(part)
        return "(" + " || ".join(sqls) + ")", params


class JSONValue(Func):
    """The JSON text of one scalar column: a quoted string, a number, or null."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"COALESCE(to_json({sql})::text, 'null')", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"COALESCE(json_quote({sql}), 'null')", params


class JSONBool(Func):
    """true, false or null for a boolean column (SQLite keeps booleans as 0/1)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return (
            f"CASE WHEN ({sql}) IS NULL THEN 'null' WHEN ({sql}) THEN 'true' ELSE 'false' END",
            [*params, *params],
        )


class JSONLabel(Func):
    """A choice's label (translated in Python, passed in as JSON text); unknown: the value."""

    output_field = TextField()

    def __init__(self, expression, labels: Mapping):
        self.labels = {key: _encoder.encode(str(label)) for key, label in labels.items()}
        super().__init__(expression, output_field=TextField())

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        value, value_params = compiler.compile(JSONValue(self.get_source_expressions()[0]))
        cases, case_params = [], []
        for key, label in self.labels.items():
            cases.append(f"WHEN %s THEN %s{'::text' if connection.vendor == 'postgresql' else ''}")
            case_params += [key, label]
        return (
            f"CASE ({sql}) {' '.join(cases)} ELSE {value} END",
            [*params, *case_params, *value_params],
        )


def json_geometry(field: str):
    return Coalesce(AsGeoJSON(field, precision=PRECISION), Value("null"), output_field=TextField())


class Hole:
    """A property the database cannot write: `render(value)` of the column gives its value
    (a column that is NULL gives null without calling it)."""

    def __init__(self, expression, render):
        self.expression, self.render = expression, render


class SQLFeatures:
    """Feature texts written by the database: `.queryset` gives rows, `.text(row)` the Feature.

    `properties` maps each key, in order, to an expression giving its JSON text (JSONValue,
    JSONBool, JSONLabel, JSONText...) or to a Hole.
    """

    def __init__(self, queryset, *, geometry, feature_id, properties: Mapping):
        if isinstance(geometry, str):  # a field's name; else an expression giving GeoJSON text
            geometry = json_geometry(geometry)
        segments = [['{"type":"Feature","id":', feature_id, ',"geometry":', geometry]]
        segments[0].append(',"properties":{')
        holes = []
        for number, (key, value) in enumerate(properties.items()):
            segments[-1].append(("," if number else "") + _encoder.encode(key) + ":")
            if isinstance(value, Hole):
                holes.append(value)
                segments.append([])
            else:
                segments[-1].append(value)
        segments[-1].append("}}")
        texts = {f"_sqlf{n}": JSONText(*parts) for n, parts in enumerate(segments)}
        raw = {f"_sqlh{n}": hole.expression for n, hole in enumerate(holes)}
        self.renders = [hole.render for hole in holes]
        self.queryset = queryset.annotate(**texts, **raw).values_list(*texts, *raw)

    def text(self, row) -> str:
        if not self.renders:
            return row[0]
        parts, texts = [row[0]], len(self.renders) + 1
        for n, render in enumerate(self.renders):
            raw = row[texts + n]
            parts.append("null" if raw is None else _encoder.encode(render(raw)))
            parts.append(row[n + 1])
        return "".join(parts)

    def texts(self, rows) -> list[str]:
        """text() of each row; the usual shapes (no hole, one hole) without a call per row."""
        if not self.renders:
            return [row[0] for row in rows]
        if len(self.renders) == 1:
            render, encode = self.renders[0], _encoder.encode
            return [
                head + "null" + tail if raw is None else head + encode(render(raw)) + tail
                for head, tail, raw in rows
            ]
        return [self.text(row) for row in rows]


def geojson_response(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(text, content_type=GEOJSON_CONTENT_TYPE, status=status)


def loads(text: str):
    """Parse GeoJSON text (used by tests and exports)."""
    return json.loads(text)


# --- Paginated, streamed FeatureCollections (the list endpoints) -----------------------------

PAGE_SIZE = 10_000  # features in a page when the client gives no `limit`, and the most it may ask
CHUNK = 1_000  # features built per database round trip while streaming


def page_params(request) -> tuple[int | None, int]:
    """`limit` (1..PAGE_SIZE, optional) and `offset` (>= 0); a bad one raises a 400."""
    from django.utils.translation import gettext as _
    from rest_framework.exceptions import ValidationError

    errors, values = {}, {}
    for name, low, high in (("limit", 1, PAGE_SIZE), ("offset", 0, None)):
        raw = request.GET.get(name)
        if raw is None or raw == "":
            continue
        try:
            number = int(raw)
        except ValueError:
            errors[name] = [_("%(value)r is not a whole number.") % {"value": raw}]
            continue
        if number < low or (high is not None and number > high):
            errors[name] = [
                _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
                if high is not None
                else _("Give a whole number from %(low)d up.") % {"low": low}
            ]
            continue
        values[name] = number
    if errors:
        raise ValidationError(errors)
    return values.get("limit"), values.get("offset", 0)


def _stable(queryset):
    """The queryset in a total order (its own order, then pk), so pages neither skip nor repeat."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering or [])
    if "pk" not in order and "id" not in order:
        order.append("pk")
    return queryset.order_by(*order)


def _database_chunks(queryset, chunk_size: int):
    """The rows of `queryset` from one query, as lists of at most `chunk_size` rows.

    A plain cursor, not a server-side one: the first chunks are read inside the request's
    transaction (ATOMIC_REQUESTS) and the rest after it ends, which a PostgreSQL cursor without
    HOLD would not survive. The page is at most PAGE_SIZE + 1 rows; Python turns CHUNK of them
    into objects at a time.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield rows


def paged_response(request, queryset, build, *, default_limit: int | None = None, rows=None):
    """A streamed FeatureCollection of one page of `queryset`, built in chunks.

    `rows(queryset)` gives the page's Feature texts written by the database (SQLFeatures), or
    None when it cannot (then, and without `rows`, `build(queryset)` builds them in Python,
    CHUNK features per two queries: the page's ids, then the features).

    With `limit` the collection carries `numberMatched` (all that match) and `numberReturned`;
    when more follow, `next` is the URL of the next page (`offset` moved on). Without `limit`,
    at most `default_limit` features, and `next` when there are more. Memory stays flat: at
    most one page is read from the database and CHUNK features are joined and sent at a time.
    """
    from django.http import StreamingHttpResponse

    limit, offset = page_params(request)
    asked = limit is not None
    limit = limit or default_limit or PAGE_SIZE
    queryset = _stable(queryset)
    matched = queryset.count() if asked else None
    in_sql = rows(queryset) if rows is not None else None

    def from_database():
        """Lists of Feature texts, then whether more follow the page, from one query of at most
        limit + 1 rows."""
        page = in_sql.queryset[: limit + 1]
        if offset:
            # The page's ids first (a subquery: sort and skip over ids alone), then the Features
            # of those rows only: with OFFSET on the Feature query itself, the database would
            # write the text of every row it skips (100,000 attractions: 1.4 s, not 0.2 s).
            ids = queryset.values("pk")[offset : offset + limit + 1]
            page = in_sql.queryset.filter(pk__in=ids)
        count = 0
        for rows in _database_chunks(page, CHUNK):
            if count + len(rows) > limit:  # the one row past the page: more follow
                yield in_sql.texts(rows[: limit - count])
                yield True
                return
            count += len(rows)
            yield in_sql.texts(rows)
        yield False

    def in_python():
        # The page's ids in one ordered query (at most PAGE_SIZE + 1 integers), then the
        # features CHUNK at a time, each chunk joined and sent before the next is built.
        page = list(queryset.values_list("pk", flat=True)[offset : offset + limit + 1])
        for start in range(0, min(limit, len(page)), CHUNK):
            pks = page[start : min(start + CHUNK, limit)]
            yield build(queryset.filter(pk__in=pks))
        yield len(page) > limit

    def pages():
        yield '{"type":"FeatureCollection","features":['
        sent = 0
        for chunk in from_database() if in_sql is not None else in_python():
            if isinstance(chunk, bool):
                more_after = chunk
                break
            if not chunk:
                continue
            yield ("," if sent else "") + ",".join(chunk)
            sent += len(chunk)
        more = offset + sent < matched if asked else more_after
        tail = {"numberReturned": sent}
        if asked:
            tail["numberMatched"] = matched
        if more:
            query = request.GET.copy()
            query["offset"] = str(offset + sent)
            query["limit"] = str(limit)
            tail["next"] = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        yield "]," + _encoder.encode(tail)[1:]

    # A page that fits in one chunk is answered whole; a longer one is streamed chunk by chunk.
    parts, stream = [], pages()
    for part in stream:
        parts.append(part)
        if len(parts) > 3:  # the head, two chunks, and more to come: not one chunk
            return StreamingHttpResponse(
                itertools.chain(parts, stream), content_type=GEOJSON_CONTENT_TYPE
            )
    return HttpResponse("".join(parts), content_type=GEOJSON_CONTENT_TYPE)
