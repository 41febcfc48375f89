#!/bin/sh
# Builds edgecoder-<version>.pkg for macOS with pkgbuild (run on a Mac; needs Xcode tools).
#   installers/macos/build-pkg.sh [path/to/edgecoder]   (default: target/release/edgecoder)
# The package puts the binary in /usr/local/bin, the LaunchDaemon in /Library/LaunchDaemons,
# completions and the man page in /usr/local/share; its postinstall script makes the _edgecoder
# user, /etc/edgecoder (with the env file template, never overwriting an existing one),
# /var/lib/edgecoder and /var/log/edgecoder. It does not load the daemon: enroll first.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary=${1:-"$root/target/release/edgecoder"}
[ -x "$binary" ] || { echo "error: no executable at $binary: run \`cargo build --release\` first" >&2; exit 1; }
command -v pkgbuild >/dev/null || { echo "error: pkgbuild not found: this script runs on macOS" >&2; exit 1; }
version=$("$binary" --version | awk '{print $2}')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
payload="$work/root"
scripts="$work/scripts"
mkdir -p "$payload/usr/local/bin" "$payload/Library/LaunchDaemons" \
    "$payload/usr/local/share/man/man1" "$payload/usr/local/share/edgecoder" \
    "$payload/usr/local/share/zsh/site-functions" \
    "$payload/usr/local/share/bash-completion/completions" \
    "$payload/usr/local/share/fish/vendor_completions.d" "$scripts"
install -m 0755 "$binary" "$payload/usr/local/bin/edgecoder"
install -m 0644 "$here/io.edgecoder.runtime.plist" "$payload/Library/LaunchDaemons/"
install -m 0644 "$root/installers/debian/edgecoder.env" "$payload/usr/local/share/edgecoder/edgecoder.env.template"
[ -f "$root/man/edgecoder.1" ] && install -m 0644 "$root/man/edgecoder.1" "$payload/usr/local/share/man/man1/"
[ -f "$root/completions/_edgecoder" ] && install -m 0644 "$root/completions/_edgecoder" "$payload/usr/local/share/zsh/site-functions/"
[ -f "$root/completions/edgecoder.bash" ] && install -m 0644 "$root/completions/edgecoder.bash" "$payload/usr/local/share/bash-completion/completions/edgecoder"
[ -f "$root/completions/edgecoder.fish" ] && install -m 0644 "$root/completions/edgecoder.fish" "$payload/usr/local/share/fish/vendor_completions.d/"

cat > "$scripts/postinstall" <<'POST'
#!/bin/sh
set -e
if ! dscl . -read /Users/_edgecoder >/dev/null 2>&1; then
    # The first free id below 500 (system range) for both the group and the user.
    id=400
    while dscl . -search /Users UniqueID "$id" | grep -q . || dscl . -search /Groups PrimaryGroupID "$id" | grep -q .; do
        id=$((id + 1))
    done
    dscl . -create /Groups/_edgecoder PrimaryGroupID "$id"
    dscl . -create /Users/_edgecoder UniqueID "$id"
    dscl . -create /Users/_edgecoder PrimaryGroupID "$id"
    dscl . -create /Users/_edgecoder UserShell /usr/bin/false
    dscl . -create /Users/_edgecoder NFSHomeDirectory /var/lib/edgecoder
    dscl . -create /Users/_edgecoder RealName "edgecoder service"
fi
install -d -o root -g _edgecoder -m 0770 /etc/edgecoder
if [ ! -f /etc/edgecoder/edgecoder.env ]; then
    install -o root -g _edgecoder -m 0660 /usr/local/share/edgecoder/edgecoder.env.template /etc/edgecoder/edgecoder.env
fi
install -d -o _edgecoder -g _edgecoder -m 0750 /var/lib/edgecoder /var/log/edgecoder
exit 0
POST
chmod 0755 "$scripts/postinstall"

out="$root/target/edgecoder-$version.pkg"
pkgbuild --root "$payload" --scripts "$scripts" --identifier io.edgecoder.runtime \
    --version "$version" --install-location / "$out"
echo "built $out"
