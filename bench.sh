#!/usr/bin/env bash
# The benchmark command: builds the portal and the harness in Release, then runs the scenarios against the
# real portal started as its own process on a free loopback port, and writes BENCHMARKS.md (the sections it ran;
# the others are kept as they were).
#   ./bench.sh                      everything, N up to 500
#   ./bench.sh --max-circuits 1000  circuit density also at 1000 circuits
#   ./bench.sh --only parity,hub    some scenarios (parity, hub, density, latency, queues, reminders, intake, signin, phone, slowlink, retained)
#   ./bench.sh --quick              tiny N, short runs: checks the harness in about a minute
set -euo pipefail
cd "$(dirname "$0")"

chromium="${PORTAL_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "Chromium is needed to validate the driver against a real browser and was not found at $chromium." >&2
  echo "Install it with: sudo apt-get install chromium   (or set PORTAL_CHROMIUM to a Chromium executable)" >&2
  exit 1
fi
export PORTAL_CHROMIUM="$chromium"

dotnet build Portal.sln --configuration Release -warnaserror -nologo -v quiet
exec dotnet Benchmarks/Portal.Benchmarks/bin/Release/net10.0/Portal.Benchmarks.dll run "$@"
