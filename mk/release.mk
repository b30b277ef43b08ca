# The release assets (included by the Makefile).
#
#   make release         build every asset into target/release-assets/ (git-ignored):
#                        static Linux binaries (x86_64, aarch64), the npm tarball, the
#                        WASI module, a CycloneDX SBOM and SHA256SUMS
#   make release-check   verify them: checksums, both binaries on examples/ (aarch64
#                        under qemu when it can be had, else its ELF header), the WASI
#                        module, the SBOM, and the tarball installed offline
#   make release-docs-check   no install step in the docs runs a registry package
#                        name the project does not publish, and pre-commit accepts
#                        .pre-commit-hooks.yaml (fast; part of `make test`)

RELEASE_DIR := target/release-assets
RELEASE_TARGETS := x86_64-unknown-linux-musl aarch64-unknown-linux-musl
RELEASE_OUT := $(or $(CARGO_TARGET_DIR),target)
RELEASE_NAME := netpol-$(CRATE_VERSION)
# aarch64 links with Rust's bundled lld and the target's self-contained musl objects:
# no cross compiler is needed.
RELEASE_LINKER := CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=rust-lld
# The SBOM generator: the CycloneDX project's own cargo plugin, installed when missing.
CYCLONEDX_VERSION := 0.5.9
PRE_COMMIT_VERSION := 4.7.0
PRE_COMMIT_READY = $(WASI_VENV)/.pre-commit-$(PRE_COMMIT_VERSION)

CHECKS += release-docs-check

.PHONY: release release-binaries release-sbom release-check release-docs-check setup-release

# ---- set-up (idempotent) ---------------------------------------------------------

setup-release: setup-rust
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	targets=$$(rustup target list --installed); \
	for t in $(RELEASE_TARGETS); do grep -qx "$$t" <<<"$$targets" || rustup target add "$$t"; done; \
	if ! $(CARGO) install --list | grep -qx "cargo-cyclonedx v$(CYCLONEDX_VERSION):"; then \
	  echo "installing cargo-cyclonedx $(CYCLONEDX_VERSION) (several minutes)"; \
	  $(CARGO) install cargo-cyclonedx --version $(CYCLONEDX_VERSION) --locked; \
	fi

# ---- the assets ------------------------------------------------------------------

release: setup-release engines release-binaries release-sbom
	cp $(PKG)/wasi/netpol.wasm $(RELEASE_DIR)/$(RELEASE_NAME)-wasm32-wasip1.wasm
	rm -f $(RELEASE_DIR)/$(RELEASE_NAME).tgz
	npm pack ./$(PKG) --pack-destination $(RELEASE_DIR) --silent >/dev/null
	cd $(RELEASE_DIR) && rm -f SHA256SUMS && sha256sum $(RELEASE_NAME)* > SHA256SUMS
	@cd $(RELEASE_DIR) && ls -l $(RELEASE_NAME)* SHA256SUMS

# Statically linked (musl is static by default), the speed-tuned release profile.
release-binaries: setup-release
	@mkdir -p $(RELEASE_DIR)
	for t in $(RELEASE_TARGETS); do \
	  $(RELEASE_LINKER) $(CARGO) build --release --locked --target $$t --bin netpol; \
	  cp $(RELEASE_OUT)/$$t/release/netpol $(RELEASE_DIR)/$(RELEASE_NAME)-$$t; \
	done

# CycloneDX 1.5 JSON of the dependencies of every asset (all features: the native
# binaries, the npm package and the WASI module share one crate).
release-sbom: setup-release
	@mkdir -p $(RELEASE_DIR)
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	cargo cyclonedx --format json --spec-version 1.5 --all-features --override-filename $(RELEASE_NAME).cdx
	mv $(RELEASE_NAME).cdx.json $(RELEASE_DIR)/

# ---- checks ----------------------------------------------------------------------

release-check: setup-wasi-python
	test -f $(RELEASE_DIR)/SHA256SUMS || { echo "no release assets: run make release first"; exit 1; }
	$(CARGO) build --bin netpol
	NETPOL_NATIVE=$(WASI_NATIVE) bash tests/release/check.sh $(RELEASE_DIR) $(CRATE_VERSION) $(WASI_VENV)/bin/python

release-docs-check: $(PRE_COMMIT_READY)
	$(WASI_VENV)/bin/python -m unittest discover --start-directory tests/release --verbose
	$(WASI_VENV)/bin/pre-commit validate-manifest .pre-commit-hooks.yaml

# pre-commit itself checks the hook definitions (in the tests' virtual environment).
$(PRE_COMMIT_READY): $(WASI_VENV_READY)
	$(WASI_VENV)/bin/pip install --quiet --disable-pip-version-check pre-commit==$(PRE_COMMIT_VERSION)
	@touch $@
