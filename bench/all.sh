#!/usr/bin/env bash
# Every benchmark in one run (`make bench`), or a short version of each (`make bench-quick`).
#
#   bench/all.sh [--quick]
#
# PostgreSQL and Redis: BENCH_DATABASE_URL and BENCH_REDIS_URL if set (a database it may
# wipe), else throwaway servers started here when Debian's packages are installed, else the
# PostgreSQL + Redis figures are skipped with a message. Rasa: the full run trains and serves
# the real server when `.venv-rasa` exists (`make rasa-install`). Figures go to
# bench/results/*.json; the time each step took to bench/results/timings.json.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

quick=0
[ "${1:-}" = "--quick" ] && quick=1

TMP=$(mktemp -d /tmp/crmbot-bench.XXXXXX)
chmod 755 "$TMP"
started_services=0
cleanup() {
    [ "$started_services" = 1 ] && bench/services.sh stop "$TMP/services"
    rm -rf "$TMP"
}
trap cleanup EXIT

pg=${BENCH_DATABASE_URL:-}
redis=${BENCH_REDIS_URL:-}
if [ "$quick" = 0 ] && { [ -z "$pg" ] || [ -z "$redis" ]; }; then
    if eval "$(bench/services.sh start "$TMP/services" 2>"$TMP/services.log")"; then
        started_services=1
        pg=$DATABASE_URL
        redis=$REDIS_URL
        echo "bench: throwaway PostgreSQL and Redis started for this run"
    else
        bench/services.sh stop "$TMP/services" >/dev/null 2>&1 || true  # whatever half-started
        echo "bench: PostgreSQL + Redis figures skipped ($(tail -n 1 "$TMP/services.log"));" \
            "install redis-server and postgresql, or set BENCH_DATABASE_URL and BENCH_REDIS_URL"
        pg=""
        redis=""
    fi
fi

timings="$TMP/timings"
: >"$timings"
step() {
    local name=$1
    shift
    echo "bench: $name"
    local t0=$SECONDS
    "$@"
    echo "$name $((SECONDS - t0))" >>"$timings"
}

rasa=()
if [ "$quick" = 1 ]; then
    :  # the quick run leaves Rasa, PostgreSQL and Redis out
elif [ -x .venv-rasa/bin/rasa ]; then
    rasa=(--rasa)
else
    echo "bench: Rasa side skipped (make rasa-install creates .venv-rasa)"
fi

if [ "$quick" = 1 ]; then
    step nlu "$PY" bench/nlu_banking77.py --quick
    step nlu-threshold "$PY" bench/nlu_threshold.py --no-banking77
    step sentiment "$PY" bench/sentiment.py
    step crm-sqlite "$PY" bench/crm_context.py --customers 10000 --messages 100000 \
        --samples 500 --ingest 500
    step turn-sqlite "$PY" bench/dispatcher_turn.py --customers 10 --messages 5
    step long-message "$PY" bench/long_message.py
    step e2e-sqlite "$PY" bench/e2e_throughput.py --customers 10 --messages 5
else
    step nlu "$PY" bench/nlu_banking77.py "${rasa[@]}"
    step nlu-threshold "$PY" bench/nlu_threshold.py
    step sentiment "$PY" bench/sentiment.py
    step crm-sqlite "$PY" bench/crm_context.py
    step turn-sqlite "$PY" bench/dispatcher_turn.py
    step long-message "$PY" bench/long_message.py
    step e2e-sqlite "$PY" bench/e2e_throughput.py
    if [ -n "$pg" ]; then
        step crm-postgresql "$PY" bench/crm_context.py --url "$pg" --out bench/results/crm-pg.json
        step e2e-postgresql-redis "$PY" bench/e2e_throughput.py --database-url "$pg" \
            --redis-url "$redis" --out bench/results/e2e-pg.json
        # 1, 2 and 4 workers behind Debian's nginx (deploy/nginx.conf): skipped without it.
        if [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null; then
            step scale-out "$PY" bench/scale_out.py --database-url "$pg" --redis-url "$redis"
        else
            echo "scale-out skipped: install Debian's nginx (apt-get install nginx)" >&2
        fi
    fi
fi

"$PY" - "$timings" <<'EOF'
import json, sys
from pathlib import Path

steps = dict(line.split() for line in Path(sys.argv[1]).read_text().splitlines())
seconds = {name: int(value) for name, value in steps.items()}
total = sum(seconds.values())
out = Path("bench/results/timings.json")
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps({"steps": seconds, "total_seconds": total}, indent=2))
for name, value in seconds.items():
    print(f"  {name:<22} {value:>5} s")
print(f"  {'total':<22} {total:>5} s ({total / 60:.1f} min)")
EOF
