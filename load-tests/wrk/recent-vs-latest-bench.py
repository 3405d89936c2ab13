#!/usr/bin/env python3
"""The latest 20 entries over HTTP, from Redis and from PostgreSQL, against a running API.

    load-tests/wrk/recent-vs-latest-bench.py [--base URL] [--users 64] [--entries 25]
        [--connections 32] [--seconds 30]

1. registers --users users, each with one EUR account and --entries deposits (so the account
   has that many entries);
2. writes their access tokens and accounts to a work file, reads each account's recent entries
   once (the cache becomes warm);
3. runs wrk with recent-vs-latest.lua twice, "recent" (/transactions/recent, Redis when warm)
   then "latest" (/transactions?limit=20, PostgreSQL), --seconds each with --connections
   connections, and prints requests per second, p50/p99 and the ratio.

The API must allow the load: start it with raised per-user limits, e.g.
PAYSTREAM_RATELIMIT_APIPERUSER=1000000 PAYSTREAM_RATELIMIT_MONEYPERUSER=1000000.
Both paths go through the same token check, rate limit and ownership check; only where the 20
entries come from differs. Needs wrk (Debian package).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "recent-vs-latest.lua")

sys.path.insert(0, os.path.dirname(HERE))
from paystream_api import call, customer, deposit, open_account  # noqa: E402


def onboard(base, run, index, entries):
    token = customer(base, f"recent-{run}-{index}@bench.paystream.test",
                     "recent-bench-password-" + run, f"Recent {index}")
    account = open_account(base, token)
    for amount in range(1, entries + 1):
        deposit(base, token, account, amount, "recent bench")
    return token, account


def wrk(base, accounts_file, path, connections, seconds):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", LUA, base,
         "--", accounts_file, path], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, latency.get("50", "?"), latency.get("99", "?"), int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://localhost:8080")
    parser.add_argument("--users", type=int, default=64)
    parser.add_argument("--entries", type=int, default=25)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    rows = [onboard(args.base, run, i, args.entries) for i in range(args.users)]
    for token, account in rows:
        status, recent = call(args.base, "GET", f"/api/v1/accounts/{account}/transactions/recent",
                              token=token)
        assert status == 200 and len(recent["items"]) == 20, f"recent {account}: {status}"
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as work:
        work.writelines(f"{token}\t{account}\n" for token, account in rows)
    try:
        results = {path: wrk(args.base, work.name, path, args.connections, args.seconds)
                   for path in ("recent", "latest")}
    finally:
        os.unlink(work.name)
    print(f"\n{args.users} accounts of {args.entries} entries, wrk -t2 -c{args.connections}"
          f" -d{args.seconds}s\n")
    print("| path | req/s | p50 | p99 | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for path, label in (("recent", "/transactions/recent (Redis)"),
                        ("latest", "/transactions?limit=20 (PostgreSQL)")):
        rate, p50, p99, errors = results[path]
        print(f"| {label} | {rate:,.0f} | {p50} | {p99} | {errors} |")
    print(f"\nRedis / PostgreSQL over HTTP: {results['recent'][0] / results['latest'][0]:.1f}x")


if __name__ == "__main__":
    main()
