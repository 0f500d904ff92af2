#!/usr/bin/env bash
# Failover run (./run-bench.sh failover; a benchmark, not a test): `minuet up --masters 3` (three etcd members,
# three masters, three schedulers) inside a network namespace of its own with 3 apps x 3 sleepers running; the
# leading master is killed with SIGKILL 20 times, then the leading scheduler 10 times. Prints p50/p99 from each
# kill to a new leader elected, its first offer (the scheduler re-subscribed), every agent re-registered and
# leader.mesos naming it (the data plane's DNS), and for schedulers to a new one elected, subscribed and offered.
#   bench/scripts/failover.sh [--kills N] [--scheduler-kills N] [--settle SECONDS]
#   FAILOVER_UP_ARGS="--leader-ttl 3s" bench/scripts/failover.sh ...   (more flags for minuet up, e.g. a shorter lease)
# Needs root (network namespace), python3, ss (iproute2) and etcd (etcd-server).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
agents="${FAILOVER_AGENTS:-2}"

if [ "$(id -u)" != 0 ]; then
  echo "failover: needs root (it runs minuet up in a network namespace of its own)" >&2
  exit 1
fi
for tool in ip ss python3 etcd curl; do
  command -v "$tool" >/dev/null || { echo "failover: needs $tool" >&2; exit 1; }
done

echo "== failover: up --masters 3 --agents $agents ${FAILOVER_UP_ARGS:-}, kill -9 of the leading master, then of the leading scheduler =="
# shellcheck source=bench/scripts/up-netns.sh
source "$root/bench/scripts/up-netns.sh"
# shellcheck disable=SC2086 # FAILOVER_UP_ARGS is a list of flags
up_netns_start failover "${FAILOVER_KEEP:-}" --masters 3 --agents "$agents" --no-docker --vip-range 198.19.0.0/16 ${FAILOVER_UP_ARGS:-}

marathon="$(grep -m1 -oP '^  marathon0\s+http://\K\S+' "$dir/up.log")"
for app in a b c; do
  body="{\"id\":\"/$app\",\"cmd\":\"sleep 3600\",\"instances\":3,\"cpus\":0.05,\"mem\":16}"
  for _ in $(seq 1 100); do
    code="$(ip netns exec "$ns" curl -s -o /dev/null -w '%{http_code}' -m 5 -X POST -H 'Content-Type: application/json' -d "$body" "http://$marathon/v2/apps" || true)"
    [ "$code" = 201 ] || [ "$code" = 409 ] && break
    sleep 0.2
  done
done

echo "machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
set +e
ip netns exec "$ns" python3 "$root/bench/scripts/failover_driver.py" --up-log "$dir/up.log" --agents "$agents" "$@"
status=$?
set -e
# A scheduler that has just taken over lists no tasks until it has read them back: wait for the 9 (or 60 s).
running=0
for _ in $(seq 1 120); do
  running="$(ip netns exec "$ns" curl -s -m 5 "http://$marathon/v2/tasks" | grep -o '"TASK_RUNNING"' | wc -l || true)"
  [ "$running" -ge 9 ] && break
  sleep 0.5
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "tasks running at the end: $running of 9; restarts by up: $(grep -c 'restarted \[pid' "$dir/up.log" || true)"
echo "takeovers before the lease (a standby found the leader's port refusing connections and removed its key): masters $(cat "$dir"/state/logs/master*.log 2>/dev/null | grep -c '\[5955\]' || true), schedulers $(cat "$dir"/state/logs/scheduler*.log 2>/dev/null | grep -c '\[5955\]' || true)"
echo "(lease TTL ${FAILOVER_UP_ARGS:+from '$FAILOVER_UP_ARGS', else }5 s: a killed leader is found by the standbys' probes of its port in about a second; without them its lease runs out 2/3 to 1 TTL after the kill (renewed every TTL/3), plus up to 0.5 s of etcd's expiry check; a shared 2-core VM adds noise)"
exit "$status"
