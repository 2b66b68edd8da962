"""The pieces of delivery that need no Telegram: pacing under the cap, and what a failed send means."""

from __future__ import annotations

import itertools

import aiohttp
import httpx
import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.reminders.pacing import Pacer
from bot.telegram_app.delivery import Outcome, classify_failure


class ManualTime:
    """A monotonic clock and a sleep that only moves it: pacing tests run instantly."""

    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def _send_times(pacer: Pacer, manual: ManualTime, count: int) -> list[float]:
    times = []
    for _ in range(count):
        await pacer.wait()
        times.append(manual.now)
    return times


def _busiest_second(times: list[float]) -> int:
    return max(sum(1 for other in times if start <= other < start + 1 - 1e-9) for start in times)


async def test_sends_are_evenly_spaced_with_no_burst() -> None:
    manual = ManualTime()
    pacer = Pacer(29, clock=manual.clock, sleep=manual.sleep)
    times = await _send_times(pacer, manual, 100)
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(1 / 29)
    assert _busiest_second(times) == 29


async def test_a_held_up_sender_does_not_cause_a_catch_up_burst() -> None:
    manual = ManualTime()
    pacer = Pacer(29, clock=manual.clock, sleep=manual.sleep)
    times = await _send_times(pacer, manual, 10)
    manual.now += 0.5  # the event loop was busy for half a second
    times += await _send_times(pacer, manual, 60)
    assert _busiest_second(times) <= 30
    after_stall = [later - earlier for earlier, later in itertools.pairwise(times[10:])]
    assert min(after_stall) >= 1 / 29 / 2 - 1e-9


async def test_a_pause_holds_everyone_back() -> None:
    manual = ManualTime()
    pacer = Pacer(29, clock=manual.clock, sleep=manual.sleep)
    await pacer.wait()
    pacer.pause(2.0)
    start = manual.now
    await pacer.wait()
    assert manual.now - start == pytest.approx(2.0)


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0)


def _network_error_from(cause: Exception) -> NetworkError:
    try:
        raise NetworkError(f"httpx.{type(cause).__name__}") from cause
    except NetworkError as error:
        return error


def _aiohttp_refused() -> aiohttp.ClientConnectorError:
    key = aiohttp.client_reqrep.ConnectionKey("127.0.0.1", 9, False, True, None, None, None)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


def _timed_out_from(cause: Exception) -> TimedOut:
    try:
        raise TimedOut from cause
    except TimedOut as error:
        return error


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.RETIRED),
        (BadRequest("Bad Request: chat not found"), Outcome.RETIRED),
        (BadRequest("Forbidden: user is deactivated"), Outcome.RETIRED),
        (BadRequest("Bad Request: can't parse entities"), Outcome.FAILED),
        (RetryAfter(3), Outcome.RETRY),
        (NetworkError("Bad Gateway"), Outcome.RETRY),  # Telegram answered 5xx: nothing was sent
        (_network_error_from(httpx.ConnectError("refused")), Outcome.RETRY),
        (_timed_out_from(httpx.ConnectTimeout("slow connect")), Outcome.RETRY),
        (_timed_out_from(httpx.PoolTimeout("no free connection")), Outcome.RETRY),
        (_timed_out_from(httpx.ReadTimeout("no answer")), Outcome.UNCERTAIN),  # may have arrived
        (_network_error_from(httpx.RemoteProtocolError("dropped")), Outcome.UNCERTAIN),
        # The bot's own transport is aiohttp: a refused connection or a connect timeout never sent anything.
        (_network_error_from(_aiohttp_refused()), Outcome.RETRY),
        (_timed_out_from(aiohttp.ConnectionTimeoutError("slow connect")), Outcome.RETRY),
        (_timed_out_from(aiohttp.SocketTimeoutError("no answer")), Outcome.UNCERTAIN),
        (_network_error_from(aiohttp.ServerDisconnectedError()), Outcome.UNCERTAIN),
        (ChatMigrated(-100123), Outcome.FAILED),
        (RuntimeError("a bug"), Outcome.FAILED),
    ],
)
def test_what_a_failed_send_means(error: Exception, outcome: Outcome) -> None:
    assert classify_failure(error) is outcome
