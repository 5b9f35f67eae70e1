#!/usr/bin/env bash
# Until the first release there is exactly one migration, "Initial", regenerated whenever the model changes
# (no deployed database holds data yet). After the first release, add migrations normally instead.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf Portal/Infrastructure/Data/Migrations
dotnet ef migrations add Initial --project Portal --output-dir Infrastructure/Data/Migrations
