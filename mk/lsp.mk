# The language server's editors (netpol lsp; docs/lsp.md). Included by the Makefile.
#
#   make lsp-nvim-test  Neovim's built-in LSP client (Debian's neovim, headless)
#                       against the native binary: diagnostics and a hover
#   make vsix           build and package the VS Code extension (editors/vscode/)
#                       with the WASI module bundled: editors/vscode/netpol.vsix
#   make lsp-wasi-test  the WASI module as a language server under Node's WASI,
#                       started by the extension's launcher; the extension's choice
#                       of server (native binary, else the WASI module)
#
# The protocol tests of the native binary are part of `cargo test`
# (tests/lsp_protocol.rs).

VSCODE_EXT := editors/vscode
NVIM ?= nvim

SETUP += setup-nvim setup-vscode-ext
CHECKS += lsp-nvim-test vsix lsp-wasi-test

.PHONY: setup-nvim setup-vscode-ext lsp-nvim-test vsix lsp-wasi-test

# ---- set-up (idempotent) ---------------------------------------------------------

setup-nvim:
	@if ! command -v $(NVIM) >/dev/null 2>&1; then \
	  echo "installing neovim"; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y neovim; \
	fi

# The extension's npm packages, when missing or older than the lock file.
setup-vscode-ext:
	@if [ ! -f $(VSCODE_EXT)/node_modules/.package-lock.json ] || \
	    [ $(VSCODE_EXT)/package-lock.json -nt $(VSCODE_EXT)/node_modules/.package-lock.json ]; then \
	  echo "installing the VS Code extension's npm packages"; \
	  cd $(VSCODE_EXT) && npm ci --no-audit --no-fund; \
	fi

# ---- checks ----------------------------------------------------------------------

lsp-nvim-test: setup-nvim
	$(CARGO) build --bin netpol
	NETPOL=$(WASI_NATIVE) timeout 60 $(NVIM) --headless --clean -u tests/lsp/nvim.lua

vsix: setup-vscode-ext wasi
	@mkdir -p $(VSCODE_EXT)/server
	cp $(WASI_DEST) $(VSCODE_EXT)/server/netpol.wasm
	cd $(VSCODE_EXT) && npm run --silent build && npm run --silent package
	@echo "$(VSCODE_EXT)/netpol.vsix: $$(wc -c < $(VSCODE_EXT)/netpol.vsix) bytes"

lsp-wasi-test: vsix
	NETPOL_WASI=$(WASI_DEST) node --test tests/lsp/wasi.test.mjs tests/lsp/extension.test.mjs
