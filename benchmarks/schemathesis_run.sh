#!/usr/bin/env bash
# Schemathesis 4 with every check, all phases (examples, coverage, fuzzing, stateful),
# against a live server (the Dockerfile's: granian, config/server.py) of this tree (DEBUG off), anonymous and as an editor (token):
#
#     benchmarks/schemathesis_run.sh                 # both runs, SQLite in a temp folder
#     DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_fuzz benchmarks/schemathesis_run.sh
#     WHO=editor MAX_EXAMPLES=50 benchmarks/schemathesis_run.sh
#
# The database is flushed, migrated, loaded with the seed and benchmarks/fuzz_data.py's
# records (an editor and its token too). Schemathesis is not a project dependency (the
# test suite pins schemathesis 3 for tests/test_fuzz_api.py): it is installed into
# .venv-fuzz/ (FUZZ_VENV) on first use. Reports (JUnit, and the failures as pytest
# code) go to benchmarks/out/schemathesis-<who>/. The exit code is 0 when neither run
# found a failure.
#
# Every check runs. benchmarks/schemathesis.toml lists, with reasons, the deliberate
# answers the "positive data acceptance" check is told to expect (a model rule broken
# by a schema-valid body, a made-up If-Match answered 412, a filter naming no record);
# the server's 414 (a request line over 64 KB, answered before Django) is
# documented in the schema. FUZZ_CONFIG=none runs without that file.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# TREE: another checkout to run against (e.g. an earlier version, for a before/after).
cd "${TREE:-$HERE/..}"
ROOT=$PWD
PY=$ROOT/.venv/bin/python
FUZZ_VENV=${FUZZ_VENV:-$HERE/../.venv-fuzz}  # beside this script, whatever TREE is
WHO=${WHO:-both}
MAX_EXAMPLES=${MAX_EXAMPLES:-30}
SEED=${SEED:-1}
PORT=${PORT:-$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

if [ ! -x "$FUZZ_VENV/bin/st" ]; then
    python3 -m venv "$FUZZ_VENV"
    "$FUZZ_VENV/bin/pip" install -q 'schemathesis==4.32.5'
fi

WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/fuzz.sqlite3}
export DJANGO_SETTINGS_MODULE=config.settings DEBUG=false SECURE_SSL_REDIRECT=false
export SECRET_KEY=schemathesis-run-only-secret-key-not-for-production-0123456789
export ALLOWED_HOSTS=127.0.0.1,localhost STATIC_ROOT=$WORK/static
# The run sends thousands of requests a minute from one address.
export THROTTLE_ANON=1000000/minute THROTTLE_USER=1000000/minute

$PY manage.py migrate --noinput -v0
$PY manage.py flush --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py load_seed >/dev/null
TOKEN=$($PY "$HERE/fuzz_data.py" | tail -1)

# The Dockerfile's command (config/server.py, this script's tree), from TREE's venv.
mapfile -t SERVER < <($PY "$HERE/../config/server.py" --port "$PORT" --log-level warning --no-access-log)
[ "${#SERVER[@]}" -gt 0 ] || { echo "no server command (config/server.py)" >&2; exit 1; }
"${SERVER[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PORT/api/v1/" >/dev/null && break
    sleep 0.2
done

run() {
    local who=$1
    shift
    local out=$HERE/out/schemathesis-$who${TREE:+-$(basename "$ROOT")}
    mkdir -p "$out"
    local config=()
    [ "${FUZZ_CONFIG:-}" = none ] || config=(--config-file "$HERE/schemathesis.toml")
    # Run from this script's checkout: schemathesis keeps a cache folder where it runs.
    (cd "$HERE/.." && "$FUZZ_VENV/bin/st" "${config[@]}" \
        run "http://127.0.0.1:$PORT/api/v1/schema/?format=json" \
        --checks all --phases examples,coverage,fuzzing,stateful \
        --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers 2 \
        --request-timeout 30 --report junit,pytest --report-dir "$out" \
        --warnings off "$@") >"$out/output.txt" 2>&1
    local status=$?
    echo "== $who: exit $status; summary in $out/output.txt"
    sed -n '/SUMMARY/,$p' "$out/output.txt" | head -40
    return $status
}

status=0
if [ "$WHO" = both ] || [ "$WHO" = anonymous ]; then
    run anonymous || status=1
fi
if [ "$WHO" = both ] || [ "$WHO" = editor ]; then
    run editor -H "Authorization: Token $TOKEN" || status=1
fi
exit $status
