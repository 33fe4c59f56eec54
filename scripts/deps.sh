#!/bin/sh
# scripts/deps.sh [mpi|bench] - installs the Debian packages cspsim builds and tests with, when missing;
# `bench` instead checks those `make bench` needs besides (the SimPy 2 peer of bench/peer/ run by
# the system python3, and GNU time for peak RSS).
# Run as root it uses apt-get; otherwise it prints the one command to run and fails.
# `deps.sh mpi`: Open MPI instead (openmpi-bin libopenmpi-dev), for `make MPI=1`.
set -eu
PKGS="build-essential clang pkg-config libyaml-dev check gnuplot-nox libxml2-utils valgrind zsh"
case "${1:-}" in
    "") ;;
    mpi) PKGS="openmpi-bin libopenmpi-dev" ;;
    bench) PKGS="python3 python3-simpy time" ;;
    *) echo "usage: sh scripts/deps.sh [mpi|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "cspsim: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "cspsim: missing Debian packages:$missing" >&2
    echo "run: sudo apt-get install -y$missing" >&2
    exit 1
fi
