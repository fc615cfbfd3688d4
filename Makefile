# downloader2 — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash

# Debian packages the build links against, and the tools the tests drive.
BUILD_PACKAGES := pkg-config libtorrent-rasterbar-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev \
                  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev libebur128-dev
TEST_PACKAGES  := curl aria2 opentracker ffmpeg chromium chromium-driver dpkg-dev binutils systemd adduser openssl postgresql util-linux e2fsprogs sox libsox-fmt-mp3 lame vorbis-tools opus-tools fluidsynth fluid-soundfont-gm hydrogen-drumkits tidy \
                  buildah podman debootstrap docker-compose
PYTHON_TOOLS   := mutagen=mutagen openapi_spec_validator=openapi-spec-validator schemathesis=schemathesis
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
SWIFT ?= swift
# The tests are built in release mode in the scratch folder of `make dist`, with the same flags: the
# modules dist compiled are not compiled again, only the test target is (docs/NOTES.md, "CI: where the
# time goes"). No test needs `@testable`: what tests reach beyond the public API is `package`.
TEST_BUILD := -c release --scratch-path .build-dist
# One build folder and one set of flags for everything: run, test, demo, dist and the bench targets
# all build in .build-dist, so `make run` after `make test` compiles nothing again.
BUILD := $(SWIFT) build -c release --scratch-path .build-dist --product downloader2
BIN := ./.build-dist/release/downloader2

.PHONY: run test lint build dist image deps test-deps demo accuracy parser-accuracy verify-accuracy bench bench-download bench-hash bench-convert bench-loudness bench-parser bench-swarm bench-footprint bench-api bench-pipeline clean

## Install what is missing, build in release mode, start the server with defaults.
run: deps
	$(BUILD)
	$(BIN) serve $(ARGS)

## Install what is missing and run the whole test suite (the appliance tests use `make dist`'s output).
# Two test processes at once, each running its tests one at a time. Within one process tests run one
# at a time: many run real programs (ffmpeg, ffprobe, mutagen, the binary itself) and wait for them,
# and two such waits at once hold both threads of Swift's cooperative pool on this 2-core machine,
# starving the in-process servers and orchestrators of other tests (docs/NOTES.md). Two processes
# have a pool each. TEST_SHARD names the suites of the first process (the accuracy sets and the
# suites that build or drive the most, about half the time by each suite's measured length); the
# second runs every other suite, so a new suite is never left out.
TEST_BINARY := .build-dist/release/downloader2PackageTests.xctest
TEST_SHARD := ^VerifyAccuracyTests\.|\.(ContainerImageTests|ClusterEndToEndTests|OpenAPIFuzzTests|VerificationTests|LoudnessTagTests|TicketStoreConformanceTests|InteropTests|SwarmTests)/
test: deps test-deps lint dist image
	$(SWIFT) build $(TEST_BUILD) --build-tests
	@DOWNLOADER2_SYSTEM_TESTS=1 scripts/test-summary.sh $(TEST_BINARY) '$(TEST_SHARD)'

## The code is as `swift format` writes it (.swift-format), C modules are imported internal and only
## by the code that wraps them, and no pattern is compiled with try! (part of `make test`).
lint:
	SWIFT=$(SWIFT) scripts/lint.sh

## The NAS build: dist/downloader2 (Swift runtime linked in, stripped; symbols in dist/downloader2.debug)
## and dist/downloader2_VERSION_ARCH.deb (systemd unit, /etc/downloader2/config.toml, /var/lib/downloader2).
dist: deps test-deps
	SWIFT=$(SWIFT) scripts/make-dist.sh

## The container image (Containerfile) from dist's .deb, built with docker, podman or buildah, written as
## the OCI archive dist/downloader2-image.tar (docker load / podman load); a Debian base is made here
## with debootstrap when debian:12-slim cannot be pulled.
image: dist
	@scripts/install-packages.sh buildah podman debootstrap
	scripts/image/build.sh

build: deps
	$(BUILD)

## apt-get update runs only when a package is missing (a fresh machine has no lists).
deps:
	@scripts/install-packages.sh $(BUILD_PACKAGES)
	@command -v $(SWIFT) >/dev/null || { echo "swift not found: install Swift 6.3 (https://swift.org/install) and put it on PATH"; exit 1; }

