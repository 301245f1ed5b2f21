"""Scorecard exports: CSV (one row per composite, pillar and indicator), JSON (the API's
shape) and a printable PDF with bar charts (ReportLab, pure Python, no browser needed)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from django.utils.translation import gettext as _

CSV_COLUMNS = [
    "village",
    "period",
    "status",
    "method_version",
    "aggregation",
    "level",
    "code",
    "pillar",
    "value",
    "unit",
    "baseline",
    "target",
    "weight",
    "score",
    "coverage",
    "rank",
]


def _cell(value):
    return "" if value is None else value


def csv_rows(data: dict) -> Iterable[list]:
    """Rows of one village's scorecard payload."""
    head = [
        data["village"],
        data["period"],
        data["status"],
        data["method_version"],
        data["aggregation"],
    ]
    rank = data.get("rank")
    yield head + [
        "composite",
        "composite",
        "",
        "",
        "",
        "",
        "",
        "",
        _cell(data["composite"]),
        "",
        _cell(rank),
    ]
    for name, pillar in data["pillars"].items():
        yield head + [
            "pillar",
            name,
            name,
            "",
            "",
            "",
            "",
            "",
            _cell(pillar["score"]),
            _cell(pillar["coverage"]),
            _cell(rank),
        ]
    for ind in data["indicators"]:
        # The unit in the reader's language, as on the pages (Indicator.unit).
        yield head + [
            "indicator",
            ind["code"],
            ind["pillar"],
            _cell(ind["value"]),
            ind.get("unit", ""),
            _cell(ind["baseline"]),
            _cell(ind["target"]),
            _cell(ind["weight"]),
            _cell(ind["score"]),
            "",
            _cell(rank),
        ]


def to_csv(scorecards: Iterable[dict]) -> str:
    """CSV text of one or more scorecard payloads (missing values are empty, never 0)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for data in scorecards:
        writer.writerows(csv_rows(data))
    return buffer.getvalue()


def to_geojson(rows: list[dict]) -> str:
    """Villages with their scores as a FeatureCollection; geometry rendered by the database
    (boundary where known, else centre), properties from the scorecard rows."""
    from villages.geojson import collection_text, feature_text, with_geojson
    from villages.models import Village

    by_slug = {row["village"]: row for row in rows}
    qs = with_geojson(
        with_geojson(Village.objects.filter(slug__in=by_slug), "boundary", "_b"), "centre", "_c"
    )
    geometry = {slug: b or c for slug, b, c in qs.values_list("slug", "_b", "_c")}
    features = []
    for slug, row in by_slug.items():
        props = {
            "village": slug,
            "name": row["village_name"],
            "period": row["period"],
            "status": row["status"],
            "rank": row.get("rank"),
            "composite": row["composite"],
            "suggested_stage": row["suggested_stage"],
            "aggregation": row["aggregation"],
            "method_version": row["method_version"],
        }
        props.update({f"{name}_score": p["score"] for name, p in row["pillars"].items()})
        props.update({f"{name}_coverage": p["coverage"] for name, p in row["pillars"].items()})
        features.append(feature_text(geometry.get(slug), props, slug))
    return collection_text(features)


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _bars(items: list[tuple[str, float | None, str]], width: float):
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    from .charts import PILLAR_COLOURS

    row_h, label_w = 16, 150
    plot_w = width - label_w - 40
    drawing = Drawing(width, row_h * len(items) + 4)
    for i, (label, value, colour) in enumerate(items):
        y = drawing.height - (i + 1) * row_h
        drawing.add(String(label_w - 6, y + 4, label[:32], fontSize=8, textAnchor="end"))
        drawing.add(
            Rect(
                label_w,
                y + 2,
                plot_w,
                row_h - 5,
                fillColor=colors.HexColor("#eef1f4"),
                strokeColor=None,
            )
        )
        if value is None:
            drawing.add(
                String(
                    label_w + 4,
                    y + 5,
                    _("no data"),
                    fontSize=7,
                    fillColor=colors.HexColor("#5b6570"),
                )
            )
            continue
        w = max(0.0, min(1.0, value / 100.0)) * plot_w
        drawing.add(
            Rect(
                label_w,
                y + 2,
                w,
                row_h - 5,
                strokeColor=None,
                fillColor=colors.HexColor(PILLAR_COLOURS.get(colour, "#444444")),
            )
        )
        drawing.add(String(label_w + plot_w + 4, y + 4, f"{value:.1f}", fontSize=8))
    return drawing


def _trend(points: list[dict], width: float):
    """Composite and pillars over periods on a 0..100 axis; a gap stays a gap."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
    from reportlab.lib import colors

    from .charts import PILLAR_COLOURS

    height, left, bottom, top = 130.0, 30.0, 20.0, 8.0
    plot_w, plot_h = width - left - 10, height - bottom - top
    drawing = Drawing(width, height)
    n = max(len(points), 1)

    def xy(i, v):
        return left + plot_w * (i + 0.5) / n, bottom + plot_h * max(0.0, min(100.0, v)) / 100

    for tick in (0, 50, 100):
        y = bottom + plot_h * tick / 100
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=colors.HexColor("#dde2e8")))
        drawing.add(String(left - 4, y - 3, str(tick), fontSize=7, textAnchor="end"))
    for i, p in enumerate(points):
        drawing.add(String(xy(i, 0)[0], 6, p["period"], fontSize=7, textAnchor="middle"))
    series = {"composite": [p["composite"] for p in points]}
    series.update(
        {k: [p["pillars"][k] for p in points] for k in ("social", "economic", "environmental")}
    )
    for name, values in series.items():
        colour = colors.HexColor(PILLAR_COLOURS[name])
        run: list[float] = []
        for i, v in enumerate([*values, None]):
            if v is None:
                if len(run) > 2:
                    drawing.add(PolyLine(run, strokeColor=colour, strokeWidth=1.5))
                run = []
                continue
            x, y = xy(i, v)
            run += [x, y]
            drawing.add(Circle(x, y, 2.2, fillColor=colour, strokeColor=None))
    return drawing


