"""How long the foot map picture takes to draw, and how big its PNG is (full size and Telegram's preview).

The bot draws it once per set of zones (then Telegram's file id is reused), so this is the cost of the first
/toes after a start or a knowledge change. Prints the median and worst of a few uncached draws, and sizes.

    .venv/bin/python benchmarks/bench_footmap.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.footmap_picture import draw_foot_map, zones_from_entries  # noqa: E402

PREVIEW_WIDTH = 320  # about how wide Telegram shows a photo in a chat before it is opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    zones = zones_from_entries(Engine.load().foot_map())
    timings = []
    png = b""
    for _ in range(rounds):
        draw_foot_map.cache_clear()
        start = time.perf_counter()
        png = draw_foot_map(zones)
        timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    draw_foot_map(zones)
    cached = time.perf_counter() - start
    picture = Image.open(io.BytesIO(png))
    preview = picture.convert("RGB").resize((PREVIEW_WIDTH, round(picture.height * PREVIEW_WIDTH / picture.width)))
    preview_bytes = io.BytesIO()
    preview.save(preview_bytes, format="PNG", optimize=True)
    print(f"zones drawn:            {len(zones)}")
    print(f"picture:                {picture.width} x {picture.height} px")
    median, worst = statistics.median(timings) * 1000, max(timings) * 1000
    print(f"draw (uncached), {rounds} runs: median {median:.0f} ms, worst {worst:.0f} ms")
    print(f"draw (cached):          {cached * 1e6:.0f} µs")
    print(f"PNG size:               {len(png) / 1024:.0f} KiB")
    preview_kib = len(preview_bytes.getvalue()) / 1024
    print(f"PNG at {PREVIEW_WIDTH} px wide:    {preview_kib:.0f} KiB (for comparison; Telegram makes its own)")


if __name__ == "__main__":
    main()