test-deps:
	@scripts/install-packages.sh $(TEST_PACKAGES)
	@scripts/install-python-tools.sh $(PYTHON_TOOLS)

## See downloader2 work in about a minute, offline: local swarm, fixture indexer, the service, one ticket.
demo: deps test-deps
	$(BUILD)
	scripts/demo.sh

## The matcher against its labelled cases: one line per case, then `accuracy: top1 N/M, wrong auto-approvals K`.
accuracy: deps
	$(SWIFT) build $(TEST_BUILD) --build-tests
	$(SWIFT) test $(TEST_BUILD) --skip-build --filter MatchingAccuracyTests 2>&1 | grep -E '^(ok|MISS|miss|wrong|accuracy)' ; exit $${PIPESTATUS[0]}

## The release-title parser on the development corpus and the held-out set: one line per miss, then `parser development: N/M` and `parser held-out: N/M`, per source and overall.
parser-accuracy: deps
	$(SWIFT) build $(TEST_BUILD) --build-tests
	$(SWIFT) test $(TEST_BUILD) --skip-build --filter ParserAccuracyTests 2>&1 | grep -E '^(miss|guided miss|parser)' ; exit $${PIPESTATUS[0]}

## The fake-lossless detector on its development set and its held-out set (Tests/VerifyHeldOut): confusion tables, misses, figures apart.
verify-accuracy: deps test-deps
	$(SWIFT) build $(TEST_BUILD) --build-tests
	DOWNLOADER2_SYSTEM_TESTS=1 $(SWIFT) test $(TEST_BUILD) --skip-build --filter "FakeLosslessAccuracyTests|HeldOutAccuracyTests" 2>&1 | grep -vE '^(◇|✔|\[|Test Suite|Test Case|Building|Build complete)' ; exit $${PIPESTATUS[0]}

## Benchmarks build in their own scratch folder so `swift test` never compiles them.
bench: deps test-deps
	DOWNLOADER2_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench --allow-writing-to-package-directory benchmark

## 512 MiB over loopback: downloader2's engine against aria2c, same seeder, same run.
bench-download: deps test-deps
	@scripts/install-packages.sh bc
	$(BUILD)
	scripts/bench-download.sh

## SHA-256: downloader2 hash vs openssl dgst and sha256sum on 1 GiB; parallel vs serial on 12 files.
bench-hash: deps
	@scripts/install-packages.sh bc
	$(BUILD)
	scripts/bench-hash.sh

## Conversion: downloader2 convert vs the ffmpeg CLI (-threads 1), speed and peak memory; a 12-track album on all cores.
bench-convert: deps test-deps
	@scripts/install-packages.sh bc time
	$(BUILD)
	scripts/bench-convert.sh

## Loudness (ReplayGain) while converting: a 12-track album with and without it, same run; ffmpeg's ebur128 pass beside it.
bench-loudness: deps test-deps
	@scripts/install-packages.sh bc ffmpeg
	$(BUILD)
	scripts/bench-loudness.sh

## Engine to engine: 1 GiB between two downloader2 processes over loopback, per way of dialling peers; aria2c → aria2c beside it.
bench-swarm: deps test-deps
	@scripts/install-packages.sh bc time opentracker aria2
	$(BUILD)
	scripts/bench-swarm.sh

## The NAS footprint: dist binary size, time to healthy, idle RSS, RSS with 1,000 tickets, peak RSS converting an album; qbittorrent-nox beside it.
bench-footprint: dist
	@scripts/install-packages.sh bc time ffmpeg qbittorrent-nox
	scripts/bench-footprint.sh

## The whole ticket: a 12-track album from an 8 MiB/s seeder, against aria2c then ffmpeg two at a time, same run.
bench-pipeline: deps test-deps
	@scripts/install-packages.sh bc opentracker aria2 ffmpeg
	$(BUILD)
	scripts/bench-pipeline.sh

## The API under wrk: GET /ticket/{id} with its history, GET /tickets, GET /health, POST /ticket; req/s and p99.
bench-api: deps
	@scripts/install-packages.sh wrk curl
	$(BUILD)
	scripts/bench-api.sh

## Release-title parser: titles per second on the real corpus, beside a loopback fetch of a 100-result indexer answer.
bench-parser: deps
	@scripts/install-packages.sh bc curl
	$(BUILD)
	scripts/bench-parser.sh

clean:
	rm -rf .build .build-dist .build-bench dist
