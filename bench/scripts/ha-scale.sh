#!/usr/bin/env bash
# HA at scale (./run-bench.sh ha-scale; not in all): the control run (bench/scripts/control.sh's simulated agents and
# tasks, driven over HTTP) against a master on a three-member etcd cluster, with a second master standing by; then
# kill -9 of the loaded leader and the time until the standby leads with the whole state read back (one consistent
# cut of every agent and task), and both masters' RSS. Issue goals at 10,000 agents and 100,000 tasks: failover
# <= 5 s, RSS <= 2 GB, allocation cycle p95 <= 100 ms.
#   bench/scripts/ha-scale.sh [--agents N] [--tasks N] [--leader-ttl 5s]     (default 10000 / 100000, the masters' TTL)
# etcd members, masters and data dirs are on random 127.0.0.1 ports and temporary directories, removed at the end.
# The etcd data dirs are on tmpfs (/dev/shm) unless HA_SCALE_DISK=1: three members on one shared disk make every one
# of the ~130,000 writes that fill the cluster wait on fsync, which measures the disk, not failover, RSS or allocation.
# The simulated agents are one process (the benchmark's HttpDriver: one fake agent listener for every agent, each
# agent heartbeating every 15 s over shared connections), speaking the master's agent and v1 scheduler HTTP API.
# Figures (Dec 8 2026, 2 cores shared with four other helpers, etcd on tmpfs, 10,000 agents / 100,000 tasks):
#   fill: 10,000 agents registered in 23-33 s, 100,000 tasks launched and running in 158-196 s, no framework cut, no
#   term lost; allocation cycle in the master p95 31-57 ms at load 10-20 (178 ms at load 40); GET /master/state over
#   HTTP median 95-105 ms, p95 176-200 ms, 74 MB; leader RSS loaded 984-1029 MiB, standby 93-98 MiB (a cold standby),
#   the new leader after recovery 708-904 MiB.
#   failover, pages read one by one: 18.3 s at load 40 (--leader-ttl 3s: lease 3.1 s + campaign and recovery 15.2 s);
#   12.3 s at load 25 (lease 3.0 s + 9.4 s: etcd read and decode 7.5 s, rebuild 0.5 s). Pages read four at a time:
#   13.8 s at load 18 with the default 5 s lease (lease 4.1 s + 9.7 s: read and decode 6.1 s, rebuild 0.9 s).
#   The issue's 5 s is not met: reading ~130 MB of task records dominates; a warm standby (watching /minuet/master/,
#   holding a decoded cut and reading only the delta at take-over) is what would meet it. One run with a whole-solution
#   build beside it (load 25+) lost the 3 s lease while filling: keep the 5 s lease on a loaded machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
agents=10000 tasks=100000 ttl=5s
while [ $# -gt 0 ]; do
  case "$1" in
    --agents) agents="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    --leader-ttl) ttl="$2"; shift 2 ;;
    *) echo "usage: $0 [--agents N] [--tasks N] [--leader-ttl DURATION]" >&2; exit 2 ;;
  esac
done
command -v etcd >/dev/null || { echo "ha-scale: needs etcd (Debian etcd-server)" >&2; exit 1; }

echo "== ha-scale: $agents agents, $tasks tasks on etcd (3 members), kill -9 of the loaded leader (leader TTL $ttl) =="
dotnet build bench/Minuet.Benchmarks -c Release -v q --nologo >/tmp/minuet-bench-ha-scale-build.log 2>&1 \
  || { cat /tmp/minuet-bench-ha-scale-build.log >&2; exit 1; }
./minuet version >/dev/null

dir="$(mktemp -d /tmp/minuet-bench-ha-scale.XXXXXX)"
data="$dir"
if [ -z "${HA_SCALE_DISK:-}" ] && [ -d /dev/shm ]; then data="$(mktemp -d /dev/shm/minuet-bench-ha-scale.XXXXXX)"; fi
base=$(( 40000 + RANDOM % 10000 ))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "$data" = "$dir" ] || rm -rf "$data"
  if [ -z "${HA_SCALE_KEEP:-}" ]; then rm -rf "$dir"; else echo "ha-scale: kept $dir"; fi
}
trap cleanup EXIT

