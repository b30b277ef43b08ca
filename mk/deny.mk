# Dependency policy with cargo-deny (included by the Makefile).
#
#   make deny    licences, bans and sources of the root crate's and the adapters'
#                dependencies, against deny.toml (part of `make test`)
#
# Only `licenses bans sources` are checked: the `advisories` check needs the RustSec
# advisory database, fetched from GitHub, which these build machines cannot reach.

CARGO_DENY_VERSION := 0.20.2
DENY_CHECKS := licenses bans sources

SETUP += setup-deny
CHECKS += deny

.PHONY: deny setup-deny

# cargo-deny from crates.io, only when it is missing.
setup-deny: setup-rust
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	if ! $(CARGO) deny --version >/dev/null 2>&1; then \
	  echo "installing cargo-deny $(CARGO_DENY_VERSION)"; \
	  $(CARGO) install --locked cargo-deny --version $(CARGO_DENY_VERSION); \
	fi

deny: setup-deny
	$(CARGO) deny --config deny.toml --all-features check $(DENY_CHECKS)
	$(CARGO) deny --config deny.toml --manifest-path adapters/Cargo.toml check $(DENY_CHECKS)
