# The policy-engine artifacts, shipped in the npm package (included by the Makefile).
#
#   make engines        pkg/opa/policy.wasm (OPA WebAssembly ABI 1.3) and
#                       pkg/kubewarden/policy.wasm (Kubewarden waPC policy)
#   make engines-test   their checks (part of `make test`): the adapters' Rust tests,
#                       fmt and clippy (native and wasm32), then node:test suites
#                       driving the artifacts with the real OPA npm host and a waPC host
#
# The adapters are a workspace of their own (adapters/Cargo.toml, size-first release
# profile), so the root crate's cargo commands never build them. `engines` runs after
# `wasm`, which recreates pkg/.

ENGINES_TARGET := wasm32-unknown-unknown
ENGINES_CARGO := $(CARGO)
ENGINES_MANIFEST := --manifest-path adapters/Cargo.toml
ENGINES_OUT := $(or $(CARGO_TARGET_DIR),adapters/target)
ENGINES_WASM := $(ENGINES_OUT)/$(ENGINES_TARGET)/release
ENGINES_POSTLINK := $(ENGINES_OUT)/release/netpol-opa-postlink
ENGINES_NODE := tests/engines/node_modules/.netpol-installed
ENGINES_NATIVE := $(or $(CARGO_TARGET_DIR),target)/debug/netpol

SETUP += setup-engines
CHECKS += engines-test

.PHONY: engines engines-build engines-list engines-test engines-test-rust \
  engines-test-node setup-engines

# The wasm32 target and the test suites' npm packages (from their package-lock.json).
setup-engines: setup-rust $(ENGINES_NODE)
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	rustup target list --installed | grep -qx $(ENGINES_TARGET) || rustup target add $(ENGINES_TARGET)

$(ENGINES_NODE): tests/engines/package.json tests/engines/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed (https://nodejs.org)"; exit 1; }
	cd tests/engines && npm ci --no-audit --no-fund
	@touch $@

# Both modules into the build directory; the OPA one through the post-link step that
# makes its ABI version exports constant globals.
engines-build: setup-engines
	$(ENGINES_CARGO) build $(ENGINES_MANIFEST) --release --target $(ENGINES_TARGET) \
	  -p netpol-opa -p netpol-kubewarden
	$(ENGINES_CARGO) build $(ENGINES_MANIFEST) --release -p netpol-opa-postlink
	$(ENGINES_POSTLINK) $(ENGINES_WASM)/netpol_opa.wasm $(ENGINES_WASM)/netpol_opa.postlinked.wasm

# Into the package, after `wasm` has assembled it.
engines: wasm engines-build
	mkdir -p $(PKG)/opa $(PKG)/kubewarden
	cp $(ENGINES_WASM)/netpol_opa.postlinked.wasm $(PKG)/opa/policy.wasm
	cp $(ENGINES_WASM)/netpol_kubewarden.wasm $(PKG)/kubewarden/policy.wasm
	@for f in $(PKG)/opa/policy.wasm $(PKG)/kubewarden/policy.wasm; do \
	  echo "$$f: $$(wc -c < $$f) bytes, $$(gzip -9 -c $$f | wc -c) gzipped"; \
	done

# Imports, exports, custom sections and ABI globals of both artifacts.
engines-list: engines-build
	$(ENGINES_POSTLINK) --list $(PKG)/opa/policy.wasm
	$(ENGINES_POSTLINK) --list $(PKG)/kubewarden/policy.wasm

engines-test: engines engines-test-rust engines-test-node

engines-test-rust: setup-engines
	$(ENGINES_CARGO) fmt $(ENGINES_MANIFEST) -p netpol-opa -p netpol-opa-postlink -p netpol-kubewarden --check
	$(ENGINES_CARGO) test $(ENGINES_MANIFEST) --workspace
	$(ENGINES_CARGO) clippy $(ENGINES_MANIFEST) --workspace --all-targets -- -D warnings
	$(ENGINES_CARGO) clippy $(ENGINES_MANIFEST) --target $(ENGINES_TARGET) \
	  -p netpol-opa -p netpol-kubewarden -- -D warnings

# The artifacts in their hosts; the native binary is the reference for lint and matrix.
engines-test-node: engines setup-engines
	$(CARGO) build --bin netpol
	NETPOL_NATIVE=$(ENGINES_NATIVE) node --test tests/engines/
