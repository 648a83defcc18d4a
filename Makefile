# The verbs people type. CMake and Ninja do the building underneath.
#
#   make          build build/minsheng (installs missing Debian packages first)
#   make check    build with -Werror, run every test on SQLite and PostgreSQL
#                 (and the web console in headless chromium), then again under
#                 AddressSanitizer + UBSan
#   make demo     build, create the demo district if absent, serve it on :8080
#   make bench    run the HTTP benchmarks (docs/benchmarks.md)
#   make asan     only the sanitizer build and its tests
#   make clean    remove the build folders

BUILD      ?= build
ASAN_BUILD ?= build-asan
CTEST_ARGS ?= --output-on-failure --no-tests=error -j2
# The test programs need the test packages (cmocka, libcurl); a plain build
# (make, make demo) does without them.
BUILD_TESTS ?= OFF

.PHONY: all build check test asan demo bench clean

all: build

build:
	@scripts/deps.sh build
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMS_WERROR=ON \
	    -DMS_BUILD_TESTS=$(BUILD_TESTS) >/dev/null
	@ninja -C $(BUILD)

test:
	@scripts/deps.sh test web
	@$(MAKE) --no-print-directory build BUILD_TESTS=ON
	cd $(BUILD) && ctest $(CTEST_ARGS)

asan:
	@scripts/deps.sh test web
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMS_WERROR=ON \
	    -DMS_SANITIZE=ON -DMS_BUILD_BENCH=OFF >/dev/null
	@ninja -C $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ctest $(CTEST_ARGS)

check:
	@scripts/deps.sh test web
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan

demo: build
	@scripts/web.sh build
	@scripts/demo.sh $(BUILD)/minsheng

bench: build
	@scripts/deps.sh bench
	@bench/http.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
