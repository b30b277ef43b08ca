# The WASI command: the whole command line as one WebAssembly module for any WASI
# host (wasmtime, wazero, Node's node:wasi, Python's wasmtime). Included by the Makefile.
#
#   make wasi        build pkg/wasi/netpol.wasm (target wasm32-wasip1)
#   make wasi-test   run it under Python's wasmtime package and Node's node:wasi and
#                    compare it byte for byte with the native binary (part of `make test`)
#
# It is the native binary's source (src/bin/netpol.rs) compiled for wasm32-wasip1.
# `make wasm` recreates pkg/ and ships the module in the npm package (wasi/netpol.wasm).

WASI_TARGET := wasm32-wasip1
# The size-tuned profile of the npm package's WebAssembly, with the symbol names
# stripped (a fifth of the module; panics abort, so nothing reads them).
WASI_BUILD := CARGO_PROFILE_WASM_RELEASE_STRIP=symbols $(CARGO) build --profile wasm-release \
  --target $(WASI_TARGET) --bin netpol
WASI_BUILT := $(or $(CARGO_TARGET_DIR),target)/$(WASI_TARGET)/wasm-release/netpol.wasm
# Where `wasi-module` copies the module (the package assembly passes its staging path).
WASI_DEST ?= $(PKG)/wasi/netpol.wasm
WASI_NATIVE := $(or $(CARGO_TARGET_DIR),target)/debug/netpol
# The tests' Python host: the wasmtime package from PyPI, pinned, in a git-ignored
# virtual environment.
WASI_VENV := target/wasi-venv
WASMTIME_PY_VERSION := 50.0.1
WASI_VENV_READY := $(WASI_VENV)/.wasmtime-$(WASMTIME_PY_VERSION)

SETUP += setup-wasi setup-wasi-python
CHECKS += wasi-test

.PHONY: wasi wasi-module wasi-test wasi-test-python wasi-test-node setup-wasi \
  setup-wasi-python

# ---- set-up (idempotent) ---------------------------------------------------------

setup-wasi: setup-rust
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	rustup target list --installed | grep -qx $(WASI_TARGET) || rustup target add $(WASI_TARGET)

setup-wasi-python: $(WASI_VENV_READY)

$(WASI_VENV_READY):
	@command -v python3 >/dev/null 2>&1 || { echo "python3 is needed for the WASI tests"; exit 1; }
	rm -rf $(WASI_VENV)
	python3 -m venv $(WASI_VENV)
	$(WASI_VENV)/bin/pip install --quiet --disable-pip-version-check wasmtime==$(WASMTIME_PY_VERSION)
	@touch $@

# ---- the module ------------------------------------------------------------------

wasi-module: setup-wasi
	$(WASI_BUILD)
	@mkdir -p $(dir $(WASI_DEST))
	cp $(WASI_BUILT) $(WASI_DEST)
	@echo "$(WASI_DEST): $$(wc -c < $(WASI_DEST)) bytes, $$(gzip -9 -c $(WASI_DEST) | wc -c) gzipped"

wasi: wasi-module

# ---- checks ----------------------------------------------------------------------

wasi-test: wasi-test-python wasi-test-node

wasi-test-python: wasi setup-wasi-python
	$(CARGO) build --bin netpol
	NETPOL_NATIVE=$(WASI_NATIVE) NETPOL_WASI=$(WASI_DEST) \
	  $(WASI_VENV)/bin/python -m unittest discover --start-directory tests/wasi --verbose

wasi-test-node: wasi $(PKG)/package.json
	$(CARGO) build --bin netpol
	NETPOL_NATIVE=$(WASI_NATIVE) NETPOL_WASI=$(WASI_DEST) node --test tests/wasi/
