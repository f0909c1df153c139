#!/usr/bin/env python3
"""Posts VK Callback API comment events at a fixed rate to a webhook and reports how fast
they are acknowledged; one event in twenty is delivered twice, as VK does when it misses
an «ok». Prints the acknowledgement latencies and the number of distinct events sent.

    python3 bench/webhook_load.py URL GROUP_ID SECRET RATE SECONDS
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, group, secret, rate, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
parts = urllib.parse.urlsplit(url)
latencies = []
errors = []
lock = threading.Lock()
sent = set()


def event(n):
    now = int(time.time())
    return json.dumps({
        "group_id": group, "type": "wall_reply_new", "event_id": f"bench{n:012d}", "v": "5.199",
        "object": {"id": 100000 + n, "from_id": 1000 + n % 5000, "date": now, "text": f"Вопрос жителя № {n}",
                   "post_owner_id": -group, "post_id": 7, "owner_id": -group},
        "secret": secret,
    }).encode()


def worker(jobs):
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    for at, n in jobs:
        delay = at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        body = event(n)
        start = time.monotonic()
        try:
            conn.request("POST", parts.path, body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            text = response.read()
            ok = response.status == 200 and text == b"ok"
        except Exception as e:  # a dropped connection is counted and reopened
            ok, text = False, str(e).encode()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        elapsed = time.monotonic() - start
        with lock:
            if ok:
                latencies.append(elapsed)
                sent.add(n)
            else:
                errors.append(text[:80])


total = int(rate * seconds)
begin = time.monotonic() + 0.5
schedule = []
for i in range(total):
    schedule.append((begin + i / rate, i))
    if i % 20 == 0:  # a redelivery a little later
        schedule.append((begin + i / rate + 0.25, i))
schedule.sort()
threads = 8
buckets = [schedule[k::threads] for k in range(threads)]
ts = [threading.Thread(target=worker, args=(b,)) for b in buckets]
for t in ts:
    t.start()
for t in ts:
    t.join()
latencies.sort()
def pct(p):
    return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
print(f"posted {len(schedule)} deliveries of {total} events at {rate:.0f}/s for {seconds:.0f} s; "
      f"acknowledged {len(latencies)}, failed {len(errors)}")
print(f"ack latency: p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms, max {pct(1.0):.1f} ms")
print(f"distinct events acknowledged: {len(sent)}")
if errors:
    print("first errors:", errors[:3])
