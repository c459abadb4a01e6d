#!/usr/bin/env bash
# Prepare a checkout: .venv/ with haotong installed, front-end packages in
# node_modules/ (served by haotong itself: no CDN). Safe to run again; it only
# reinstalls what changed. Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

die() { echo "haotong setup: $*" >&2; exit 1; }

# Django 6.1 needs Python 3.12 or newer. Prefer one on PATH, then pyenv's.
find_python() {
  local c
  for c in "${HAOTONG_PYTHON:-}" python3.13 python3.12 python3 \
           "$HOME"/.pyenv/versions/3.13*/bin/python /root/.pyenv/versions/3.13*/bin/python \
           "$HOME"/.pyenv/versions/3.12*/bin/python /root/.pyenv/versions/3.12*/bin/python; do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || continue
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  py=$(find_python) || die "需要 Python 3.12 或更高版本（Django 6.1 的要求），未找到。请安装 python3.12，或设置 HAOTONG_PYTHON=/path/to/python3.12。
Python >= 3.12 is required (Django 6.1) and none was found: install python3.12 or set HAOTONG_PYTHON."
  echo "haotong setup: creating .venv with $py ($("$py" --version))"
  rm -rf .venv
  "$py" -m venv .venv
fi

stamp=".venv/.haotong-installed${extras:+-dev}"
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "haotong setup: installing Python packages${extras:+ (with test tools)}"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${extras}"
  echo "$want" > "$stamp"
fi

command -v npm >/dev/null 2>&1 || die "需要 npm 来安装前端依赖（htmx、Chart.js）。请安装 nodejs 与 npm（apt-get install nodejs npm）。
npm is required to install the front-end packages (htmx, Chart.js)."
lock=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.haotong-lock ] || [ "$(cat node_modules/.haotong-lock)" != "$lock" ]; then
  echo "haotong setup: installing front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock" > node_modules/.haotong-lock
fi
for f in node_modules/htmx.org/dist/htmx.min.js node_modules/chart.js/dist/chart.umd.min.js; do
  [ -f "$f" ] || die "missing $f after npm ci"
done
