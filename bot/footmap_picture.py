"""The foot map picture: both soles seen from below, each zone from the knowledge base shaded and numbered.

Drawn with Pillow from the entries' `map` fields, so a curator who edits a label, a foot or the order in
the YAML changes the picture too. The look follows printed reflexology charts:
- each sole is one smooth outline (Catmull-Rom curves) with the toes joined to it;
- numbers sit outside the foot at the end of a leader line, so no marker covers the zone it names;
- eight Okabe-Ito colours (told apart with the common colour-vision deficiencies) plus a fill pattern
  for every zone, repeated in the legend's swatches;
- the ankles, which a view from below cannot see, are the bumps drawn at the heel's two sides.
Drawing takes a moment, so the PNG is made once per set of zones and kept.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageChops, ImageDraw, ImageFont

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
SCALE = 3  # drawn at three times the size, then scaled down for smooth edges
FOOT_BOX = (250, 580)  # width and height of one sole, toes included
FOOT_TOP = 150
LEFT_FOOT_X = 260  # left edge of the left foot's box; the right foot mirrors it about the middle
RIGHT_FOOT_X = WIDTH - LEFT_FOOT_X - FOOT_BOX[0]
LEGEND_ROW = 50
MARKER_RADIUS = 19
MARKER_GAP = 46  # least distance between two markers' centres in one column
COLUMN_OFFSET = 48  # a column of markers stands this far outside the foot's box

BACKGROUND = (253, 250, 245)
SKIN = (244, 214, 190)
SKIN_CREASE = (196, 146, 118)
OUTLINE = (128, 84, 62)
INK = (45, 38, 35)
MUTED_INK = (110, 96, 88)
# Okabe & Ito's palette, in an order that keeps neighbouring zones apart.
COLOURS = [
    (0, 114, 178),  # blue
    (230, 159, 0),  # orange
    (0, 158, 115),  # bluish green
    (204, 121, 167),  # reddish purple
    (213, 94, 0),  # vermillion
    (86, 180, 233),  # sky blue
    (240, 228, 66),  # yellow
    (70, 70, 70),  # dark grey
]
PATTERNS = ["plain", "stripes", "dots", "plain", "cross", "stripes", "dots", "plain"]
PALETTE_COLOURS = 256  # the PNG is saved with a palette of this many colours
ZONE_OPACITY = 205  # of 255: zone colours over the skin

# A left sole seen from below: big toe on the right (the inner side), fractions of FOOT_BOX.
# The right sole is its mirror image. The outline is smoothed through these points.
# fmt: off
SOLE_OUTLINE = [
    (0.10, 0.22), (0.28, 0.14), (0.52, 0.105), (0.76, 0.10), (0.93, 0.14), (0.985, 0.24),
    (0.955, 0.35), (0.86, 0.47), (0.79, 0.59), (0.79, 0.71), (0.83, 0.82), (0.82, 0.92),
    (0.72, 0.985), (0.56, 1.0), (0.42, 0.965), (0.33, 0.88), (0.29, 0.76), (0.24, 0.62),
    (0.16, 0.48), (0.08, 0.35),
]
# fmt: on
# Toes, big to little: centre x, centre y, half width, half height, tilt in degrees (outward is negative).
TOES = [
    (0.80, 0.085, 0.125, 0.085, 4),
    (0.575, 0.072, 0.072, 0.066, -2),
    (0.42, 0.093, 0.066, 0.060, -8),
    (0.285, 0.125, 0.060, 0.053, -16),
    (0.165, 0.17, 0.052, 0.046, -26),
]
TIP_SHARE = 0.36  # the top share of each toe counts as its tip
# Ankle bumps at the heel's sides: centre x, centre y, radius (as a fraction of the box width).
INNER_ANKLE = (0.84, 0.79, 0.08)
OUTER_ANKLE = (0.285, 0.82, 0.08)
# Shapes of the regions on the sole: ellipses (cx, cy, rx, ry), clipped to the sole's outline.
REGION_ELLIPSES: dict[str, tuple[float, float, float, float]] = {
    "heart_point": (0.63, 0.245, 0.115, 0.048),
    "liver_stomach": (0.40, 0.37, 0.22, 0.058),
    "plantar": (0.53, 0.585, 0.25, 0.125),
}
REGIONS = ("big_toe", "middle_toes", "little_toe", "toe_tips", *REGION_ELLIPSES, "ankles")


@dataclass(frozen=True, slots=True)
class Callout:
    """Where a zone's leader line starts (inside the zone) and on which side its number stands."""

    x: float
    y: float
    side: str  # "inner", "outer" or "top"


