#!/usr/bin/env bash
# Makes sure PostgreSQL's server binaries are on this machine and prints their bin dir.
#
# Tests start their own throw-away server from these binaries (shared/devtools/postgres.py),
# so the distro's packaged cluster is neither needed nor wanted: before installing we tell
# postgresql-common not to create its "main" cluster, which also means no service to start.
# Safe to run any number of times; once the binaries exist it installs nothing.
set -euo pipefail

find_bin_dir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$initdb" ]]; then
        dirname "$initdb"
    fi
}

bin_dir=$(find_bin_dir)
if [[ -z "$bin_dir" ]]; then
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo -n)
    else
        echo "ensure_postgres: PostgreSQL is missing and we are neither root nor have sudo" >&2
        exit 1
    fi

    conf_dir=/etc/postgresql-common/createcluster.d
    "${as_root[@]}" mkdir -p "$conf_dir"
    if [[ ! -e "$conf_dir/50-no-main-cluster.conf" ]]; then
        echo "create_main_cluster = false" \
            | "${as_root[@]}" tee "$conf_dir/50-no-main-cluster.conf" >/dev/null
    fi

    # apt's chatter goes to stderr so stdout carries only the bin dir.
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        --no-install-recommends postgresql >&2

    bin_dir=$(find_bin_dir)
    if [[ -z "$bin_dir" ]]; then
        echo "ensure_postgres: installed postgresql but found no initdb" >&2
        exit 1
    fi
fi

echo "$bin_dir"
