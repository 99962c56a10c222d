# Cairn — `make run` sets up, builds and runs the example; `make test` runs the tests.
SHELL := /bin/bash
DEBIAN_PACKAGES := libyaml-dev libopenblas-dev liblapacke-dev libgit2-dev libssh2-1-dev libcurl4-openssl-dev liblz4-dev libzstd-dev libsnappy-dev zlib1g-dev libnghttp2-dev libpsl-dev libidn2-dev libunistring-dev libbrotli-dev pkg-config libgfortran-12-dev
# The tests also render `cairn report`'s page in a headless browser, and open Cairn's table files
# with pyarrow, polars and DuckDB from PyPI, in a virtual environment of their own.
TEST_PACKAGES := chromium python3-venv
TEST_PYTHON := .build/test-python
SWIFT ?= $(shell command -v swift || echo /opt/swift/usr/bin/swift)
# The release binary is a static executable: no shared libraries to load at start-up.
# libgit2's and libcurl's own dependencies come from the static archives their -dev packages
# ship, and OpenBLAS's LAPACK needs the Fortran runtime (libgfortran-12-dev) and libquadmath.
STATIC_LIBRARIES := curl nghttp2 psl idn2 unistring ssl mbedtls mbedx509 mbedcrypto http_parser ssh2 crypto pcre2-8 lz4 zstd snappy brotlidec brotlicommon z gfortran quadmath m
STUBS := .build/static-stubs.o
RELEASE_FLAGS := -c release -Xswiftc -static-executable $(foreach library,$(STATIC_LIBRARIES),-Xlinker -l$(library)) \
	-Xlinker $(STUBS)
CAIRN := .build/release/cairn

.PHONY: setup build run test bench clean

## Install the Debian packages that are missing (and only those); `make test` adds the tests' own.
setup:
	@missing=$$(for p in $(DEBIAN_PACKAGES) $(EXTRA_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup $(STUBS)
	$(SWIFT) build $(RELEASE_FLAGS) --product cairn

$(STUBS): support/static-stubs.c
	@mkdir -p .build
	cc -O2 -c $< -o $@

## Run the example pipeline twice: the second run must do nothing.
run: build
	$(CAIRN) run
	@echo "--- again: nothing is stale, so nothing runs ---"
	$(CAIRN) run
	@echo "--- metrics ---"
	@cat artifacts/penguins/metrics.json
	@echo "--- drift of the new batch, and the report page ---"
	@grep -A6 '"verdict"' artifacts/penguins/drift.json
	$(CAIRN) report penguins

test: EXTRA_PACKAGES = $(TEST_PACKAGES)
test: setup $(TEST_PYTHON)/ready
	$(SWIFT) build --build-tests
	CAIRN_TEST_PYTHON=$(abspath $(TEST_PYTHON))/bin/python $(SWIFT) test --skip-build

$(TEST_PYTHON)/ready:
	python3 -m venv $(TEST_PYTHON)
	$(TEST_PYTHON)/bin/pip install -q pyarrow polars duckdb pandas
	touch $@

bench: build
	$(SWIFT) build $(RELEASE_FLAGS) --product cairn-data-bench
	python3 bench/run.py --cairn $(CAIRN) --data-bench .build/release/cairn-data-bench

clean:
	rm -rf .build .cairn artifacts/penguins
