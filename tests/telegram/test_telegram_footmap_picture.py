"""The foot map picture is drawn from the knowledge base: every zone marked, on the right foot."""

from __future__ import annotations

import dataclasses
import io

from PIL import Image

from bot.core.engine import Engine
from bot.footmap_picture import (
    FOOT_BOX,
    FOOT_TOP,
    REGION_SHAPES,
    SKIN,
    WIDTH,
    Zone,
    draw_foot_map,
    foot_map_png,
    zones_from_entries,
)

LEFT_EDGE, RIGHT_EDGE = 210, WIDTH - 210 - FOOT_BOX[0]


def _pixel(png: bytes, x: float, y: float) -> tuple[int, int, int]:
    return Image.open(io.BytesIO(png)).convert("RGB").getpixel((round(x), round(y)))  # type: ignore[return-value]


def _inside_shape_but_off_its_marker(region: str, left_edge: int, mirrored: bool) -> tuple[float, float]:
    cx, cy, _, ry = REGION_SHAPES[region][0]
    x = left_edge + (1 - cx if mirrored else cx) * FOOT_BOX[0]
    y = FOOT_TOP + cy * FOOT_BOX[1] + ry * FOOT_BOX[1] * 0.75
    return x, y


def _is_skin(colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(colour, SKIN, strict=True))


def test_zones_are_numbered_in_knowledge_order_with_their_labels(engine: Engine) -> None:
    zones = zones_from_entries(engine.foot_map())
    assert [zone.number for zone in zones] == list(range(1, len(zones) + 1))
    assert {zone.region for zone in zones} <= set(REGION_SHAPES)
    heart = next(zone for zone in zones if zone.region == "heart_point")
    assert heart.foot == "left" and heart.name == "Heart point"


def test_the_picture_is_a_png_with_both_soles(engine: Engine) -> None:
    png = foot_map_png(engine.foot_map())
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    assert picture.width == WIDTH and picture.height > 1000
    centre_of_a_sole = FOOT_TOP + 0.75 * FOOT_BOX[1]
    assert _is_skin(_pixel(png, LEFT_EDGE + FOOT_BOX[0] * 0.55, centre_of_a_sole))
    assert _is_skin(_pixel(png, RIGHT_EDGE + FOOT_BOX[0] * 0.45, centre_of_a_sole))


def test_a_one_foot_zone_is_shaded_on_that_foot_only() -> None:
    png = draw_foot_map((Zone(1, "heart_point", "left", "Heart"),))
    assert not _is_skin(_pixel(png, *_inside_shape_but_off_its_marker("heart_point", LEFT_EDGE, False)))
    assert _is_skin(_pixel(png, *_inside_shape_but_off_its_marker("heart_point", RIGHT_EDGE, True)))


def test_a_label_edited_in_the_knowledge_changes_the_picture(engine: Engine) -> None:
    zones = zones_from_entries(engine.foot_map())
    relabelled = (dataclasses.replace(zones[0], label="Something else"), *zones[1:])
    assert draw_foot_map(relabelled) != draw_foot_map(zones)


def test_an_unknown_region_is_listed_but_not_drawn_and_does_not_break_the_picture() -> None:
    png = draw_foot_map((Zone(1, "knee", "both", "Not on a sole"), Zone(2, "ankles", "both", "Reproductive organs")))
    assert Image.open(io.BytesIO(png)).format == "PNG"
