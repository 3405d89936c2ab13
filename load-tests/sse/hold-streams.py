#!/usr/bin/env python3
"""Holds many SSE streams open against a running API, for the heap-per-stream measurement.

    load-tests/sse/hold-streams.py --base http://127.0.0.1:8080 --users FILE --streams N \
        [--seconds S] [--concurrency C]

FILE has one line per user: "<access token> <account id>" (the account's owner). N streams are
spread round-robin over the users, each GET /api/v1/accounts/{id}/events. A stream counts as open
once the API's first comment line arrives. The script prints, as it goes and at the end: streams
opened, refused (with status), dropped, and events received; then it holds every stream for S
seconds (default: until interrupted) so the API's heap can be measured meanwhile.

Standard library only (asyncio), so one Python process holds 10,000 idle connections cheaply;
Gatling would spend a virtual user per stream. Raise `ulimit -n` above N first.
"""
import argparse
import asyncio
import collections
import signal
import sys
import time
from urllib.parse import urlsplit


class Tally:
    def __init__(self):
        self.opened = 0
        self.refused = collections.Counter()
        self.dropped = 0
        self.events = 0
        self.heartbeats = 0


async def hold(host, port, token, account, tally, opened_gate, stop):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError as error:
        tally.refused["connect: " + type(error).__name__] += 1
        opened_gate.release()
        return
    writer.write((f"GET /api/v1/accounts/{account}/events HTTP/1.1\r\n"
                  f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                  "Accept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    released = False
    try:
        status_line = await reader.readline()
        parts = status_line.split()
        status = parts[1].decode() if len(parts) > 1 else "no answer"
        if status != "200":
            tally.refused[status] += 1
            return
        while True:  # headers
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
        opened = False
        while not stop.is_set():
            line = await reader.readline()
            if not line:
                tally.dropped += 1
                return
            if not opened and line.startswith(b":"):
                opened = True
                tally.opened += 1
                opened_gate.release()
                released = True
            elif line.startswith(b"event:"):
                tally.events += 1
            elif line.startswith(b":"):
                tally.heartbeats += 1
    except (OSError, asyncio.IncompleteReadError):
        tally.dropped += 1
    finally:
        if not released:
            opened_gate.release()
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", required=True)
    parser.add_argument("--streams", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=0)
    parser.add_argument("--concurrency", type=int, default=200,
                        help="streams being opened at once")
    args = parser.parse_args()
    url = urlsplit(args.base)
    host, port = url.hostname, url.port or 80
    users = [line.split() for line in open(args.users) if line.strip()]
    if not users:
        sys.exit("no users in " + args.users)

    tally = Tally()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    gate = asyncio.Semaphore(args.concurrency)
    started = time.monotonic()
    tasks = []
    for i in range(args.streams):
        await gate.acquire()
        token, account = users[i % len(users)][:2]
        tasks.append(asyncio.create_task(hold(host, port, token, account, tally, gate, stop)))
    for _ in range(args.concurrency):  # every attempt has opened, or failed
        await gate.acquire()
    print(f"opened {tally.opened} of {args.streams} streams in {time.monotonic() - started:.1f} s;"
          f" refused {dict(tally.refused)}; dropped {tally.dropped}", flush=True)
    held = time.monotonic()
    while not stop.is_set() and (args.seconds == 0 or time.monotonic() - held < args.seconds):
        try:
            await asyncio.wait_for(stop.wait(), timeout=10)
        except asyncio.TimeoutError:
            pass
        print(f"holding {tally.opened - tally.dropped} streams; events {tally.events};"
              f" dropped {tally.dropped}", flush=True)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"done: opened {tally.opened}, refused {dict(tally.refused)}, dropped {tally.dropped},"
          f" events {tally.events}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
