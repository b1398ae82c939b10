#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's Chromium, poppler, Java, R with the survey
# package, a running PostgreSQL and Redis, axe-core), run the linters and type checker, then the whole suite on SQLite and
# PostgreSQL. Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# These machines set PYTHONDONTWRITEBYTECODE=1: every process then compiles the project and its tests
# again (each xdist worker, each `survey` subprocess a test starts). Collecting the suite took 18.3 s
# of CPU that way and 8.6 s with the bytecode kept (`pytest --co`, measured on this machine).
unset PYTHONDONTWRITEBYTECODE

step() { printf '\n==> %s\n' "$*"; }
# Pipes into grep let grep read to the end (no `grep -q`): under `pipefail`, a `grep -q` that stops at the
# first match can leave the writer to die of SIGPIPE, and the pipeline then fails although it matched
# (`ldconfig -p | grep -q libpangoft2` did so 2 times in 30 here; `pg_lsclusters | grep -q online`
# failing would start a running cluster again, and `set -e` would end the script).
mkdir -p artifacts  # logs of the background steps (apt, mypy) and what the tests leave

missing=()
command -v chromium >/dev/null || missing+=(chromium chromium-driver)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)  # shared rate limits and sessions (REDIS_URL)
command -v java >/dev/null || missing+=(default-jre-headless)  # ODK Validate (pyxform ships it) checks our XForms
# R regenerates the golden values; MASS is only recommended by r-cran-survey, and calibrate() needs it.
Rscript -e 'library(survey); library(MASS)' >/dev/null 2>&1 || missing+=(r-base-core r-cran-survey r-cran-mass)
ldconfig -p | grep libpangoft2 >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint (PDF reports)
# Debian's packages download and install while the Python packages install, ruff and mypy run: none of
# those needs them. The services and the tests wait for them (debian_packages_ready).
# Without their recommended packages: with them, these names pulled in 755 packages, 776 MB (systemd,
# GDAL, FFmpeg's libraries, gfortran, Boost, a hundred R packages); without, 47 packages, 182 MB
# (`apt-get install --print-uris` against a package list without them). README.md, Tests, has the times.
apt_pid=""
if [ ${#missing[@]} -gt 0 ]; then
  step "installing Debian packages in the background: ${missing[*]}"
  ( $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" ) >artifacts/apt.log 2>&1 &
  apt_pid=$!
fi
debian_packages_ready() {
  [ -n "$apt_pid" ] || return 0
  step "waiting for Debian's packages"
  wait "$apt_pid" || { cat artifacts/apt.log; echo "installing Debian packages failed"; exit 1; }
  apt_pid=""
}

step "installing Python packages"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# pip asks the package index even when everything is installed (about 50 s on the CI machine): skipped
# while .venv holds an install of this very pyproject.toml that still imports.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ -f "$stamp" ] && .venv/bin/python -c "import survey, field_app, weighting" 2>/dev/null; then
  echo "already installed for this pyproject.toml"
else
  # uv fetches and unpacks the wheels in parallel: 13 s into a new venv with an empty cache, where pip
  # took 75 s (both measured on this machine). pip stays the fallback where uv cannot be had.
  if .venv/bin/python -m pip install --quiet uv 2>/dev/null \
    && .venv/bin/uv pip install --quiet --python .venv/bin/python -e ".[dev]"; then
    :
  else
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[dev]"
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi

step "ruff (lint and format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

# mypy's cache lives beside uv's, outside the checkout: CI clones afresh (a new .venv, no cache), and a
# run from nothing took 25 s of CPU against 0.8 s with the cache another clone left (measured on this
# machine: mypy checks each cached module by size, mtime and content hash, so a cache from another
# path or commit is only reused where the files match). It uses one core, so it runs beside what
# follows and its verdict is read before the end.
step "mypy (in the background; its report comes after the tests)"
mypy_cache="${XDG_CACHE_HOME:-$HOME/.cache}/civic-consult/mypy"
mkdir -p "$mypy_cache" 2>/dev/null || mypy_cache=.venv/.mypy_cache
.venv/bin/mypy --cache-dir "$mypy_cache" survey weighting field_app >artifacts/mypy.log 2>&1 &
mypy_pid=$!

debian_packages_ready

step "starting PostgreSQL if it is down"
cluster_version=$(ls /etc/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep online >/dev/null; then
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
fi
hba="/etc/postgresql/$cluster_version/main/pg_hba.conf"
if ! psql -h 127.0.0.1 -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
  # A freshly installed server asks for passwords on TCP; a throwaway test machine trusts loopback.
  $SUDO sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main reload
fi
for _ in $(seq 1 30); do psql -h 127.0.0.1 -U postgres -d postgres -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
psql -h 127.0.0.1 -U postgres -d postgres -tc "select 1 from pg_database where datname='test'" | grep 1 >/dev/null \
  || psql -h 127.0.0.1 -U postgres -d postgres -c 'create database test' >/dev/null

step "starting Redis if it is down"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

step "installing axe-core (accessibility checks)"
[ -f node_modules/axe-core/axe.min.js ] || npm install --no-save --no-audit --no-fund --silent axe-core@4 >/dev/null

step "pytest"
# One worker more than there are cores (pytest-xdist): the tests wait on browsers, servers and
# subprocesses, and with a worker per core the two cores were busy about 84 % of the time. On two cores,
# same commit, idle machine: 539 s with two workers, 501 s with three. A file's tests stay on one
# worker so module fixtures are built once. Files are handed out in collection order, where
# tests/conftest.py puts the slowest first (xdist's default, most tests first, left long files for last).
workers="${PYTEST_WORKERS:-$(( $(nproc) + 1 ))}"
tests_status=0
.venv/bin/python -m pytest -p no:cacheprovider -n "$workers" --dist loadfile --no-loadscope-reorder \
  --durations=15 "$@" || tests_status=$?

step "mypy"
mypy_status=0
wait "$mypy_pid" || mypy_status=$?
cat artifacts/mypy.log
[ "$mypy_status" -eq 0 ] || echo "mypy failed"
[ "$tests_status" -eq 0 ] || echo "pytest failed (exit $tests_status)"
exit $(( tests_status != 0 ? tests_status : mypy_status ))
