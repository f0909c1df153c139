#!/usr/bin/env python3
"""Monday morning on the national data set: regional coordinators opening their dashboards
and drill-downs, editors working their inboxes (opening questions, writing notes, answering),
residents searching the public directory and opening cards, VK posting residents' comments
to connected pages' webhooks — all at once, each thread a browser with its own session,
through whatever address --base names (a load balancer in front of several instances).

Every note the server acknowledged (303) and every webhook event it acknowledged ("ok") is
remembered and looked for in PostgreSQL at the end, the events once turned into questions:
a lost acknowledged write fails the run, as does any 5xx other than 503 (the answer while
the database is down). Memory of each instance (--pid, repeatable) and PostgreSQL's
share of the machine's CPU are sampled. Standard library only.

    python3 bench/monday.py --base http://127.0.0.1:18090 --accounts target/bench/monday-accounts.txt \
        --database postgres://postgres@127.0.0.1:5432/gospublic_bench_scale --seconds 600 --pid 101 --pid 102
"""
import argparse
import collections
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse

from browser import Browser, percentile, psql, rss_kb

PASSWORD = "gospublic-demo"
REV = re.compile(r'name="answer_rev" value="(\d+)"')
# This run's webhook events are found by this prefix of their keys.
RUN = f"monday{time.time_ns()}"
WORDS = ["школа", "детский сад", "больница", "администрация", "библиотека", "поликлиника", "культуры", "гимназия"]


def recorder(stats, lock):
    def record(kind, status, elapsed):
        with lock:
            stats["status"][status] += 1
            stats["by_kind"][kind][status] += 1
            if status in (200, 303):
                stats["latency"][kind].append(elapsed)
            stats["timeline"].append((time.time(), status))
    return record


def coordinator(rnd, b, accounts, deadline):
    slug, email, municipalities = rnd.choice(accounts["coordinator"])
    while not b.sign_in(email, PASSWORD) and time.time() < deadline:
        time.sleep(0.5)
    while time.time() < deadline:
        roll = rnd.random()
        if roll < 0.4:
            b.request("dashboard", "GET", f"/r/{slug}/dashboard")
        elif roll < 0.55:
            b.request("dashboard 30 days", "GET", f"/r/{slug}/dashboard?days=30")
        elif roll < 0.8 and municipalities:
            m = rnd.choice(municipalities)
            b.request("municipality dashboard", "GET", f"/r/{slug}/dashboard?municipality={m}")
        else:
            flag = rnd.choice(["not_verified", "no_page", "not_active", "not_connected"])
            b.request("drill-down", "GET", f"/r/{slug}/dashboard/orgs?flag={flag}")


def editor(rnd, b, accounts, deadline, acked, lock, n):
    slug, email, _ = rnd.choice(accounts["editor"])
    while not b.sign_in(email, PASSWORD) and time.time() < deadline:
        time.sleep(0.5)
    link = re.compile(rf'href="/r/{re.escape(slug)}/questions/(\d+)"')
    serial = 0
    while time.time() < deadline:
        status, data, _ = b.request("inbox", "GET", f"/r/{slug}/questions")
        ids = link.findall(data)
        if not ids:
            # The queue answered dry: the editor reads and annotates the answered ones.
            status, data, _ = b.request("inbox", "GET", f"/r/{slug}/questions?status=answered")
            ids = link.findall(data)
        if not ids:
            time.sleep(0.2)
            continue
        qid = rnd.choice(ids)
        status, data, _ = b.request("question", "GET", f"/r/{slug}/questions/{qid}")
        if status != 200:
            continue
        serial += 1
        marker = f"monday-{n}-{serial}-{time.time():.6f}"
        status, _, _ = b.request("note (write)", "POST", f"/r/{slug}/questions/{qid}/note",
                                 {"csrf": b.csrf or "", "text": marker})
        if status == 303:
            with lock:
                acked.append(marker)
        if rnd.random() < 0.3:
            status, data, _ = b.request("question", "GET", f"/r/{slug}/questions/{qid}")
            rev = REV.search(data)
            if status == 200 and rev:
                b.request("answer (write)", "POST", f"/r/{slug}/questions/{qid}/answer",
                          {"csrf": b.csrf or "", "text": "Здравствуйте! Ответ на ваш вопрос: " + marker,
                           "kind": "final", "answer_rev": rev.group(1)})


def resident(rnd, b, accounts, deadline):
    while time.time() < deadline:
        slug, org = rnd.choice(accounts["card"])
        if rnd.random() < 0.6:
            q = urllib.parse.quote(rnd.choice(WORDS))
            b.request("directory search", "GET", f"/r/{slug}/directory?q={q}")
        else:
            b.request("public card", "GET", f"/r/{slug}/directory/{org}")


def platform(rnd, b, accounts, deadline, events, lock, n, rate):
    """VK delivering comments under a post at `rate` a second; one in twenty is delivered
    again, as VK does when it misses an «ok»."""
    serial = 0
    while time.time() < deadline:
        group, path = rnd.choice(accounts["hook"])
        serial += 1
        key = f"{RUN}-{n}x{serial}"
        event = {"group_id": group, "type": "wall_reply_new", "event_id": key, "v": "5.199", "secret": "bench-secret",
                 "object": {"id": 10_000_000 + n * 1_000_000 + serial, "from_id": rnd.randint(1000, 99999),
                            "date": int(time.time()), "text": f"Вопрос жителя {key}: когда починят дорогу?",
                            "post_owner_id": -group, "post_id": 7, "owner_id": -group}}
        for _ in range(2 if rnd.random() < 0.05 else 1):
            status, text = b.post_json("webhook (write)", path, event)
            if status == 200 and text == "ok":
                with lock:
                    events.add(key)
        time.sleep(1 / rate)


