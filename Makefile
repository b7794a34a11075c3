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
# The fuzz stage of `make test`: every target briefly, so a parser change
# that panics on odd input fails CI; `make fuzz` digs deeper. The seed
# corpora (f.Add and testdata/fuzz) already run in the plain `go test`
# stage; this stage adds a short random walk per target. 1000 inputs, not
# 5000: most of the stage's time was the 5000 inputs (about two minutes
# for 21 targets on 2 cores), and the deep search is `make fuzz`'s job
# (10s a target, FUZZTIME=1m for longer). A count, not a duration: Go
# 1.26's fuzz coordinator can report a bare "context deadline exceeded"
# failure when a -fuzztime duration ends mid-input on a busy machine
# (golang/go#75804, fixed in Go 1.27); a count has no deadline.
FUZZTIME_TEST ?= 1000x
# The race detector, on every package of `make test`. (Compiling the
# SQLite engine, modernc.org/sqlite, without it -- -gcflags
# 'modernc.org/...=-race=false' -- makes SQLite 5 to 20 times faster under
# -race, but when tried, bot's TestRepliesOfADeadSenderAreNotSentTwice
# reported data races inside encoding/json's type cache every time, which
# plain -race does not; until that is understood the engine stays
# instrumented, and the tests avoid SQLite work instead: see below.)
RACE    ?= -race

.PHONY: all run build test race services vet bench microbench lint fuzz faultrun clean screenshots

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

# `make test` (what .ci/run runs, with CI=true): go vet, every test of
# every package with the race detector, then every fuzz
# target for FUZZTIME_TEST inputs. Nothing is skipped: PostgreSQL and Redis
# must answer on 127.0.0.1; with CI=true a missing service fails the tests
# instead of skipping them. The aim: under 6 minutes on a quiet 2-core
# machine.
# What keeps it there (keep it so when adding tests):
# - stores are copied, not migrated, per test: casestore/sqlite/sqlitetest
#   copies a file migrated once per test binary, and
#   casestore/postgres/pgstoretest copies (CREATE DATABASE ... TEMPLATE) a
#   database migrated once per schema; migrating is tested on its own;
# - password hashing at bcrypt's lowest cost in tests (webtest.Main);
# - cmd/incassobot builds its binary once per run, not once per test.
test: services vet
	$(GO) test $(RACE) -count=1 -timeout 20m $(PKGS)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_TEST)

# Every test with the race detector and nothing else: `make test` without
# the fuzz stage (and without vet).
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
