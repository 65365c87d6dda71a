"""Drives simulated users concurrently over REST: each user's turns in order, all users interleaved."""

import asyncio
import json
import time
from typing import Awaitable, Callable, List, Optional

import aiohttp

from bench.conversations import Exchange, SimulatedUser
from bench.load import LoadResult

BeforeTurn = Callable[[SimulatedUser, int], Awaitable[None]]


async def converse(session: aiohttp.ClientSession, url: str, user: SimulatedUser, result: LoadResult,
                   deadline: float, before_turn: Optional[BeforeTurn] = None,
                   answered: Optional[Callable[[], None]] = None) -> None:
    """Holds one conversation to its end or to the deadline; every request carries X-Request-ID sender/turn."""
    while time.monotonic() < deadline:
        message = user.next_message()
        if message is None:
            return
        turn = len(user.exchanges)
        if before_turn is not None:
            await before_turn(user, turn)
        exchange = Exchange(turn, message)
        start = time.perf_counter()
        try:
            async with session.post(url, json={"sender": user.sender, "message": message},
                                    headers={"X-Request-ID": f"{user.sender}/{turn}"}) as response:
                exchange.status = response.status
                body = await response.read()
                if response.status == 200:
                    exchange.replies = json.loads(body)
                else:
                    exchange.error = body[:200].decode("utf-8", "replace")
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            exchange.error = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - start
        result.messages += 1
        if exchange.status == 200 and not exchange.error:
            result.latencies.append(elapsed)
        else:
            result.errors += 1
        user.received(exchange)
        if answered is not None:
            answered()


def session(users: int, keepalive: bool = True) -> aiohttp.ClientSession:
    """A client session for `users` concurrent users; without keep-alive every message opens a connection."""
    connector = aiohttp.TCPConnector(limit=users, force_close=not keepalive)
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120), connector=connector)


async def hold_until(url: str, make_user: Callable[[], SimulatedUser], users: int, seconds: float,
                     everyone: List[SimulatedUser]) -> LoadResult:
    """`users` users, each starting a new conversation when one ends, until `seconds` have passed."""
    result = LoadResult(users, 0, 0, 0.0, [])
    start = time.monotonic()
    deadline = start + seconds

    async def one_user(client: aiohttp.ClientSession) -> None:
        while time.monotonic() < deadline:
            user = make_user()
            everyone.append(user)
            await converse(client, url, user, result, deadline)

    async with session(users) as client:
        await asyncio.gather(*(one_user(client) for _ in range(users)))
    result.seconds = time.monotonic() - start
    return result
