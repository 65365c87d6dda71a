"""REST load generation: serial turn latency and concurrent throughput, bounded in count and time."""

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import List, Sequence

import aiohttp


@dataclass
class LoadResult:
    users: int
    messages: int
    errors: int
    seconds: float
    latencies: List[float]

    @property
    def throughput(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[index]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.latencies) if self.latencies else float("nan")


async def _user(session: aiohttp.ClientSession, url: str, script: Sequence[str], deadline: float,
                max_messages: int, result: LoadResult) -> None:
    """One user holding conversations (the script, repeated under a new sender) until the deadline."""
    sent = 0
    while time.monotonic() < deadline and sent < max_messages:
        sender = f"bench-{uuid.uuid4()}"
        for text in script:
            if time.monotonic() >= deadline or sent >= max_messages:
                return
            start = time.perf_counter()
            try:
                async with session.post(url, json={"sender": sender, "message": text}) as response:
                    await response.read()
                    ok = response.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                ok = False
            elapsed = time.perf_counter() - start
            sent += 1
            result.messages += 1
            if ok:
                result.latencies.append(elapsed)
            else:
                result.errors += 1


async def _run(url: str, script: Sequence[str], users: int, seconds: float, max_messages: int) -> LoadResult:
    result = LoadResult(users, 0, 0, 0.0, [])
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.gather(*(_user(session, url, script, deadline, max_messages, result) for _ in range(users)))
        result.seconds = time.monotonic() - start
    return result


def run_load(url: str, script: Sequence[str], users: int, seconds: float, max_messages_per_user: int) -> LoadResult:
    """Runs `users` concurrent users for at most `seconds` and `max_messages_per_user` messages each."""
    return asyncio.run(_run(url, script, users, seconds, max_messages_per_user))
