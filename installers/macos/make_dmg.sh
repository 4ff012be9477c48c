#!/bin/sh
# Pack PaidUp.app into a disk image with a link to /Applications, so installing is one drag.
#
#   installers/macos/make_dmg.sh dist/PaidUp.app dist/PaidUp-0.1.0-macos-arm64.dmg
#
# When PAIDUP_CODESIGN_IDENTITY is set (a "Developer ID Application: ..." identity in the
# keychain) the image is signed too; when PAIDUP_NOTARY_PROFILE names a notarytool keychain
# profile, the image is sent to Apple's notary service and the ticket stapled to it.
# installers/README.md explains both. Needs macOS (hdiutil, codesign, xcrun).
set -eu

if [ $# -ne 2 ]; then
    echo "usage: $0 APP DMG" >&2
    exit 2
fi
app=$1
dmg=$2
stage=$(mktemp -d "${TMPDIR:-/tmp}/paidup-dmg.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# ditto keeps the bundle's symlinks, extended attributes and signatures intact.
ditto "$app" "$stage/$(basename "$app")"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname PaidUp -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"

if [ -n "${PAIDUP_CODESIGN_IDENTITY:-}" ]; then
    codesign --sign "$PAIDUP_CODESIGN_IDENTITY" --timestamp "$dmg"
fi
if [ -n "${PAIDUP_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$PAIDUP_NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
fi
