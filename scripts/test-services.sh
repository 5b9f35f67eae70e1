#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis for the tests of the scaled-out mode: each on a free loopback port with its data
# in a fresh folder under /tmp, gone when stopped. Source it, then:
#   start_test_services   installs the Debian packages postgresql, redis-server, nginx and openssl when missing (as
#                         root), starts PostgreSQL and Redis, and exports PORTAL_TEST_POSTGRES (a server connection
#                         string, no database named: each test fixture creates and drops a database of its own),
#                         PORTAL_TEST_REDIS (host:port) and PORTAL_TEST_NGINX (the nginx program: the production tests
#                         start it themselves, on free loopback ports, in front of the published portal, and stop it)
#   stop_test_services    stops both and deletes their folders (test.sh calls it from an EXIT trap)

_test_services_dir=""
_test_services_pg_bin=""

_free_port() {
  local port
  for port in $(seq "$1" "$(($1 + 200))"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "No free port from $1 on." >&2
  return 1
}

_find_postgres_bin() {
  local initdb
  initdb=$(ls -1d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  [ -z "$initdb" ] && initdb=$(command -v initdb || true)
  [ -n "$initdb" ] && dirname "$initdb"
}

_find_nginx() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

_install_missing_services() {
  local missing=()
  [ -z "$(_find_postgres_bin)" ] && missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  [ -x "$(_find_nginx)" ] || missing+=(nginx)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} for the scaled-out and production tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The scaled-out and production tests need PostgreSQL, Redis, nginx and openssl; missing: ${missing[*]}." >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
}

# Runs a PostgreSQL program as the owner of the data folder: initdb and postgres refuse to run as root.
_as_pg_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_test_services() {
  _install_missing_services
  _test_services_pg_bin=$(_find_postgres_bin)
  _test_services_dir=$(mktemp -d /tmp/portal-test-services.XXXXXX)
  chmod 755 "$_test_services_dir"
  local pgdata="$_test_services_dir/pg" pg_port redis_port
  mkdir -p "$pgdata"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$pgdata"

  pg_port=$(_free_port 55432)
  _as_pg_owner "$_test_services_pg_bin/initdb" -D "$pgdata" -U portal --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # Throwaway data: durability off for speed; room for the connection pools of every test fixture and node.
  _as_pg_owner "$_test_services_pg_bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pgdata -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null

  redis_port=$(_free_port 56379)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
    --dir "$_test_services_dir" --pidfile "$_test_services_dir/redis.pid" --logfile "$_test_services_dir/redis.log"
  local tries=0
  until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ $tries -gt 100 ]; then
      echo "Redis did not start; see $_test_services_dir/redis.log" >&2
      return 1
    fi
    sleep 0.1
  done

  export PORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=portal;Include Error Detail=true"
  export PORTAL_TEST_REDIS="127.0.0.1:$redis_port"
  export PORTAL_TEST_NGINX="$(_find_nginx)"
  echo "Test services: PostgreSQL on 127.0.0.1:$pg_port, Redis on $PORTAL_TEST_REDIS"
}

stop_test_services() {
  [ -z "$_test_services_dir" ] && return 0
  if [ -f "$_test_services_dir/redis.pid" ]; then
    kill "$(cat "$_test_services_dir/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$_test_services_dir/pg/postmaster.pid" ]; then
    _as_pg_owner "$_test_services_pg_bin/pg_ctl" -D "$_test_services_dir/pg" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$_test_services_dir"
  _test_services_dir=""
}
