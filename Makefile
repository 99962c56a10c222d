# Cairn — `make run` sets up, builds and runs the example; `make test` runs the tests.
SHELL := /bin/bash
DEBIAN_PACKAGES := libyaml-dev libopenblas-dev liblapacke-dev libgit2-dev pkg-config
SWIFT ?= $(shell command -v swift || echo /opt/swift/usr/bin/swift)
RELEASE_FLAGS := -c release -Xswiftc -static-executable
CAIRN := .build/release/cairn

.PHONY: setup build run test bench clean

## Install the Debian packages that are missing (and only those).
setup:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build $(RELEASE_FLAGS) --product cairn

## Run the example pipeline twice: the second run must do nothing.
run: build
	$(CAIRN) run
	@echo "--- again: nothing is stale, so nothing runs ---"
	$(CAIRN) run

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: build
	python3 bench/run.py --cairn $(CAIRN)

clean:
	rm -rf .build .cairn artifacts/penguins
