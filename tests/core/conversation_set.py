"""Scores conversations (tests/sets/conversations_*.yaml) fed through `footbot ask --json --chats -`.

Every conversation gets its own chat id and their turns are interleaved (turn 1 of each, then turn 2...), so a
chat's context must not leak into another's. Each message carries its time (`"at"`, seconds): a turn labelled
`minutes_later: 31` is sent that long after the turns before it. The clock is every chat's, so the turns from such a
gap on are sent after every other conversation has ended (their contexts would expire too).
Prints, per kind, the share of turns answered as labelled; then
all turns, and caveat recall (every labelled condition listed in the reply's `caveats`).

    python -m tests.core.conversation_set                 # every set, through the CLI contract
    python -m tests.core.conversation_set holdout -v      # one set, every miss listed
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SETS_DIR = Path(__file__).resolve().parent.parent / "sets"
SETS = {
    "dev": SETS_DIR / "conversations_dev.yaml",
    "holdout": SETS_DIR / "conversations_holdout.yaml",
    "holdout_2": SETS_DIR / "conversations_holdout_2.yaml",
    "holdout_3": SETS_DIR / "conversations_holdout_3.yaml",
}
ROOT = Path(__file__).resolve().parent.parent.parent

Reply = dict[str, object]


@dataclass
class Score:
    turns: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    passed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    caveats_wanted: int = 0
    caveats_found: int = 0
    misses: list[str] = field(default_factory=list)

    def rate(self, kind: str | None = None) -> float:
        turns = sum(self.turns.values()) if kind is None else self.turns[kind]
        passed = sum(self.passed.values()) if kind is None else self.passed[kind]
        return passed / turns if turns else 1.0

    @property
    def caveat_recall(self) -> float:
        return self.caveats_found / self.caveats_wanted if self.caveats_wanted else 1.0


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def interleaved(conversations: list[dict]) -> list[tuple[str, int, dict, float]]:
    """(chat id, conversation index, turn, time in seconds) in the order they are sent: turn 1 of every chat, then
    turn 2...; a conversation's turns after a `minutes_later` gap go in a later round, sent that much later."""
    rounds: list[list[list[dict]]] = []  # round -> conversation -> turns
    for index, conversation in enumerate(conversations):
        segment = 0
        for number, turn in enumerate(conversation["turns"]):
            if number and turn.get("minutes_later"):
                segment += 1
            while len(rounds) <= segment:
                rounds.append([[] for _ in conversations])
            rounds[segment][index].append(turn)
    order: list[tuple[str, int, dict, float]] = []
    now = 0.0
    for segments in rounds:
        now += max((float(turns[0].get("minutes_later") or 0) * 60 for turns in segments if turns), default=0.0)
        longest = max(map(len, segments), default=0)
        for number in range(longest):
            for index, turns in enumerate(segments):
                if number < len(turns):
                    now += 1.0
                    order.append((f"chat-{index}", index, turns[number], now))
    return order


def through_cli(messages: list[dict]) -> list[Reply]:
    """The replies of one `footbot ask --json --chats -` process fed every message, one JSON line each."""
    lines = "".join(json.dumps(message) + "\n" for message in messages)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--chats", "-"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def in_process() -> Callable[[list[dict]], list[Reply]]:
    """The same contract without a process: one `Conversations` keyed by chat, the same engine call."""
    from bot.core.conversation import Conversations
    from bot.core.engine import Engine

    engine = Engine.load()

    def answer(messages: list[dict]) -> list[Reply]:
        now = [0.0]
        conversations = Conversations(clock=lambda: now[0])
        replies = []
        for message in messages:
            now[0] = float(message.get("at", now[0]))
            replies.append(engine.reply(message["text"], conversations.get(message["chat"])).to_json())
        return replies

    return answer


def score(conversations: list[dict], answer: Callable[[list[dict]], list[Reply]]) -> Score:
    order = interleaved(conversations)
    replies = answer([{"chat": chat, "text": str(turn["text"]), "at": at} for chat, _, turn, at in order])
    result = Score()
    for (chat, index, turn, _), reply in zip(order, replies, strict=True):
        kind = conversations[index]["kind"]
        problems = list(_problems(turn, reply))
        wanted = set(turn.get("caveats") or [])
        result.caveats_wanted += len(wanted)
        result.caveats_found += len(wanted & set(reply.get("caveats") or []))  # type: ignore[arg-type]
        result.turns[kind] += 1
        result.passed[kind] += not problems
        if problems:
            result.misses.append(f"[{kind}] {chat} {turn['text']!r}: {'; '.join(problems)}")
    return result


def _problems(turn: dict, reply: Reply) -> Iterable[str]:
    topic, topics = reply.get("topic"), list(reply.get("topics") or [])  # type: ignore[call-overload]
    if "topic" in turn or "also" in turn:
        accepted = {*([turn["topic"]] if "topic" in turn else []), *(turn.get("also") or [])}
        if topic not in accepted:
            yield f"topic {topic}, want {sorted(map(str, accepted))}"
    for wanted in turn.get("topics") or []:
        if wanted not in topics:
            yield f"topics {topics} lack {wanted}"
    missing = set(turn.get("caveats") or []) - set(reply.get("caveats") or [])  # type: ignore[arg-type]
    if missing:
        yield f"caveats {reply.get('caveats')} lack {sorted(missing)}"
    text = str(reply.get("text", "")).lower()
    for words in turn.get("says") or []:
        if words.lower() not in text:
            yield f"text lacks {words!r}"
    for words in turn.get("not_says") or []:
        if words.lower() in text:
            yield f"text has {words!r}"
    if "action" in turn:
        action = reply.get("action")
        got = action.get("do") if isinstance(action, dict) else None
        if got != turn["action"]:
            yield f"action {got}, want {turn['action']}"


def report(name: str, result: Score, verbose: bool) -> None:
    kinds = "  ".join(f"{kind} {result.rate(kind):6.1%} ({result.turns[kind]})" for kind in sorted(result.turns))
    print(f"{name:8} {kinds}")
    total = sum(result.turns.values())
    print(f"{'':8} all turns {result.rate():6.1%} ({total})  caveat recall {result.caveat_recall:6.1%}")
    if verbose:
        for miss in result.misses:
            print(f"  {miss}")


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    names = [arg for arg in argv if not arg.startswith("-")] or list(SETS)
    answer = in_process() if "--in-process" in argv else through_cli
    for name in names:
        report(name, score(load(SETS[name]), answer), verbose)


if __name__ == "__main__":
    main(sys.argv[1:])
