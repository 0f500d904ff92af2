# Sourced by the bench scripts that run `minuet up` in a network namespace of their own (chaos.sh, failover.sh).
# up_netns_start LABEL KEEP [up flags...]: starts `up` in namespace minuet-LABEL-PID with its state under a new
# directory, and returns once it prints "cluster running" (at most 180 s; else its log and exit 1). Sets ns, dir
# and up_pid for the caller. On exit everything is stopped and the namespace deleted; the directory is kept when
# KEEP is non-empty. MINUET_BIN runs another build (e.g. "dotnet path/minuet.dll"); by default ./minuet builds the
# CLI in Release once. Needs $root (the repository) set by the caller.

up_netns_start() {
  up_netns_label="$1"
  up_netns_keep="$2"
  shift 2
  if [ -z "${MINUET_BIN:-}" ]; then
    ./minuet version >/dev/null
    MINUET_BIN="$root/.build/cli/minuet"
  fi

  ns="minuet-$up_netns_label-$$"
  dir="$(mktemp -d "/tmp/minuet-$up_netns_label.XXXXXX")"
  up_pid=""
  trap up_netns_cleanup EXIT
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # shellcheck disable=SC2086 # MINUET_BIN may be "dotnet path/minuet.dll"
  ip netns exec "$ns" $MINUET_BIN up "$@" --state-dir "$dir/state" >"$dir/up.log" 2>&1 &
  up_pid=$!
  for _ in $(seq 1 1800); do
    grep -qs "cluster running" "$dir/up.log" && break
    kill -0 "$up_pid" 2>/dev/null || { cat "$dir/up.log" >&2; exit 1; }
    sleep 0.1
  done
  grep -q "cluster running" "$dir/up.log" || { echo "$up_netns_label: up did not start within 180 s" >&2; cat "$dir/up.log" >&2; exit 1; }
}

up_netns_cleanup() {
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    kill -TERM "$up_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$up_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  if [ -z "$up_netns_keep" ]; then rm -rf "$dir"; else echo "$up_netns_label: kept $dir"; fi
}
