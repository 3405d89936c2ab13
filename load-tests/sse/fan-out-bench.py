#!/usr/bin/env python3
"""SSE fan-out benchmark: N account streams held on one instance while transfers flow.

    load-tests/sse/fan-out-bench.py --base http://127.0.0.1:8080 --api-pid PID \
        --ops-email E --ops-password P [--streams N] [--accounts-per-user 20] \
        [--streams-per-account 1] [--rate 50[,RATE...]] [--seconds 60] [--idle 30] [--warmup 60]
        [--work DIR]

What it does, in order, against a running API (bin/paystream-local):
  1. registers as many users as --streams needs (each opens --accounts-per-user EUR accounts and
     funds each one; every account gets --streams-per-account streams, so each user holds
     accounts-per-user x streams-per-account streams: keep that within the API's per-user cap,
     paystream.live.subscribers-per-user-max, 20 by default); without --streams, --users users;
  2. warms the API up: transfers at the highest --rate for --warmup seconds, not measured (a JVM
     just started spends a third of its CPU compiling under the first minute of load, which
     would be counted against the transfers and the deliveries);
     measures the API's heap after two full GCs (jcmd GC.run, GC.heap_info), and the API's CPU
     time at rest over --idle seconds (/proc/PID/stat);
  3. opens the streams (GET /api/v1/accounts/{id}/events) with hold-streams.py, which counts the
     events every stream receives;
  4. measures the heap again: (with - without) / streams is the heap per stream; and the CPU over
     --idle seconds with every stream open and idle: the difference from step 2 is what the
     heartbeats cost (paystream.live.heartbeat-seconds, 10 by default);
  5. posts transfers at --rate per second for --seconds with wrk (side-by-side/transfers.lua),
     from a random account to a random other one, so each transfer's two events reach the two
     accounts' streams; with several rates (--rate 10,25,50), one load after the other;
  6. reads paystream_events_delivery_lag_seconds (OPS token) before and after each load, and
     reports the p50/p99 of the deliveries made during it (histogram bucket upper bounds) and
     the share delivered within 100 ms (an exact bucket bound: p99 <= 100 ms means >= 99 %).

  7. reads the API's CPU time over each load: CPU per transfer, and, with --baseline (each load
     first run before any stream is open), CPU per delivered event: the CPU the load cost with
     the streams open less what it cost without, divided by the events handed to streams.

It prints a Markdown table. The lag is measured inside the API, on one clock: from the business
transaction's timestamp to the hand-over of the event to the stream. Standard library only, plus
wrk and the JDK's jcmd. Access tokens live 15 minutes: the users log in again after onboarding,
and the streams and the load must start within that (an open stream outlives its token). Raise
`ulimit -n` above the stream count first (the API's and this client's), see README.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "..", "side-by-side", "transfers.lua")
HOLD = os.path.join(HERE, "hold-streams.py")
LAG = "paystream_events_delivery_lag_seconds"

sys.path.insert(0, os.path.dirname(HERE))
from paystream_api import call, call_patiently, customer, deposit, open_account  # noqa: E402


def onboard(base, run, index, accounts_per_user):
    token = customer(base, f"fanout-{run}-{index}@bench.paystream.test",
                     "fan-out-bench-password-" + run, f"Fan-out {index}")
    accounts = []
    for _ in range(accounts_per_user):
        account = open_account(base, token)
        deposit(base, token, account, 100_000_000, "fan-out bench")
        accounts.append(account)
    return token, accounts


def log_in(base, email, password):
    status, answer = call_patiently(base, "POST", "/api/v1/auth/login",
                                    {"email": email, "password": password})
    assert status == 200, f"login {email}: {status} {answer}"
    return answer["accessToken"]


def cpu_seconds(pid):
    """The process's user + system CPU time so far (clock ticks of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu_ms_per_s(pid, seconds):
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) * 1000 / seconds


