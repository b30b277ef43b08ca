#!/usr/bin/env bash
# Verifies the release assets (make release-check):
#   check.sh RELEASE_DIR VERSION PYTHON
# with NETPOL_NATIVE naming the native binary built from the same source. Checks the
# checksums, runs both static binaries on examples/ against the native binary (the
# aarch64 one under qemu-aarch64 when it can be had, else its ELF header only), runs
# the WASI module under Python's wasmtime, reads the SBOM, and installs the npm
# tarball offline into a fresh project to run `npx --no netpol version` from it.
set -euo pipefail

dir=$1 version=$2 python=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
native=$(cd "$root" && realpath "$NETPOL_NATIVE")
# Relative to the repository (not resolved: a virtual environment's python is a link).
[[ $python == /* ]] || python="$root/$python"
name="netpol-$version"
failures=0
passes=0

pass() { echo "ok: $1"; passes=$((passes + 1)); }
fail() { echo "FAILED: $1" >&2; failures=$((failures + 1)); }

# The same stdout and exit code as the native binary for the main commands.
same_as_native() {
  local label=$1; shift
  local -a runner=("$@")
  local args
  # The words of each case are split on purpose.
  for args in "lint examples/" "lint --format sarif examples" "matrix --format json examples" \
    "query --from shop/frontend --to identity/keycloak --port 9090 examples" "test examples" \
    "lint --fail-on warning examples" "lint missing.yaml" "version"; do
    local want got want_code=0 got_code=0
    want=$(cd "$root" && "$native" $args 2>&1) || want_code=$?
    got=$(cd "$root" && "${runner[@]}" $args 2>&1) || got_code=$?
    if [[ "$got" != "$want" || $got_code != "$want_code" ]]; then
      fail "$label: 'netpol $args' differs from the native binary (exit $got_code, want $want_code)"
      return
    fi
  done
  pass "$label: lint, matrix, query, test and version print what the native binary prints"
}

cd "$dir"
dir=$(pwd)

# 1. Checksums: every asset listed, every listed file intact.
expected=("$name-x86_64-unknown-linux-musl" "$name-aarch64-unknown-linux-musl"
  "$name-wasm32-wasip1.wasm" "$name.tgz" "$name.cdx.json")
for asset in "${expected[@]}"; do
  grep -q "  $asset\$" SHA256SUMS || fail "SHA256SUMS does not list $asset"
done
if sha256sum --check --strict --quiet SHA256SUMS; then
  pass "SHA256SUMS matches all $(wc -l < SHA256SUMS) assets"
else
  fail "sha256sum --check SHA256SUMS"
fi

# 2. The static binaries.
x86="$dir/$name-x86_64-unknown-linux-musl"
arm="$dir/$name-aarch64-unknown-linux-musl"
file -b "$x86" | grep -q "x86-64.*static" && pass "x86_64: $(file -b "$x86" | cut -d, -f1-2), statically linked" \
  || fail "x86_64 binary is not a static x86-64 executable: $(file -b "$x86")"
same_as_native "x86_64 binary" "$x86"
file -b "$arm" | grep -q "ARM aarch64.*static" && pass "aarch64: $(file -b "$arm" | cut -d, -f1-2), statically linked" \
  || fail "aarch64 binary is not a static aarch64 executable: $(file -b "$arm")"
if command -v qemu-aarch64 >/dev/null 2>&1; then
  same_as_native "aarch64 binary under qemu-aarch64" qemu-aarch64 "$arm"
else
  echo "note: qemu-aarch64 not found (Debian: qemu-user); the aarch64 binary was checked by its ELF header only"
fi

# 3. The WASI module under a real host.
wasi_version=$(cd "$root" && "$python" tests/wasi/wasi_host.py "$dir/$name-wasm32-wasip1.wasm" version)
[[ "$wasi_version" == "$("$native" version)" ]] && pass "WASI module: '$wasi_version'" \
  || fail "WASI module prints '$wasi_version'"

# 4. The SBOM: CycloneDX JSON describing netpol and its dependencies.
if "$python" - "$name.cdx.json" "$version" <<'PY'
import json, sys
bom = json.load(open(sys.argv[1]))
assert bom["bomFormat"] == "CycloneDX", bom.get("bomFormat")
component = bom["metadata"]["component"]
assert (component["name"], component["version"]) == ("netpol", sys.argv[2]), component
names = {c["name"] for c in bom.get("components", [])}
missing = {"serde", "serde_json", "ipnet", "saphyr-parser", "lexopt"} - names
assert not missing, f"dependencies missing from the SBOM: {missing}"
print(f"ok: SBOM: CycloneDX {bom['specVersion']}, {len(names)} components")
PY
then passes=$((passes + 1)); else fail "the SBOM $name.cdx.json"; fi

# 5. The npm tarball, installed offline into a fresh project.
project=$(mktemp -d)
trap 'rm -rf "$project"' EXIT
(
  cd "$project"
  echo '{"name": "release-check", "private": true}' > package.json
  npm install --offline --no-audit --no-fund --silent "$dir/$name.tgz"
  test -f node_modules/netpol/wasi/netpol.wasm
  [[ "$(npx --offline --no netpol version)" == "$("$native" version)" ]]
) && pass "npm tarball: installed offline, 'npx --no netpol version' runs, wasi/netpol.wasm shipped" \
  || fail "npm tarball: offline install or 'npx --no netpol version'"

echo "$passes passed, $failures failed"
[[ $failures == 0 ]]
