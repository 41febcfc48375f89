#!/bin/sh
# Installs edgecoder into a prefix from a release tarball or a local build, with its shell
# completions and man page, then prints the two next steps.
#
#   installers/install.sh [--prefix DIR] [--from PATH]
#
#   --prefix DIR  where to install (default: /usr/local as root, else ~/.local)
#   --from PATH   a release tarball (edgecoder-*.tar.gz), an unpacked release directory, or a
#                 source checkout with a release build (default: the checkout holding this script)
#
# A release directory holds `edgecoder` (or bin/edgecoder), and may hold completions/ and man/.
set -eu

die() { echo "error: $*" >&2; exit 1; }

prefix=""
from=""
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --from) [ $# -ge 2 ] || die "--from needs a path"; from=$2; shift 2 ;;
        --from=*) from=${1#--from=}; shift ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done

if [ -z "$prefix" ]; then
    if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi
if [ -z "$from" ]; then
    from=$(cd "$(dirname "$0")/.." && pwd)
fi

work=""
cleanup() { if [ -n "$work" ]; then rm -rf "$work"; fi; }
trap cleanup EXIT

case "$from" in
    *.tar.gz|*.tgz)
        [ -f "$from" ] || die "no tarball at $from"
        work=$(mktemp -d)
        tar -xzf "$from" -C "$work" || die "cannot unpack $from"
        # A tarball holds one top-level directory, or the files themselves.
        set -- "$work"/*
        if [ $# -eq 1 ] && [ -d "$1" ]; then src=$1; else src=$work; fi
        ;;
    *)
        [ -d "$from" ] || die "$from is neither a tarball nor a directory"
        src=$from
        ;;
esac

binary=""
for candidate in "$src/edgecoder" "$src/bin/edgecoder" "$src/target/release/edgecoder"; do
    if [ -f "$candidate" ] && [ -x "$candidate" ]; then binary=$candidate; break; fi
done
[ -n "$binary" ] || die "no edgecoder binary in $src (for a checkout, run \`cargo build --release\` first)"
version=$("$binary" --version 2>/dev/null) || die "$binary does not run on this machine"

install -d "$prefix/bin"
install -m 0755 "$binary" "$prefix/bin/edgecoder"
placed="$prefix/bin/edgecoder"

put() { # put SOURCE DIR NAME: installs an optional file, reporting what it placed.
    if [ -f "$1" ]; then
        install -d "$2"
        install -m 0644 "$1" "$2/$3"
        placed="$placed
$2/$3"
    fi
}
put "$src/completions/edgecoder.bash" "$prefix/share/bash-completion/completions" edgecoder
put "$src/completions/_edgecoder" "$prefix/share/zsh/site-functions" _edgecoder
put "$src/completions/edgecoder.fish" "$prefix/share/fish/vendor_completions.d" edgecoder.fish
put "$src/man/edgecoder.1" "$prefix/share/man/man1" edgecoder.1

echo "installed $version into $prefix:"
echo "$placed" | sed 's/^/  /'
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: $prefix/bin is not on your PATH; add it to run \`edgecoder\`" ;;
esac
# As root, enroll writes /etc/edgecoder and the system service runs the worker; anyone else gets
# per-user files (~/.config/edgecoder), which only `edgecoder agent` or the per-user service read.
if [ "$(id -u)" = 0 ]; then
    if [ "$(uname -s)" = Darwin ]; then
        start="$prefix/bin/edgecoder service install && launchctl bootstrap system /Library/LaunchDaemons/io.edgecoder.runtime.plist"
    else
        start="$prefix/bin/edgecoder service install && systemctl enable --now edgecoder"
    fi
    how="the system service (it reads /etc/edgecoder)"
else
    if [ "$(uname -s)" = Darwin ]; then
        start="$prefix/bin/edgecoder service install --user && launchctl bootstrap gui/\$(id -u) ~/Library/LaunchAgents/io.edgecoder.agent.plist"
    else
        start="$prefix/bin/edgecoder service install --user && systemctl --user enable --now edgecoder-agent.service"
    fi
    how="as you, with the files enroll writes under ~/.config/edgecoder; or in the foreground: $prefix/bin/edgecoder agent"
fi
cat <<NEXT

Next steps:
  1. Enroll this machine with a coordinator (the token comes from its owner):
       $prefix/bin/edgecoder enroll --token <TOKEN> --coordinator <URL>
  2. Start the service, $how:
       $start
NEXT
