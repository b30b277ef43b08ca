# Coverage-guided fuzzing with libFuzzer through cargo-fuzz (included by the Makefile).
#
#   make fuzz        install cargo-fuzz when missing, then run every target for
#                    FUZZ_SECONDS (default 60) each; new interesting inputs go to
#                    fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/
#   make fuzz-cmin   minimize each target's corpus in place (keeps the coverage)
#
# Targets (fuzz/src/targets/): yaml_reader, json_reader, load (decode + validate),
# engine (against the naive evaluator) and lint (rules, formats, matrix). One target
# only: `make fuzz FUZZ_TARGETS=engine`. A crash found here is fixed in the library
# and its input kept in fuzz/regressions/<target>/; `make test` replays the corpus and
# the regressions on stable Rust (tests/fuzz_replay.rs), without libFuzzer.
#
# cargo-fuzz needs nightly-only compiler flags; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them. No sanitizer: the library has no unsafe code, and libFuzzer
# alone runs several times faster.

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= yaml_reader json_reader load engine lint
# Per-input limits: a slower input is a timeout, a bigger one an out-of-memory crash.
FUZZ_INPUT_SECONDS ?= 10
FUZZ_RSS_MB ?= 2048
FUZZ_MAX_LEN ?= 8192
FUZZ := RUSTC_BOOTSTRAP=1 $(CARGO) fuzz
FUZZ_FLAGS := --fuzz-dir fuzz --sanitizer none
LIBFUZZER_FLAGS := -timeout=$(FUZZ_INPUT_SECONDS) -rss_limit_mb=$(FUZZ_RSS_MB) \
  -max_len=$(FUZZ_MAX_LEN)

.PHONY: fuzz fuzz-cmin setup-fuzz

setup-fuzz: setup-rust
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	if ! $(CARGO) fuzz --version >/dev/null 2>&1; then \
	  echo "installing cargo-fuzz (a few minutes)"; \
	  $(CARGO) install cargo-fuzz --locked || $(CARGO) install cargo-fuzz; \
	fi

# Every target in turn; the ones that crashed are listed at the end (and fail make).
fuzz: setup-fuzz
	@export PATH="$$HOME/.cargo/bin:$$PATH"; failed=""; \
	for t in $(FUZZ_TARGETS); do \
	  echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  mkdir -p fuzz/corpus/$$t; \
	  $(FUZZ) run $(FUZZ_FLAGS) $$t fuzz/corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) $(LIBFUZZER_FLAGS) || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "crashes in:$$failed (inputs in fuzz/artifacts/)"; exit 1; fi

fuzz-cmin: setup-fuzz
	@export PATH="$$HOME/.cargo/bin:$$PATH"; \
	for t in $(FUZZ_TARGETS); do \
	  $(FUZZ) cmin $(FUZZ_FLAGS) $$t fuzz/corpus/$$t -- $(LIBFUZZER_FLAGS); \
	done
