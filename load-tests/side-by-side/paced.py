#!/usr/bin/env python3
"""paced.py: POST /api/v1/transfers at a constant rate, latencies corrected for coordinated omission.

    paced.py URL DATA RUN_ID --rate 100 --duration 30 [--wait-every 10] [--variant uniform|hot]
    paced.py URL DATA RUN_ID --sequential 200

DATA is the file `run` writes for wrk (lines "hot <account id>" and "user <token> <account id>").
Every request is a 1-cent transfer between funded EUR accounts with an Idempotency-Key of its own
(<RUN_ID>-<n>). One JSON document goes to stdout; `run` reads it.

Why not wrk: wrk (and wrk's delay()) times a request from the moment it is sent, so when the API
stalls, the requests that should have been sent during the stall are sent late and timed short:
the stall hides from the percentiles (coordinated omission). wrk2 corrects that but is not in
Debian. Here request i has the intended send time t0 + i / rate, fixed before the run, and its
latency is taken from that time to the last byte of the answer. A request that waits for a free
connection, or for this process's event loop, is charged that wait too, as a client on that
schedule would see it. The lag of the actual send behind the intended one is reported on its own
(send_lag_ms), so that a slow generator can be told apart from a slow API.

Connections are HTTP/1.1 keep-alive, kept in a pool: a request takes an idle one, opens a new one
when none is idle (at most --connections-max), or else queues for the next one freed.

--wait-every K: every K-th request carries "Prefer: wait=<--wait-seconds>" and is reported as
completion latency (accept to a terminal status, as a client that waits sees it): 200 with the
terminal transfer, or 202 when it was not terminal within the wait (a miss; its latency stays in
the distribution, as a lower bound). The other requests are reported as accept latency (202).
--sequential N: N such waiting requests one after the other on one connection (an idle API).

Standard library only (asyncio streams), and cheap: it shares the machine's cores with the API,
and reports its own CPU time (getrusage, start-up included) for the cost sheet's generator column.
"""
import argparse
import asyncio
import collections
import json
import math
import random
import resource
import sys
import urllib.parse

# An answer slower than this is abandoned and counted as an error "timeout"; above the longest
# wait a request may ask for (the contract's ceiling is 10 s), so a miss is a 202 and not a timeout.
REQUEST_TIMEOUT_SECONDS_DEFAULT = 15.0
# Bounds the connections (and so the API's concurrent requests) a stall can pile up; a request
# that finds all busy queues, and its wait counts in its latency.
CONNECTIONS_MAX_DEFAULT = 256


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the API's base URL, http://host:port")
    parser.add_argument("data", help="the data file run writes for wrk")
    parser.add_argument("run_id", help="prefix of the Idempotency-Keys, unique per run and row")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second [100]")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of sending [30]")
    parser.add_argument("--variant", choices=("uniform", "hot"), default="uniform")
    parser.add_argument("--wait-every", type=int, default=0,
                        help="every K-th request carries Prefer: wait (0: none) [0]")
    parser.add_argument("--wait-seconds", type=int, default=5, help="N of Prefer: wait=N [5]")
    parser.add_argument("--sequential", type=int, default=0,
                        help="instead of pacing: N waiting requests one after the other")
    parser.add_argument("--connections-max", type=int, default=CONNECTIONS_MAX_DEFAULT)
    parser.add_argument("--timeout", type=float, default=REQUEST_TIMEOUT_SECONDS_DEFAULT,
                        help="seconds before an answer counts as error 'timeout'")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    if arguments.sequential < 0 or arguments.wait_every < 0 or arguments.connections_max < 1:
        parser.error("--sequential and --wait-every must be >= 0, --connections-max >= 1")
    if not arguments.sequential and (arguments.rate <= 0 or arguments.duration <= 0):
        parser.error("--rate and --duration must be positive")
    if arguments.timeout <= arguments.wait_seconds:
        parser.error("--timeout must exceed --wait-seconds (a miss must be a 202, not a timeout)")
    return arguments


def read_data(path):
    """(hot account, [(token, account)]) from the wrk data file."""
    hot, users = None, []
    with open(path) as lines:
        for line in lines:
            fields = line.split()
            if fields[:1] == ["hot"]:
                hot = fields[1]
            elif fields[:1] == ["user"]:
                users.append((fields[1], fields[2]))
    if hot is None or len(users) < 2:
        sys.exit(f"{path}: needs a hot line and at least two user lines")
    return hot, users


