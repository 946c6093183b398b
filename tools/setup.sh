# tools/setup.sh — shared by tools/demo and tools/test: installs what is
# missing (Debian packages, with apt-get, when run as root), bootstraps the
# autotools files and builds tuopin out of tree in $BUILD (default build/).
# Sourced, not run.

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

# Debian packages tuopin needs to build and test.
TUOPIN_PACKAGES="gcc make autoconf automake libtool libtool-bin pkg-config
  liblua5.4-dev libltdl-dev libcmocka-dev libsqlite3-dev libxlsxwriter-dev nettle-dev
  libzip-dev libexpat1-dev
  python3 chromium gettext fonts-noto-cjk poppler-utils
  valgrind clang libclang-rt-14-dev libpq-dev postgresql
  slurm-wlm munge
  r-base-core r-cran-survey"

say() { printf 'tuopin: %s\n' "$*" >&2; }

install_missing() {
    missing=
    for p in $TUOPIN_PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        say "missing packages:$missing — install them (as root: apt-get install$missing)"
        return 1
    fi
    say "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

bootstrap_and_build() {
    cd "$TOP" || return 1
    if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ] \
       || [ -n "$(find . -name local.mk -newer Makefile.in 2>/dev/null | head -1)" ]; then
        say "bootstrapping (autoreconf)"
        autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; return 1; }
    fi
    mkdir -p "$BUILD" && cd "$BUILD" || return 1
    if [ ! -f Makefile ] || [ "$TOP/configure" -nt Makefile ]; then
        say "configuring in $BUILD"
        "$TOP/configure" -q ${CONFIGURE_FLAGS:-} || return 1
    fi
    say "building"
    make -s -j"$JOBS" >/dev/null || make -j"$JOBS"
}