def to_pdf(data: dict, *, trend: list[dict] | None = None) -> bytes:
    """A one- or two-page printable PDF of a village's scorecard, with its charts."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Green Score {data['village_name']} {data['period']}",
    )
    styles = getSampleStyleSheet()
    status = _("published") if data["status"] == "published" else _("live, not published")
    story = [
        Paragraph(
            _("Green Score: %(village)s, %(period)s")
            % {"village": data["village_name"], "period": data["period"]},
            styles["Title"],
        ),
        Paragraph(
            _("Status: %(status)s. Method version %(version)s, %(aggregation)s mean.")
            % {
                "status": status,
                "version": data["method_version"],
                "aggregation": data["aggregation"],
            },
            styles["Normal"],
        ),
        Paragraph(
            _("Composite: %(composite)s. Suggested stage: %(stage)s.")
            % {"composite": _fmt(data["composite"]), "stage": data["suggested_stage"] or "–"},
            styles["Heading2"],
        ),
    ]
    pillar_items = [(_("composite"), data["composite"], "composite")] + [
        (f"{_(name)} ({_('coverage')} {p['coverage'] * 100:.0f}%)", p["score"], name)
        for name, p in data["pillars"].items()
    ]
    story += [_bars(pillar_items, doc.width), Spacer(1, 6 * mm)]
    if trend:
        story += [
            Paragraph(_("Trend over periods"), styles["Heading2"]),
            _trend(trend, doc.width),
            Spacer(1, 4 * mm),
        ]
    story.append(Paragraph(_("Indicator scores"), styles["Heading2"]))
    story.append(
        _bars([(i["name"], i["score"], i["pillar"]) for i in data["indicators"]], doc.width)
    )
    story.append(Spacer(1, 6 * mm))
    table = [[_("Indicator"), _("Value"), _("Baseline"), _("Target"), _("Weight"), _("Score")]]
    for ind in data["indicators"]:
        table.append(
            [
                Paragraph(f"{ind['name']} ({ind['unit']})", styles["BodyText"]),
                _fmt(ind["value"], 2),
                _fmt(ind["baseline"], 2),
                _fmt(ind["target"], 2),
                _fmt(ind["weight"], 1),
                _fmt(ind["score"]),
            ]
        )
    grid = Table(table, colWidths=[doc.width * 0.4] + [doc.width * 0.12] * 5, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f8")]),
            ]
        )
    )
    story += [
        grid,
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "Missing data is shown as –, never as zero. Flows' baselines and targets are scaled "
                "to the period's share of the year."
            ),
            styles["Italic"],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
