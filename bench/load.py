#!/usr/bin/env python3
"""Load generator for gospublic: sign-ins, the main signed-in pages and writes (creating and
editing organizations), from several threads, each a separate browser with its own session.

Every write the server acknowledged (303 after the POST) is remembered; at the end the script
checks in PostgreSQL that each is there, so a lost write fails the run. Standard library only.

    python3 bench/load.py --base http://127.0.0.1:8080 --seconds 60 --threads 8 \
        --database postgres://postgres@127.0.0.1:5432/gospublic_bench --server-pid 1234
"""
import argparse
import collections
import json
import random
import re
import sys
import threading
import time
import urllib.parse

from browser import Browser, percentile, psql, rss_kb

REGION = "altai-krai"
ADMIN = "admin@gospublic.test"
PASSWORD = "gospublic-demo"
ORG_LINK = re.compile(r'href="/r/altai-krai/orgs/(\d+)"')


def inn(prefix9):
    w = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    return prefix9 + str(sum(int(d) * k for d, k in zip(prefix9, w)) % 11 % 10)


def ogrn(prefix12):
    return prefix12 + str(int(prefix12) % 11 % 10)


def recorder(stats, lock):
    def record(kind, status, elapsed):
        with lock:
            stats["status"][status] += 1
            stats["latency"][kind].append(elapsed)
            stats["timeline"].append((time.time(), status))
    return record


def sign_in(b):
    return b.sign_in(ADMIN, PASSWORD)


def worker(n, args, deadline, stats, lock, acked):
    rnd = random.Random(n)
    b = Browser(args.base, recorder(stats, lock))
    while not sign_in(b) and time.time() < deadline:
        time.sleep(0.5)
    mine = []  # organizations this worker created: (id, ogrn)
    serial = 0
    org_ids = []
    status, data, _ = b.request("page", "GET", f"/r/{REGION}/orgs")
    org_ids = [int(x) for x in ORG_LINK.findall(data)] or [1]
    while time.time() < deadline:
        roll = rnd.random()
        if roll < 0.03:
            sign_in(b)
            b.request("page", "GET", f"/r/{REGION}")
        elif roll < 0.13:
            serial += 1
            code = f"{n:02d}{serial:05d}"
            o = ogrn(f"19922{code}")
            b.request("page", "GET", f"/r/{REGION}/orgs/new")
            form = {"csrf": b.csrf or "", "name": f"Нагрузочная организация {n}-{serial}", "short_name": "",
                    "inn": inn(f"229{code[:6]}"), "ogrn": o, "level": "other"}
            status, _, location = b.request("create", "POST", f"/r/{REGION}/orgs", form)
            created = re.fullmatch(rf"/r/{REGION}/orgs/(\d+)", location or "")
            if status == 303 and created:
                org_id = int(created.group(1))
                mine.append((org_id, o, form))
                with lock:
                    acked["created"].append(o)
        elif roll < 0.20 and mine:
            org_id, o, form = rnd.choice(mine)
            b.request("page", "GET", f"/r/{REGION}/orgs/{org_id}/edit")
            value = f"ред {time.time():.6f}"
            edit = dict(form, csrf=b.csrf or "", short_name=value)
            with lock:
                acked["attempted"].setdefault(org_id, []).append(value)
            status, _, location = b.request("edit", "POST", f"/r/{REGION}/orgs/{org_id}", edit)
            if status == 303 and location == f"/r/{REGION}/orgs/{org_id}":
                with lock:
                    acked["edited"][org_id] = value
        elif roll < 0.45:
            b.request("page", "GET", f"/r/{REGION}/orgs/{rnd.choice(org_ids)}")
        elif roll < 0.65:
            q = rnd.choice(["школа", "больница", "администрация", "культур", "сад", "22"])
            b.request("page", "GET", f"/r/{REGION}/orgs?q={urllib.parse.quote(q)}&page={rnd.randint(1, 3)}")
        elif roll < 0.80:
            b.request("page", "GET", f"/r/{REGION}/pages?page={rnd.randint(1, 17)}")
        else:
            b.request("page", "GET", f"/r/{REGION}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--database", required=True)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--sample-every", type=int, default=30)
    ap.add_argument("--json", help="write the summary here as JSON")
    args = ap.parse_args()

    stats = {"status": collections.Counter(), "latency": collections.defaultdict(list), "timeline": []}
    acked = {"created": [], "edited": {}, "attempted": {}}
    lock = threading.Lock()
    started = time.time()
    deadline = started + args.seconds
    threads = [threading.Thread(target=worker, args=(n, args, deadline, stats, lock, acked)) for n in range(args.threads)]
    for t in threads:
        t.start()
    memory = []
    while any(t.is_alive() for t in threads):
        if args.server_pid:
            memory.append((round(time.time() - started), rss_kb(args.server_pid)))
        for _ in range(args.sample_every * 10):
            if not any(t.is_alive() for t in threads):
                break
            time.sleep(0.1)
    if args.server_pid:
        memory.append((round(time.time() - started), rss_kb(args.server_pid)))
    elapsed = time.time() - started

    # Every acknowledged write must be in the database.
    created = set(acked["created"])
    found = set()
    if created:
        rows = psql(args.database, "select ogrn from organizations where ogrn like '19922%'")
        found = set(rows.split())
    lost_creates = sorted(created - found)
    lost_edits = []
    if acked["edited"]:
        rows = psql(args.database, "select id, coalesce(short_name, '') from organizations where ogrn like '19922%'")
        current = dict(line.split("|", 1) for line in rows.splitlines())
        for org_id, value in acked["edited"].items():
            attempts = acked["attempted"].get(org_id, [])
            later = attempts[attempts.index(value):] if value in attempts else [value]
            if current.get(str(org_id)) not in later:
                lost_edits.append(org_id)

    total = sum(stats["status"].values())
    summary = {
        "seconds": round(elapsed, 1),
        "threads": args.threads,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "status": {str(k): v for k, v in sorted(stats["status"].items())},
        "server_errors_5xx": sum(v for k, v in stats["status"].items() if 500 <= k < 600 and k != 503),
        "unavailable_503": stats["status"].get(503, 0),
        "connection_failures": stats["status"].get(0, 0),
        "latency_ms": {k: {"p50": round(percentile(v, 0.5), 1), "p95": round(percentile(v, 0.95), 1), "p99": round(percentile(v, 0.99), 1), "n": len(v)}
                       for k, v in sorted(stats["latency"].items())},
        "acknowledged_creates": len(created),
        "acknowledged_edits": len(acked["edited"]),
        "lost_creates": lost_creates,
        "lost_edits": lost_edits,
        "server_rss_kb": memory,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, ensure_ascii=False, indent=2)
    ok = summary["server_errors_5xx"] == 0 and not lost_creates and not lost_edits
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
