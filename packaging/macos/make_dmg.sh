#!/usr/bin/env bash
# Make the macOS disk image: CultureScope.app beside a link to /Applications, so that
# installing is dragging the app onto the link. Called by packaging/build.sh on macOS:
#
#   packaging/macos/make_dmg.sh dist/CultureScope.app dist/CultureScope-<version>-macos-<arch>.dmg
#
# The app is ad-hoc signed by PyInstaller, not notarised: the first start needs
# right-click (or Control-click) > Open in the Finder (see the README).
set -euo pipefail
[ "$#" -eq 2 ] || { echo "usage: $0 CultureScope.app OUT.dmg" >&2; exit 2; }
app="$1"
dmg="$2"
[ -d "$app" ] || { echo "make_dmg: $app is not a folder" >&2; exit 1; }
command -v hdiutil >/dev/null 2>&1 || { echo "make_dmg: hdiutil (macOS) is needed" >&2; exit 1; }

stage="$(mktemp -d "${TMPDIR:-/tmp}/culturescope-dmg.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
# ditto keeps the bundle's symlinks, permissions and signatures intact (cp -R may not).
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "CultureScope" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg" >/dev/null
hdiutil verify "$dmg" >/dev/null
echo "make_dmg: wrote $dmg"
