"""Server-rendered inline SVG charts for scorecard pages: no CDN, no JS chart library.

Every label goes through django.utils.html.escape; numbers are formatted here. Charts carry a
<title> and role="img" with an aria-label so a screen reader gets the same facts.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PILLAR_COLOURS = {
    "social": "#8a4f9e",
    "economic": "#b3661a",
    "environmental": "#2f6b3a",
    "composite": "#1f3b57",
}
MISSING = "#c9ced6"


def _num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def bar_chart(
    items: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    max_value: float = 100.0,
    width: int = 420,
    bar_height: int = 18,
) -> SafeString:
    """Horizontal bars 0..max_value: items are (label, value or None, colour key)."""
    label_w, gap, pad = 150, 6, 4
    plot_w = width - label_w - 50
    height = pad * 2 + len(items) * (bar_height + gap)
    parts = [
        f'<svg class="chart chart-bars" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, (label, value, colour) in enumerate(items):
        y = pad + i * (bar_height + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_height * 0.75:.1f}" '
            f'text-anchor="end" font-size="12">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_height}" fill="#eef1f4"/>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + bar_height * 0.75:.1f}" '
                f'font-size="11" fill="#5b6570">{escape(_("no data"))}</text>'
            )
            continue
        w = max(0.0, min(1.0, value / max_value)) * plot_w
        fill = PILLAR_COLOURS.get(colour, colour)
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{escape(fill)}"/>'
        )
        parts.append(
            f'<text x="{label_w + plot_w + 6}" y="{y + bar_height * 0.75:.1f}" '
            f'font-size="12">{_num(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_chart(
    periods: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    width: int = 420,
    height: int = 180,
) -> SafeString:
    """Lines over periods on a 0..100 axis; a missing point breaks the line (never 0)."""
    left, right, top, bottom = 34, 10, 10, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(periods), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - max(0.0, min(100.0, v)) / 100.0)

    parts = [
        f'<svg class="chart chart-trend" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in (0, 50, 100):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="#dde2e8"/>'
            f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="10">{tick}</text>'
        )
    for i, label in enumerate(periods):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" '
            f'font-size="10">{escape(label)}</text>'
        )
    for name, values in series.items():
        colour = escape(PILLAR_COLOURS.get(name, "#444"))
        run: list[str] = []
        for i, v in enumerate(values):
            if v is None:
                if len(run) > 1:
                    parts.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                        f'points="{" ".join(run)}"/>'
                    )
                run = []
                continue
            run.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)} {escape(periods[i])}: {_num(v)}</title></circle>"
            )
        if len(run) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                f'points="{" ".join(run)}"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
