#!/usr/bin/env python3
"""Drives failover.sh inside the namespace: kill -9 of the leading master (then of the leading scheduler) N times
on a running `minuet up --masters 3`, timing each failover from the kill, and prints p50/p99 tables.

Masters, from the kill to:
  elected   a master (a survivor, or the process up restarted at the killed one's address) reports
            master/elected 1 on /metrics/snapshot: it won the election and loaded the state
  offer     the leading scheduler's marathon.mesos.offers.incoming.counter rises after its stream from the killed master
            is seen broken: it re-subscribed to the new leader and got its first offer (master/offers_sent would also count offers to the jobs service, a second framework)
  agents    the new leader has every agent active again (re-registered)
  dns       _leader._tcp.mesos (SRV; every master is on 127.0.0.1, so its port tells them apart) names the new leader
Schedulers, from the kill to:
  elected   both surviving schedulers' /v2/leader name the same new leader, which names itself
  subscribed  the new leader's /metrics shows minuet.scheduler.master.connected.gauge 1 (it subscribed to the master)
  offer     the new leader's marathon.mesos.offers.incoming.counter is above 0 (each term counts from 0)
(The master's frameworks_connected cannot tell: the jobs service stays subscribed as a second framework.)
Probes poll every ~10 ms each in their own thread; numbers are noisy on a shared machine. When a new leader loses
its term again during the measurement, the later leader's first offer, agents and DNS count."""
import argparse, http.client, json, os, random, re, signal, socket, struct, subprocess, threading, time

POLL = 0.01


def get(hostport, path, timeout=1.0):
    """(status, headers dict lowercased, body) or None when nothing answers."""
    host, port = hostport.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


def leads(master):
    r = get(master, "/master/redirect")
    return r is not None and r[1].get("x-minuet-role") == "leader"


def redirect_target(master):
    r = get(master, "/master/redirect")
    if r is None or r[0] not in (301, 302, 307, 308):
        return None
    m = re.match(r"^(?:https?:)?//([^/]+)", r[1].get("location", ""))
    return m.group(1) if m else None


def metrics(master):
    r = get(master, "/metrics/snapshot")
    if r is None or r[0] != 200:
        return None
    try:
        return json.loads(r[2])
    except ValueError:
        return None


def marathon_metrics(marathon):
    """(master connected 0/1, offers received this term) from a scheduler's /metrics, or None."""
    r = get(marathon, "/metrics")
    if r is None or r[0] != 200:
        return None
    try:
        m = json.loads(r[2])
        return (m["gauges"]["minuet.scheduler.master.connected.gauge"]["value"],
                m["counters"]["marathon.mesos.offers.incoming.counter"]["count"])
    except (ValueError, KeyError, TypeError):
        return None


def marathon_leader(marathon):
    r = get(marathon, "/v2/leader")
    if r is None or r[0] != 200:
        return None
    try:
        return json.loads(r[2]).get("leader")
    except ValueError:
        return None


