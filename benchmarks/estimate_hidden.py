"""An estimate of what the hidden real-question set of issue #11 would score now, from the figures it gave then.

The issue measured footbot on its hidden set at commit FILED_AT: 86.5% of the answerable questions answered right,
65.9% of the unanswerable ones declined. The same commit scored far lower answers (and higher fallbacks) on our
own real questions, so the hidden set is not like ours, and our figures cannot simply be read across. What can be
read across is how the code has changed since, question by question: of the questions FILED_AT got right, how
many does the current code still get right, and of those it got wrong, how many does it now get right? Weighting
those two rates by the hidden set's own split then (86.5 / 13.5 and 65.9 / 34.1) gives an estimate for the hidden
set now. It assumes only that, within each of the two groups, the hidden questions change as ours do.

Both commits are asked through `footbot ask --json -`, as the hidden set is scored from outside; FILED_AT runs
from a git worktree (made in a temporary folder, removed afterwards). Held-out sets by default; --folds also
estimates from the dev questions, each answered by a model trained without its page (as benchmarks/cv_real.py).

    .venv/bin/python benchmarks/estimate_hidden.py [--folds]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.core.dev_set import SETS_DIR, load_items  # noqa: E402
from tests.core.real_set import REAL_DEV_SETS  # noqa: E402

FILED_AT = "b27af4f"  # main when issue #11 was filed: the commit before its first real-question work
HIDDEN_THEN = {"answerable": 0.865, "unanswerable": 0.659}  # the figures on its hidden set at FILED_AT
REAL_HOLDOUT_SETS = tuple(
    sorted(SETS_DIR.glob("real_holdout_*.yaml"), key=lambda path: int(path.stem.rsplit("_", 1)[1]))
)


def ask(checkout: Path, texts: list[str]) -> dict[str, dict]:
    """Each text's `footbot ask --json` reply, from the code and knowledge of `checkout`."""
    lines = "".join(" ".join(text.split()) + "\n" for text in texts)  # one question a line, as the CLI reads them
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    env.pop("FOOTBOT_KNOWLEDGE_DIR", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=checkout,
        env=env,
        check=True,
    )
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return dict(zip(texts, replies, strict=True))


def right(reply: dict, item: dict) -> bool:
    """The verdict tests/core/real_set.py gives, read from the JSON reply."""
    got = set(reply.get("topics") or ([reply["topic"]] if reply.get("topic") else []))
    wanted = {item.get("topic"), *(item.get("also") or [])} - {None}
    return bool(got & wanted) if item["group"] == "answerable" else not (got - wanted)


def fold_replies(items: list[dict]) -> dict[str, dict]:
    """Each dev question answered by a model trained without its page (needs the train extra)."""
    from benchmarks.cv_real import folds_by_page
    from bot.config import DEFAULT_KNOWLEDGE_DIR
    from bot.core.loader import load_knowledge

    replies: dict[str, dict] = {}
    for engine, held in folds_by_page(load_knowledge(DEFAULT_KNOWLEDGE_DIR), items):
        for item in held:
            replies.setdefault(item["text"], engine.reply(item["text"]).to_json())
    return replies


def estimate(title: str, items: list[dict], then: dict[str, dict], now: dict[str, dict]) -> None:
    counts: Counter[tuple[str, bool, bool]] = Counter()
    for item in items:
        if item["group"] in HIDDEN_THEN:
            counts[item["group"], right(then[item["text"]], item), right(now[item["text"]], item)] += 1
    print(title)
    for group, share in HIDDEN_THEN.items():
        kept, lost = counts[group, True, True], counts[group, True, False]
        gained, still = counts[group, False, True], counts[group, False, False]
        total = kept + lost + gained + still
        hidden_now = share * kept / (kept + lost) + (1 - share) * gained / (gained + still)
        print(
            f"  {group:13} ours {(kept + lost) / total:.1%} then, {(kept + gained) / total:.1%} now; "
            f"right then and now {kept}/{kept + lost}, wrong then but right now {gained}/{gained + still}; "
            f"hidden {share:.1%} then, ~{hidden_now:.1%} now"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", action="store_true", help="also estimate from the dev questions, by folds")
    args = parser.parse_args()
    held_out = [item for path in REAL_HOLDOUT_SETS for item in load_items(path)]
    dev = [item for path in REAL_DEV_SETS for item in load_items(path)] if args.folds else []
    texts = list(dict.fromkeys(item["text"] for item in [*held_out, *dev]))
    with tempfile.TemporaryDirectory() as tmp:
        worktree = Path(tmp) / "filed"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), FILED_AT], cwd=ROOT, check=True)
        try:
            then = ask(worktree, texts)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=True)
    now = ask(ROOT, [item["text"] for item in held_out])
    names = ", ".join(path.stem for path in REAL_HOLDOUT_SETS)
    estimate(f"held-out real questions ({names}; {len(held_out)}):", held_out, then, now)
    if dev:
        estimate(f"dev real questions, folds by page ({len(dev)}):", dev, then, fold_replies(dev))


if __name__ == "__main__":
    main()
