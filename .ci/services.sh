# Sourced by .ci/run: installs and starts what the tests need outside Python, and exports
#   CI=true                  tests that need these services fail instead of skipping
#   PARLEY_TEST_POSTGRES     a PostgreSQL URL for the room's database tests
# Needs root (apt-get, pg_ctlcluster); each step is skipped when already done.
export CI=true
need=()
command -v chromium >/dev/null || need+=(chromium fonts-dejavu-core)
# The agreement PDF: DejaVu for Latin text, WenQuanYi Micro Hei (5 MB) for Chinese labels.
[[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || need+=(fonts-wqy-microhei fonts-dejavu-core)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
if ((${#need[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [[ -z "$cluster" ]]; then
    pg_createcluster 15 main >/dev/null
    cluster="15 main"
fi
# shellcheck disable=SC2086
pg_ctlcluster $cluster start 2>/dev/null || true
port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
su postgres -c "psql -p $port -qtc \"SELECT 1 FROM pg_roles WHERE rolname='parley'\"" | grep -q 1 ||
    su postgres -c "psql -p $port -qc \"CREATE ROLE parley LOGIN PASSWORD 'parley' CREATEDB\""
su postgres -c "psql -p $port -qtc \"SELECT 1 FROM pg_database WHERE datname='parley_test'\"" | grep -q 1 ||
    su postgres -c "createdb -p $port -O parley parley_test"
export PARLEY_TEST_POSTGRES="postgresql://parley:parley@127.0.0.1:$port/parley_test"
