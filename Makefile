# Quarry: `make run` serves the demo on 127.0.0.1:8080; `make test` runs every test.
SWIFT ?= swift
DATA_DIR ?= ./quarry-data
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: setup build release run test lint clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product quarry

run: release
	@.build/release/quarry demo --data-dir $(DATA_DIR) --url http://$(HOST):$(PORT)
	@echo ""
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C to stop)"
	@.build/release/quarry serve --data-dir $(DATA_DIR) --host $(HOST) --port $(PORT)

test: setup lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Formatting as in .swift-format (swift-nio's); fix with: swift format --in-place -r Sources Tests
lint:
	$(SWIFT) format lint --strict -r Sources Tests

clean:
	rm -rf .build $(DATA_DIR)
