#!/usr/bin/env bash
# Control-plane scale run (./run-bench.sh control): 1,000 simulated agents and 10,000 tasks.
#   - in-process: DRF allocation cycle time and /master/state render time (goal < 200 ms)
#   - a real `minuet master` on 127.0.0.1 driven over HTTP (agents register, a framework launches every task,
#     a fake agent on loopback reports TASK_RUNNING): GET /master/state latency and the master's RSS (goal < 1 GB)
# Numbers on a shared 2-core VM are noisy; there is no Mesos peer to take ratios against here.
#   bench/scripts/control.sh [--agents N] [--tasks N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== control: master with simulated agents and tasks =="
dotnet build bench/Minuet.Benchmarks -c Release -v q --nologo >/tmp/minuet-bench-control-build.log 2>&1 \
  || { cat /tmp/minuet-bench-control-build.log >&2; exit 1; }

state_dir="$(mktemp -d /tmp/minuet-bench-master.XXXXXX)"
port=$(( 20000 + RANDOM % 20000 ))
log="$state_dir/master.log"
master_pid=""
cleanup() {
  if [ -n "$master_pid" ] && kill -0 "$master_pid" 2>/dev/null; then
    kill "$master_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$master_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$master_pid" 2>/dev/null || true
    wait "$master_pid" 2>/dev/null || true
  fi
  rm -rf "$state_dir"
}
trap cleanup EXIT

# ./minuet builds the CLI in Release once; run the binary directly so $! is the master itself.
./minuet version >/dev/null
"$root/.build/cli/minuet" master --listen "127.0.0.1:$port" --state-dir "$state_dir/state" --log-level warning >"$log" 2>&1 &
master_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
rss_idle=$(awk '/VmRSS/ {print $2}' "/proc/$master_pid/status")

dotnet bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll control --master "http://127.0.0.1:$port/" "$@"

rss=$(awk '/VmRSS/ {print $2}' "/proc/$master_pid/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$master_pid/status")
printf 'master RSS: idle %d MiB, loaded %d MiB, peak %d MiB (goal < 1024 MiB)\n' $((rss_idle / 1024)) $((rss / 1024)) $((hwm / 1024))
bash "$root/bench/scripts/propagation.sh"

# Store write throughput (status updates/s), SQLite against a three-member etcd cluster on random loopback ports
# (one disk: the members share its fsyncs, as they would on one machine).
if command -v etcd >/dev/null 2>&1; then
  etcd_dir="$(mktemp -d /tmp/minuet-bench-etcd.XXXXXX)"
  base=$(( 40000 + RANDOM % 10000 ))
  cluster="" endpoints="" etcd_pids=()
  for i in 0 1 2; do cluster+="${cluster:+,}b$i=http://127.0.0.1:$((base + 10 + i))"; endpoints+="${endpoints:+,}http://127.0.0.1:$((base + i))"; done
  for i in 0 1 2; do
    etcd --name "b$i" --data-dir "$etcd_dir/b$i" --listen-client-urls "http://127.0.0.1:$((base + i))" --advertise-client-urls "http://127.0.0.1:$((base + i))" \
      --listen-peer-urls "http://127.0.0.1:$((base + 10 + i))" --initial-advertise-peer-urls "http://127.0.0.1:$((base + 10 + i))" \
      --initial-cluster "$cluster" --initial-cluster-token "bench-$base" --log-level error >"$etcd_dir/b$i.log" 2>&1 &
    etcd_pids+=($!)
  done
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$base/health" | grep -q '"health":"true"' && break; sleep 0.1; done
  dotnet bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll store-writes --etcd-endpoints "$endpoints" || true
  kill "${etcd_pids[@]}" 2>/dev/null || true
  wait "${etcd_pids[@]}" 2>/dev/null || true
  rm -rf "$etcd_dir"
else
  dotnet bench/Minuet.Benchmarks/bin/Release/net10.0/Minuet.Benchmarks.dll store-writes
fi
