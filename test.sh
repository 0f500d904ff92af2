#!/usr/bin/env bash
# Installs what the tests need, builds everything, runs every test project, and prints
# `tests: N passed, N failed[, N skipped]` as the last line. Exit code is non-zero when anything failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

# Debian packages the tests drive: netfilter tools for the L4 balancer, iproute2 for namespaces,
# dig for DNS integration tests, unbound as a caching resolver in front of the DNS server,
# nodejs (node, and npm with it) for the third-party Mesos framework library (npm mesos-framework) run against the v1 scheduler API,
# dockerd (docker.io) and busybox-static for the Docker containerizer tests (each starts its own daemon), etcd-server for the HA tests,
# haproxy for the edge load balancer (minuet edge-lb runs Debian's HAProxy 2.6), apache2-utils (ab) to load it for the autoscaler test.
# chromium for the web UI's browser tests (Playwright drives it; no browser is downloaded). npm (below) also builds the UI.
packages=(iptables ipset conntrack iproute2 dnsutils procps curl unbound nodejs docker.io busybox-static etcd-server haproxy apache2-utils chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null 2>&1 || true
    # No package may start its service here: a system dockerd would bring up Docker's default 172.17.0.0/16 bridge,
    # and tests start their own daemons (dockerd, etcd) on addresses they choose.
    policy=/usr/sbin/policy-rc.d
    had_policy=0; [ -e "$policy" ] && had_policy=1
    [ "$had_policy" = 0 ] && printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || echo "test.sh: warning: could not install ${missing[*]}; tests that need them will skip" >&2
    [ "$had_policy" = 0 ] && rm -f "$policy"
  else
    echo "test.sh: not root, cannot install ${missing[*]}; tests that need them will skip" >&2
  fi
fi

# Debian's own nodejs package leaves npm out (NodeSource's carries it): the npm framework-library test and the web UI's build need both.
if [ "$(id -u)" = 0 ] && command -v node >/dev/null 2>&1 && ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null 2>&1 \
    || echo "test.sh: warning: could not install npm; the npm framework-library test will skip" >&2
fi

# The kernel modules network tests rely on; loading is best effort (they may be built in).
if [ "$(id -u)" = 0 ]; then
  for m in nfnetlink_queue nf_conntrack_netlink xt_NFQUEUE xt_set ip_set_hash_ipport veth; do
    modprobe -q "$m" 2>/dev/null || true
  done
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET SDK (dotnet) is not on PATH" >&2
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "test.sh: building"
build_log="$(mktemp)"
if ! dotnet build LoadBalancer.sln -c Debug --nologo -v q >"$build_log" 2>&1; then
  echo "test.sh: build failed" >&2
  grep -E "error" "$build_log" | sort -u >&2
  rm -f "$build_log"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
rm -f "$build_log"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "test.sh: running tests"
dotnet test LoadBalancer.sln -c Debug --no-build --nologo \
  --blame-hang-timeout 10m "$@" 2>&1 | tee "$log" | grep -vE "^A total of|^Test run for|^$" || true
status=${PIPESTATUS[0]}

sum() { grep -E "^(Passed|Failed)! " "$log" | grep -oE "$1: +[0-9]+" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
runs=$(grep -cE "^(Passed|Failed)! " "$log")
projects=$(find tests -name '*.Tests.csproj' -o -name 'Minuet.IntegrationTests.csproj' | wc -l)

# A test host that crashed prints no summary: count it as a failure rather than hide it.
if [ "$runs" -lt "$projects" ]; then
  echo "test.sh: only $runs of $projects test projects reported results" >&2
  failed=$((failed + projects - runs))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi

line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
