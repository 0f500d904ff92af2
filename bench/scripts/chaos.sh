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
# shellcheck source=bench/scripts/up-netns.sh
source "$root/bench/scripts/up-netns.sh"
up_netns_start chaos "${CHAOS_KEEP:-}" --agents 3 --vip-range 198.19.0.0/16

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
