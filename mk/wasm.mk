# The npm package: WebAssembly for Node and browsers, the JavaScript API and
# `npx netpol` (included by the Makefile).
#
#   make wasm        build the package into pkg/ (wasm-pack, then wasm-opt -Os)
#   make wasm-test   the checks of the package (part of `make test`)
#   make types       regenerate js/generated.d.ts (the TypeScript declarations of the
#                    requests and answers) from the Rust types
#   make wasm-bench  time lint and matrix through the package against the native
#                    binary; appends its section to BENCHMARKS.md (run after `make bench`)
#
# pkg/ is build output: the committed sources are in js/ (package.json template, bin
# script, glue, type declarations, README, licence); this file assembles them.

WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION := 0.2.130
PKG := pkg
NODE_BIN := node_modules/.bin
# Where cargo builds (wasm-pack honours CARGO_TARGET_DIR too).
CARGO_OUT := $(or $(CARGO_TARGET_DIR),target)
NATIVE_NETPOL := $(CARGO_OUT)/debug/netpol
# The package is assembled here, then moved to $(PKG) (a failed build leaves the old one).
STAGE := $(CARGO_OUT)/npm-package
CRATE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)

# The size-tuned cargo profile `wasm-release` (Cargo.toml). wasm-pack's own wasm-opt
# step would download binaryen from GitHub: it is skipped (--no-opt) and binaryen's
# wasm-opt from npm runs instead. --no-pack: the package.json is ours
# (js/package.json).
WASM_PACK_FLAGS := --profile wasm-release --no-pack --no-opt --out-name netpol
# The features rustc's wasm32 target emits, stated explicitly for wasm-opt. -Os with
# --converge (passes repeated while they shrink the module) and without the producers
# section: measured against -Oz, -Oz --converge and -Oz --gufa, the smallest gzipped
# module (-Oz's code is smaller before compression, larger after it; BENCHMARKS.md).
WASM_OPT_FLAGS := -Os --converge --strip-producers --enable-bulk-memory --enable-bulk-memory-opt \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-multivalue --enable-reference-types
# Size budget of each gzipped .wasm, in bytes: 540 KB. It was 400 KB, then 450 KB with
# the workspace API, representative endpoints and grouping; the cluster-wide tiers
# (validation and evaluation) and flow replay/synthesis brought the module to ~526 KB
# after the command line left it (`npx netpol` runs the WASI command), and one sort
# routine for every record type (src/order.rs) and wasm-opt -Os brought it down to
# ~507 KB; sorted vectors instead of B-trees saved less than the YAML fast path and
# the per-source lint cache added (~525 KB). What is left is mostly generic code
# instantiated per type (iterators, serde), see BENCHMARKS.md.
WASM_GZIP_BUDGET := 552960

SETUP += setup-wasm setup-node
CHECKS += wasm-test

.PHONY: wasm wasm-test wasm-test-rust wasm-test-bindgen wasm-test-js wasm-test-types \
  types wasm-test-types-drift \
  wasm-size wasm-bench setup-wasm setup-node

# ---- set-up (idempotent) ---------------------------------------------------------

# The wasm32 target, wasm-bindgen's CLI (exactly the version Cargo.lock pins, which
# wasm-pack requires to use it instead of downloading one) and wasm-pack.
# `--locked` first; when the registry lacks a locked version (seen here: webpki-roots
# 1.0.11 for wasm-bindgen-cli 0.2.130), an unlocked install of the same version.
setup-wasm: setup-rust
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET); \
	if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (several minutes)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked --force \
	    || $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; \
	fi; \
	if ! command -v wasm-pack >/dev/null 2>&1; then \
	  echo "installing wasm-pack (several minutes)"; \
	  $(CARGO) install wasm-pack --locked || $(CARGO) install wasm-pack; \
	fi

# The Node development tools (binaryen's wasm-opt, TypeScript), from package-lock.json.
setup-node: $(NODE_BIN)/.netpol-installed

