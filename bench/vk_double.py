"""A stand-in for the VK API for the collector benchmark: answers groups.getById (up to 500
names), wall.get and execute (wall.get calls only) after a fixed delay, as VK does over the
network, and holds every token to three calls a second the way VK does: a fourth call within
a second is refused with error 6. GET /stats gives the calls per method, the refusals, and the
most calls any token made within one second.
Usage: python3 bench/vk_double.py PORT [LATENCY_SECONDS]"""
import json, re, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port = int(sys.argv[1])
latency = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05
lock = threading.Lock()
calls = {}          # token -> recent call times
busiest = [0]       # most calls of one token within one second
methods = {}
refused = [0]
WALL_CALL = re.compile(r"API\.wall\.get\((\{[^)]*\})\)")


def community(name):
    name = name.strip()
    if name.startswith("club") and name[4:].isdigit():
        gid = int(name[4:])
    else:
        gid = 400_000_000 + sum(ord(c) * 31 ** i for i, c in enumerate(name)) % 1_000_000
    return {"id": gid, "name": name, "screen_name": name, "members_count": 1000 + gid % 5000}


def wall():
    now = int(time.time())
    post = lambda t, v: {"id": t, "date": t, "views": {"count": v}, "likes": {"count": 10},
                         "comments": {"count": 2}, "reposts": {"count": 1}}
    return {"count": 3, "items": [post(now - 60, 700), post(now - 3600, 300), post(now - 9 * 86400, 50)]}


def admit(token):
    """Whether VK would take this call of the token now (three a second)."""
    now = time.monotonic()
    with lock:
        recent = [t for t in calls.get(token, []) if now - t < 1.0]
        if len(recent) >= 3:
            refused[0] += 1
            calls[token] = recent
            return False
        recent.append(now)
        calls[token] = recent
        busiest[0] = max(busiest[0], len(recent))
        return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock:
            self.answer({"methods": methods, "refused": refused[0], "busiest_second": busiest[0],
                         "tokens": len(calls)})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        method = self.path.rsplit("/", 1)[-1]
        with lock:
            methods[method] = methods.get(method, 0) + 1
        if not admit(form.get("access_token", "")):
            return self.answer({"error": {"error_code": 6, "error_msg": "Too many requests per second"}})
        time.sleep(latency)
        if method == "groups.getById":
            names = form.get("group_ids") or form.get("group_id", "1")
            return self.answer({"response": {"groups": [community(n) for n in names.split(",")[:500]]}})
        if method == "wall.get":
            return self.answer({"response": wall()})
        if method == "execute":
            found = WALL_CALL.findall(form.get("code", ""))
            if len(found) > 25:
                return self.answer({"error": {"error_code": 13, "error_msg": "Too many API calls"}})
            return self.answer({"response": [wall() for _ in found], "execute_errors": []})
        return self.answer({"error": {"error_code": 3, "error_msg": "Unknown method passed"}})


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