cluster="" endpoints=""
for i in 0 1 2; do cluster+="${cluster:+,}s$i=http://127.0.0.1:$((base + 10 + i))"; endpoints+="${endpoints:+,}http://127.0.0.1:$((base + i))"; done
for i in 0 1 2; do
  etcd --name "s$i" --data-dir "$data/s$i" --listen-client-urls "http://127.0.0.1:$((base + i))" --advertise-client-urls "http://127.0.0.1:$((base + i))" \
    --listen-peer-urls "http://127.0.0.1:$((base + 10 + i))" --initial-advertise-peer-urls "http://127.0.0.1:$((base + 10 + i))" \
    --initial-cluster "$cluster" --initial-cluster-token "ha-scale-$base" --quota-backend-bytes 8589934592 --log-level error >"$dir/s$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$base/health" | grep -q '"health":"true"' && break; sleep 0.1; done
echo "etcd data on $(df --output=fstype "$data" | tail -n 1) ($data)"

metric() { curl -s -m 2 "http://127.0.0.1:$1/metrics/snapshot" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$2', ''))" 2>/dev/null || true; }
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }
start_master() {
  "$root/.build/cli/minuet" master --listen "127.0.0.1:$1" --store etcd --etcd-endpoints "$endpoints" --leader-ttl "$ttl" --log-level warning >"$dir/master-$1.log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}
a_port=$(( base + 20 )) b_port=$(( base + 21 ))
start_master "$a_port"; a_pid=$last_pid
for _ in $(seq 1 300); do [ "$(metric "$a_port" master/elected)" = 1 ] && break; sleep 0.1; done
[ "$(metric "$a_port" master/elected)" = 1 ] || { echo "ha-scale: the first master never led" >&2; cat "$dir/master-$a_port.log" >&2; exit 1; }
start_master "$b_port"; b_pid=$last_pid
for _ in $(seq 1 300); do [ "$(metric "$b_port" master/elected)" = 0 ] && break; sleep 0.1; done

if ! dotnet bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll control --master "http://127.0.0.1:$a_port/" --agents "$agents" --tasks "$tasks"; then
  echo "ha-scale: the control run failed; the first master's last log lines:" >&2
  tail -n 15 "$dir/master-$a_port.log" >&2
  exit 1
fi
printf 'leader RSS loaded: %d MiB (goal <= 2048 MiB); standby RSS: %d MiB\n' "$(rss "$a_pid")" "$(rss "$b_pid")"
echo "leader: $(metric "$a_port" master/slaves_active) agents active, $(metric "$a_port" master/tasks_running) tasks running"

# etcd's own view, to split the failover into the lease running out and the new leader's campaign and recovery read.
python3 - "$base" >"$dir/lease-gone" 2>/dev/null <<'PY' &
import base64, http.client, json, sys, time
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=120)
c.request("POST", "/v3/watch", body=json.dumps({"create_request": {"key": base64.b64encode(b"/minuet/master/leader").decode()}}))
r = c.getresponse()
while True:
    line = r.readline()
    if not line:
        break
    if any(e.get("type") == "DELETE" for e in json.loads(line).get("result", {}).get("events", [])):
        print(time.time_ns(), flush=True)
        break
PY
watcher=$!
pids+=("$watcher")
sleep 0.5
start=$(date +%s%N)
kill -9 "$a_pid"
for _ in $(seq 1 6000); do [ "$(metric "$b_port" master/elected)" = 1 ] && break; sleep 0.05; done
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$(metric "$b_port" master/elected)" = 1 ]; then
  printf 'failover: kill -9 of the loaded leader to the standby leading with the state read back: %d.%03d s (goal <= 5 s; lease TTL %s)\n' $((took_ms / 1000)) $((took_ms % 1000)) "$ttl"
  if [ -s "$dir/lease-gone" ]; then
    gone_ms=$(( ($(head -n 1 "$dir/lease-gone") - start) / 1000000 ))
    printf '  of which: the lease ran out in etcd after %d.%03d s; campaign and recovery read %d.%03d s\n' \
      $((gone_ms / 1000)) $((gone_ms % 1000)) $(((took_ms - gone_ms) / 1000)) $(((took_ms - gone_ms) % 1000))
  fi
  printf '  the new leader read the cut from etcd in %s ms (registrar/state_fetch_ms) and rebuilt its state in %s ms (master/state_recover_ms)\n' \
    "$(metric "$b_port" registrar/state_fetch_ms)" "$(metric "$b_port" master/state_recover_ms)"
  echo "new leader: $(metric "$b_port" master/tasks_running) tasks running (recovered, agents not yet re-registered), RSS $(rss "$b_pid") MiB"
else
  echo "failover: the standby did not lead within $((took_ms / 1000)) s" >&2
  tail -n 20 "$dir/master-$b_port.log" >&2
  exit 1
fi
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