def load(args, transfers_file, label, rate, seconds=None):
    """Transfers at rate/s for --seconds with wrk; (wrk's output, the API's CPU seconds)."""
    cpu_before = cpu_seconds(args.api_pid)
    wrk = subprocess.run(["wrk", "-t2", "-c32", f"-d{seconds or args.seconds}s", "--latency",
                          "-s", LUA,
                          args.base, "--", transfers_file, "uniform", label, str(rate), "2"],
                         capture_output=True, text=True)
    time.sleep(5)  # the last transfers' credits and their deliveries
    cpu = cpu_seconds(args.api_pid) - cpu_before
    if wrk.returncode != 0:
        print(wrk.stdout + wrk.stderr, file=sys.stderr)
        sys.exit("wrk failed")
    return wrk.stdout, cpu


def heap_used_kb(pid):
    for _ in range(2):
        subprocess.run(["jcmd", str(pid), "GC.run"], check=True, capture_output=True)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], check=True, capture_output=True,
                          text=True).stdout
    match = re.search(r"used (\d+)K", info)
    assert match, "no 'used NK' in GC.heap_info:\n" + info
    return int(match.group(1))


def lag_buckets(base, ops_token):
    request = urllib.request.Request(base + "/actuator/prometheus")
    request.add_header("Authorization", "Bearer " + ops_token)
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read().decode()
    buckets = {}
    for line in text.splitlines():
        match = re.match(LAG + r'_bucket\{.*le="([^"]+)".*\} (\S+)', line)
        if match:
            bound = float("inf") if match.group(1) == "+Inf" else float(match.group(1))
            buckets[bound] = buckets.get(bound, 0) + float(match.group(2))
    return buckets


def quantile(delta, q):
    total = delta[float("inf")]
    if total == 0:
        return None
    for bound in sorted(delta):
        if delta[bound] >= q * total:
            return bound
    return float("inf")