def worker(role, n, args, accounts, deadline, stats, lock, acked):
    rnd = random.Random(f"{role}-{n}")
    b = Browser(args.base, recorder(stats, lock))
    if role == "coordinator":
        coordinator(rnd, b, accounts, deadline)
    elif role == "editor":
        editor(rnd, b, accounts, deadline, acked["notes"], lock, n)
    elif role == "platform":
        platform(rnd, b, accounts, deadline, acked["events"], lock, n, args.webhook_rate)
    else:
        resident(rnd, b, accounts, deadline)


def read_accounts(path):
    """Lines of `coordinator SLUG EMAIL M1,M2,…`, `editor SLUG EMAIL`, `card SLUG ORG_ID` and
    `hook GROUP_ID PATH`."""
    out = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "coordinator":
                ms = [m for m in (parts[3] if len(parts) > 3 else "").split(",") if m]
                out["coordinator"].append((parts[1], parts[2], ms))
            elif parts[0] == "editor":
                out["editor"].append((parts[1], parts[2], None))
            elif parts[0] == "card":
                out["card"].append((parts[1], parts[2]))
            elif parts[0] == "hook":
                out["hook"].append((int(parts[1]), parts[2]))
    return out


def postgres_cpu_ticks():
    """CPU ticks (user + system) of every postgres process now alive."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "postgres":
                    continue
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_ticks():
    with open("/proc/stat") as f:
        return sum(int(x) for x in f.readline().split()[1:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--accounts", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--seconds", type=int, default=600)
    ap.add_argument("--coordinators", type=int, default=4, help="coordinator browsers at once")
    ap.add_argument("--editors", type=int, default=6, help="editor browsers at once")
    ap.add_argument("--residents", type=int, default=4, help="resident browsers at once")
    ap.add_argument("--platforms", type=int, default=2, help="threads posting webhook events")
    ap.add_argument("--webhook-rate", type=float, default=5, help="events a second per platform thread")
    ap.add_argument("--pid", type=int, action="append", default=[], help="an app instance to sample")
    ap.add_argument("--sample-every", type=int, default=30)
    ap.add_argument("--json")
    args = ap.parse_args()
    accounts = read_accounts(args.accounts)

    stats = {"status": collections.Counter(), "latency": collections.defaultdict(list),
             "by_kind": collections.defaultdict(collections.Counter), "timeline": []}
    acked = {"notes": [], "events": set()}
    if not accounts["hook"]:
        args.platforms = 0
    lock = threading.Lock()
    started = time.time()
    deadline = started + args.seconds
    threads = []
    for role, count in [("coordinator", args.coordinators), ("editor", args.editors), ("resident", args.residents),
                        ("platform", args.platforms)]:
        for n in range(count):
            threads.append(threading.Thread(target=worker, args=(role, n, args, accounts, deadline, stats, lock, acked)))
    pg_before, machine_before = postgres_cpu_ticks(), machine_ticks()
    for t in threads:
        t.start()
    memory = []
    while any(t.is_alive() for t in threads):
        memory.append((round(time.time() - started), [rss_kb(p) for p in args.pid]))
        for _ in range(args.sample_every * 10):
            if not any(t.is_alive() for t in threads):
                break
            time.sleep(0.1)
    memory.append((round(time.time() - started), [rss_kb(p) for p in args.pid]))
    elapsed = time.time() - started
    pg_share = (postgres_cpu_ticks() - pg_before) / max(1, machine_ticks() - machine_before)

    lost = []
    if acked["notes"]:
        found = set(psql(args.database, "select body from question_events where kind = 'note' and body like 'monday-%'").split())
        lost = [m for m in acked["notes"] if m not in found]
    events = acked["events"]
    lost_events, unprocessed = [], 0
    if events:
        # Stored when acknowledged; turned into questions by the workers right after.
        ours = f"event_key like '{RUN}-%'"
        for _ in range(60):
            unprocessed = int(psql(args.database, f"select count(*) from channel_events where {ours} and processed_at is null"))
            if unprocessed == 0:
                break
            time.sleep(1)
        stored = set(psql(args.database, f"select event_key from channel_events where {ours} and question_id is not null").split())
        lost_events = [e for e in events if e not in stored]

    total = sum(stats["status"].values())
    per_second = collections.Counter(int(t - started) for t, _ in stats["timeline"])
    summary = {
        "seconds": round(elapsed, 1),
        "browsers": {"coordinators": args.coordinators, "editors": args.editors, "residents": args.residents,
                     "platforms": args.platforms},
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "status": {str(k): v for k, v in sorted(stats["status"].items())},
        "server_errors_5xx": sum(v for k, v in stats["status"].items() if 500 <= k < 600 and k != 503),
        "unavailable_503": stats["status"].get(503, 0),
        "connection_failures": stats["status"].get(0, 0),
        "by_kind": {k: {"per_second": round(sum(c.values()) / elapsed, 1),
                        "p50_ms": round(percentile(stats["latency"][k], 0.5), 1),
                        "p99_ms": round(percentile(stats["latency"][k], 0.99), 1),
                        "status": {str(s): n for s, n in sorted(c.items())}}
                    for k, c in sorted(stats["by_kind"].items())},
        "acknowledged_notes": len(acked["notes"]),
        "lost_notes": lost,
        "acknowledged_webhook_events": len(events),
        "webhook_events_without_question": lost_events[:20],
        "webhook_events_unprocessed_after_60s": unprocessed,
        "postgres_cpu_share": round(pg_share, 3),
        "instances_rss_kb": memory,
        "slowest_second_requests": min(per_second.values()) if per_second else 0,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, ensure_ascii=False, indent=2)
    ok = summary["server_errors_5xx"] == 0 and not lost and not lost_events
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
