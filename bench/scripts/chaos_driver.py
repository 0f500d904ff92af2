#!/usr/bin/env python3
"""Drives chaos.sh inside the namespace: app operations on Marathon, a SIGKILL of a random part of `minuet up`
every interval, and the end-state comparison of Marathon, the master and DNS. Prints a report; exit 1 when the end
state disagrees or a killed part never came back."""
import argparse, json, os, random, re, signal, subprocess, threading, time, urllib.error, urllib.request

MARATHON = "http://127.0.0.1:8080"
MASTER = "http://127.0.0.1:5050"
# Each instance answers on its agent's address, as examples/hello.json does.
CMD = ("exec python3 -c 'import http.server as s, os; e = os.environ; "
       "s.ThreadingHTTPServer((e[\"HOST\"], int(e[\"PORT0\"])), s.SimpleHTTPRequestHandler).serve_forever()'")

stats = {"requests": 0, "requests_failed": 0, "dns": 0, "dns_failed": 0}
lock = threading.Lock()


def count(key):
    with lock:
        stats[key] += 1
touched = {}  # app id -> last time it was scaled or removed


def http(method, url, body=None, timeout=5):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception as e:  # connection refused, timeout: the part may be restarting
        return None, str(e).encode()


def marathon(method, path, body=None):
    count("requests")
    status, payload = http(method, MARATHON + path, body)
    if status is None or status >= 500:
        count("requests_failed")
    return status, payload


def running_marathon():
    status, payload = http("GET", MARATHON + "/v2/tasks")
    if status != 200:
        return None
    tasks = json.loads(payload).get("tasks", [])
    return {t["id"]: t["appId"] for t in tasks if t.get("state", "TASK_RUNNING") == "TASK_RUNNING"}


def running_master():
    status, payload = http("GET", MASTER + "/master/state")
    if status != 200:
        return None
    state = json.loads(payload)
    return {t["id"] for f in state.get("frameworks", []) for t in f.get("tasks", []) if t.get("state") == "TASK_RUNNING"}


def srv(app):
    count("dns")
    name = "_%s._tcp.marathon.mesos" % app.strip("/").replace("/", "-")
    r = subprocess.run(["dig", "+short", "+time=1", "+tries=1", "-p", "53", "@127.0.0.1", name, "SRV"], capture_output=True, text=True)
    if r.returncode != 0:
        count("dns_failed")
        return None
    return sorted(line for line in r.stdout.splitlines() if line.strip())


def parts(up_pid):
    """Child pid by part name (master, scheduler, agent0.., dataplane), read from /proc: setsid execs in place."""
    found = {}
    for tid in os.listdir("/proc/%d/task" % up_pid):
        try:
            children = open("/proc/%d/task/%s/children" % (up_pid, tid)).read().split()
        except OSError:
            continue
        for pid in map(int, children):
            try:
                argv = open("/proc/%d/cmdline" % pid, "rb").read().split(b"\0")
            except OSError:
                continue
            args = [a.decode() for a in argv if a]
            verb = next((a for a in args if a in ("master", "scheduler", "agent", "dataplane")), None)
            if verb == "agent":
                listen = args[args.index("--listen") + 1]
                verb = "agent%d" % (int(listen.split(":")[0].split(".")[-1]) - 1)
            if verb:
                found[verb] = pid
    return found


def operate(apps, n):
    """One random app operation: post a new app (at most 4), scale one, or remove one."""
    choice = random.random()
    if len(apps) < 2 or (choice < 0.35 and len(apps) < 4):
        app = "/chaos-%d" % n
        status, _ = marathon("POST", "/v2/apps", {"id": app, "cmd": CMD, "instances": random.randint(1, 2), "cpus": 0.05, "mem": 32,
                                                 "portDefinitions": [{"port": 0, "labels": {"VIP_0": "%s:80" % app}}]})
        if status in (200, 201):
            apps.add(app)
    elif choice < 0.8:
        app = random.choice(sorted(apps))
        marathon("PATCH", "/v2/apps%s?force=true" % app, {"instances": random.randint(1, 3)})
        with lock:
            touched[app] = time.time()
    else:
        app = random.choice(sorted(apps))
        with lock:
            touched[app] = time.time()
        status, _ = marathon("DELETE", "/v2/apps%s?force=true" % app)
        if status in (200, 202, 404):
            apps.discard(app)
    for app in list(apps)[:2]:
        srv(app)