class Requests:
    """The bytes of request n: a payer, a payee and a fresh Idempotency-Key."""

    def __init__(self, authority, hot, users, variant, run_id, seed):
        self.authority, self.hot, self.users = authority, hot, users
        self.variant, self.run_id = variant, run_id
        self.random = random.Random(seed)

    def build(self, n, wait_seconds):
        payer = self.random.randrange(len(self.users))
        if self.variant == "hot":
            payee = self.hot
        else:
            other = self.random.randrange(len(self.users) - 1)
            payee = self.users[other + (other >= payer)][1]
        token, account = self.users[payer]
        body = ('{"fromAccountId":"%s","toAccountId":"%s","amount":1,"currency":"EUR"}'
                % (account, payee)).encode()
        prefer = f"Prefer: wait={wait_seconds}\r\n" if wait_seconds else ""
        head = (f"POST /api/v1/transfers HTTP/1.1\r\nHost: {self.authority}\r\n"
                f"Authorization: Bearer {token}\r\nIdempotency-Key: {self.run_id}-{n}\r\n"
                f"Content-Type: application/json\r\n{prefer}Content-Length: {len(body)}\r\n\r\n")
        return head.encode() + body


class Answer:
    __slots__ = ("status", "headers", "body", "keep_alive")

    def __init__(self, status, headers, body, keep_alive):
        self.status, self.headers, self.body, self.keep_alive = status, headers, body, keep_alive


async def exchange(connection, request):
    """Sends one request on a keep-alive connection and reads its whole answer."""
    reader, writer = connection
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")  # one read for the whole head: cheap
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ValueError(f"not an HTTP answer: {lines[0][:80]!r}")
    headers = {}
    for line in lines[1:-2]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            chunks.append(chunk[:-2])
        body = b"".join(chunks)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    keep_alive = headers.get("connection", "").lower() != "close" and parts[0] == "HTTP/1.1"
    return Answer(int(parts[1]), headers, body, keep_alive)


class Pool:
    """Keep-alive connections: an idle one if any, else a new one up to a cap, else the next freed."""

    def __init__(self, host, port, connections_max):
        self.host, self.port, self.connections_max = host, port, connections_max
        self.idle = []
        self.waiters = collections.deque()
        self.open = 0
        self.opened = 0
        self.open_peak = 0

    async def acquire(self):
        while True:
            if self.idle:
                return self.idle.pop()  # the most recently used: few connections stay warm
            if self.open < self.connections_max:
                self.open += 1
                try:
                    connection = await asyncio.open_connection(self.host, self.port)
                except BaseException:
                    self.open -= 1
                    raise
                self.opened += 1
                self.open_peak = max(self.open_peak, self.open)
                return connection
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                handed = await waiter  # a connection, or None: a slot was freed, open one
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                    self.release(waiter.result())
                raise
            if handed is not None:
                return handed

    def _next_waiter(self):
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                return waiter
        return None

    def release(self, connection):
        waiter = self._next_waiter()
        if waiter is not None:
            waiter.set_result(connection)
        else:
            self.idle.append(connection)

    def discard(self, connection):
        connection[1].close()
        self.open -= 1
        waiter = self._next_waiter()
        if waiter is not None:
            waiter.set_result(None)

    def close(self):
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


def terminal_status(body):
    """The transfer's status in a 200 answer, or "?" when the body is not the transfer."""
    try:
        return str(json.loads(body).get("status", "?"))
    except (ValueError, AttributeError):
        return "?"


class Tally:
    """Latencies (seconds from the intended send) and counts, by kind of request."""

    def __init__(self):
        self.accept = []
        self.completion = []
        self.errors = collections.Counter()
        self.terminal = collections.Counter()
        self.missed = 0          # 202 after waiting: not terminal within the wait
        self.not_waited = 0      # 202 without Preference-Applied: the API declined to wait
        self.send_lag = []
        self.last_answer = None

    def record(self, waiting, answer, latency):
        if answer.status == 202 and not waiting:
            self.accept.append(latency)
        elif waiting and answer.status in (200, 202):
            self.completion.append(latency)
            if answer.status == 200:
                self.terminal[terminal_status(answer.body)] += 1
            elif "preference-applied" in answer.headers:
                self.missed += 1
            else:
                self.not_waited += 1
        else:
            self.errors[str(answer.status)] += 1


