# blocktop: `make run` and `make test` install what is missing, build, and run.

SWIFT        ?= swift
CONFIG       ?= release
APT_PACKAGES := libopenblas-dev libncurses-dev pkg-config sysstat btop tmux
BIN          := .build/$(CONFIG)/blocktop
# Compile for the processor that runs the build, so kernels such as the random
# generator use its vector units; `make SWIFT_CPU=` builds a portable binary.
SWIFT_CPU    ?= native
CPU_FLAGS    := $(if $(SWIFT_CPU),-Xswiftc -target-cpu -Xswiftc $(SWIFT_CPU))

.PHONY: deps build run test test-tsan test-asan bench bench-peers clean

## deps: install the system libraries that are missing (apt-get, as root or through sudo)
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		$$sudo apt-get update && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $$missing; \
	fi

## build: compile blocktop
build: deps
	$(SWIFT) build -c $(CONFIG) $(CPU_FLAGS)

## run: open blocktop on its default demo
run: build
	$(BIN)

## test: build and run every test
test: deps
	$(SWIFT) test -c $(CONFIG) $(CPU_FLAGS)

SANITIZED_TESTS := EngineTests|TelemetryTests|DashboardTests

## test-tsan: the engine, telemetry and dashboard tests under ThreadSanitizer (own build folder)
test-tsan: deps
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan --filter "$(SANITIZED_TESTS)"

## test-asan: the same tests under AddressSanitizer; leak reports are off, since XCTest and a
## process that exits with objects alive report small leaks that are not errors
test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path .build-asan --filter "$(SANITIZED_TESTS)"

## bench: blocktop's own micro benchmarks (scheduler overhead, telemetry, demo scaling, a frame)
bench: deps
	$(SWIFT) build -c release $(CPU_FLAGS) --product blocktop-bench
	.build/release/blocktop-bench

## bench-peers: blocktop against dask (threads) and NumPy on the same workloads (installs dask with pip)
bench-peers: build
	python3 -c "import dask.array, threadpoolctl" 2>/dev/null || python3 -m pip install --quiet "dask[array]" threadpoolctl
	python3 Benchmarks/peers/peers.py --blocktop $(BIN)

clean:
	rm -rf .build .build-tsan .build-asan