def srv_port(dns, name="_leader._tcp.mesos"):
    """Port of the first SRV answer for name from dns (ip, port), or None. A raw query: dig costs a process a probe."""
    qid = random.randrange(65536)
    query = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    query += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack(">HH", 33, 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    try:
        s.sendto(query, dns)
        data = s.recv(4096)
    except OSError:
        return None
    finally:
        s.close()
    rid, flags, qd, an = struct.unpack(">HHHH", data[:8])
    if rid != qid or an == 0:
        return None
    i = 12
    for _ in range(qd):
        while data[i] != 0:
            i += data[i] + 1
        i += 5
    # the first answer: name (pointer or labels), type, class, ttl, rdlength, then priority, weight, port
    if data[i] & 0xC0 == 0xC0:
        i += 2
    else:
        while data[i] != 0:
            i += data[i] + 1
        i += 1
    rtype = struct.unpack(">H", data[i:i + 2])[0]
    if rtype != 33:
        return None
    return struct.unpack(">H", data[i + 10 + 4:i + 10 + 6])[0]


def port(hostport):
    return int(hostport.rsplit(":", 1)[1])


def pid_on(hostport):
    out = subprocess.run(["ss", "-ltnpH", "sport = :%d" % port(hostport)], capture_output=True, text=True).stdout
    m = re.search(r"pid=(\d+)", out)
    return int(m.group(1)) if m else None


def wait_for(what, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = condition()
        if v:
            return v
        time.sleep(0.1)
    raise SystemExit("failover: timed out after %d s waiting for %s" % (timeout, what))


class Steady:
    def __init__(self, masters, marathons, agents, dns):
        self.masters, self.marathons, self.agents, self.dns = masters, marathons, agents, dns

    def master_leader(self):
        """The master every master redirects to, that leads, has every agent and a subscribed framework, and that
        DNS names; None until then."""
        targets = [redirect_target(m) for m in self.masters]
        if any(t is None or t != targets[0] for t in targets) or not leads(targets[0]):
            return None
        m = metrics(targets[0])
        if not m or m.get("master/slaves_active") != self.agents or m.get("master/frameworks_connected", 0) < 1:
            return None
        return targets[0] if srv_port(self.dns) == port(targets[0]) else None

    def marathon_leader(self):
        names = [marathon_leader(m) for m in self.marathons]
        return names[0] if names[0] and all(n == names[0] for n in names) else None


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def kill_master(st, n):
    leader = wait_for("the masters to agree on a leader that has every agent, the scheduler and DNS", st.master_leader, 120)
    scheduler = wait_for("the schedulers to agree on a leader", st.marathon_leader, 120)
    wait_for("the leading scheduler's /metrics", lambda: marathon_metrics(scheduler), 30)
    pid = pid_on(leader)
    found = {"leaders": []}
    done = threading.Event()
    t0 = time.monotonic()
    os.kill(pid, signal.SIGKILL)

    def masters():
        """Whoever leads now (master/elected, i.e. elected and its state loaded): its first offer and its agents."""
        while not done.is_set():
            for m in st.masters:
                r = metrics(m)
                if not r or r.get("master/elected") != 1:
                    continue
                now = time.monotonic() - t0
                if not found["leaders"] or found["leaders"][-1] != m:
                    found["leaders"].append(m)
                    found["leader"] = m
                    found.setdefault("elected", now)
                if "agents" not in found and r.get("master/slaves_active") == st.agents:
                    found["agents"] = now
            time.sleep(POLL)

    def offer():
        """The scheduler's own count, from when its stream from the killed master is seen broken (connected 0): an
        offer the killed master sent just before the kill may still be counted after it, never one after that."""
        base = None
        while not done.is_set() and "offer" not in found:
            r = marathon_metrics(scheduler)
            if r and base is None and r[0] == 0:
                base = r[1]
            elif r and base is not None and r[1] > base:
                found["offer"] = time.monotonic() - t0
            time.sleep(POLL)

    def dns():
        while not done.is_set():
            p = srv_port(st.dns)
            now = time.monotonic() - t0
            new = found.get("leader")
            if new and p == port(new) and "dns" not in found:
                found["dns"] = now
            time.sleep(POLL)

    threads = [threading.Thread(target=f, daemon=True) for f in (masters, offer, dns)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(k in found for k in ("elected", "offer", "agents", "dns")):
        time.sleep(0.05)
    time.sleep(1)  # a leader that loses its term right after winning it shows up as a second leader here
    done.set()
    for t in threads:
        t.join(2)
    found["moves"] = max(0, len(found["leaders"]) - 1)
    print("  master kill %2d: %s (pid %d) -> %s: elected %s, offer %s, agents %s, leader.mesos %s%s" % (
        n, leader, pid, " then ".join(found["leaders"]) or "none", *(fmt(found.get(k)) for k in ("elected", "offer", "agents", "dns")),
        ", leadership moved again %d time(s)" % found["moves"] if found["moves"] else ""), flush=True)
    return found


def kill_marathon(st, n):
    leader = wait_for("the schedulers to agree on a leader", st.marathon_leader, 120)
    master = wait_for("a leading master with the scheduler subscribed", st.master_leader, 120)
    pid = pid_on(leader)
    found = {}
    done = threading.Event()
    t0 = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    survivors = [m for m in st.marathons if m != leader]

    def elected():
        """The survivors agree on a leader that names itself. It may be the process up restarted at the killed one's
        address (it can win the next election): told apart by its pid; a standby there names nobody meanwhile."""
        while not done.is_set():
            names = [marathon_leader(m) for m in survivors]
            if names[0] and all(x == names[0] for x in names) and marathon_leader(names[0]) == names[0] \
                    and (names[0] != leader or pid_on(names[0]) not in (None, pid)):
                found["elected"], found["leader"] = time.monotonic() - t0, names[0]
                return
            time.sleep(POLL)

    def subscribed():
        """The new leader's own view: its term's core starts unsubscribed with no offers counted."""
        while not done.is_set():
            new = found.get("leader")
            r = marathon_metrics(new) if new else None
            now = time.monotonic() - t0
            if r and r[0] == 1 and "subscribed" not in found:
                found["subscribed"] = now
            if r and r[1] > 0:
                found.setdefault("subscribed", now)
                found["offer"] = now
                return
            time.sleep(POLL)

    threads = [threading.Thread(target=f, daemon=True) for f in (elected, subscribed)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(k in found for k in ("elected", "subscribed", "offer")):
        time.sleep(0.05)
    done.set()
    for t in threads:
        t.join(2)
    print("  scheduler kill %2d: %s (pid %d) -> %s: elected %s, subscribed %s, offer %s" % (
        n, leader, pid, found.get("leader", "none"), *(fmt(found.get(k)) for k in ("elected", "subscribed", "offer"))), flush=True)
    return found


def fmt(seconds):
    return "-" if seconds is None else "%.2f s" % seconds


def table(title, rows, runs):
    print("| %-44s | %8s | %8s | %8s | %6s |" % (title, "p50 s", "p99 s", "max s", "missed"))
    print("|%s|%s|%s|%s|%s|" % ("-" * 46, "-" * 10, "-" * 10, "-" * 10, "-" * 8))
    for label, key in rows:
        values = [r[key] for r in runs if key in r]
        if values:
            print("| %-44s | %8.2f | %8.2f | %8.2f | %6d |" % (label, percentile(values, 50), percentile(values, 99), max(values), len(runs) - len(values)))
        else:
            print("| %-44s | %8s | %8s | %8s | %6d |" % (label, "-", "-", "-", len(runs)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--up-log", required=True)
    ap.add_argument("--agents", type=int, required=True)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--scheduler-kills", type=int, default=10)
    ap.add_argument("--dns", default="127.0.0.1:53")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds of steady state before each kill")
    a = ap.parse_args()
    log = open(a.up_log).read()
    masters = list(dict.fromkeys(re.findall(r"(?m)^  master\d+\s+http://(\S+)\s", log)))
    marathons = list(dict.fromkeys(re.findall(r"(?m)^  marathon\d+\s+http://(\S+)\s", log)))
    host, p = a.dns.rsplit(":", 1)
    st = Steady(masters, marathons, a.agents, (host, int(p)))
    print("masters %s, schedulers %s, %d agents" % (", ".join(masters), ", ".join(marathons), a.agents), flush=True)

    master_runs = []
    for n in range(1, a.kills + 1):
        wait_for("all three masters to answer", lambda: all(get(m, "/master/redirect") for m in masters), 120)
        time.sleep(a.settle)
        master_runs.append(kill_master(st, n))
    marathon_runs = []
    for n in range(1, a.scheduler_kills + 1):
        wait_for("all three schedulers to answer", lambda: all(get(m, "/ping") for m in marathons), 120)
        time.sleep(a.settle)
        marathon_runs.append(kill_marathon(st, n))

    print()
    table("kill -9 leading master (%d kills), time to" % len(master_runs), [
        ("a new master elected", "elected"),
        ("its first offer (scheduler re-subscribed)", "offer"),
        ("every agent re-registered", "agents"),
        ("leader.mesos (_leader._tcp SRV) names it", "dns"),
    ], master_runs)
    if marathon_runs:
        print()
        table("kill -9 leading scheduler (%d kills), time to" % len(marathon_runs), [
            ("a new scheduler elected (/v2/leader)", "elected"),
            ("it subscribed to the master", "subscribed"),
            ("its first offer", "offer"),
        ], marathon_runs)
    moved = sum(1 for r in master_runs if r.get("moves"))
    if moved:
        print("master kills after which leadership moved again within the measurement (a new leader lost its term): %d of %d" % (moved, len(master_runs)))
    missed = sum(1 for r in master_runs for k in ("elected", "offer", "agents", "dns") if k not in r) + \
        sum(1 for r in marathon_runs for k in ("elected", "subscribed", "offer") if k not in r)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
