"""How well footbot does on real people's questions it was not trained on, without touching the held-out set.

The real dev questions (tests/sets/real_dev*.yaml, all batches) are split by page into folds; each fold is answered
by a model trained on the knowledge, every team-written dev set and the other folds. The sum over folds estimates
what the held-out real questions will score, so design choices can be compared before that set is scored once.
Needs the train extra (scikit-learn).

    .venv/bin/python benchmarks/cv_real.py [--folds 4] [-v]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_KNOWLEDGE_DIR  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.knowledge import KnowledgeBase  # noqa: E402
from bot.core.loader import load_knowledge  # noqa: E402
from bot.core.training import TrainingUnavailable, train  # noqa: E402
from tests.core.dev_set import DEV_SETS, Report, load_items  # noqa: E402
from tests.core.real_set import METRICS, REAL_DEV_SETS, score  # noqa: E402


def folds_by_page(kb: KnowledgeBase, items: list[dict], folds: int = 4) -> Iterator[tuple[Engine, list[dict]]]:
    """Each fold's questions (split by page) with an engine whose model was trained on everything else: the knowledge,
    every team-written dev set and the other folds."""
    fold_of = [zlib.crc32(item.get("source", item["text"]).encode()) % folds for item in items]
    with tempfile.TemporaryDirectory() as tmp:
        for fold in range(folds):
            rest = Path(tmp) / f"real_rest_{fold}.yaml"
            rest.write_text(yaml.safe_dump([i for i, f in zip(items, fold_of, strict=True) if f != fold]))
            held = [i for i, f in zip(items, fold_of, strict=True) if f == fold]
            yield Engine(kb, train(kb, [*DEV_SETS, rest])), held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    kb = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    items = [item for path in REAL_DEV_SETS for item in load_items(path)]
    total = Report()
    try:
        for engine, held in folds_by_page(kb, items, args.folds):
            total.add(score(engine, held))
    except TrainingUnavailable as error:  # scikit-learn missing: say what to install, in one line
        sys.exit(f"cv_real.py: {error}")
    print(f"real_dev*, {len(items)} questions, {args.folds} folds by page, each answered by a model that never saw it:")
    total.print(METRICS, misses=args.v, indent="  ")


if __name__ == "__main__":
    main()
