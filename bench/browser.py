"""What the load scripts share: a browser (one keep-alive connection, its own cookies, the
CSRF token of the last page, every request reported to `record(kind, status, seconds)`; a
request that cannot reach the server reports status 0), a process's resident memory, psql,
and percentiles. Standard library only."""
import http.client
import json
import re
import subprocess
import time
import urllib.parse

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class Browser:
    def __init__(self, base, record):
        u = urllib.parse.urlparse(base)
        self.host, self.port = u.hostname, u.port or 80
        self.conn = None
        self.cookies = {}
        self.csrf = None
        self.record = record

    def request(self, kind, method, path, form=None):
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read().decode("utf-8", "replace")
            status = resp.status
            for k, v in resp.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    value = rest.split(";", 1)[0]
                    if value and "Max-Age=0" not in v:
                        self.cookies[name] = value
                    else:
                        self.cookies.pop(name, None)
            m = CSRF.search(data)
            if m:
                self.csrf = m.group(1)
            location = resp.getheader("Location")
        except (OSError, http.client.HTTPException):
            self.conn = None
            status, data, location = 0, "", None
        self.record(kind, status, time.monotonic() - started)
        return status, data, location

    def post_json(self, kind, path, payload):
        """Posts a platform's event as JSON; returns the status and the body as text."""
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request("POST", path, body=json.dumps(payload).encode(),
                              headers={"Content-Type": "application/json"})
            resp = self.conn.getresponse()
            status, data = resp.status, resp.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn = None
            status, data = 0, ""
        self.record(kind, status, time.monotonic() - started)
        return status, data

    def sign_in(self, email, password):
        self.cookies.clear()
        self.request("sign-in", "GET", "/login")
        status, _, _ = self.request("sign-in", "POST", "/login",
                                    {"csrf": self.csrf or "", "email": email, "password": password, "next": ""})
        return status == 303


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None


def psql(database, sql):
    out = subprocess.run(["psql", database, "-Atc", sql], capture_output=True, text=True, check=True)
    return out.stdout


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000
