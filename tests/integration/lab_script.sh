# Sourced by the integration scripts that drive facteur against the lab: their arguments
# FACTEUR SOURCE_DIR OUT_DIR, the lab's variables, a clean output folder and fail().
facteur=$1 src=$2 out=$3
vars=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}/vars.json
rm -rf "$out"
mkdir -p "$out"
fail() { echo "FAIL: $*" >&2; exit 1; }
