"""Choose the topic classifier's regularisation and answer threshold by leaving each dev set out in turn.

For every dev set: train on the knowledge and the other dev sets, then answer the left-out set through the
engine (classifier, then the word matcher when the classifier is unsure). Prints answerable accuracy and the
share of unanswerable messages that get the fallback, per setting, summed over all folds. The held-out sets
are not used: they stay an honest estimate. Needs the train extra (scikit-learn).

    .venv/bin/python benchmarks/tune_classifier.py [--c 0.5 1 2] [--threshold -0.5 -0.4 -0.3]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_KNOWLEDGE_DIR  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.features import knowledge_fingerprint  # noqa: E402
from bot.core.loader import load_knowledge  # noqa: E402
from bot.core.training import train  # noqa: E402
from tests.core.dev_set import DEV_SETS, evaluate, load_items  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="+", default=[0.5, 1.0, 2.0])
    parser.add_argument("--threshold", type=float, nargs="+", default=[-0.5, -0.4, -0.3])
    args = parser.parse_args()
    kb = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    for regularisation in args.c:
        models = {held: train(kb, [p for p in DEV_SETS if p != held], regularisation) for held in DEV_SETS}
        for threshold in args.threshold:
            passed = {"answerable": 0, "unanswerable": 0}
            totals = dict.fromkeys(passed, 0)
            for held, model in models.items():
                tuned = dataclasses.replace(model, threshold=threshold, knowledge_fingerprint=knowledge_fingerprint(kb))
                report = evaluate(Engine(kb, tuned), load_items(held))
                for metric in passed:
                    passed[metric] += report.passed[metric]
                    totals[metric] += report.totals[metric]
            rates = "  ".join(f"{metric} {passed[metric] / totals[metric]:.1%}" for metric in passed)
            print(f"C={regularisation:<4} threshold={threshold:<5} {rates}")


if __name__ == "__main__":
    main()
