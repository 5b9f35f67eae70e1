#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, then runs every test project of Portal.sln
# (Portal.Tests: domain, bUnit, integration and end-to-end in real headless Chromium; Benchmarks/Portal.Benchmarks.Tests:
# every benchmark scenario, tiny), and the persistence and service tests a second time on PostgreSQL. Nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")"

# Chromium's headless shell: the same Blink as the full browser, without the desktop browser (and its own user-interface
# renderers) that the full browser's headless mode runs underneath; Playwright uses it for headless runs too. bench.sh
# measures with the full browser, the one people use.
chromium="${PORTAL_CHROMIUM:-/usr/bin/chromium-headless-shell}"
if [ ! -x "$chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing the distribution's Chromium headless shell for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null
  else
    echo "Chromium is needed for the end-to-end tests and was not found at $chromium." >&2
    echo "Install it with: sudo apt-get install chromium-headless-shell   (or set PORTAL_CHROMIUM to a Chromium executable)" >&2
    exit 1
  fi
fi
export PORTAL_CHROMIUM="$chromium"

# Test processes (the test host, the portals it starts) live seconds to minutes: profile-guided recompilation, which pays
# back in a portal that runs for days, is only extra work for the two cores here.
export DOTNET_TieredPGO=0

# PostgreSQL and Redis for the scaled-out tests (two portal nodes) and the PostgreSQL run below; stopped on exit.
source scripts/test-services.sh
trap stop_test_services EXIT
start_test_services

dotnet build Portal.sln --configuration Debug -warnaserror

log=$(mktemp)
status=0
# One test project at a time (-m:1): run side by side, the benchmark tests' real portals and browsers starved the
# end-to-end tests on two cores, and a page that takes 30 s to load there says nothing about the portal.
dotnet test Portal.sln --no-build --configuration Debug -m:1 2>&1 | tee "$log" || status=$?

# The persistence and service tests again, each fixture on a PostgreSQL database of its own. Tests about SQLite
# itself (query plans, the raw database file) carry the trait Database=SqliteOnly and stay out.
echo "Persistence and service tests on PostgreSQL..."
PORTAL_TEST_DATABASE=Postgres dotnet test Portal.Tests --no-build --configuration Debug \
  --filter "(FullyQualifiedName~Portal.Tests.Integration.Persistence|FullyQualifiedName~Portal.Tests.Features)&Database!=SqliteOnly" \
  2>&1 | tee -a "$log" || status=$?

# One plain closing line for any reader: "N passed, N failed, N skipped", over both runs.
passed=0 failed=0 skipped=0
while read -r summary; do
  passed=$((passed + $(sed -nE 's/.*Passed: +([0-9]+).*/\1/p' <<<"$summary")))
  failed=$((failed + $(sed -nE 's/.*Failed: +([0-9]+).*/\1/p' <<<"$summary")))
  skipped=$((skipped + $(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")))
done < <(grep -E '(Passed|Failed)! +- ' "$log" || true)
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "${passed}" = "0" ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
