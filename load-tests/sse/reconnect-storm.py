#!/usr/bin/env python3
"""Reconnect storm: N account streams dropped at once while transfers flow, resumed with Last-Event-ID.

    load-tests/sse/reconnect-storm.py --base http://127.0.0.1:8080 --users FILE --streams N \
        [--rate 50] [--before 20] [--after 20] [--concurrency 500] [--api-pid PID [--restart]]
        [--work DIR]

FILE has one line per account: "<access token> <account id>" (the account's owner), as
fan-out-bench.py writes it (streams.txt). What it does, as an independent client of the contract:

  1. opens N streams (GET /api/v1/accounts/{id}/events, Last-Event-ID: 0, so each starts with its
     account's whole retained history), round-robin over the accounts;
  2. starts transfers among those accounts at --rate per second with wrk
     (side-by-side/transfers.lua), for --before + --after seconds plus the storm itself;
  3. after --before seconds cuts every connection at once (the client side closes its sockets),
     then reopens all of them at once, each with the Last-Event-ID of the last event it saw;
     a refusal (429, 503) is retried after its Retry-After, as a client should. With --restart,
     the drop is the API's: its process (--api-pid) is killed with SIGKILL and started again with
     the same command line, environment and directory (its output in --work/api-restarted.log),
     and the streams reconnect every 0.5 s until it answers. The Kafka broker must outlive it:
     start it with `bin/kafka-local start` before bin/paystream-local, which then leaves it be;
  4. measures how long until every stream is open again (its opening comment arrived; with
     --restart, from the moment the restarted API reports ready), and over
     that time: the API's CPU (with --api-pid), this client's own CPU (it shares the machine), and
     the connections the kernel dropped because a listen queue was full (TcpExt ListenOverflows
     in /proc/net/netstat; a dropped handshake is retried by the client's TCP after 1, 3, 7 s);
  5. when the load has ended and settled, replays every account from Last-Event-ID 0 on a fresh
     connection (until 2 s pass without an event) and compares: each stream must have received
     every event of its account exactly once and in order, across the drop.

Prints one Markdown row. Standard library only (asyncio), plus wrk. Raise `ulimit -n` above 2 N.
"""
import argparse
import asyncio
import collections
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "..", "side-by-side", "transfers.lua")


def cpu_seconds(pid):
    """A process's user + system CPU time so far (/proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def listen_overflows():
    """The machine's count of handshakes dropped on a full listen queue, so far."""
    with open("/proc/net/netstat") as netstat:
        lines = [line.split() for line in netstat if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1]))["ListenOverflows"])


async def restart(pid, base, work):
    """Kills the API with SIGKILL, starts it again as it was started; its new pid once ready."""
    with open(f"/proc/{pid}/cmdline", "rb") as raw:
        command = [part.decode() for part in raw.read().split(b"\0") if part]
    with open(f"/proc/{pid}/environ", "rb") as raw:
        env = dict(part.decode().split("=", 1) for part in raw.read().split(b"\0") if b"=" in part)
    cwd = os.readlink(f"/proc/{pid}/cwd")
    os.kill(pid, signal.SIGKILL)
    while os.path.exists(f"/proc/{pid}") and "zombie" not in open(f"/proc/{pid}/status").read():
        await asyncio.sleep(0.05)
    log = open(os.path.join(os.path.abspath(work), "api-restarted.log"), "w")
    api = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                           stderr=subprocess.STDOUT, start_new_session=True)
    ready = base + "/actuator/health/readiness"
    loop = asyncio.get_running_loop()
    while True:
        if api.poll() is not None:
            sys.exit(f"the restarted API exited with {api.returncode}; see {log.name}")
        try:
            status = await loop.run_in_executor(
                None, lambda: urllib.request.urlopen(ready, timeout=2).status)
            if status == 200:
                return api.pid
        except OSError:
            pass
        await asyncio.sleep(0.1)


class Stream:
    def __init__(self, token, account):
        self.token = token
        self.account = account
        self.ids = []          # event ids in arrival order, over every connection
        self.open = asyncio.Event()
        self.writer = None
        self.refusals = collections.Counter()

    def last_id(self):
        return str(self.ids[-1]) if self.ids else "0"


async def request(host, port, token, account, last_id):
    reader, writer = await asyncio.open_connection(host, port)
    writer.write((f"GET /api/v1/accounts/{account}/events HTTP/1.1\r\n"
                  f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
                  f"Last-Event-ID: {last_id}\r\nAccept: text/event-stream\r\n\r\n").encode())
    await writer.drain()
    status_line = await reader.readline()
    parts = status_line.split()
    status = parts[1].decode() if len(parts) > 1 else "no answer"
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, reader, writer


async def follow(stream, host, port, stop):
    """Keeps one stream connected, from its last id, until stop; retries refusals."""
    while not stop.is_set():
        try:
            status, headers, reader, writer = await request(
                host, port, stream.token, stream.account, stream.last_id())
        except OSError:
            await asyncio.sleep(0.5)
            continue
        if status != "200":
            stream.refusals[status] += 1
            writer.close()
            await asyncio.sleep(float(headers.get("retry-after", "1")))
            continue
        stream.writer = writer
        pending_id = None
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                if line.startswith(b":"):
                    stream.open.set()
                elif line.startswith(b"id:"):
                    pending_id = int(line[3:].strip())
                elif line in (b"\n", b"\r\n") and pending_id is not None:
                    stream.ids.append(pending_id)
                    pending_id = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()
        stream.writer = None
        if stop.is_set():
            return
        stream.open.clear()
        # a cut connection: the loop reconnects with the last id at once (the storm)


