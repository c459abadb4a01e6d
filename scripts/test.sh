#!/usr/bin/env bash
# The whole test suite, on SQLite and on PostgreSQL, with the browser tests in
# headless Chromium. Installs Chromium and PostgreSQL from Debian packages when
# run as root; otherwise stops and names what is missing. Never skips them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev

die() { echo "haotong test: $*" >&2; exit 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "haotong test: installing ${need[*]} from Debian packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    die "缺少 ${need[*]}。请以 root 运行，或先安装：sudo apt-get install ${need[*]}
missing ${need[*]}: run as root or install them with apt-get"
  fi
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing"
PG="$(pg_bin)"
[ -x "$PG/initdb" ] || die "PostgreSQL server binaries (initdb) are still missing"

# A throwaway PostgreSQL cluster on a free loopback port, removed on exit.
tmp=$(mktemp -d)
pg_user=$(id -un)
run_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "user 'postgres' missing (it comes with the postgresql package)"
  pg_user=postgres
  chown postgres "$tmp"
  run_pg() { runuser -u postgres -- "$@"; }
fi
port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  run_pg "$PG/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
run_pg "$PG/initdb" -D "$tmp/data" -A trust -U "$pg_user" -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PG/pg_ctl" -D "$tmp/data" -l "$tmp/pg.log" -w -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null \
  || { cat "$tmp/pg.log" >&2; die "PostgreSQL did not start"; }
PG_URL="postgres://$pg_user@127.0.0.1:$port/haotong"

export HAOTONG_CHROMIUM=/usr/bin/chromium
status=0
echo "== pytest on SQLite"
env -u DATABASE_URL .venv/bin/pytest -q -p no:cacheprovider "$@" || status=$?
echo "== pytest on PostgreSQL ($PG_URL)"
DATABASE_URL="$PG_URL" .venv/bin/pytest -q -p no:cacheprovider "$@" || status=$((status ? status : $?))
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
exit $status
