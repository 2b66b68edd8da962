"""The load and fault scenarios of bench_load.py, and what they need: the bot as its own process, users
who write at a steady pace, and a ledger that ties every reply to the message it answers.

A reply is tied to its message by its text: every question has one known reply (learned from the bot
itself before the runs, see `calibrate`), and each user asks questions whose replies all differ, so a
late reply, a reply to a redelivered update or a second copy is still counted against the right message.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "telegram"))

from fake_bot_api import ApiCall, FakeBotApi, Person  # noqa: E402

TICK = 0.01  # the pacer sends what is due every 10 ms
PATIENCE = 15.0  # a user whose last message is unanswered this long writes the next one anyway
DUPLICATE_GRACE = 1.5  # after the last answer, how long a second copy of a reply still counts
INJECTED_STATUSES = frozenset({0, 429, 502})  # answers the scenarios inject; any other failure is the bot's
CALIBRATION_CHAT = 9_000_000
USER_CHAT = 10_000

STORM_CALLS = 200  # 429 storm: this many sendMessage calls answered 429 retry_after=1, at 40% of the run
# 502 bursts at these points of the run, to one method at a time (a burst to both at once would, the
# fake counting faults in calls, keep sendMessage failing for as long as polling stalls).
BURSTS = ((0.2, "sendMessage"), (0.4, "getUpdates"), (0.6, "sendMessage"), (0.8, "getUpdates"))
BURST_SECONDS = 0.25  # a sendMessage burst: as many calls answered 502 as the users send in this time
BURST_POLL_CALLS = 3  # a getUpdates burst: this many calls in a row answered 502
RESET_WAVES = 4  # long-poll reset: the run in waves with a lull between them
RESET_GAP = 3.0  # seconds of lull
RESET_HOLD = 2.5  # the getUpdates made as a lull starts hangs this long (nothing to deliver), then is reset
SIGTERM_PER_USER = 2  # SIGTERM: each user sends this many messages at once
SIGTERM_API_LATENCY = 0.02  # seconds each sendMessage takes (a network round trip) so replies are in flight
SIGTERM_AT = 0.25  # ... and SIGTERM lands once this share of the messages was answered
STOP_GRACE = 10.0  # how long a SIGTERMed bot may take before it is killed (as `docker stop` does)

_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<level>[A-Z]+) (?P<name>\S+): (?P<message>.*)$")


# ---- the bot as its own process ------------------------------------------------------------------


BOT_CODE = ROOT  # the checkout the bot runs from (bench_load.py --code DIR compares another one)
CORES = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []


async def stop_process(process: asyncio.subprocess.Process, grace: float = STOP_GRACE) -> bool:
    """SIGTERM a bot process and wait for it; SIGKILL after `grace` s. Whether it had to be killed."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), grace)
    killed = process.returncode is None
    if killed:
        process.kill()
        await process.wait()
    return killed


def pin(pid: int, core: int) -> bool:
    """Bot on one core, this process (fake API and users) on the other, when there are two."""
    if len(CORES) < 2:
        return False
    try:
        os.sched_setaffinity(pid, {CORES[core]})
    except OSError:
        return False
    return True


