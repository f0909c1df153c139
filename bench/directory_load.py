#!/usr/bin/env python3
"""Residents searching the public directory: THREADS users for SECONDS, each request one of
a region's search (words of a real organization's name, a prefix, a typo, a street), a
search of every region, or an organization's public card. Prints p50/p99 per kind and the
errors. The queries are drawn from the seeded data (QUERIES file: slug<TAB>id<TAB>name<TAB>address
per line). Standard library only.

    python3 bench/directory_load.py --base http://127.0.0.1:8080 --queries q.tsv --seconds 60 --threads 8
"""
import argparse
import collections
import http.client
import random
import threading
import time
import urllib.parse


def typo(word):
    if len(word) < 5:
        return word
    i = random.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def queries(rows):
    """(kind, path) pairs a resident might ask."""
    out = []
    for slug, oid, name, address in rows:
        words = [w for w in name.replace("«", " ").replace("»", " ").replace('"', " ").split() if len(w) > 2]
        street = address.split(",")[1].strip() if address.count(",") >= 2 else address
        region = f"/r/{slug}/directory?q="
        if words:
            out.append(("region words", region + urllib.parse.quote(" ".join(words[-2:]))))
            out.append(("region prefix", region + urllib.parse.quote(words[-1][:5])))
            out.append(("region typo", region + urllib.parse.quote(typo(max(words, key=len)))))
            out.append(("national", "/?q=" + urllib.parse.quote(" ".join(words[-2:]))))
        out.append(("region street", region + urllib.parse.quote(street)))
        out.append(("card", f"/r/{slug}/directory/{oid}"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--threads", type=int, default=8)
    a = ap.parse_args()
    rows = [line.rstrip("\n").split("\t") for line in open(a.queries, encoding="utf-8") if line.strip()]
    pool = queries(rows)
    host = urllib.parse.urlparse(a.base)
    times = collections.defaultdict(list)
    errors = collections.Counter()
    lock = threading.Lock()
    stop = time.monotonic() + a.seconds

    def user():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        while time.monotonic() < stop:
            kind, path = random.choice(pool)
            t = time.perf_counter()
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                r.read()
                took = time.perf_counter() - t
                with lock:
                    if r.status == 200:
                        times[kind].append(took)
                    else:
                        errors[f"{kind} {r.status}"] += 1
            except Exception as e:  # noqa: BLE001 - counted, the run goes on
                with lock:
                    errors[f"{kind} {type(e).__name__}"] += 1
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)

    threads = [threading.Thread(target=user) for _ in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = sorted(x for v in times.values() for x in v)

    def pct(v, p):
        return v[min(len(v) - 1, int(len(v) * p))] * 1000

    print(f"{a.threads} users, {a.seconds} s: {len(every)} requests, {len(every) / a.seconds:.0f}/s; "
          f"all p50 {pct(every, 0.5):.1f} ms p99 {pct(every, 0.99):.1f} ms; errors {dict(errors) or 0}")
    for kind in sorted(times):
        v = sorted(times[kind])
        print(f"  {kind:14} {len(v):6} requests  p50 {pct(v, 0.5):6.1f} ms  p99 {pct(v, 0.99):6.1f} ms")


if __name__ == "__main__":
    main()
