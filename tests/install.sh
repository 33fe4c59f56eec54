#!/bin/sh
# tests/install.sh BUILD - `make install` into a temporary DESTDIR installs the binary, the
# man page and the bash and zsh completions; the installed binary runs and names its
# revision; the man page parses without warnings (groff, else man -l; a visible SKIP when
# neither is installed). Run from the repository root.
set -u
build=${1:-build}
dest=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-install-XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT
fail=0
bad() { echo "FAIL install: $*"; fail=1; }

if ! make -s BUILD="$build" install PREFIX=/usr/local DESTDIR="$dest" >"$dest.log" 2>&1; then
    cat "$dest.log"; rm -f "$dest.log"
    echo "FAIL install: make install failed"; exit 1
fi
rm -f "$dest.log"
p=$dest/usr/local
[ -x "$p/bin/cspsim" ] || bad "bin/cspsim missing or not executable"
[ -f "$p/share/man/man1/cspsim.1" ] || bad "share/man/man1/cspsim.1 missing"
cmp -s docs/cspsim.1 "$p/share/man/man1/cspsim.1" || bad "installed man page differs from docs/cspsim.1"
b=$p/share/bash-completion/completions/cspsim
z=$p/share/zsh/site-functions/_cspsim
grep -q '^complete .*-F _cspsim cspsim$' "$b" 2>/dev/null || bad "bash completion missing or without its complete line"
head -n 1 "$z" 2>/dev/null | grep -q '^#compdef cspsim' || bad "zsh completion missing or without #compdef"
if command -v bash >/dev/null 2>&1; then
    bash -n "$b" || bad "bash completion does not parse"
fi
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$z" || bad "zsh completion does not parse"
fi
v=$("$p/bin/cspsim" --version) || bad "installed cspsim --version failed"
case $v in
"cspsim "*" (scenario format 1, revision "?*")") ;;
*) bad "--version says '$v'" ;;
esac
if command -v groff >/dev/null 2>&1; then
    w=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$p/share/man/man1/cspsim.1" 2>&1)
    [ -z "$w" ] || bad "groff warns: $w"
    LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou "$p/share/man/man1/cspsim.1" 2>/dev/null | grep -q 'EXIT STATUS' ||
        bad "the man page has no EXIT STATUS section"
elif command -v man >/dev/null 2>&1; then
    w=$(MANWIDTH=80 man -l "$p/share/man/man1/cspsim.1" 2>&1 >/dev/null)
    [ -z "$w" ] || bad "man -l warns: $w"
else
    echo "SKIP install: neither groff nor man is installed, the man page was not parsed"
fi
[ $fail -eq 0 ] && echo "install: binary, man page, bash and zsh completions under DESTDIR"
exit $fail
