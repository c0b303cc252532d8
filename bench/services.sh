#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis on loopback, in a directory of their own, for CI and benchmarks.
#
#   eval "$(bench/services.sh start DIR)"   # starts both; exports DATABASE_URL and REDIS_URL
#   bench/services.sh stop DIR              # stops both and removes DIR
#   bench/services.sh stop-redis|start-redis|stop-pg|start-pg DIR
#                                           # one server down and up again (outage drills);
#                                           # Redis comes back empty, as without persistence
#
# PostgreSQL runs as the `postgres` user when started by root (initdb refuses root), as the
# caller otherwise. Needs redis-server and /usr/lib/postgresql/*/bin (Debian's packages).
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
    redis-server --port "$(cat "$dir/redis.port")" --bind 127.0.0.1 --daemonize yes --save '' \
        --dir "$dir" --logfile "$dir/redis.log" >&2
    local port
    port=$(cat "$dir/redis.port")
    for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}
start_pg() {
    as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -l "$dir/log/pg.log" -w \
        -o "-p $(cat "$dir/pg.port") -k $dir/pgsock -c listen_addresses=127.0.0.1 -c fsync=off" \
        start >/dev/null
}

case "$cmd" in
stop-redis)
    redis-cli -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true
    ;;
start-redis)
    start_redis
    ;;
stop-pg)
    as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null
    ;;
start-pg)
    start_pg
    ;;
start)
    command -v redis-server >/dev/null || { echo "redis-server not installed" >&2; exit 1; }
    [ -n "$PGBIN" ] || { echo "PostgreSQL not installed (/usr/lib/postgresql/*/bin)" >&2; exit 1; }
    free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
    redis_port=$(free_port)
    pg_port=$(free_port)
    mkdir -p "$dir/pg" "$dir/pgsock" "$dir/log"
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir/pg" "$dir/pgsock" "$dir/log"; fi
    echo "$redis_port" >"$dir/redis.port"
    echo "$pg_port" >"$dir/pg.port"
    start_redis
    as_pg "$PGBIN/initdb" -D "$dir/pg" -A trust -U postgres >/dev/null
    start_pg
    as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc 'CREATE DATABASE crmbot' >&2
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    echo "export DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:$pg_port/crmbot"
    echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
    ;;
stop)
    if [ -f "$dir/redis.port" ]; then
        redis-cli -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true
    fi
    if [ -n "$PGBIN" ] && [ -d "$dir/pg" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null 2>&1 || true
    fi
    # Only a directory this script made (it holds redis.port) is removed.
    if [ -f "$dir/redis.port" ]; then rm -rf "$dir"; fi
    ;;
*)
    echo "usage: $0 start|stop|stop-redis|start-redis|stop-pg|start-pg DIR" >&2
    exit 2
    ;;
esac