def per_delivery(cpu, alone, deliveries):
    if alone is None or deliveries == 0:
        return "n/a (--baseline)"
    return f"{(cpu - alone) * 1e6 / deliveries:.0f} µs"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8080")
    parser.add_argument("--api-pid", type=int, required=True)
    parser.add_argument("--ops-email", required=True)
    parser.add_argument("--ops-password", required=True)
    parser.add_argument("--streams", type=int, default=0,
                        help="streams to hold; sets the number of users (default: --users x"
                             " --accounts-per-user x --streams-per-account)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--accounts-per-user", type=int, default=20)
    parser.add_argument("--streams-per-account", type=int, default=1)
    parser.add_argument("--baseline", action="store_true",
                        help="first run each load without streams, for the CPU per delivered event")
    parser.add_argument("--idle", type=int, default=30,
                        help="seconds of CPU measured at rest, without and with the streams")
    parser.add_argument("--rate", default="50",
                        help="transfers per second; several, comma-separated, run one after the"
                             " other on the same streams (one row each)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=60,
                        help="seconds of transfers at the highest rate before anything is measured")
    parser.add_argument("--work", default="target/fan-out-bench")
    args = parser.parse_args()
    rates = [int(rate) for rate in args.rate.split(",")]
    os.makedirs(args.work, exist_ok=True)
    run = uuid.uuid4().hex[:8]
    per_user = args.accounts_per_user * args.streams_per_account
    user_count = -(-args.streams // per_user) if args.streams else args.users
    streams = args.streams or user_count * per_user

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        users = list(pool.map(lambda i: onboard(args.base, run, i, args.accounts_per_user),
                              range(user_count)))
        # Fresh tokens: onboarding many users can take a good part of a token's 15 minutes.
        users = list(pool.map(
            lambda i: (log_in(args.base, f"fanout-{run}-{i}@bench.paystream.test",
                             "fan-out-bench-password-" + run), users[i][1]),
            range(user_count)))
    accounts_total = sum(len(accounts) for _, accounts in users)
    print(f"onboarded {user_count} users, {accounts_total} funded accounts in"
          f" {time.monotonic() - started:.0f} s; {streams} streams to open, {per_user} per user",
          flush=True)
    streams_file = os.path.join(args.work, "streams.txt")
    transfers_file = os.path.join(args.work, "transfers.txt")
    with open(streams_file, "w") as out:
        # hold-streams.py opens its streams round-robin over these lines: one line per stream.
        lines = [f"{token} {account}\n" for token, accounts in users for account in accounts
                 for _ in range(args.streams_per_account)]
        out.writelines(lines[:streams])
    with open(transfers_file, "w") as out:
        out.write(f"hot {users[0][1][0]}\n")
        for token, accounts in users:
            for account in accounts:
                out.write(f"user {token} {account}\n")
    status, login = call(args.base, "POST", "/api/v1/auth/login",
                         {"email": args.ops_email, "password": args.ops_password})
    assert status == 200, f"OPS login: {status} {login}"
    ops_token = login["accessToken"]

    if args.warmup > 0:
        load(args, transfers_file, f"{run}-warmup", max(rates), args.warmup)
        print(f"warmed up: {args.warmup} s of transfers at {max(rates)}/s", flush=True)
    heap_before = heap_used_kb(args.api_pid)
    idle_without = idle_cpu_ms_per_s(args.api_pid, args.idle)
    # The same loads without a stream open: what the transfers cost the API on their own, so that
    # the CPU the streams add can be divided by the events they delivered.
    baseline = {}
    if args.baseline:
        for rate in rates:
            baseline[rate] = load(args, transfers_file, f"{run}-{rate}-alone", rate)[1]
            print(f"without streams at {rate}/s: API CPU {baseline[rate] * 1000 / args.seconds:.0f}"
                  f" ms/s", flush=True)
    hold_seconds = len(rates) * (args.seconds + 15) + args.idle + 90
    holder = subprocess.Popen([sys.executable, HOLD, "--base", args.base, "--users", streams_file,
                               "--streams", str(streams), "--seconds", str(hold_seconds)],
                              stdout=subprocess.PIPE, text=True)
    opened_line = holder.stdout.readline().strip()
    print("hold-streams: " + opened_line, flush=True)
    opened = int(re.search(r"opened (\d+)", opened_line).group(1))
    time.sleep(5)
    heap_with = heap_used_kb(args.api_pid)
    idle_with = idle_cpu_ms_per_s(args.api_pid, args.idle)
    print(f"API CPU at rest: {idle_without:.1f} ms/s without streams, {idle_with:.1f} ms/s with"
          f" {opened} open: {(idle_with - idle_without) * 10_000 / max(opened, 1):.1f} ms/s per"
          f" 10 000 idle streams", flush=True)

    rows = []
    for rate in rates:
        before = lag_buckets(args.base, ops_token)
        wrk, cpu = load(args, transfers_file, f"{run}-{rate}", rate)
        after = lag_buckets(args.base, ops_token)
        rows.append((rate, wrk, before, after, cpu))
    holder.terminate()
    tail = holder.communicate(timeout=120)[0].strip().splitlines()
    print("hold-streams: " + (tail[-1] if tail else "(nothing)"), flush=True)

    ms = lambda seconds: "n/a" if seconds is None else f"<= {seconds * 1000:.0f} ms"
    print()
    print(f"| streams open | heap without / with streams | heap per stream | transfers"
          f" in {args.seconds} s (asked rate) | deliveries | lag p50 | lag p99 | within 100 ms"
          f" | API CPU per transfer | API CPU per delivery (with - without streams) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for rate, out, before, after, cpu in rows:
        requests = re.search(r"(\d+) requests in", out)
        non202 = re.search(r"non202 (\d+)", out)
        delta = {bound: after.get(bound, 0) - before.get(bound, 0) for bound in after}
        deliveries = int(delta.get(float("inf"), 0))
        within = ("n/a" if deliveries == 0 or 0.1 not in delta
                  else f"{100 * delta[0.1] / deliveries:.2f} %")
        print(f"| {opened} | {heap_before / 1024:.1f} / {heap_with / 1024:.1f} MB |"
              f" {(heap_with - heap_before) / max(opened, 1):.1f} KB |"
              f" {requests.group(1) if requests else '?'} ({rate}/s;"
              f" non-202: {non202.group(1) if non202 else '?'})"
              f" | {deliveries} | {ms(quantile(delta, 0.50))} | {ms(quantile(delta, 0.99))}"
              f" | {within} | {cpu * 1000 / max(int(requests.group(1)) if requests else 1, 1):.2f} ms"
              f" | {per_delivery(cpu, baseline.get(rate), deliveries)} |")


if __name__ == "__main__":
    main()
