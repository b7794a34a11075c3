# Targets for developers and CI. `make test` is what .ci/run runs.
GO      ?= go
PKGS    ?= ./...
# Fuzz targets as package:FuzzName; add a line to fuzz a new one.
FUZZ_TARGETS ?= \
	./bot/twilio:FuzzWebhookForm \
	./bot/twilio:FuzzStatusCallback \
	./bot/twilio:FuzzParseRetryAfter \
	./bot/twilio:FuzzSplitSMS \
	./bot/telegram:FuzzWebhookUpdate \
	./bot/email:FuzzWebhookForm \
	./bot/telegram:FuzzRetryAfter \
	./bot/webchat:FuzzPostMessage \
	./bot/webchat:FuzzSessionCookie \
	./bot/console:FuzzCounterForm \
	./bot/api:FuzzParseCaseQuery \
	./casestore:FuzzNormalizePhone \
	./casestore:FuzzNormalizePostcode \
	./casestore:FuzzParseDate \
	./casestore/importfile:FuzzParseAmount \
	./casestore/importfile:FuzzParseDay \
	./casestore/importfile:FuzzParseCSV \
	./casestore/importfile:FuzzParseJSON \
	./dialogs:FuzzParseAmount \
	./dialogs:FuzzParseDate \
	./dialogs:FuzzUnderstand \
	./dialogs:FuzzStep
FUZZTIME ?= 10s
# The race detector: `make test` uses it where the code under test runs
# concurrently, `make race` everywhere. Under -race the SQLite engine
# (modernc.org/sqlite, pure Go, so instrumented too) runs 5 to 20 times
# slower, and most of the suite's CPU went there: measured on 2 cores,
# `go test ./...` took 257 CPU-seconds without -race and about 930 with
# it. (Compiling only the engine without -race inside a race binary,
# -gcflags 'modernc.org/...=-race=false', gave false reports inside
# encoding/json's type cache -- missing happens-before edges through
# uninstrumented code -- so a binary is either all race or not at all.)
# NORACE_PKGS run without the detector: packages whose code starts no
# goroutine (checked: no `go` statement outside their tests) and whose
# tests make no concurrent calls except those RACE_ALSO names, which run a
# second time with -race. NORACE_TESTS are tests in race packages whose
# subject is not concurrency and whose cost is SQLite work (the
# whole-conversation sets run conversations side by side only for speed,
# each on its own store): they run without the detector, and are skipped
# in the race run. A new package runs under -race unless added here.
MODULE  := github.com/incassobot/incassobot
NORACE_PKGS ?= $(addprefix $(MODULE)/, \
	casestore casestore/bankfile casestore/demo casestore/importfile \
	casestore/sqlite casestore/sqlite/sqlitetest casestore/storetest \
	dialogs docs \
	bot/api bot/portal bot/console bot/email bot/payments bot/stripe \
	bot/debtordocs bot/twilio bot/clientip bot/logsafe \
	bot/internal/casepdf bot/internal/dossierview bot/internal/mediafile)
# Both as 'package:-run pattern'; NORACE_SKIP is NORACE_TESTS' patterns
# for -skip.
NORACE_TESTS ?= './bot:^TestConversationSets$$'
NORACE_SKIP  ?= ^TestConversationSets$$
RACE_ALSO ?= \
	'./bot/console:^TestClaimRaceHasOneWinner$$' \
	'./casestore/sqlite:^(TestTwoProcessesOnOneFile|TestConformance)$$/(Concurrent|^DossierChain$$|^Plan$$|^PaymentPath$$)'
# Everything else under -race; cmd/incassobot (the longest package, its
# end-to-end tests) first, so it starts first.
ALL_PKGS = $(shell $(GO) list $(PKGS))
RACE_PKGS = $(filter $(MODULE)/cmd/incassobot,$(ALL_PKGS)) \
	$(filter-out $(NORACE_PKGS) $(MODULE)/cmd/incassobot,$(ALL_PKGS))
PLAIN_PKGS = $(filter $(NORACE_PKGS),$(ALL_PKGS))
RACE    ?= -race
# Tests marked t.Parallel (cmd/incassobot's end-to-end tests, the store
# conformance suites) mostly wait on processes and servers: four at a
# time per package, not GOMAXPROCS (2).
PARALLEL ?= 4
# go vet runs in full before the tests; `go test`'s own vet pass (a subset
# of the same checks) would only repeat it.
TESTFLAGS ?= -count=1 -timeout 20m -vet=off -parallel $(PARALLEL)