async def send(pool, requests, tally, n, intended, wait_seconds, timeout):
    """Request n, due at loop time `intended`; its latency is counted from then."""
    loop = asyncio.get_running_loop()
    request = requests.build(n, wait_seconds)
    connection = None
    try:
        async with asyncio.timeout(timeout):
            connection = await pool.acquire()
            tally.send_lag.append(loop.time() - intended)
            answer = await exchange(connection, request)
    except TimeoutError:
        tally.errors["timeout"] += 1
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
        tally.errors[type(error).__name__] += 1
    else:
        tally.last_answer = loop.time()
        tally.record(wait_seconds > 0, answer, tally.last_answer - intended)
        if answer.keep_alive:
            pool.release(connection)
        else:
            pool.discard(connection)
        return
    if connection is not None:
        pool.discard(connection)


async def paced(arguments, pool, requests, tally):
    """The open model: request i is due at t0 + i / rate whatever the answers do."""
    loop = asyncio.get_running_loop()
    total = int(arguments.rate * arguments.duration)
    in_flight = set()
    t0 = loop.time() + 0.05
    for i in range(total):
        intended = t0 + i / arguments.rate
        delay = intended - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        waiting = arguments.wait_every and (i + 1) % arguments.wait_every == 0
        task = asyncio.create_task(send(pool, requests, tally, i, intended,
                                        arguments.wait_seconds if waiting else 0, arguments.timeout))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    sent_until = loop.time()
    if in_flight:
        await asyncio.wait(in_flight)
    return total, t0, sent_until


async def sequential(arguments, pool, requests, tally):
    """N waiting requests, each sent when the one before has its answer: completion at idle."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    for i in range(arguments.sequential):
        await send(pool, requests, tally, i, loop.time(), arguments.wait_seconds, arguments.timeout)
    return arguments.sequential, t0, loop.time()


def distribution(latencies):
    """min, p50, p90, p99, p99.9, max in ms (nearest rank), or None when there are none."""
    if not latencies:
        return None
    ordered = sorted(latencies)
    count = len(ordered)

    def rank(p):
        return round(ordered[max(0, math.ceil(round(count * p / 100, 6)) - 1)] * 1000, 2)

    return {"count": count, "min_ms": round(ordered[0] * 1000, 2), "p50_ms": rank(50),
            "p90_ms": rank(90), "p99_ms": rank(99), "p99_9_ms": rank(99.9),
            "max_ms": round(ordered[-1] * 1000, 2)}


async def main():
    arguments = parse_arguments()
    url = urllib.parse.urlsplit(arguments.url)
    if url.scheme != "http" or not url.hostname:
        sys.exit("URL must be http://host:port")
    hot, users = read_data(arguments.data)
    requests = Requests(url.netloc, hot, users, arguments.variant, arguments.run_id, arguments.seed)
    pool = Pool(url.hostname, url.port or 80, arguments.connections_max)
    tally = Tally()
    run = sequential if arguments.sequential else paced
    sent, t0, sent_until = await run(arguments, pool, requests, tally)
    pool.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    answered = len(tally.accept) + len(tally.completion)
    window = (tally.last_answer or t0) - t0
    summary = {
        "mode": "sequential" if arguments.sequential else "paced",
        "rate_target": None if arguments.sequential else arguments.rate,
        "duration_s": round(sent_until - t0, 3),
        "sent": sent,
        "ok": answered,
        "errors": dict(tally.errors),
        "error_count": sum(tally.errors.values()),
        # Answered requests (202, or 200/202 to a waiting one) per second of the window from the
        # first intended send to the last answer.
        "achieved_rate": round(answered / window, 1) if window > 0 else None,
        "accept": distribution(tally.accept),
        "completion": distribution(tally.completion),
        "completion_terminal": dict(tally.terminal),
        "completion_missed": tally.missed,
        "completion_not_waited": tally.not_waited,
        "send_lag_ms": distribution(tally.send_lag),
        "connections_opened": pool.opened,
        "connections_peak": pool.open_peak,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    asyncio.run(main())
