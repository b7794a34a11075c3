#!/usr/bin/env bash
# Installs what the tests that look at pages and documents need, from
# Debian: chromium for the real-browser tests (bot/webchat,
# cmd/incassobot e2e) and poppler-utils, whose pdftotext reads the PDF
# export back (bot/portal). Idempotent: installs only what is missing.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