.PHONY: all run build test test-race test-plain race services vet bench microbench lint fuzz faultrun clean screenshots

all: lint test

run:
	$(GO) run ./cmd/incassobot serve

build:
	$(GO) build -o bin/incassobot ./cmd/incassobot

services:
	scripts/ensure-services.sh
	scripts/ensure-chromium.sh

vet:
	$(GO) vet $(PKGS)

# `make test` (what .ci/run runs, with CI=true): go vet, then every test
# of every package once: under the race detector where the code under
# test runs concurrently, without it elsewhere (see RACE above); the two
# runs go side by side. Nothing is skipped: PostgreSQL and Redis must
# answer on 127.0.0.1; with CI=true a missing service fails the tests
# instead of skipping them. The aim: under 6 minutes on a quiet 2-core
# machine (measured: see README, "Commands").
# No fuzzing: the seed corpora (f.Add and testdata/fuzz) run as plain
# tests here; the random walk is `make fuzz` (10s a target), for a nightly
# or before a release. A walk of 1000 inputs a target in `make test` cost
# about 4.5 minutes on 2 cores (each target builds its own instrumented
# binary) and searched too little to find much.
# What keeps it there (keep it so when adding tests):
# - stores are copied, not migrated, per test: casestore/sqlite/sqlitetest
#   copies a file migrated once per test binary, and
#   casestore/postgres/pgstoretest copies (CREATE DATABASE ... TEMPLATE) a
#   database migrated once per schema; migrating is tested on its own;
# - password hashing at bcrypt's lowest cost in tests (webtest.Main);
# - cmd/incassobot builds its binary once per run, not once per test, and
#   its tests run in parallel (each has its own database, Redis prefix,
#   ports and temp dirs), as do the store conformance suites;
# - SQLite-heavy sequential tests run without the race detector.
test: services vet
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-race test-plain

# The race half of `make test`.
test-race:
	$(if $(strip $(RACE_PKGS)),$(GO) test $(RACE) $(TESTFLAGS) -skip '$(NORACE_SKIP)' $(RACE_PKGS))
	@set -e; for t in $(RACE_ALSO); do \
		echo "$(GO) test $(RACE) -run '$${t#*:}' $${t%%:*}"; \
		$(GO) test $(RACE) $(TESTFLAGS) -run "$${t#*:}" "$${t%%:*}"; \
	done

# The half of `make test` without the race detector.
test-plain:
	$(if $(strip $(PLAIN_PKGS)),$(GO) test $(TESTFLAGS) $(PLAIN_PKGS))
	@set -e; for t in $(NORACE_TESTS); do \
		echo "$(GO) test -run '$${t#*:}' $${t%%:*}"; \
		$(GO) test $(TESTFLAGS) -run "$${t#*:}" "$${t%%:*}"; \
	done

# Every test with the race detector and nothing else: the tests of `make
# test`, all of them under -race (and without vet).
race: services
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

# The figures of docs/BENCHMARKS.md, regenerated (about 8 minutes; a smoke
# run: BENCH_QUICK=1 make bench). Micro-benchmarks: make microbench.
bench: services
	scripts/bench.sh

microbench:
	$(GO) test -run XXX -bench . -benchtime 1s $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go' 2>/dev/null || find . -name '*.go' -not -path './.git/*')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

# The long fault run (restarts of Redis and PostgreSQL, SIGKILL of the
# server, under load); `make test` runs the short version. Sized by the
# FAULTRUN_* variables, see scripts/faultrun.sh.
faultrun: services
	scripts/faultrun.sh

# Refreshes the pictures in docs/screenshots from the real-browser tests.
screenshots: services
	SCREENSHOTS=docs/screenshots $(GO) test -count=1 -run Browser ./bot/webchat/
	SCREENSHOTS=docs/screenshots $(GO) test -count=1 -run TestE2EConsole ./cmd/incassobot/
	SCREENSHOTS=docs/screenshots $(GO) test -count=1 -run TestE2EPortal ./cmd/incassobot/
	SCREENSHOTS=docs/screenshots $(GO) test -count=1 -run TestE2EPages ./cmd/incassobot/

clean:
	rm -rf bin incassobot.db incassobot.db-wal incassobot.db-shm
