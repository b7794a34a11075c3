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
# that panics on odd input fails CI; `make fuzz` digs deeper. A count, not
# a duration: Go 1.26's fuzz coordinator can report a bare "context
# deadline exceeded" failure when a -fuzztime duration ends mid-input on a
# busy machine (golang/go#75804, fixed in Go 1.27); a count has no deadline.
FUZZTIME_TEST ?= 5000x

.PHONY: all run build test services vet bench microbench lint fuzz faultrun clean screenshots

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

# PostgreSQL and Redis must answer on 127.0.0.1; with CI=true a missing
# service fails the tests instead of skipping them.
test: services vet
	$(GO) test -race -count=1 -timeout 20m $(PKGS)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_TEST)

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
