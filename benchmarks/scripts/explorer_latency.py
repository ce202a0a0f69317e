#!/usr/bin/env python3
"""Latency of a running explorer (./glassbox serve), measured on loopback from a plain HTTP client.

For each model it asks for prediction + every layer's activations (POST /predict) and for explanations
(POST /explain, one method at a time), one request after another (one user), over different test images;
then a load phase where CLIENTS threads ask for predictions as fast as they can for SECONDS seconds.
Prints p50/p99 per route and the load phase's requests per second; --json writes every number.

Usage: explorer_latency.py URL MODEL_ID [MODEL_ID ...] [--requests N] [--clients C] [--seconds S] [--json FILE]
Standard library only (no requests package), so it runs with Debian's /usr/bin/python3 as is.
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse

METHODS = ["saliency", "guided-backprop", "gradcam", "integrated-gradients", "smoothgrad"]


class Client:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=60)

    def post(self, path, body):
        data = json.dumps(body).encode()
        t0 = time.perf_counter()
        self.conn.request("POST", path, body=data, headers={"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        payload = resp.read()
        ms = (time.perf_counter() - t0) * 1000
        if resp.status != 200:
            raise RuntimeError(f"{path}: HTTP {resp.status}: {payload[:200]!r}")
        return ms

    def get(self, path):
        self.conn.request("GET", path)
        resp = self.conn.getresponse()
        return json.loads(resp.read())


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def summary(xs):
    return {"n": len(xs), "p50_ms": round(statistics.median(xs), 2), "p99_ms": round(pct(xs, 99), 2),
            "max_ms": round(max(xs), 2)}


def one_user(url, model, requests):
    c = Client(url)
    out = {}
    for i in range(10):  # warm-up: JIT, caches
        c.post(f"/api/models/{model}/predict", {"index": i})
    out["predict"] = summary([c.post(f"/api/models/{model}/predict", {"index": i % 1000}) for i in range(requests)])
    for m in METHODS:
        n = requests if m not in ("integrated-gradients", "smoothgrad") else max(20, requests // 5)
        for i in range(3):
            c.post(f"/api/models/{model}/explain", {"index": i, "method": m})
        out["explain " + m] = summary([c.post(f"/api/models/{model}/explain", {"index": i % 1000, "method": m}) for i in range(n)])
    return out


def load(url, model, clients, seconds):
    lat, errors, lock = [], [], threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(k):
        c = Client(url)
        i = k
        while time.perf_counter() < stop:
            try:
                ms = c.post(f"/api/models/{model}/predict", {"index": i % 1000})
                with lock:
                    lat.append(ms)
            except Exception as e:  # counted, not fatal: the load test reports errors
                with lock:
                    errors.append(str(e))
                c = Client(url)
            i += clients

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    s = summary(lat) if lat else {}
    s.update({"clients": clients, "seconds": round(wall, 1), "requests_per_s": round(len(lat) / wall, 1), "errors": len(errors)})
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("models", nargs="+")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--json")
    a = ap.parse_args()
    result = {}
    for m in a.models:
        result[m] = {"one_user": one_user(a.url, m, a.requests)}
        for route, s in result[m]["one_user"].items():
            print(f"{m:24s} {route:32s} n={s['n']:4d}  p50 {s['p50_ms']:8.1f} ms  p99 {s['p99_ms']:8.1f} ms")
        if a.clients > 0:
            s = load(a.url, m, a.clients, a.seconds)
            result[m]["load_predict"] = s
            print(f"{m:24s} load: {s['clients']} clients {s['seconds']} s  {s['requests_per_s']} req/s  "
                  f"p50 {s.get('p50_ms', '-')} ms  p99 {s.get('p99_ms', '-')} ms  errors {s['errors']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