def wait_restarted(log, offset, name, deadline):
    pattern = re.compile(r"%s restarted \[pid (\d+)\], ready" % re.escape(name))
    while time.time() < deadline:
        with open(log) as f:
            f.seek(offset)
            if pattern.search(f.read()):
                return True
        time.sleep(0.1)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--up-pid", type=int, required=True)
    ap.add_argument("--up-log", required=True)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--kill-interval", type=float, default=20)
    a = ap.parse_args()
    random.seed(os.getpid())
    apps, kills, lost = set(), [], []
    start = time.time()
    end = start + a.seconds
    next_kill = start + a.kill_interval
    # Operations run on their own thread, so they also hit the parts while one is down.
    def operations():
        n = 0
        while time.time() < end:
            n += 1
            operate(apps, n)
            time.sleep(1)

    ops = threading.Thread(target=operations, daemon=True)
    ops.start()
    while time.time() < end:
        if time.time() >= next_kill:
            before = running_marathon() or {}
            victim, pid = random.choice(sorted(parts(a.up_pid).items()))
            offset = os.path.getsize(a.up_log)
            killed_at = time.time()
            os.kill(pid, signal.SIGKILL)
            back = wait_restarted(a.up_log, offset, victim, killed_at + 120)
            recovered = time.time() - killed_at
            # Tasks running before the kill whose app nobody changed since must still run (agents re-adopt theirs).
            time.sleep(3)
            after = running_marathon()
            with lock:
                gone = [] if after is None else [t for t, app in before.items() if t not in after and touched.get(app, 0) < killed_at]
            lost.extend(gone)
            kills.append((round(killed_at - start), victim, pid, back, recovered, len(gone)))
            print("  t=%4ds kill -9 %-9s (pid %d): %s in %.1f s, tasks lost %d" % (
                killed_at - start, victim, pid, "restarted and ready" if back else "NOT BACK", recovered, len(gone)), flush=True)
            next_kill = killed_at + a.kill_interval
        time.sleep(0.2)
    ops.join()

    # Settle: no deployment in flight, then compare the three views.
    settle = time.time() + 90
    while time.time() < settle:
        status, payload = http("GET", MARATHON + "/v2/deployments")
        if status == 200 and json.loads(payload) == []:
            break
        time.sleep(1)
    time.sleep(3)
    m_tasks, master_tasks = running_marathon() or {}, running_master() or set()
    dns_ok, dns_diff = True, []
    for app in sorted(apps):
        expected = sum(1 for t, owner in m_tasks.items() if owner == app)
        records = srv(app) or []
        if len(records) != expected:
            dns_ok = False
            dns_diff.append("%s: marathon %d, dns %d" % (app, expected, len(records)))
    agree_master = set(m_tasks) == master_tasks
    recoveries = [k[4] for k in kills if k[3]]
    print("chaos report (%d s, %d kills):" % (a.seconds, len(kills)))
    print("  marathon requests: %d, failed (unreachable or 5xx): %d" % (stats["requests"], stats["requests_failed"]))
    print("  dns lookups: %d, failed (no answer): %d" % (stats["dns"], stats["dns_failed"]))
    print("  tasks lost (running before a kill, app unchanged, gone after): %d" % len(lost))
    if recoveries:
        print("  time to restarted-and-ready after a kill: min %.1f s, max %.1f s, mean %.1f s" % (
            min(recoveries), max(recoveries), sum(recoveries) / len(recoveries)))
    print("  parts not back: %d" % sum(1 for k in kills if not k[3]))
    print("  end state: %d apps, marathon %d running tasks, master %d: %s; dns SRV per app: %s" % (
        len(apps), len(m_tasks), len(master_tasks), "agree" if agree_master else "DIFFER (only marathon %s, only master %s)" % (
            sorted(set(m_tasks) - master_tasks), sorted(master_tasks - set(m_tasks))), "agree" if dns_ok else "DIFFER " + "; ".join(dns_diff)))
    return 0 if agree_master and dns_ok and all(k[3] for k in kills) else 1


if __name__ == "__main__":
    raise SystemExit(main())
