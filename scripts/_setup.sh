# Shared, idempotent set-up for scripts/run and scripts/test. Sourced, not run.
# Installs missing Debian packages, makes .venv with a Python whose sqlite3 can
# load extensions (SpatiaLite), installs the project, compiles translations and
# collects static files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
mkdir -p "$ROOT/var"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The lowest Python the project runs on: pyproject.toml's requires-python (">=3.N"),
# the one rule for pip and for the interpreter search below.
PY_MIN="$(sed -n 's/^requires-python = ">=\([0-9][0-9.]*\)".*/\1/p' "$ROOT/pyproject.toml")"
[ -n "$PY_MIN" ] || die 'pyproject.toml needs a line requires-python = ">=3.N"'
# What setup_venv installs: the project with its test suite and the pinned linters.
EXTRAS="test,dev"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"; fi
}

APT_UPDATED=0
apt_install() {
  # apt_install PKG...: installs only what dpkg does not already have.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install ${missing[*]} by hand"
  say "installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_can_load_spatialite() {
  # True when $1 is Python $PY_MIN or newer and its sqlite3 can load mod_spatialite.
  "$1" - "$PY_MIN" <<'PY' >/dev/null 2>&1
import sqlite3, sys
assert sys.version_info >= tuple(int(part) for part in sys.argv[1].split("."))
c = sqlite3.connect(":memory:")
c.enable_load_extension(True)
c.load_extension("mod_spatialite")
PY
}

find_python() {
  local candidates=()
  [ -n "${SOG_PYTHON:-}" ] && candidates+=("$SOG_PYTHON")
  # Newest first; python_can_load_spatialite refuses any older than $PY_MIN.
  candidates+=(python3.14 python3.13 python3.12 python3.11 /usr/bin/python3 /usr/local/bin/python3 python3)
  for candidate in "${candidates[@]}"; do
    local path
    path="$(command -v "$candidate" 2>/dev/null)" || continue
    if python_can_load_spatialite "$path"; then echo "$path"; return 0; fi
  done
  return 1
}

setup_system() {
  apt_install gdal-bin libgdal-dev libsqlite3-mod-spatialite gettext python3-venv python3-dev build-essential
}

setup_venv() {
  if [ -x "$VENV/bin/python" ] && ! python_can_load_spatialite "$VENV/bin/python"; then
    say "existing .venv is older than Python $PY_MIN or cannot load SpatiaLite; rebuilding it"
    rm -rf "$VENV"
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    local py
    py="$(find_python)" || die "no Python $PY_MIN+ here can load SQLite extensions, so SpatiaLite cannot work; set SOG_PYTHON to one that can, or use PostGIS with DATABASE_URL=postgis://... (see README)."
    say "creating .venv with $py"
    "$py" -m venv "$VENV"
  fi
  local stamp="$VENV/.sog-installed" want
  # Reinstall when pyproject.toml or the chosen extras change.
  want="$({ echo "extras=$EXTRAS"; cat pyproject.toml; } | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing the project into .venv"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e ".[$EXTRAS]"
    echo "$want" > "$stamp"
  fi
}

setup_secret_key() {
  # Without DJANGO_SECRET_KEY, settings read this file (so plain manage.py works too).
  local var_dir="${SOG_VAR_DIR:-$ROOT/var}"
  if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ ! -s "$var_dir/secret_key" ]; then
    mkdir -p "$var_dir"
    (umask 077; "$VENV/bin/python" -c "import secrets; print(secrets.token_urlsafe(50))" > "$var_dir/secret_key")
  fi
}

setup_assets() {
  "$VENV/bin/python" manage.py compilemessages --ignore=.venv -v 0
  "$VENV/bin/python" manage.py collectstatic --noinput -v 0
}

setup_all() {
  setup_system
  setup_venv
  setup_secret_key
  setup_assets
}
