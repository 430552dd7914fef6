#!/usr/bin/env bash
# Debian packages the test suite needs: chromium (admin UI tests), nginx (auth_request example),
# python3-requests-oauthlib (an independent OAuth 1.0a client). Installs only what is missing;
# needs root (or sudo) the first time.
set -euo pipefail
PACKAGES=(chromium nginx python3-requests-oauthlib)
missing=()
for pkg in "${PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && { echo "system packages present: ${PACKAGES[*]}"; exit 0; }
if ! command -v apt-get >/dev/null; then
  echo "ERROR: missing ${missing[*]} and this is not a Debian/Ubuntu machine: install them with your package manager." >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=120 "${missing[@]}"; then
  exit 0
fi
echo "ERROR: could not install ${missing[*]} (apt-get failed; see above). Install them and run again." >&2
exit 1
