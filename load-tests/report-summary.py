#!/usr/bin/env python3
"""Print count, KO, throughput and p99 per request from a Gatling 3.15 HTML report.

Gatling 3.15 writes no stats.json; the numbers live in the statistics table of index.html
(columns: 2 total, 4 KO, 6 Cnt/s, 11 99th pct). Usage:
  python3 load-tests/report-summary.py [load-tests/target/gatling/<run>/index.html]
Without an argument, the newest run under load-tests/target/gatling is read.
"""
import glob
import os
import re
import sys

if len(sys.argv) > 1:
    report = sys.argv[1]
else:
    here = os.path.dirname(os.path.abspath(__file__))
    runs = sorted(glob.glob(os.path.join(here, "target", "gatling", "*", "index.html")), key=os.path.getmtime)
    if not runs:
        sys.exit("no report under load-tests/target/gatling; run the simulation first")
    report = runs[-1]

html = open(report, encoding="utf-8").read()
print(report)
print(f"{'request':16}{'count':>9}{'KO':>7}{'req/s':>10}{'p99 ms':>8}")
for row in re.finditer(r'<tr id="(?:ROOT|req_[^"]+)"(.*?)</tr>', html, re.S):
    cells = dict(re.findall(r'class="value \w+ col-(\d+)">([^<]*)<', row.group(1)))
    name = re.search(r'class="ellipsed-name">([^<]*)<', row.group(1))
    if name and {"2", "4", "6", "11"} <= cells.keys():
        print(f"{name.group(1):16}{cells['2']:>9}{cells['4']:>7}{cells['6']:>10}{cells['11']:>8}")