$(NODE_BIN)/.netpol-installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed (https://nodejs.org)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# ---- the package -----------------------------------------------------------------

wasm: setup-wasm setup-node
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	rm -rf $(STAGE); \
	wasm-pack build --target nodejs --out-dir $(STAGE)/node $(WASM_PACK_FLAGS) -- --no-default-features --features wasm; \
	wasm-pack build --target web --out-dir $(STAGE)/web $(WASM_PACK_FLAGS) -- --no-default-features --features wasm
	# wasm-bindgen emits the same module for both targets (only the glue differs):
	# optimised once and copied, unless they differ.
	if cmp -s $(STAGE)/node/netpol_bg.wasm $(STAGE)/web/netpol_bg.wasm; then \
	  $(NODE_BIN)/wasm-opt $(WASM_OPT_FLAGS) $(STAGE)/node/netpol_bg.wasm -o $(STAGE)/node/netpol_bg.wasm; \
	  cp $(STAGE)/node/netpol_bg.wasm $(STAGE)/web/netpol_bg.wasm; \
	else \
	  for dir in node web; do \
	    $(NODE_BIN)/wasm-opt $(WASM_OPT_FLAGS) $(STAGE)/$$dir/netpol_bg.wasm -o $(STAGE)/$$dir/netpol_bg.wasm; \
	  done; \
	fi
	for dir in node web; do \
	  rm -f $(STAGE)/$$dir/.gitignore $(STAGE)/$$dir/package.json $(STAGE)/$$dir/README.md; \
	done
	mkdir -p $(STAGE)/bin
	cp js/index.cjs js/index.mjs js/index.d.ts js/generated.d.ts js/README.md js/LICENSE $(STAGE)/
	cp js/node/host.cjs $(STAGE)/node/
	cp js/web/index.js js/web/index.d.ts js/web/package.json $(STAGE)/web/
	cp js/bin/netpol.cjs $(STAGE)/bin/ && chmod +x $(STAGE)/bin/netpol.cjs
	$(MAKE) --no-print-directory wasi-module WASI_DEST=$(STAGE)/wasi/netpol.wasm
	{ cat js/api.js; printf '\nmodule.exports = { createApi };\n'; } > $(STAGE)/api.cjs
	{ sed "/^'use strict';$$/d" js/api.js; printf '\nexport { createApi };\n'; } > $(STAGE)/api.mjs
	sed 's/@VERSION@/$(CRATE_VERSION)/' js/package.json > $(STAGE)/package.json
	rm -rf $(PKG) && mv $(STAGE) $(PKG)
	@$(MAKE) --no-print-directory wasm-size

# The package, built when missing (the checks below use it; `make wasm` rebuilds).
$(PKG)/package.json:
	$(MAKE) --no-print-directory wasm

# Raw and gzipped sizes of each .wasm, checked against the budget.
wasm-size: $(PKG)/package.json
	@for f in $(PKG)/node/netpol_bg.wasm $(PKG)/web/netpol_bg.wasm; do \
	  raw=$$(wc -c < $$f); gz=$$(gzip -9 -c $$f | wc -c); \
	  echo "$$f: $$raw bytes, $$gz gzipped (budget $(WASM_GZIP_BUDGET))"; \
	  if [ $$gz -gt $(WASM_GZIP_BUDGET) ]; then echo "$$f is over the size budget"; exit 1; fi; \
	done

# ---- checks ----------------------------------------------------------------------

wasm-test: wasm wasm-test-rust wasm-test-bindgen wasm-test-types-drift wasm-test-types \
  wasm-test-js

# The Rust side natively: the wasm module's unit tests and clippy for wasm32.
wasm-test-rust: setup-wasm
	$(CARGO) test --features wasm --lib wasm::
	$(CARGO) clippy --no-default-features --features wasm --lib --target $(WASM_TARGET) -- -D warnings

# The Rust side in WebAssembly under Node (wasm-bindgen-test), from a test crate of
# its own (tests/js/bindgen) so netpol's native dev-dependencies stay out of wasm32.
wasm-test-bindgen: setup-wasm
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	cd tests/js/bindgen && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  $(CARGO) test --target $(WASM_TARGET)

# The declarations of the requests and answers, derived from the Rust types (feature
# `typescript`, ts-rs) by the test that also guards them.
TYPES_TEST := $(CARGO) test --no-default-features --features typescript --lib \
  api::typescript::tests::shipped_declarations_match_the_types
TYPES_FRESH := $(CARGO_OUT)/generated.d.ts

types:
	NETPOL_TYPES_OUT="$(CURDIR)/js/generated.d.ts" $(TYPES_TEST)

# Fails when js/generated.d.ts is not what the Rust types generate.
wasm-test-types-drift:
	@mkdir -p $(dir $(TYPES_FRESH))
	NETPOL_TYPES_OUT="$(abspath $(TYPES_FRESH))" $(TYPES_TEST)
	@diff -u js/generated.d.ts $(TYPES_FRESH) || { \
	  echo "js/generated.d.ts differs from the Rust types: run 'make types' and commit it"; exit 1; }

# The TypeScript declarations against a typed usage file.
wasm-test-types: setup-node $(PKG)/package.json
	$(NODE_BIN)/tsc --noEmit -p tests/js/types

# node:test suites against the built package, including the packed tarball installed
# in a fresh project and compared byte for byte with the native binary.
wasm-test-js: setup-node $(PKG)/package.json
	$(CARGO) build --bin netpol
	NETPOL_NATIVE=$(NATIVE_NETPOL) node --test tests/js/

# ---- benchmarks ------------------------------------------------------------------

wasm-bench: $(PKG)/package.json
	$(CARGO) build --release --bin netpol
	NETPOL_NATIVE=$(CARGO_OUT)/release/netpol node tests/js/bench/bench.mjs
