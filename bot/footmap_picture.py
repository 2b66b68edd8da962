"""The foot map picture: both soles seen from below, each zone from the knowledge base marked and labelled.

Drawn with Pillow from the entries' `map` fields, so a curator who edits a label in the YAML changes the
picture too. Drawing takes a moment, so the PNG is made once per set of zones and kept.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from bot.core.knowledge import Entry

REGION_NAMES = {
    "big_toe": "Big toe",
    "middle_toes": "2nd to 4th toes",
    "little_toe": "Little toe",
    "toe_tips": "Tips of the toes",
    "heart_point": "Heart point",
    "liver_stomach": "Liver & stomach point",
    "plantar": "Sole (plantar area)",
    "ankles": "Ankles",
}
FOOT_NAMES = {"left": "left foot", "right": "right foot", "both": "both feet"}

WIDTH = 1200
LEGEND_ROW = 50
SCALE = 2  # drawn at twice the size, then scaled down for smooth edges
FOOT_BOX = (300, 640)  # width and height of one sole, toes included
FOOT_TOP = 130
BACKGROUND = (252, 247, 240)
SKIN = (246, 215, 190)
OUTLINE = (150, 104, 80)
INK = (60, 44, 38)
COLOURS = [
    (214, 69, 65),
    (46, 134, 193),
    (39, 174, 96),
    (142, 68, 173),
    (230, 126, 34),
    (22, 160, 133),
    (192, 57, 43),
    (41, 128, 185),
]

# A left sole seen from below, big toe on the right (inner side); the right sole is its mirror image.
# Coordinates are fractions of FOOT_BOX.
# fmt: off
SOLE_OUTLINE = [
    (0.16, 0.24), (0.24, 0.19), (0.36, 0.165), (0.50, 0.155), (0.66, 0.15), (0.80, 0.16), (0.90, 0.20),
    (0.95, 0.27), (0.95, 0.35), (0.91, 0.44), (0.84, 0.53), (0.79, 0.62), (0.79, 0.71), (0.82, 0.80),
    (0.83, 0.88), (0.79, 0.95), (0.70, 0.99), (0.58, 1.0), (0.46, 0.99), (0.36, 0.955), (0.29, 0.89),
    (0.26, 0.80), (0.25, 0.70), (0.22, 0.60), (0.17, 0.49), (0.13, 0.39), (0.12, 0.31),
]
# fmt: on
# Toes, big to little: centre x, centre y, radius x, radius y.
TOES = [
    (0.76, 0.085, 0.125, 0.078),
    (0.545, 0.075, 0.078, 0.062),
    (0.395, 0.09, 0.068, 0.056),
    (0.275, 0.115, 0.06, 0.05),
    (0.17, 0.155, 0.05, 0.044),
]
# Where each region is shaded: a list of ellipses (cx, cy, rx, ry); the marker sits on the first.
REGION_SHAPES: dict[str, list[tuple[float, float, float, float]]] = {
    "big_toe": [TOES[0]],
    "middle_toes": [TOES[2], TOES[1], TOES[3]],
    "little_toe": [TOES[4]],
    # Marker on the second toe's tip, clear of the big toe's own marker.
    "toe_tips": [(x, y - ry * 0.55, rx * 0.55, ry * 0.4) for x, y, rx, ry in (TOES[1], TOES[0], *TOES[2:])],
    "heart_point": [(0.52, 0.27, 0.085, 0.05)],
    "liver_stomach": [(0.50, 0.38, 0.16, 0.055)],
    "plantar": [(0.52, 0.58, 0.2, 0.11)],
    "ankles": [(0.30, 0.86, 0.06, 0.05), (0.80, 0.86, 0.06, 0.05)],
}


@dataclass(frozen=True, slots=True)
class Zone:
    number: int
    region: str
    foot: str  # "left", "right" or "both"
    label: str

    @property
    def name(self) -> str:
        return REGION_NAMES.get(self.region, self.region.replace("_", " ").capitalize())

    def on(self, foot: str) -> bool:
        return self.foot in (foot, "both")


def zones_from_entries(entries: Iterable[Entry]) -> tuple[Zone, ...]:
    """The numbered zones, in knowledge order, of the entries that have a place on the map."""
    placed = [entry.map_zone for entry in entries if entry.map_zone is not None]
    return tuple(Zone(number, zone.region, zone.foot, zone.label) for number, zone in enumerate(placed, start=1))


def foot_map_png(entries: Iterable[Entry]) -> bytes:
    return draw_foot_map(zones_from_entries(entries))


@lru_cache(maxsize=4)
def draw_foot_map(zones: tuple[Zone, ...]) -> bytes:
    """Both soles with each zone shaded and numbered, and a legend: number, zone, what the guide links it to."""
    legend_top = FOOT_TOP + FOOT_BOX[1] + 100
    height = legend_top + len(zones) * LEGEND_ROW + 20
    image = Image.new("RGB", (WIDTH * SCALE, height * SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image, "RGBA")
    title_font = _font(38)
    label_font = _font(26)
    legend_font = _font(27)
    marker_font = _font(22)
    _centred(draw, WIDTH / 2, 52, "The foot map: both soles, seen from below", title_font, INK)
    for foot, left_edge in (("left", 210), ("right", WIDTH - 210 - FOOT_BOX[0])):
        mirrored = foot == "right"
        _draw_sole(draw, left_edge, mirrored)
        for zone in zones:
            if zone.on(foot) and zone.region in REGION_SHAPES:
                _draw_zone(draw, zone, left_edge, mirrored, marker_font)
        _centred(
            draw, left_edge + FOOT_BOX[0] / 2, FOOT_TOP + FOOT_BOX[1] + 40, f"{foot.upper()} FOOT", label_font, INK
        )
    _draw_legend(draw, zones, legend_top, legend_font, marker_font)
    image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw_sole(draw: ImageDraw.ImageDraw, left_edge: float, mirrored: bool) -> None:
    outline = [_point(x, y, left_edge, mirrored) for x, y in SOLE_OUTLINE]
    draw.polygon(outline, fill=SKIN, outline=OUTLINE, width=3 * SCALE)
    for toe in TOES:
        draw.ellipse(_box(toe, left_edge, mirrored), fill=SKIN, outline=OUTLINE, width=3 * SCALE)


def _draw_zone(
    draw: ImageDraw.ImageDraw, zone: Zone, left_edge: float, mirrored: bool, font: ImageFont.ImageFont
) -> None:
    colour = COLOURS[(zone.number - 1) % len(COLOURS)]
    shapes = REGION_SHAPES[zone.region]
    for shape in shapes:
        draw.ellipse(_box(shape, left_edge, mirrored), fill=(*colour, 110), outline=(*colour, 255), width=2 * SCALE)
    for shape in shapes if zone.region == "ankles" else shapes[:1]:
        centre = _point(shape[0], shape[1], left_edge, mirrored)
        _marker(draw, centre, zone.number, colour, font)


def _draw_legend(
    draw: ImageDraw.ImageDraw,
    zones: Sequence[Zone],
    top: float,
    font: ImageFont.ImageFont,
    marker_font: ImageFont.ImageFont,
) -> None:
    """One row per zone: its number, where it is, and what the guide links it to."""
    for row, zone in enumerate(zones):
        x, y = 230, top + row * LEGEND_ROW
        colour = COLOURS[(zone.number - 1) % len(COLOURS)]
        _marker(draw, (x * SCALE, y * SCALE), zone.number, colour, marker_font)
        where = "" if zone.foot == "both" else f" ({FOOT_NAMES.get(zone.foot, zone.foot)})"
        text = _shorten(f"{zone.name}{where}: {zone.label}", 62)
        draw.text(((x + 32) * SCALE, y * SCALE), text, fill=INK, font=font, anchor="lm")


def _marker(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    number: int,
    colour: tuple[int, int, int],
    font: ImageFont.ImageFont,
) -> None:
    radius = 17 * SCALE
    x, y = centre
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius), fill=colour, outline=(255, 255, 255), width=3 * SCALE
    )
    draw.text((x, y), str(number), fill=(255, 255, 255), font=font, anchor="mm")


def _centred(
    draw: ImageDraw.ImageDraw, x: float, y: float, text: str, font: ImageFont.ImageFont, colour: tuple[int, int, int]
) -> None:
    draw.text((x * SCALE, y * SCALE), text, fill=colour, font=font, anchor="mm")


def _point(x: float, y: float, left_edge: float, mirrored: bool) -> tuple[float, float]:
    fraction = 1 - x if mirrored else x
    return ((left_edge + fraction * FOOT_BOX[0]) * SCALE, (FOOT_TOP + y * FOOT_BOX[1]) * SCALE)


def _box(shape: tuple[float, float, float, float], left_edge: float, mirrored: bool) -> tuple[float, ...]:
    cx, cy, rx, ry = shape
    x, y = _point(cx, cy, left_edge, mirrored)
    half_width, half_height = rx * FOOT_BOX[0] * SCALE, ry * FOOT_BOX[1] * SCALE
    return (x - half_width, y - half_height, x + half_width, y + half_height)


def _shorten(text: str, limit: int) -> str:
    """Ellipsis as three dots: the bundled font has no "…" glyph."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _font(size: int) -> ImageFont.ImageFont:
    """Pillow's bundled scalable font: the same picture on every machine, no system fonts needed."""
    try:
        return ImageFont.load_default(size=size * SCALE)  # type: ignore[return-value]
    except (OSError, ImportError, TypeError):  # a Pillow built without FreeType
        return ImageFont.load_default()  # type: ignore[return-value]
