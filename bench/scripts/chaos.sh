#!/usr/bin/env bash
# Chaos run (./run-bench.sh chaos; a benchmark, not a test): `minuet up --agents 3` inside a network
# namespace of its own while apps are posted, scaled and removed and a random part (master, scheduler, an agent,
# the data plane) is killed with SIGKILL every 20 s. Reports Marathon requests and DNS lookups that failed, tasks
# lost (a task should only die when its own agent does; agents re-adopt theirs, so none should), the time each
# killed part took to be restarted and ready, and whether Marathon, the master and DNS agree at the end.
#   bench/scripts/chaos.sh                 10 minutes
#   CHAOS_SECONDS=120 bench/scripts/chaos.sh
# Needs root (network namespace), python3, dig (dnsutils).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
seconds="${CHAOS_SECONDS:-600}"
interval="${CHAOS_KILL_INTERVAL:-20}"

if [ "$(id -u)" != 0 ]; then
  echo "chaos: needs root (it runs minuet up in a network namespace of its own)" >&2
  exit 1
fi
for tool in ip python3 dig; do
  command -v "$tool" >/dev/null || { echo "chaos: needs $tool" >&2; exit 1; }
done

echo "== chaos: up --agents 3, apps posted/scaled/removed, a random part killed every ${interval} s, for ${seconds} s =="
# ./minuet builds the CLI in Release once; MINUET_BIN runs another build (e.g. "dotnet path/minuet.dll").
if [ -z "${MINUET_BIN:-}" ]; then
  ./minuet version >/dev/null
  MINUET_BIN="$root/.build/cli/minuet"
fi

ns="minuet-chaos-$$"
dir="$(mktemp -d /tmp/minuet-chaos.XXXXXX)"
up_pid=""
cleanup() {
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    kill -TERM "$up_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$up_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  if [ -z "${CHAOS_KEEP:-}" ]; then rm -rf "$dir"; else echo "chaos: kept $dir"; fi
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
# shellcheck disable=SC2086 # MINUET_BIN may be "dotnet path/minuet.dll"
ip netns exec "$ns" $MINUET_BIN up --agents 3 --state-dir "$dir/state" --vip-range 198.19.0.0/16 >"$dir/up.log" 2>&1 &
up_pid=$!
for _ in $(seq 1 1800); do
  grep -qs "cluster running" "$dir/up.log" && break
  kill -0 "$up_pid" 2>/dev/null || { cat "$dir/up.log" >&2; exit 1; }
  sleep 0.1
done
grep -q "cluster running" "$dir/up.log" || { echo "chaos: up did not start within 180 s" >&2; cat "$dir/up.log" >&2; exit 1; }

set +e
ip netns exec "$ns" python3 "$root/bench/scripts/chaos_driver.py" --up-pid "$up_pid" --up-log "$dir/up.log" \
  --seconds "$seconds" --kill-interval "$interval"
status=$?
set -e

start=$(date +%s%N)
kill -TERM "$up_pid"
wait "$up_pid" 2>/dev/null
up_status=$?
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "up stopped on SIGTERM in $((took_ms / 1000)).$(( (took_ms % 1000) / 100 )) s (exit $up_status); processes left in the namespace: $(ip netns pids "$ns" | wc -l)"
up_pid=""
exit "$status"
