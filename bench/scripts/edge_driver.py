#!/usr/bin/env python3
"""Edge LB reload-under-load driver (bench/scripts/edge.sh runs it inside the bench's network namespace).

Keeps wrk running against 127.0.0.1:10000 (back-to-back 10 s runs, summed), scales /web 1->5->1 CYCLES times, and
measures, for every task that becomes healthy, the time from Marathon's health_status_changed_event (alive) to
HAProxy's first session on that task's server (stats CSV polled every 10 ms)."""
import json, re, subprocess, sys, threading, time, urllib.request

MARATHON = "http://127.0.0.1:8080"
STATS = "http://127.0.0.1:9090"
cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 10
stop = threading.Event()
healthy = {}        # task id -> time the alive event arrived
appeared = []       # (server name, time row appeared, time of first session or None)
wrk_totals = {"requests": 0, "non2xx": 0, "socket_errors": 0, "runs": 0, "connect": 0, "read": 0, "write": 0, "timeout": 0}


def get(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def put_instances(n):
    req = urllib.request.Request(MARATHON + "/v2/apps/web?force=true", data=json.dumps({"instances": n}).encode(), method="PUT",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def events():
    req = urllib.request.Request(MARATHON + "/v2/events?event_type=health_status_changed_event", headers={"Accept": "text/event-stream"})
    with urllib.request.urlopen(req, timeout=3600) as r:
        for raw in r:
            if stop.is_set():
                return
            line = raw.decode().strip()
            if line.startswith("data:"):
                e = json.loads(line[5:])
                if e.get("alive"):
                    healthy.setdefault(e["taskId"], time.time())


def poll_stats():
    live = {}  # name -> index into appeared
    while not stop.is_set():
        try:
            csv = get(STATS + "/haproxy?stats;csv").splitlines()
        except OSError:
            time.sleep(0.01)
            continue
        now = time.time()
        header = csv[0].lstrip("# ").split(",")
        stot = header.index("stot")
        seen = set()
        for row in csv[1:]:
            cells = row.split(",")
            if cells[0] != "web_10000" or cells[1] in ("FRONTEND", "BACKEND"):
                continue
            name = cells[1]
            seen.add(name)
            if name not in live:
                appeared.append([name, now, None])
                live[name] = len(appeared) - 1
            entry = appeared[live[name]]
            if entry[2] is None and cells[stot] not in ("", "0"):
                entry[2] = now
        for gone in [n for n in live if n not in seen]:
            del live[gone]
        time.sleep(0.01)


def load():
    while not stop.is_set():
        out = subprocess.run(["wrk", "-t2", "-c16", "-d10s", "http://127.0.0.1:10000/"], capture_output=True, text=True).stdout
        m = re.search(r"(\d+) requests in", out)
        wrk_totals["requests"] += int(m.group(1)) if m else 0
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        wrk_totals["non2xx"] += int(m.group(1)) if m else 0
        m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        wrk_totals["socket_errors"] += sum(int(x) for x in m.groups()) if m else 0
        for kind, value in zip(("connect", "read", "write", "timeout"), m.groups() if m else ()):
            wrk_totals[kind] += int(value)
        wrk_totals["runs"] += 1


def servers():
    try:
        return [l for l in get(STATS + "/_haproxy_getconfig").splitlines() if l.startswith("  server ") and " id " in l]
    except OSError:  # edge-lb still starting
        return []


def wait_servers(n, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if len(servers()) == n:
            return
        time.sleep(0.05)
    raise SystemExit(f"edge: timed out waiting for {n} servers")


def main():
    threading.Thread(target=events, daemon=True).start()
    threading.Thread(target=poll_stats, daemon=True).start()
    wait_servers(1)
    metrics_before = get(STATS + "/metrics")
    loader = threading.Thread(target=load)
    loader.start()
    start = time.time()
    for c in range(cycles):
        put_instances(5)
        wait_servers(5)
        put_instances(1)
        wait_servers(1)
    stop.set()
    loader.join()
    took = time.time() - start
    metrics = get(STATS + "/metrics")
    # Match each healthy event to the server row that appeared for its port after it.
    lat = []
    used = set()
    for task_id, t_h in sorted(healthy.items(), key=lambda kv: kv[1]):
        port = task_id_ports.get(task_id)
        if port is None:
            continue
        for i, (name, t_app, t_first) in enumerate(appeared):
            if i in used or not name.endswith("_" + str(port)) or t_first is None or t_app < t_h - 2:
                continue
            used.add(i)
            lat.append(max(0.0, t_first - t_h) * 1000)
            break
    lat.sort()
    def counter(text, name):
        m = re.search(rf"^{name} (\d+)$", text, re.M)
        return int(m.group(1)) if m else 0
    reloads = counter(metrics, "minuet_edgelb_reloads_total") - counter(metrics_before, "minuet_edgelb_reloads_total")
    runtime = counter(metrics, "minuet_edgelb_runtime_updates_total") - counter(metrics_before, "minuet_edgelb_runtime_updates_total")
    # wrk's "timeout" is a request slower than its 2 s timeout that still completes (wrk keeps the connection), so it
    # is reported as slow, not failed; failed = an error status or a connection refused, reset or broken.
    failed = wrk_totals['non2xx'] + wrk_totals['connect'] + wrk_totals['read'] + wrk_totals['write']
    print(f"edge: {cycles} cycles 1->5->1 in {took:.0f} s under wrk -c16: {wrk_totals['requests']} requests, {failed} failed "
          f"({wrk_totals['non2xx']} non-2xx, socket errors: connect {wrk_totals['connect']}, read {wrk_totals['read']}, write {wrk_totals['write']}), "
          f"{wrk_totals['timeout']} slower than 2 s; {reloads} reloads, {runtime} runtime-API updates, "
          f"{counter(metrics, 'minuet_edgelb_drain_sessions_cut_total')} drained servers had sessions cut")
    if lat:
        p = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))]
        print(f"edge: healthy -> first request through HAProxy, {len(lat)} tasks: p50 {p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {lat[-1]:.0f} ms")
    else:
        print("edge: no healthy->traffic samples matched")


task_id_ports = {}


def track_ports():
    while not stop.is_set():
        try:
            for t in json.loads(get(MARATHON + "/v2/apps/web/tasks"))["tasks"]:
                if t.get("ports"):
                    task_id_ports[t["id"]] = t["ports"][0]
        except OSError:
            pass
        time.sleep(0.2)


if __name__ == "__main__":
    threading.Thread(target=track_ports, daemon=True).start()
    main()
