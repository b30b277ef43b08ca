# The playground (www/): a static page running netpol's browser build in a Web Worker.
#
#   make www       build the site into $(WWW_OUT) (any static host can serve it)
#   make serve     build it and serve it on http://127.0.0.1:8080/
#   make www-test  browser tests (Playwright on Debian's Chromium)
#
# The page's own npm project lives in www/ (CodeMirror, esbuild, playwright-core),
# installed with `npm ci` from its package-lock.json. The engine is the npm package's
# `netpol/web` build in pkg/: built by `make wasm` when missing (after changing the
# Rust code, `make wasm www` refreshes both).

WWW_OUT ?= target/www
WWW_PORT ?= 8080
CHROMIUM ?= /usr/bin/chromium

.PHONY: www serve www-test setup-www setup-chromium

SETUP += setup-www setup-chromium
CHECKS += www-test
WWW_ENGINE := $(PKG)/web/netpol_bg.wasm

# www/node_modules, when missing or older than the lock file.
setup-www:
	@if [ ! -f www/node_modules/.package-lock.json ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then \
	  echo "installing the playground's npm packages"; \
	  cd www && npm ci --no-audit --no-fund; \
	fi

# Debian's Chromium for the browser tests (browser downloads by test tools fail here).
setup-chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "installing chromium"; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y chromium; \
	fi

$(WWW_ENGINE):
	$(MAKE) --no-print-directory wasm

www: setup-www $(WWW_ENGINE)
	node www/build.mjs --out $(WWW_OUT)

serve: www
	node www/serve.mjs $(WWW_OUT) $(WWW_PORT)

www-test: www setup-chromium
	WWW_OUT=$(WWW_OUT) CHROMIUM=$(CHROMIUM) node --test --test-concurrency=1 tests/browser/*.test.mjs
