# `netpol serve`, the HTTPS service (feature `serve`). Included by the Makefile.
#
#   make server-test    its unit tests, the end-to-end tests over HTTPS (tests/serve/),
#                       clippy with the feature, and the static musl binary
#                       (part of `make test`)
#   make server-static  the static binary target/x86_64-unknown-linux-musl/release/netpol
#   make server-image   the container image (Containerfile), where podman or docker exists
#   make bench-server   the load benchmark (oha): BENCHMARKS.md's server section
#
# The manifests of deploy/ and the chart are checked by tests/serve_manifests.rs,
# which `cargo test` runs with the default features.

SERVE_FEATURES := --features serve
MUSL_TARGET := x86_64-unknown-linux-musl
SERVER_STATIC := $(or $(CARGO_TARGET_DIR),target)/$(MUSL_TARGET)/release/netpol
SERVER_IMAGE ?= netpol:$(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# The load generator of the server benchmark, from crates.io, pinned.
OHA_VERSION := 1.16.0

SETUP += setup-server
CHECKS += server-test

.PHONY: setup-server server-test server-lint server-static server-image bench-server \
  setup-bench-server

# ---- set-up (idempotent) ---------------------------------------------------------

# The musl target, and a C compiler for it (ring's C and assembly): musl-gcc from
# Debian's musl-tools.
setup-server: setup-rust
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	rustup target list --installed | grep -qx $(MUSL_TARGET) || rustup target add $(MUSL_TARGET); \
	if ! command -v musl-gcc >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq musl-tools; \
	  else \
	    echo "netpol serve's static build needs musl-gcc (musl-tools); install it" >&2; exit 1; \
	  fi; \
	fi

setup-bench-server:
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	if ! oha --version 2>/dev/null | grep -q "$(OHA_VERSION)"; then \
	  cargo install --locked oha --version $(OHA_VERSION); \
	fi

# ---- checks ----------------------------------------------------------------------

server-test: setup-server server-lint server-static
	$(CARGO) test $(SERVE_FEATURES) --lib serve::
	$(CARGO) test $(SERVE_FEATURES) --test serve

server-lint: setup-rust
	$(CARGO) clippy $(SERVE_FEATURES) --lib --bins --test serve -- -D warnings

# A static binary: no dynamic section, so it runs in an empty (scratch) image.
server-static: setup-server
	CC_x86_64_unknown_linux_musl=musl-gcc \
	  $(CARGO) build --release $(SERVE_FEATURES) --bin netpol --target $(MUSL_TARGET)
	@if readelf -d $(SERVER_STATIC) 2>/dev/null | grep -q NEEDED; then \
	  echo "$(SERVER_STATIC) is not static" >&2; exit 1; \
	fi
	@echo "$(SERVER_STATIC): static, $$(wc -c < $(SERVER_STATIC)) bytes"

# The image needs a running container engine; without one, say so and succeed.
server-image:
	@engine=$$(command -v podman || command -v docker || true); \
	if [ -z "$$engine" ]; then \
	  echo "server-image: no podman or docker here; the image is not built"; \
	elif ! "$$engine" info >/dev/null 2>&1; then \
	  echo "server-image: $$engine cannot reach a running engine; the image is not built"; \
	else \
	  "$$engine" build -f Containerfile -t $(SERVER_IMAGE) .; \
	fi

# ---- benchmark -------------------------------------------------------------------

bench-server: setup-rust setup-bench-server
	@mkdir -p $(BENCH_SECTIONS)
	$(CARGO) build --release $(SERVE_FEATURES) --bin netpol
	PATH="$$HOME/.cargo/bin:$$PATH" bash benches/server/run.sh \
	  $(or $(CARGO_TARGET_DIR),target)/release/netpol $(BENCH_SECTIONS)/server.md
