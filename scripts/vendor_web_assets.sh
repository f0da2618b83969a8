#!/usr/bin/env bash
# Fetch the web UI's third-party assets from npm (development time only) and copy
# their built files and licences into src/fogwatch/web/static/vendor/.
# Nothing is fetched at run time: the copied files are committed.
#
# Usage: scripts/vendor_web_assets.sh   (needs node + npm and network access)
set -euo pipefail
cd "$(dirname "$0")/.."

LEAFLET=1.9.4
CHARTJS=4.6.1
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0
SWAGGER_UI=5.35.0

DEST=src/fogwatch/web/static/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(
  cd "$WORK"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --save-exact \
    "leaflet@$LEAFLET" "chart.js@$CHARTJS" "world-atlas@$WORLD_ATLAS" \
    "topojson-client@$TOPOJSON_CLIENT" "swagger-ui-dist@$SWAGGER_UI" >/dev/null
)
NM="$WORK/node_modules"

rm -rf "$DEST"
mkdir -p "$DEST"/{leaflet/images,chartjs,world-atlas,topojson-client,swagger-ui}

cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$DEST/leaflet/"
cp "$NM/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$NM/leaflet/LICENSE" "$DEST/leaflet/LICENSE"

cp "$NM/chart.js/dist/chart.umd.js" "$DEST/chartjs/"
cp "$NM/chart.js/LICENSE.md" "$DEST/chartjs/LICENSE.md"

cp "$NM/world-atlas/countries-110m.json" "$DEST/world-atlas/"
cp "$NM/world-atlas/LICENSE" "$DEST/world-atlas/LICENSE"

cp "$NM/topojson-client/dist/topojson-client.min.js" "$DEST/topojson-client/"
cp "$NM/topojson-client/LICENSE" "$DEST/topojson-client/LICENSE"

cp "$NM/swagger-ui-dist/swagger-ui-bundle.js" "$NM/swagger-ui-dist/swagger-ui.css" "$DEST/swagger-ui/"
cp "$NM/swagger-ui-dist/LICENSE" "$DEST/swagger-ui/LICENSE"
[ -f "$NM/swagger-ui-dist/NOTICE" ] && cp "$NM/swagger-ui-dist/NOTICE" "$DEST/swagger-ui/NOTICE"

# Record what was vendored, with versions, next to the files.
{
  echo "Vendored by scripts/vendor_web_assets.sh from npm on $(date -u +%Y-%m-%d)."
  for pkg in leaflet chart.js world-atlas topojson-client swagger-ui-dist; do
    node -e "const p=require('$NM/$pkg/package.json'); console.log(p.name+'@'+p.version+'  licence: '+p.license)"
  done
} > "$DEST/VERSIONS.txt"
du -sh "$DEST"
