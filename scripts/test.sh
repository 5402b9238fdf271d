#!/usr/bin/env bash
# Set up everything the test suite needs, then run it. Safe to run again: each step
# is skipped when already done. Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin=${PYTHON:-python3.11}
command -v "$python_bin" >/dev/null || python_bin=python3
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# the `casebook` command (pyproject.toml), pointing at this checkout; its dependencies are the pins above
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .

# Browser tests need Debian's Chromium and a CJK font (never `playwright install`),
# Java for the W3C HTML checker, and the npm tools in package.json.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "noto sans cjk" || missing+=(fonts-noto-cjk)
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v npm >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
if [ -f package-lock.json ] && command -v npm >/dev/null; then
  [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --loglevel=error --no-audit --no-fund
fi

# Two workers (pytest-xdist) that take tests from each other when idle ("worksteal"): much
# of the suite waits on Chromium, servers and subprocesses, and a few files are long, so
# whole files per worker left one worker running alone for minutes at the end. Tests
# marked `timing` (Lighthouse's score, search latency with the CPU throttled) then run
# alone: a machine the other worker loads lowers their scores. Each run may find nothing
# to run (a path that holds no timing test), not both: pytest's exit 5 fails here.
set +e
.venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist worksteal --timing=without "$@"
parallel=$?
.venv/bin/python -m pytest --timing=only "$@"
alone=$?
set -e
for code in "$parallel" "$alone"; do
  [ "$code" = 0 ] || [ "$code" = 5 ] || exit "$code"
done
[ "$parallel" = 0 ] || [ "$alone" = 0 ] || exit 5
