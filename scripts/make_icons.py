"""Draw the site's PNG app icons (static/icons/icon-192.png, icon-512.png) with Pillow.

The same picture as static/icons/favicon.svg (a leaf and a music note on green), drawn
at 4x and scaled down for smooth edges. Run again after changing the design:
    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

GREEN, LEAF, WHITE = (47, 107, 58, 255), (143, 201, 143, 255), (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def _bezier(p0, p1, p2, p3, steps=40):
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        yield (
            u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
            u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
        )


def draw(size: int) -> Image.Image:
    big = size * 4
    k = big / 64  # the SVG's 64-unit view box

    def pt(x, y):
        return (x * k, y * k)

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    d.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * k, fill=GREEN)
    leaf = list(_bezier(pt(14, 50), pt(14, 30), pt(30, 14), pt(52, 12)))
    leaf += list(_bezier(pt(52, 12), pt(50, 34), pt(36, 50), pt(14, 50)))
    d.polygon(leaf, fill=LEAF)
    d.line(
        [pt(26, 44), pt(26, 20), pt(44, 16), pt(44, 38)],
        fill=WHITE,
        width=round(4 * k),
        joint="curve",
    )
    for cx, cy in ((22, 44), (40, 38)):
        d.ellipse((pt(cx - 6, cy - 6), pt(cx + 6, cy + 6)), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        path = OUT / f"icon-{size}.png"
        draw(size).save(path, optimize=True)
        print(path)


if __name__ == "__main__":
    main()