# Per region, on the left sole: the leader lines' starting points and sides.
CALLOUTS: dict[str, tuple[Callout, ...]] = {
    "big_toe": (Callout(0.83, 0.10, "inner"),),
    "middle_toes": (Callout(0.42, 0.105, "top"),),
    "little_toe": (Callout(0.15, 0.18, "outer"),),
    "toe_tips": (Callout(0.575, 0.025, "top"),),
    "heart_point": (Callout(0.66, 0.245, "inner"),),
    "liver_stomach": (Callout(0.36, 0.37, "outer"),),
    "plantar": (Callout(0.45, 0.62, "outer"),),
    "ankles": (
        Callout(INNER_ANKLE[0] + 0.045, INNER_ANKLE[1], "inner"),
        Callout(OUTER_ANKLE[0] - 0.045, OUTER_ANKLE[1], "outer"),
    ),
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

    @property
    def colour(self) -> tuple[int, int, int]:
        return COLOURS[(self.number - 1) % len(COLOURS)]

    @property
    def pattern(self) -> str:
        return PATTERNS[(self.number - 1) % len(PATTERNS)]

    @property
    def place(self) -> str:
        """'Big toe', or 'Heart point (left foot)' for a zone on one foot only."""
        return self.name if self.foot == "both" else f"{self.name} ({FOOT_NAMES.get(self.foot, self.foot)})"

    @property
    def label_says_more(self) -> bool:
        """False when the label only repeats the zone's name ("Heart" for the heart point)."""
        return not _repeats(self.label, self.name)

    def legend_text(self) -> str:
        """'Big toe: Lungs & brain', 'Heart point (left foot)': the label only when it says something new."""
        return f"{self.place}: {self.label}" if self.label_says_more else self.place


def _repeats(label: str, name: str) -> bool:
    """Whether every word of the label is already in the name ("Heart" in "Heart point")."""
    words = {word for word in re.findall(r"[a-z0-9]+", label.lower()) if word != "and"}
    return bool(words) and words <= set(re.findall(r"[a-z0-9]+", name.lower()))


def zones_from_entries(entries: Iterable[Entry]) -> tuple[Zone, ...]:
    """The numbered zones, in knowledge order, of the entries that have a place on the map."""
    placed = [entry.map_zone for entry in entries if entry.map_zone is not None]
    return tuple(Zone(number, zone.region, zone.foot, zone.label) for number, zone in enumerate(placed, start=1))


def foot_map_png(entries: Iterable[Entry]) -> bytes:
    return draw_foot_map(zones_from_entries(entries))


# ---- geometry ------------------------------------------------------------------------------------


def foot_x(foot: str) -> int:
    """The left edge of a foot's box on the picture (1x pixels)."""
    return LEFT_FOOT_X if foot == "left" else RIGHT_FOOT_X


def to_picture(x: float, y: float, foot: str) -> tuple[float, float]:
    """A point given in left-sole fractions, on `foot`, in 1x picture pixels (the right foot is mirrored)."""
    fraction = 1 - x if foot == "right" else x
    return (foot_x(foot) + fraction * FOOT_BOX[0], FOOT_TOP + y * FOOT_BOX[1])


def _smooth_closed(points: Sequence[tuple[float, float]], steps: int = 14) -> list[tuple[float, float]]:
    """A closed Catmull-Rom curve through `points`: a natural outline without corners."""
    curve: list[tuple[float, float]] = []
    count = len(points)
    for index in range(count):
        p0, p1, p2, p3 = (points[(index + offset) % count] for offset in (-1, 0, 1, 2))
        for step in range(steps):
            t = step / steps
            t2, t3 = t * t, t * t * t
            curve.append(
                tuple(  # type: ignore[arg-type]
                    0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3)
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    return curve


def _ellipse(cx: float, cy: float, rx: float, ry: float, tilt: float = 0, steps: int = 72) -> list[tuple[float, float]]:
    """Points of an ellipse in box fractions (rx, ry as fractions of the box's width and height), tilted."""
    angle = math.radians(tilt)
    points = []
    for step in range(steps):
        t = 2 * math.pi * step / steps
        dx, dy = rx * FOOT_BOX[0] * math.cos(t), ry * FOOT_BOX[1] * math.sin(t)
        rotated_x = dx * math.cos(angle) - dy * math.sin(angle)
        rotated_y = dx * math.sin(angle) + dy * math.cos(angle)
        points.append((cx + rotated_x / FOOT_BOX[0], cy + rotated_y / FOOT_BOX[1]))
    return points


def _circle(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """A circle whose radius is a fraction of the box width."""
    return _ellipse(cx, cy, radius, radius * FOOT_BOX[0] / FOOT_BOX[1])


SOLE = _smooth_closed(SOLE_OUTLINE)
TOE_SHAPES = [_ellipse(*toe) for toe in TOES]
ANKLE_SHAPES = [_circle(*INNER_ANKLE), _circle(*OUTER_ANKLE)]


# ---- drawing -------------------------------------------------------------------------------------

PANEL_MARGIN = 12  # 1x pixels round a foot's box: its panel, where everything masked is drawn


@lru_cache(maxsize=4)
def draw_foot_map(zones: tuple[Zone, ...]) -> bytes:
    """Both soles with each zone shaded and numbered, and a legend: number, zone, what the guide links it to."""
    has_ankles = any(zone.region == "ankles" for zone in zones)
    legend_top = FOOT_TOP + FOOT_BOX[1] + (140 if has_ankles else 100)
    height = legend_top + len(zones) * LEGEND_ROW + 20
    image = Image.new("RGB", (WIDTH * SCALE, height * SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image, "RGBA")
    _text(draw, (WIDTH / 2, 50), "The foot map: both soles, seen from below", _font(36), INK)
    for foot in ("left", "right"):
        placed = [zone for zone in zones if zone.on(foot) and zone.region in REGIONS]
        _draw_foot(image, foot, placed)
        _draw_callouts(draw, foot, placed)
        label_at = (foot_x(foot) + FOOT_BOX[0] / 2, FOOT_TOP + FOOT_BOX[1] + 42)
        _text(draw, label_at, f"{foot.upper()} FOOT", _font(25), INK)
    if has_ankles:
        note = "The ankles sit above the heel: seen from below, only their bumps show, at its two sides"
        _text(draw, (WIDTH / 2, FOOT_TOP + FOOT_BOX[1] + 88), note, _font(20), MUTED_INK)
    _draw_legend(image, draw, zones, legend_top)
    image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    # A flat chart needs no more than 256 colours: a third of the bytes to upload, no visible change.
    image = image.quantize(PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw_foot(image: Image.Image, foot: str, zones: Sequence[Zone]) -> None:
    """The sole, its toes, its ankle bumps and its shaded zones, drawn in the foot's own panel (small masks)."""
    left, top = (foot_x(foot) - PANEL_MARGIN) * SCALE, (FOOT_TOP - PANEL_MARGIN) * SCALE
    box = (left, top, left + (FOOT_BOX[0] + 2 * PANEL_MARGIN) * SCALE, top + (FOOT_BOX[1] + 2 * PANEL_MARGIN) * SCALE)
    panel = image.crop(box)
    origin = (left, top)

    def scaled(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
        return [
            (x * SCALE - origin[0], y * SCALE - origin[1]) for x, y in (to_picture(*point, foot) for point in points)
        ]

    draw = ImageDraw.Draw(panel, "RGBA")
    sole, toes, ankles = scaled(SOLE), [scaled(toe) for toe in TOE_SHAPES], [scaled(ankle) for ankle in ANKLE_SHAPES]
    ankle_zones = [zone for zone in zones if zone.region == "ankles"]
    for ankle in ankles:  # behind the heel: only their outer halves show
        _outline(draw, ankle, 4)
        draw.polygon(ankle, fill=SKIN)
        if ankle_zones:
            _shade(panel, _mask(panel.size, [ankle]), ankle_zones[0])
    for part in (sole, *toes):  # every outline first, every fill after: one silhouette, toes joined
        _outline(draw, part, 6)
    for part in (sole, *toes):
        draw.polygon(part, fill=SKIN)
    silhouette = _mask(panel.size, [sole, *toes])
    shapes = {
        "big_toe": toes[:1],
        "middle_toes": toes[1:4],
        "little_toe": toes[4:],
        **{region: [scaled(_ellipse(*ellipse))] for region, ellipse in REGION_ELLIPSES.items()},
    }
    for zone in zones:  # each over bare skin, so where zones overlap (the tips) no colours blend
        if zone.region == "toe_tips":
            mask = _tips_mask(panel.size, toes)
        elif zone.region in shapes:
            mask = ImageChops.multiply(_mask(panel.size, shapes[zone.region]), silhouette)
        else:
            continue
        panel.paste(SKIN, (0, 0, *panel.size), mask)
        _shade(panel, mask, zone)
    sole_only = _mask(panel.size, [sole])
    for toe in toes:  # a faint crease where each toe meets the sole
        for start, end in zip(toe, toe[1:] + toe[:1], strict=True):
            if sole_only.getpixel((round(start[0]), round(start[1]))) and sole_only.getpixel(
                (round(end[0]), round(end[1]))
            ):
                draw.line((start, end), fill=(*SKIN_CREASE, 140), width=2 * SCALE)
    image.paste(panel, box[:2])


def _outline(draw: ImageDraw.ImageDraw, points: Sequence[tuple[float, float]], width: float) -> None:
    """A line of `width` (1x pixels) centred on a closed outline; the fill drawn after hides its inner half."""
    draw.line([*points, points[0], points[1]], fill=OUTLINE, width=round(width * SCALE), joint="curve")


def _mask(size: tuple[int, int], shapes: Iterable[Sequence[tuple[float, float]]]) -> Image.Image:
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for shape in shapes:
        draw.polygon(list(shape), fill=255)
    return mask


def _tips_mask(size: tuple[int, int], toes: Sequence[Sequence[tuple[float, float]]]) -> Image.Image:
    """The top share of every toe."""
    mask = Image.new("L", size, 0)
    for toe in toes:
        top = min(y for _, y in toe)
        bottom = max(y for _, y in toe)
        tip = _mask(size, [toe])
        ImageDraw.Draw(tip).rectangle((0, top + (bottom - top) * TIP_SHARE, size[0], size[1]), fill=0)
        mask = ImageChops.lighter(mask, tip)
    return mask


def _shade(image: Image.Image, mask: Image.Image, zone: Zone) -> None:
    """The zone's colour over the skin, and its pattern over that."""
    image.paste(zone.colour, (0, 0, *image.size), mask.point(lambda value: value * ZONE_OPACITY // 255))
    pattern = _pattern_mask(zone.pattern, image.size, mask.getbbox())
    if pattern is not None:
        ink_mask = ImageChops.multiply(pattern, mask).point(lambda value: value * 150 // 255)
        image.paste(_contrasting(zone.colour), (0, 0, *image.size), ink_mask)


def _pattern_mask(pattern: str, size: tuple[int, int], box: tuple[int, int, int, int] | None) -> Image.Image | None:
    """Stripes, dots or a cross-hatch over the zone's bounding box, so zones differ by more than colour."""
    if pattern == "plain" or box is None:
        return None
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    left, top, right, bottom = box
    spacing = 14 * SCALE
    if pattern in ("stripes", "cross"):
        for offset in range(-(bottom - top), right - left + spacing, spacing):
            draw.line((left + offset, bottom, left + offset + (bottom - top), top), fill=255, width=2 * SCALE)
    if pattern == "cross":
        for offset in range(-(bottom - top), right - left + spacing, spacing):
            draw.line((left + offset, top, left + offset + (bottom - top), bottom), fill=255, width=2 * SCALE)
    if pattern == "dots":
        radius = 2.4 * SCALE
        for row, y in enumerate(range(top, bottom + spacing, spacing)):
            shift = spacing // 2 if row % 2 else 0
            for x in range(left + shift, right + spacing, spacing):
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return mask


@dataclass(frozen=True, slots=True)
class Placed:
    """One number on the picture: the zone, the start of its leader line (in the zone), the marker's centre."""

    zone: Zone
    anchor: tuple[float, float]
    marker: tuple[float, float]
    side: str


def lay_out_callouts(foot: str, zones: Sequence[Zone]) -> list[Placed]:
    """Where each zone's number goes on `foot`: in a column beside the foot or a row above its toes, spread
    so no two markers touch; always outside the foot's box, so a number never covers a zone."""
    wanted: dict[str, list[tuple[float, float, Zone]]] = {"inner": [], "outer": [], "top": []}
    for zone in zones:
        if not zone.on(foot):
            continue
        for callout in CALLOUTS.get(zone.region, ()):
            x, y = to_picture(callout.x, callout.y, foot)
            wanted[callout.side].append((x, y, zone))
    inner_x = foot_x(foot) + (FOOT_BOX[0] + COLUMN_OFFSET if foot == "left" else -COLUMN_OFFSET)
    outer_x = foot_x(foot) + (-COLUMN_OFFSET if foot == "left" else FOOT_BOX[0] + COLUMN_OFFSET)
    placed = []
    for side, column_x in (("inner", inner_x), ("outer", outer_x)):
        anchors = sorted(wanted[side], key=lambda item: item[1])
        for (x, y, zone), marker_y in zip(anchors, _spread([y for _, y, _ in anchors], MARKER_GAP), strict=True):
            placed.append(Placed(zone, (x, y), (column_x, marker_y), side))
    tops = sorted(wanted["top"], key=lambda item: item[0])
    for (x, y, zone), marker_x in zip(tops, _spread([x for x, _, _ in tops], MARKER_GAP), strict=True):
        placed.append(Placed(zone, (x, y), (marker_x, FOOT_TOP - 40), "top"))
    return placed


def _draw_callouts(draw: ImageDraw.ImageDraw, foot: str, zones: Sequence[Zone]) -> None:
    """A dot in each zone, a line out of the foot, and the zone's number there."""
    for placed in lay_out_callouts(foot, zones):
        _leader(draw, placed.anchor, placed.marker)
        _marker(draw, placed.marker, placed.zone)
        if placed.zone.region == "ankles":  # which bump is which
            below = (placed.marker[0], placed.marker[1] + MARKER_RADIUS + 14)
            _text(draw, below, placed.side, _font(18), MUTED_INK)


def _spread(wanted: Sequence[float], gap: float) -> list[float]:
    """Positions as close to `wanted` (sorted) as possible, at least `gap` apart, centred on the wanted ones."""
    positions = list(wanted)
    for index in range(1, len(positions)):
        positions[index] = max(positions[index], positions[index - 1] + gap)
    if positions:
        shift = (sum(wanted) - sum(positions)) / len(positions)
        positions = [position + shift for position in positions]
        for index in range(1, len(positions)):
            positions[index] = max(positions[index], positions[index - 1] + gap)
    return positions


def _leader(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = start, end
    draw.line((x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE), fill=(*INK, 220), width=2 * SCALE)
    dot, ring = 4.5 * SCALE, 7 * SCALE
    draw.ellipse(
        (x0 * SCALE - ring, y0 * SCALE - ring, x0 * SCALE + ring, y0 * SCALE + ring), fill=(255, 255, 255, 230)
    )
    draw.ellipse((x0 * SCALE - dot, y0 * SCALE - dot, x0 * SCALE + dot, y0 * SCALE + dot), fill=INK)


def _marker(draw: ImageDraw.ImageDraw, centre: tuple[float, float], zone: Zone, size: int = 22) -> None:
    """A numbered disc in the zone's colour, ringed in white and ink so light colours show on the page."""
    x, y = centre[0] * SCALE, centre[1] * SCALE
    outer, radius = (MARKER_RADIUS + 1.5) * SCALE, MARKER_RADIUS * SCALE
    draw.ellipse((x - outer, y - outer, x + outer, y + outer), fill=INK)
    draw.ellipse(
        (x - radius, y - radius, x + radius, y + radius), fill=zone.colour, outline=(255, 255, 255), width=3 * SCALE
    )
    draw.text((x, y), str(zone.number), fill=_contrasting(zone.colour), font=_font(size), anchor="mm")


def _draw_legend(image: Image.Image, draw: ImageDraw.ImageDraw, zones: Sequence[Zone], top: float) -> None:
    """One row per zone: a swatch in its colour and pattern, its number, where it is and what the guide
    links it to (said once)."""
    left = 250
    for row, zone in enumerate(zones):
        y = top + row * LEGEND_ROW
        box = (left * SCALE, round((y - 14) * SCALE), (left + 46) * SCALE, round((y + 14) * SCALE))
        swatch = image.crop(box)
        local = (0, 0, swatch.width - 1, swatch.height - 1)
        mask = Image.new("L", swatch.size, 0)
        ImageDraw.Draw(mask).rounded_rectangle(local, radius=6 * SCALE, fill=255)
        swatch.paste(SKIN, (0, 0, *swatch.size), mask)
        _shade(swatch, mask, zone)
        image.paste(swatch, box[:2])
        draw.rounded_rectangle(box, radius=6 * SCALE, outline=OUTLINE, width=2 * SCALE)
        _marker(draw, (left + 80, y), zone)
        text = _shorten(zone.legend_text(), 56)
        draw.text(((left + 114) * SCALE, y * SCALE), text, fill=INK, font=_font(27), anchor="lm")


def _contrasting(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black on light colours, white on dark ones (relative luminance, roughly)."""
    red, green, blue = colour
    return (20, 20, 20) if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else (255, 255, 255)


def _text(
    draw: ImageDraw.ImageDraw,
    centre: tuple[float, float],
    text: str,
    font: ImageFont.ImageFont,
    colour: tuple[int, int, int],
) -> None:
    draw.text((centre[0] * SCALE, centre[1] * SCALE), text, fill=colour, font=font, anchor="mm")


def _shorten(text: str, limit: int) -> str:
    """Ellipsis as three dots: the bundled font has no "…" glyph."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont:
    """Pillow's bundled scalable font: the same picture on every machine, no system fonts needed."""
    try:
        return ImageFont.load_default(size=size * SCALE)  # type: ignore[return-value]
    except (OSError, ImportError, TypeError):  # a Pillow built without FreeType
        return ImageFont.load_default()  # type: ignore[return-value]
