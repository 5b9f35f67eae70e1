#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, then runs every test
# (domain, bUnit, integration and end-to-end in real headless Chromium). Nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")"

chromium="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing the distribution's Chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the end-to-end tests and was not found at $chromium." >&2
    echo "Install it with: sudo apt-get install chromium   (or set PORTAL_CHROMIUM to a Chromium executable)" >&2
    exit 1
  fi
fi
export PORTAL_CHROMIUM="$chromium"

dotnet build Portal.sln --configuration Debug -warnaserror

log=$(mktemp)
status=0
dotnet test Portal.sln --no-build --configuration Debug 2>&1 | tee "$log" || status=$?

# One plain closing line for any reader: "N passed, N failed, N skipped".
summary=$(grep -E '(Passed|Failed)! +- ' "$log" | tail -1 || true)
passed=$(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*Failed: +([0-9]+).*/\1/p' <<<"$summary")
skipped=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
rm -f "$log"
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "${passed:-0}" = "0" ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
