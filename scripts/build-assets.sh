#!/usr/bin/env bash
# Build the front-end assets into scp_tracker/static/ (git-ignored): the stylesheet compiled from
# assets/scss with GOV.UK Frontend, GOV.UK Frontend's JavaScript, and our icon, manifest and start-up
# script. Safe to run again: npm ci runs only when package-lock.json changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

STATIC=scp_tracker/static
GOVUK=node_modules/govuk-frontend/dist/govuk
LOCK_STAMP=node_modules/.scp-tracker-lock.sha256

lock_hash=$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ ! -f $LOCK_STAMP || $(cat "$LOCK_STAMP") != "$lock_hash" || ! -x node_modules/.bin/sass ]]; then
  # No install scripts: sass and govuk-frontend need none (sass's optional file watcher has one).
  npm ci --ignore-scripts --no-audit --no-fund
  echo "$lock_hash" > "$LOCK_STAMP"
fi

rm -rf "$STATIC/css" "$STATIC/js" "$STATIC/govuk" "$STATIC/images"
mkdir -p "$STATIC/css" "$STATIC/js" "$STATIC/govuk" "$STATIC/images"

node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
  assets/scss/main.scss "$STATIC/css/main.css"

# GOV.UK Frontend's JavaScript only: its images and fonts are the crown and GDS Transport,
# which a service outside GOV.UK must not use.
cp "$GOVUK/govuk-frontend.min.js" "$GOVUK/govuk-frontend.min.js.map" "$STATIC/govuk/"
cp assets/js/*.js "$STATIC/js/"
cp assets/images/* "$STATIC/images/"
cp assets/manifest.json "$STATIC/manifest.json"

echo "Built $STATIC: css/main.css is $(wc -c < "$STATIC/css/main.css") bytes"
