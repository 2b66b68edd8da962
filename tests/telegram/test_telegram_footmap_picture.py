"""The foot map picture is drawn from the knowledge base: every zone shaded on the right foot, numbered
outside the foot, in colours that stay apart for colour-blind readers, with a legend that says things once."""

from __future__ import annotations

import dataclasses
import io
import itertools

import pytest
from PIL import Image

from bot.core.engine import Engine
from bot.footmap_picture import (
    COLOURS,
    FOOT_BOX,
    FOOT_TOP,
    INNER_ANKLE,
    MARKER_RADIUS,
    PATTERNS,
    REGION_ELLIPSES,
    REGIONS,
    SKIN,
    TOES,
    WIDTH,
    ZONE_OPACITY,
    Zone,
    draw_foot_map,
    foot_map_png,
    foot_x,
    lay_out_callouts,
    to_picture,
    zones_from_entries,
)


def _picture(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def _pixel(picture: Image.Image, point: tuple[float, float]) -> tuple[int, int, int]:
    return picture.getpixel((round(point[0]), round(point[1])))  # type: ignore[return-value]


def _near(colour: tuple[int, int, int], expected: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def _over_skin(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    """A zone's plain colour as painted over the skin."""
    alpha = ZONE_OPACITY / 255
    return tuple(round(c * alpha + s * (1 - alpha)) for c, s in zip(colour, SKIN, strict=True))  # type: ignore[return-value]


@pytest.fixture(scope="module")
def zones(engine: Engine) -> tuple[Zone, ...]:
    return zones_from_entries(engine.foot_map())


def test_zones_are_numbered_in_knowledge_order_with_their_labels(zones: tuple[Zone, ...]) -> None:
    assert [zone.number for zone in zones] == list(range(1, len(zones) + 1))
    assert {zone.region for zone in zones} <= set(REGIONS)
    heart = next(zone for zone in zones if zone.region == "heart_point")
    assert heart.foot == "left" and heart.name == "Heart point"


def test_the_picture_is_a_png_with_both_soles(zones: tuple[Zone, ...]) -> None:
    png = draw_foot_map(zones)
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    assert picture.width == WIDTH and picture.height > 1000
    for foot in ("left", "right"):
        heel = to_picture(0.56, 0.93, foot)
        assert _near(_pixel(picture.convert("RGB"), heel), SKIN, 6), foot


def test_a_one_foot_zone_is_shaded_on_that_foot_only() -> None:
    picture = _picture(draw_foot_map((Zone(1, "heart_point", "left", "Heart"),)))
    cx, cy, rx, _ = REGION_ELLIPSES["heart_point"]
    off_the_leader = (cx - rx * 0.6, cy)
    assert _near(_pixel(picture, to_picture(*off_the_leader, "left")), _over_skin(COLOURS[0]))
    assert _near(_pixel(picture, to_picture(*off_the_leader, "right")), SKIN, 6)


def test_the_toe_tips_do_not_muddy_the_big_toe(zones: tuple[Zone, ...]) -> None:
    """The tip takes the tips' colour; the rest of the big toe keeps its own (no blend of the two)."""
    picture = _picture(draw_foot_map(zones))
    big_toe = next(zone for zone in zones if zone.region == "big_toe")
    tips = next(zone for zone in zones if zone.region == "toe_tips")
    cx, cy, _, ry, _ = TOES[0]
    assert _near(_pixel(picture, to_picture(cx - 0.04, cy - ry * 0.75, "left")), _over_skin(tips.colour))
    assert _near(_pixel(picture, to_picture(cx - 0.06, cy + ry * 0.4, "left")), _over_skin(big_toe.colour))


def test_every_number_stands_outside_the_foot_clear_of_every_zone(zones: tuple[Zone, ...]) -> None:
    for foot in ("left", "right"):
        placed = lay_out_callouts(foot, zones)
        assert {item.zone.number for item in placed} == {zone.number for zone in zones if zone.on(foot)}
        left, right = foot_x(foot), foot_x(foot) + FOOT_BOX[0]
        for item in placed:
            x, y = item.marker
            outside_sideways = x + MARKER_RADIUS < left or x - MARKER_RADIUS > right
            above = y + MARKER_RADIUS < FOOT_TOP
            assert outside_sideways or above, (foot, item.zone.name)
        for first, second in itertools.combinations(placed, 2):  # markers never overlap each other
            distance = ((first.marker[0] - second.marker[0]) ** 2 + (first.marker[1] - second.marker[1]) ** 2) ** 0.5
            assert distance >= 2 * MARKER_RADIUS, (first.zone.name, second.zone.name)


def test_the_ankles_are_shown_as_bumps_at_the_heels_sides(zones: tuple[Zone, ...]) -> None:
    ankles = next(zone for zone in zones if zone.region == "ankles")
    picture = _picture(draw_foot_map(zones))
    cx, cy, radius = INNER_ANKLE
    beyond_the_heel = (cx + radius * 0.5, cy + radius * 0.6 * FOOT_BOX[0] / FOOT_BOX[1])  # below the leader's dot
    for foot in ("left", "right"):
        assert _near(_pixel(picture, to_picture(*beyond_the_heel, foot)), _over_skin(ankles.colour), 16), foot
    numbered = [item for item in lay_out_callouts("left", zones) if item.zone is ankles]
    assert sorted(item.side for item in numbered) == ["inner", "outer"]


# Machado, Oliveira & Fernandes (2009): how the colours look with each full colour-vision deficiency.
_DEFICIENCIES = {
    "protanopia": ((0.152, 1.053, -0.205), (0.115, 0.786, 0.099), (-0.004, -0.048, 1.052)),
    "deuteranopia": ((0.367, 0.861, -0.228), (0.280, 0.673, 0.047), (-0.012, 0.043, 0.969)),
    "tritanopia": ((1.256, -0.077, -0.179), (-0.078, 0.931, 0.148), (0.005, 0.691, 0.304)),
}


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _seen(colour: tuple[int, int, int], matrix: tuple[tuple[float, float, float], ...]) -> tuple[float, ...]:
    linear = [_linear(channel) for channel in colour]
    return tuple(
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) ** (1 / 2.2) for row in matrix
    )


@pytest.mark.parametrize("deficiency", sorted(_DEFICIENCIES))
def test_the_eight_colours_stay_apart_for_colour_blind_readers(deficiency: str) -> None:
    seen = [_seen(colour, _DEFICIENCIES[deficiency]) for colour in COLOURS]
    closest = min(
        sum((a - b) ** 2 for a, b in zip(first, second, strict=True)) ** 0.5
        for first, second in itertools.combinations(seen, 2)
    )
    assert closest > 0.08, deficiency


def test_zones_that_share_a_pattern_differ_a_lot_in_colour() -> None:
    assert len(set(zip(COLOURS, PATTERNS, strict=True))) == len(COLOURS)
    assert len(set(COLOURS)) == len(COLOURS)


def test_the_legend_says_each_thing_once() -> None:
    assert Zone(5, "heart_point", "left", "Heart").legend_text() == "Heart point (left foot)"
    assert Zone(6, "liver_stomach", "right", "Liver & stomach").legend_text() == "Liver & stomach point (right foot)"
    assert Zone(1, "big_toe", "both", "Lungs & brain").legend_text() == "Big toe: Lungs & brain"
    assert Zone(5, "heart_point", "left", "Heart rhythm").legend_text() == "Heart point (left foot): Heart rhythm"


def test_a_label_edited_in_the_knowledge_changes_the_picture(zones: tuple[Zone, ...]) -> None:
    relabelled = (dataclasses.replace(zones[0], label="Something else"), *zones[1:])
    assert draw_foot_map(relabelled) != draw_foot_map(zones)


def test_a_zone_moved_to_one_foot_in_the_knowledge_moves_in_the_picture() -> None:
    both = _picture(draw_foot_map((Zone(1, "plantar", "both", "Belly"),)))
    left_only = _picture(draw_foot_map((Zone(1, "plantar", "left", "Belly"),)))
    centre = REGION_ELLIPSES["plantar"][:2]
    spot = (centre[0] + 0.1, centre[1] - 0.05)  # off the leader line and its dot
    assert not _near(_pixel(both, to_picture(*spot, "right")), SKIN, 6)
    assert _near(_pixel(left_only, to_picture(*spot, "right")), SKIN, 6)


def test_an_unknown_region_is_listed_but_not_drawn_and_does_not_break_the_picture() -> None:
    png = draw_foot_map((Zone(1, "knee", "both", "Not on a sole"), Zone(2, "ankles", "both", "Reproductive organs")))
    assert Image.open(io.BytesIO(png)).format == "PNG"


def test_the_knowledge_base_picture_is_what_foot_map_png_makes(engine: Engine, zones: tuple[Zone, ...]) -> None:
    assert foot_map_png(engine.foot_map()) == draw_foot_map(zones)
