#!/usr/bin/env bash
# Makes sure a headless Chromium is on this machine and prints the path of its binary.
#
# Browser tests drive it with playwright (tests/browser/); playwright's own browser download
# cannot work here, so the browser comes from Debian: chromium-headless-shell (small, made for
# automation), or chromium when that package does not exist. `CHROMIUM_PATH` wins when set.
# fonts-wqy-microhei (small) lets screenshots show the Chinese in names and descriptions.
# Safe to run any number of times; once a browser exists it installs nothing.
set -euo pipefail

find_browser() {
    local candidate
    if [[ -n "${CHROMIUM_PATH:-}" ]]; then
        [[ -x "$CHROMIUM_PATH" ]] && echo "$CHROMIUM_PATH"
        return
    fi
    # The binaries themselves, not Debian's /usr/bin wrapper scripts: a wrapper that does not
    # exec would leave the browser running when the test harness stops the wrapper.
    for candidate in \
        /usr/lib/chromium/chromium-headless-shell \
        /usr/lib/chromium/chromium; do
        if [[ -x "$candidate" ]]; then
            echo "$candidate"
            return
        fi
    done
}

browser=$(find_browser)
if [[ -z "$browser" ]]; then
    if [[ -n "${CHROMIUM_PATH:-}" ]]; then
        echo "ensure_browser: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
        exit 1
    fi
    if [[ $(id -u) -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo -n)
    else
        echo "ensure_browser: Chromium is missing and we are neither root nor have sudo" >&2
        exit 3  # "cannot install here", as opposed to "the install failed"
    fi

    # apt's chatter goes to stderr so stdout carries only the browser's path.
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    package=chromium-headless-shell
    if ! apt-cache show "$package" >/dev/null 2>&1; then
        package=chromium
    fi
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "$package" fonts-wqy-microhei >&2

    browser=$(find_browser)
    if [[ -z "$browser" ]]; then
        echo "ensure_browser: installed $package but found no browser binary" >&2
        exit 1
    fi
fi

echo "$browser"