async def replay_ids(host, port, token, account, quiet):
    """Every event id of the account's retained history, read until `quiet` s pass without one."""
    status, _, reader, writer = await request(host, port, token, account, "0")
    assert status == "200", f"replay of {account}: {status}"
    ids, pending = [], None
    try:
        while True:
            line = await asyncio.wait_for(reader.readline(), timeout=quiet)
            if not line:
                break
            if line.startswith(b"id:"):
                pending = int(line[3:].strip())
            elif line in (b"\n", b"\r\n") and pending is not None:
                ids.append(pending)
                pending = None
    except asyncio.TimeoutError:
        pass
    finally:
        writer.close()
    return ids


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--users", required=True)
    parser.add_argument("--streams", type=int, required=True)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--before", type=float, default=20)
    parser.add_argument("--after", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=500)
    parser.add_argument("--api-pid", type=int, help="the API's pid: its CPU over the storm")
    parser.add_argument("--restart", action="store_true",
                        help="kill the API (--api-pid) and start it again, instead of cutting"
                             " the connections")
    parser.add_argument("--work", default="target/reconnect-storm")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    url = urlsplit(args.base)
    host, port = url.hostname, url.port or 80
    owners = [line.split()[:2] for line in open(args.users) if line.strip()]
    streams = [Stream(*owners[i % len(owners)]) for i in range(args.streams)]
    stop = asyncio.Event()

    started = time.monotonic()
    tasks = []
    gate = asyncio.Semaphore(args.concurrency)

    async def start(stream):
        async with gate:
            tasks.append(asyncio.create_task(follow(stream, host, port, stop)))
            await asyncio.wait_for(stream.open.wait(), timeout=120)

    await asyncio.gather(*(start(s) for s in streams))
    print(f"opened {len(streams)} streams in {time.monotonic() - started:.1f} s", flush=True)

    transfers_file = os.path.join(args.work, "transfers.txt")
    with open(transfers_file, "w") as out:
        out.write(f"hot {owners[0][1]}\n")
        for token, account in owners[: len(streams)]:
            out.write(f"user {token} {account}\n")
    seconds = int(args.before + args.after + 10)
    wrk = subprocess.Popen(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", LUA, args.base, "--",
                            transfers_file, "uniform", "storm-" + str(random.randrange(10**9)),
                            str(args.rate), "2"], stdout=subprocess.PIPE, text=True)
    await asyncio.sleep(args.before)

    # The drop: every connection cut at once; each follower reconnects with its last id.
    for stream in streams:
        stream.open.clear()
    if args.restart:
        dropped_at = time.monotonic()
        api_pid = await restart(args.api_pid, args.base, args.work)
        returned_at = time.monotonic()
        print(f"the API was down {returned_at - dropped_at:.1f} s (killed, started again as pid"
              f" {api_pid}, ready)", flush=True)
        api_cpu = 0.0  # the new process's whole CPU so far is part of the storm
    else:
        api_pid = args.api_pid
        api_cpu = cpu_seconds(api_pid) if api_pid else 0.0
        dropped_at = returned_at = time.monotonic()
        for stream in streams:
            if stream.writer is not None:
                stream.writer.transport.abort()
    own_cpu, overflows = cpu_seconds(os.getpid()), listen_overflows()
    await asyncio.gather(*(s.open.wait() for s in streams))
    back = time.monotonic() - returned_at
    api_cpu = cpu_seconds(api_pid) - api_cpu if api_pid else float("nan")
    own_cpu = cpu_seconds(os.getpid()) - own_cpu
    overflows = listen_overflows() - overflows
    refused = sum((s.refusals for s in streams), collections.Counter())
    print(f"all {len(streams)} streams back in {back:.1f} s; refusals {dict(refused)};"
          f" CPU meanwhile: API {api_cpu:.1f} s, this client {own_cpu:.1f} s;"
          f" handshakes dropped on a full listen queue: {overflows}", flush=True)

    wrk_out = await asyncio.get_running_loop().run_in_executor(None, wrk.communicate)
    await asyncio.sleep(5)  # the last credits and their events
    stop.set()
    for stream in streams:
        if stream.writer is not None:
            stream.writer.transport.abort()
    await asyncio.gather(*tasks, return_exceptions=True)

    # Verification against a fresh replay of each account.
    missing = duplicated = out_of_order = 0
    by_account = {}
    for stream in streams:
        by_account.setdefault(stream.account, stream.token)
    references = {}
    check_gate = asyncio.Semaphore(200)

    async def reference(account, token):
        async with check_gate:
            references[account] = await replay_ids(host, port, token, account, 2.0)

    await asyncio.gather(*(reference(a, t) for a, t in by_account.items()))
    events = 0
    for stream in streams:
        got, want = stream.ids, references[stream.account]
        events += len(got)
        duplicated += len(got) - len(set(got))
        out_of_order += sum(1 for a, b in zip(got, got[1:]) if b <= a)
        missing += len(set(want) - set(got))
    requests = [line for line in wrk_out[0].splitlines() if "requests in" in line]
    p99 = [line.split()[1] for line in wrk_out[0].splitlines() if line.strip().startswith("99%")]
    non202 = [line for line in wrk_out[0].splitlines() if line.startswith("non202")]
    print()
    print("| streams | rate | transfers (wrk) | accept p99 over the run | events received |"
          " back after the drop | refusals | missing | duplicated | out of order |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
    print(f"| {len(streams)} | {args.rate}/s | {requests[0].strip() if requests else '?'};"
          f" {non202[0] if non202 else '?'} | {p99[0] if p99 else '?'} | {events} | {back:.1f} s |"
          f" {dict(refused)} | {missing} | {duplicated} | {out_of_order} |")
    if missing or duplicated or out_of_order:
        sys.exit(1)


if __name__ == "__main__":
    asyncio.run(main())
