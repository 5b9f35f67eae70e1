#!/usr/bin/env bash
# Until the first release each database engine has exactly one migration, "Initial", regenerated whenever the model
# changes (no deployed database holds data yet). After the first release, add migrations normally instead, once per
# engine: the same command with a new name for each of the two contexts below.
#
# One model, two migration sets, told apart by context type (EF Core finds a context's migrations by its type):
#   PortalDbContext          -> SQLite      Portal/Infrastructure/Data/Migrations/Sqlite
#   PostgresPortalDbContext  -> PostgreSQL  Portal/Infrastructure/Data/Migrations/Postgres
# The tools build the app's host with the engine chosen by configuration, as at run time; nothing connects.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf Portal/Infrastructure/Data/Migrations
dotnet ef migrations add Initial --project Portal --context PortalDbContext \
  --output-dir Infrastructure/Data/Migrations/Sqlite
Portal__Database__Provider=Postgres ConnectionStrings__Portal="Host=localhost;Database=portal_design_time" \
dotnet ef migrations add Initial --project Portal --context PostgresPortalDbContext \
  --output-dir Infrastructure/Data/Migrations/Postgres