class BotProcess:
    """`python -m bot run` against the fake API, logging at WARNING to a file we read afterwards."""

    def __init__(self, api: FakeBotApi, data_dir: Path, log_path: Path) -> None:
        self.api = api
        self.data_dir = data_dir
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        """Start it and wait until it polls (command menus set, webhook deleted)."""
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": self.api.token,
            "TELEGRAM_BASE_URL": self.api.base_url,
            "FOOTBOT_DATA_DIR": str(self.data_dir),
            "FOOTBOT_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BOT_CODE),
        }
        mark = self.api.mark()
        with self.log_path.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", cwd=BOT_CODE, env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        pin(self.process.pid, 0)
        await self.api.wait_for("setMyCommands", count=2, since=mark, within=60)
        await self.api.wait_for("deleteWebhook", since=mark, within=30)
        await asyncio.sleep(0.5)  # the first long poll is under way

    async def stop(self, grace: float = STOP_GRACE) -> tuple[float, bool]:
        """SIGTERM, then wait for the exit, SIGKILL after `grace` s: (seconds it took, whether it was killed)."""
        assert self.process is not None
        started = time.monotonic()
        killed = await stop_process(self.process, grace)
        return time.monotonic() - started, killed

    async def kill(self) -> float:
        """SIGKILL, as an out-of-memory kill or a crashed host does: nothing is finished or saved. Seconds taken."""
        assert self.process is not None
        started = time.monotonic()
        self.process.kill()
        await self.process.wait()
        return time.monotonic() - started

    async def kill_if_running(self) -> None:
        """Leave no bot behind when a run fails half-way."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    def log_lines(self) -> Counter[tuple[str, str]]:
        """(level, "logger: message head") of every WARNING or worse line the bot wrote."""
        found: Counter[tuple[str, str]] = Counter()
        if not self.log_path.exists():
            return found
        for line in self.log_path.read_text(errors="replace").splitlines():
            match = _LOG_LINE.match(line)
            if match:
                found[(match["level"], f"{match['name']}: {match['message'][:90]}")] += 1
        return found


# ---- messages and the replies they get -----------------------------------------------------------


@dataclass
class Sent:
    """One user message: when it was queued on the fake API, its first reply, how many replies it got."""

    chat_id: int
    at: float
    answered_at: float | None = None
    replies: int = 0


class Ledger:
    """Every message sent, keyed by (chat, the reply it should get); counts the replies as they arrive."""

    def __init__(self) -> None:
        self.messages: dict[tuple[int, str], Sent] = {}
        self.unmatched: Counter[int] = Counter()
        self._changed = asyncio.Event()

    def sent(self, chat_id: int, reply: str) -> Sent:
        message = Sent(chat_id, time.monotonic())
        self.messages[(chat_id, reply)] = message
        return message

    def on_call(self, call: ApiCall) -> None:
        if call.method != "sendMessage" or not call.ok:
            return
        now = time.monotonic()
        self._changed.set()
        message = self.messages.get((call.chat_id, call.text))
        if message is None:
            self.unmatched[call.chat_id] += 1
            return
        message.replies += 1
        if message.answered_at is None:
            message.answered_at = now

    @property
    def answered(self) -> int:
        return sum(1 for message in self.messages.values() if message.replies)

    @property
    def all_answered(self) -> bool:
        return all(message.replies for message in self.messages.values())

    async def wait_until(self, condition: Callable[[], bool], deadline: float) -> bool:
        """Wait, reply by reply, until `condition` holds or the deadline passes; whether it holds."""
        while not condition() and (left := deadline - time.monotonic()) > 0:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.1))
        return condition()

    async def settle(self, deadline: float, quiet: float = DUPLICATE_GRACE) -> None:
        """Wait until every message is answered (or the deadline), then until no reply came for `quiet` s,
        so that second copies are counted too."""
        await self.wait_until(lambda: self.all_answered, deadline)
        while time.monotonic() < deadline:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), quiet)
            except TimeoutError:
                return


@dataclass(frozen=True)
class Question:
    text: str
    reply: str  # the HTML text of the one sendMessage that answers it


def plan_conversations(
    questions: list[Question], users: int, per_user: int, seed: int
) -> list[tuple[int, list[Question]]]:
    """(chat id, questions) for each user: `per_user` questions whose replies all differ."""
    by_reply: dict[str, list[Question]] = defaultdict(list)
    for question in questions:
        by_reply[question.reply].append(question)
    replies = sorted(by_reply)
    if per_user > len(replies):
        raise SystemExit(f"--messages {per_user}: only {len(replies)} questions have distinct replies")
    rng = random.Random(seed)
    return [
        (USER_CHAT + user, [rng.choice(by_reply[reply]) for reply in rng.sample(replies, per_user)])
        for user in range(users)
    ]


async def calibrate(api: FakeBotApi, texts: list[str]) -> tuple[list[Question], int]:
    """Ask the running bot each text once, from its own chat: the texts answered by exactly one
    sendMessage, with that reply; and how many texts were left out (several messages, a photo, none)."""
    mark = api.mark()
    chats = {CALIBRATION_CHAT + number: text for number, text in enumerate(texts)}
    api.enqueue_nowait({"message": Person(api, chat_id).text_message(text)} for chat_id, text in chats.items())
    await api.wake()
    deadline = time.monotonic() + 60
    seen = 0
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        answers = [call for call in api.calls[mark:] if call.ok and call.method.startswith(("send", "edit"))]
        if len(answers) == seen and {call.chat_id for call in answers} >= chats.keys():
            break
        seen = len(answers)
    by_chat: dict[int, list[ApiCall]] = defaultdict(list)
    for call in api.calls[mark:]:
        if call.ok and call.method.startswith(("send", "edit")) and call.method != "sendChatAction":
            by_chat[call.chat_id].append(call)
    questions = [
        Question(text, by_chat[chat_id][0].text)
        for chat_id, text in chats.items()
        if [call.method for call in by_chat[chat_id]] == ["sendMessage"]
    ]
    return questions, len(texts) - len(questions)


# ---- users writing at a steady pace -------------------------------------------------------------


Hook = tuple[float, Callable[[], bool]]


@dataclass
class User:
    person: Person
    questions: list[Question]
    next: int = 0
    allowed: int = 0  # messages the schedule has made due but the user has not sent yet
    last: Sent | None = None


@dataclass
class Traffic:
    """Offers `rate` messages a second in all, user after user (user u's k-th message at slot k*U + u),
    so each user writes every U/rate seconds; a user whose previous message is still unanswered waits for
    the answer (at most PATIENCE). With `waves`, the run is cut into that many waves with `gap` s between.
    `hooks` (share of messages sent, action) inject faults as the run goes; an action that returns False
    is not ready yet and is tried again on the next tick."""

    api: FakeBotApi
    ledger: Ledger
    users: list[User]
    rate: float
    waves: int = 1
    gap: float = 0.0
    hooks: list[Hook] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(user.questions) for user in self.users)

    def slot_time(self, slot: int) -> float:
        wave_size = -(-self.total // self.waves)
        return slot / self.rate + (slot // wave_size) * self.gap

    async def play(self, deadline: float) -> float:
        """Send everything (or until the deadline); returns when the last message was sent."""
        total, count = self.total, len(self.users)
        hooks = sorted(self.hooks, key=lambda hook: hook[0])
        start = time.monotonic()
        slot = sent = 0
        due: set[int] = set()
        while sent < total and time.monotonic() < deadline:
            now = time.monotonic()
            while slot < total and start + self.slot_time(slot) <= now:
                user = self.users[slot % count]
                if user.next + user.allowed < len(user.questions):
                    user.allowed += 1
                    due.add(slot % count)
                slot += 1
            batch = []
            for index in list(due):
                user = self.users[index]
                if user.last is not None and user.last.replies == 0 and now - user.last.at < PATIENCE:
                    continue
                question = user.questions[user.next]
                update = {"message": user.person.text_message(question.text)}
                batch.append((user, question, update))
                user.next += 1
                user.allowed -= 1
                if not user.allowed:
                    due.discard(index)
            if batch:
                self.api.enqueue_nowait(update for _, _, update in batch)
                for user, question, _ in batch:
                    user.last = self.ledger.sent(user.person.chat_id, question.reply)
                await self.api.wake()
                sent += len(batch)
            while hooks and sent >= hooks[0][0] * total and hooks[0][1]():
                hooks.pop(0)
            next_tick = start + (int((time.monotonic() - start) / TICK) + 1) * TICK
            await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
        return time.monotonic()


def make_users(api: FakeBotApi, plan: list[tuple[int, list[Question]]]) -> list[User]:
    return [User(Person(api, chat_id), questions) for chat_id, questions in plan]


# ---- results -------------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    ledger: Ledger
    api_statuses: Counter[tuple[str, int]]
    log: Counter[tuple[str, str]]
    seconds: float
    details: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.ledger.messages)

    @property
    def never(self) -> int:
        return sum(1 for message in self.ledger.messages.values() if not message.replies)

    @property
    def doubled(self) -> int:
        return sum(1 for message in self.ledger.messages.values() if message.replies > 1)

    @property
    def latencies_ms(self) -> list[float]:
        return sorted(
            1000 * (message.answered_at - message.at)
            for message in self.ledger.messages.values()
            if message.answered_at is not None
        )

    def latency_timeline(self, window: float = 2.0) -> list[tuple[float, float]]:
        """(seconds into the run, median latency in ms) of the messages sent in each `window` of the run."""
        messages = sorted(self.ledger.messages.values(), key=lambda message: message.at)
        if not messages:
            return []
        buckets: dict[int, list[float]] = defaultdict(list)
        for message in messages:
            if message.answered_at is not None:
                buckets[int((message.at - messages[0].at) / window)].append(message.answered_at - message.at)
        return [(window * bucket, 1000 * statistics.median(found)) for bucket, found in sorted(buckets.items())]

    @property
    def rejected(self) -> int:
        """Failed API calls we did not inject: the bot sent something Telegram would refuse."""
        statuses = self.api_statuses.items()
        return sum(n for (_, status), n in statuses if status != 200 and status not in INJECTED_STATUSES)

    @property
    def errors(self) -> int:
        logged = sum(n for (level, _), n in self.log.items() if level in ("ERROR", "CRITICAL"))
        return logged + self.rejected


def api_statuses(api: FakeBotApi, since: int = 0) -> Counter[tuple[str, int]]:
    return Counter((call.method, call.status) for call in api.calls[since:])


# ---- the scenarios -------------------------------------------------------------------------------


@dataclass
class Setting:
    """What every scenario gets: the questions each user asks, the offered rate, a scratch folder, and how
    long each sendMessage takes to be answered (0 on loopback; a real network round trip is 20-100 ms)."""

    plan: list[tuple[int, list[Question]]]
    rate: float
    scratch: Path
    api_latency: float = 0.0
    stop_grace: float = STOP_GRACE


async def _steady_run(
    name: str,
    setting: Setting,
    hooks: Callable[[FakeBotApi, int], list[Hook]] | None = None,
    waves: int = 1,
    gap: float = 0.0,
) -> Result:
    """A fresh fake API and bot; the users write at the steady pace while `hooks` inject faults."""
    async with FakeBotApi() as api:
        api.record_bodies = False
        bot = BotProcess(api, _fresh_dir(setting.scratch, name), setting.scratch / f"{name}.log")
        try:
            return await _play_steady(api, bot, name, setting, hooks, waves, gap)
        finally:
            await bot.kill_if_running()


async def _play_steady(
    api: FakeBotApi,
    bot: BotProcess,
    name: str,
    setting: Setting,
    hooks: Callable[[FakeBotApi, int], list[Hook]] | None,
    waves: int,
    gap: float,
) -> Result:
    await bot.start()
    ledger = Ledger()
    api.on_call(ledger.on_call)
    mark = api.mark()
    total = sum(len(questions) for _, questions in setting.plan)
    if setting.api_latency:
        api.slow("sendMessage", setting.api_latency, times=10 * total)
    traffic = Traffic(api, ledger, make_users(api, setting.plan), setting.rate, waves, gap)
    traffic.hooks = hooks(api, total) if hooks else []
    started = time.monotonic()
    budget = 2 * traffic.slot_time(total) + 60
    last_sent = await traffic.play(started + budget)
    await ledger.settle(last_sent + PATIENCE)
    seconds = time.monotonic() - started
    exit_seconds, killed = await bot.stop(setting.stop_grace)
    result = Result(name, ledger, api_statuses(api, mark), bot.log_lines(), seconds)
    result.details.append(f"bot exited {exit_seconds:.2f} s after SIGTERM" + (" (KILLED)" if killed else ""))
    return result


def _fresh_dir(scratch: Path, name: str) -> Path:
    folder = scratch / f"data-{name}"
    folder.mkdir(parents=True, exist_ok=False)
    return folder


async def baseline(setting: Setting) -> Result:
    return await _steady_run("baseline", setting)


async def storm_429(setting: Setting) -> Result:
    def hooks(api: FakeBotApi, total: int) -> list[Hook]:
        calls = min(STORM_CALLS, max(20, total // 5))

        def storm() -> bool:
            api.fail("sendMessage", times=calls, status=429, retry_after=1)
            return True

        return [(0.4, storm)]

    result = await _steady_run("429-storm", setting, hooks)
    served = result.api_statuses[("sendMessage", 429)]
    result.details.append(f"sendMessage answered 429 retry_after=1 {served} times, in one storm at 40% of the run")
    return result


async def bursts_502(setting: Setting) -> Result:
    """Separate bursts: each starts only once the previous one was served in full and polling works again
    (the fake counts faults in calls, so bursts queued during a stall would merge into one long outage)."""

    def hooks(api: FakeBotApi, total: int) -> list[Hook]:
        sends = max(10, round(setting.rate * BURST_SECONDS))
        served = Counter[str]()
        polling = [True]  # whether the last getUpdates succeeded

        def count(call: ApiCall) -> None:
            if call.status == 502:
                served[call.method] += 1
            if call.method == "getUpdates":
                polling[0] = call.ok

        api.on_call(count)
        injected = Counter[str]()

        def burst(method: str) -> Callable[[], bool]:
            def inject() -> bool:
                if served != injected or not polling[0]:
                    return False
                times = sends if method == "sendMessage" else BURST_POLL_CALLS
                api.fail(method, times=times, status=502)
                injected[method] += times
                return True

            return inject

        return [(share, burst(method)) for share, method in BURSTS]

    result = await _steady_run("502-bursts", setting, hooks)
    result.details.append(
        f"{len(BURSTS)} bursts of 502, in turn to {max(10, round(setting.rate * BURST_SECONDS))} sendMessage calls "
        f"and to {BURST_POLL_CALLS} getUpdates calls in a row ({result.api_statuses[('sendMessage', 502)]} and "
        f"{result.api_statuses[('getUpdates', 502)]} served in all)"
    )
    return result


async def long_poll_reset(setting: Setting) -> Result:
    def hooks(api: FakeBotApi, total: int) -> list[Hook]:
        def reset() -> bool:
            api.slow("getUpdates", RESET_HOLD)
            api.fail("getUpdates", times=1, status=0)
            return True

        return [(wave / RESET_WAVES, reset) for wave in range(1, RESET_WAVES)]

    result = await _steady_run("poll-reset", setting, hooks, waves=RESET_WAVES, gap=RESET_GAP)
    result.details.append(
        f"{RESET_WAVES} waves, {RESET_GAP:.0f} s lulls; the getUpdates made as each lull starts hangs "
        f"{RESET_HOLD} s, then its connection is reset ({result.api_statuses[('getUpdates', 0)]} resets)"
    )
    return result


async def sigterm(setting: Setting) -> Result:
    """A burst; SIGTERM once a quarter is answered; a second process on the same data folder finishes."""
    return await _interrupted_burst("sigterm", setting, hard=False)


async def kill9(setting: Setting) -> Result:
    """The same burst, but SIGKILL (kill -9) once a quarter is answered: nothing finishes, nothing is saved
    at exit; the second process has to find what was fetched but not answered in the update journal."""
    return await _interrupted_burst("kill9", setting, hard=True)


async def _interrupted_burst(name: str, setting: Setting, hard: bool) -> Result:
    async with FakeBotApi() as api:
        api.record_bodies = False
        data_dir = _fresh_dir(setting.scratch, name)
        log_path = setting.scratch / f"{name}.log"
        first, second = BotProcess(api, data_dir, log_path), BotProcess(api, data_dir, log_path)
        try:
            return await _stop_mid_work(api, first, second, setting, name, hard)
        finally:
            await first.kill_if_running()
            await second.kill_if_running()


async def _stop_mid_work(
    api: FakeBotApi, first: BotProcess, second: BotProcess, setting: Setting, name: str, hard: bool
) -> Result:
    plan = [(chat_id, questions[:SIGTERM_PER_USER]) for chat_id, questions in setting.plan]
    await first.start()
    ledger = Ledger()
    api.on_call(ledger.on_call)
    mark = api.mark()
    total = sum(len(questions) for _, questions in plan)
    latency = max(SIGTERM_API_LATENCY, setting.api_latency)
    api.slow("sendMessage", latency, times=10 * total)
    started = time.monotonic()
    updates = []
    for user in make_users(api, plan):
        for question in user.questions:
            updates.append((user.person.chat_id, question, {"message": user.person.text_message(question.text)}))
    api.enqueue_nowait(update for _, _, update in updates)
    for chat_id, question, _ in updates:
        ledger.sent(chat_id, question.reply)
    await api.wake()
    await ledger.wait_until(lambda: ledger.answered >= SIGTERM_AT * total, started + 60)
    at_sigterm = ledger.answered
    if hard:
        exit_seconds, killed = await first.kill(), False
    else:
        exit_seconds, killed = await first.stop(setting.stop_grace)
    by_first_exit = ledger.answered
    unconfirmed = api.pending_updates
    delivered_before = _delivered_update_ids(api, mark)
    restart_mark = api.mark()
    await second.start()
    await ledger.settle(time.monotonic() + 60)
    redelivered = delivered_before & _delivered_update_ids(api, restart_mark)
    second_exit, _ = await second.stop(setting.stop_grace)
    seconds = time.monotonic() - started
    result = Result(name, ledger, api_statuses(api, mark), first.log_lines(), seconds)
    counts = Counter(min(message.replies, 2) for message in ledger.messages.values())
    result.details += [
        f"burst of {total} ({SIGTERM_PER_USER} per user), sendMessage taking {1000 * latency:.0f} ms; "
        f"{'SIGKILL' if hard else 'SIGTERM'} with {at_sigterm} answered; first process exited after "
        f"{exit_seconds:.2f} s"
        + (f" (KILLED after {setting.stop_grace:.0f} s)" if killed else "")
        + f" having answered {by_first_exit}; {unconfirmed} updates left unconfirmed",
        f"second process on the same data folder: {len(redelivered)} updates redelivered to it, "
        f"{ledger.answered - by_first_exit} more answered; it exited {second_exit:.2f} s after SIGTERM",
        f"outcome per message: exactly one reply {counts[1]}, none {counts[0]}, two or more {counts[2]}",
    ]
    return result


def _delivered_update_ids(api: FakeBotApi, since: int) -> set[int]:
    return {
        update["update_id"]
        for call in api.calls[since:]
        if call.method == "getUpdates" and call.ok and isinstance(call.result, list)
        for update in call.result
    }


SCENARIOS: dict[str, Callable[[Setting], Awaitable[Result]]] = {
    "baseline": baseline,
    "429": storm_429,
    "502": bursts_502,
    "reset": long_poll_reset,
    "sigterm": sigterm,
    "kill9": kill9,
}
