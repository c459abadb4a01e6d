#!/usr/bin/env bash
# Run haotong on its embedded default: SQLite under var/, demo district loaded,
# served at http://127.0.0.1:8000 with the demo logins printed first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p var
.venv/bin/haotong migrate --no-input -v 0
.venv/bin/haotong demo --if-empty
cat <<MSG

  好通 haotong 已就绪： http://127.0.0.1:8000/
  演示登录（demo login）：用户名 analyst  密码 haotong-demo
  其他角色账号见上表（leader、wujie、center、park、reviewer、clerk、auditor、admin、enterprise）。

MSG
exec .venv/bin/haotong runserver 127.0.0.1:8000
