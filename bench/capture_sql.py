#!/usr/bin/env python3
"""Turns the statements one request ran (from the PostgreSQL log with
log_min_duration_statement = 0) into a psql script with the parameters written in,
so the same SQL can be timed without the application. Timestamps and dates are kept
relative to the moment of capture, so the script still asks for "the last seven days"
when it is run later.

Usage: capture_sql.py LABEL CAPTURED_AT < log-excerpt >> bench/dashboard.sql
"""
import re
import sys

label, captured_at = sys.argv[1], sys.argv[2]
entries, current = [], None
prefix = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[\d+\] \S+ (LOG|DETAIL):  (.*)$")
for line in sys.stdin.read().splitlines():
    m = prefix.match(line)
    if m:
        kind, text = m.groups()
        if kind == "LOG":
            e = re.match(r"duration: [\d.]+ ms  execute [^:]+: (.*)$", text)
            current = {"sql": e.group(1), "params": ""} if e else None
            if current:
                entries.append(current)
        elif kind == "DETAIL" and current is not None and text.startswith("parameters:"):
            current["params"] = text[len("parameters: "):]
            current = None
    elif current is not None and not current["params"]:
        current["sql"] += "\n" + line


def relative(value):
    v = value.strip("'")
    if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d$", v):
        return f"('{v}'::timestamptz + (now() - '{captured_at}'::timestamptz))"
    if re.match(r"^\d{4}-\d\d-\d\d$", v):
        return f"('{v}'::date + (current_date - '{captured_at}'::date))"
    return value


print(f"\\echo == {label}")
# One transaction, as the application runs a screen: its role and region settings apply.
print("begin;")
for e in entries:
    params = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", e["params"]))
    sql = re.sub(r"\$(\d+)\b", lambda m: relative(params.get(m.group(1), "NULL")), e["sql"])
    if re.match(r"\s*(insert|update|delete)\b", sql, re.I):
        continue
    print(sql.rstrip().rstrip(";") + ";")
print("commit;")
