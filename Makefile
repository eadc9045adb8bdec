# sdkaudit build and test entry points. `make test` is what CI runs.
GO ?= go
FUZZTIME ?= 10m
BENCHTIME ?= 5x

.PHONY: eval-agreement build test vet fixtures bench fuzz fuzz-smoke race-corpus eval-policy eval-sdk coverage clean

# A static binary (no libc) stamped with the version and the commit.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)
BIN ?= bin/sdkaudit

build:
	CGO_ENABLED=0 $(GO) build -ldflags "-s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)" -o $(BIN) ./cmd/sdkaudit

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test: vet
	$(GO) test -count=1 ./...

# Rebuilds fixtures/apk from fixtures/src with Debian's Android tools
# (aapt, smali, zipalign, apksigner), then the App Bundle from the split
# APKs and the iOS apps of fixtures/ipa with Go test helpers (no Apple
# tools). Tests only read the committed output.
fixtures:
	bash fixtures/build.sh
	$(GO) test -count=1 -run '^TestAABFixtureCurrent$$' ./analyzer/inventory/ -update-aab
	$(GO) test -count=1 -run '^TestIPAFixturesCurrent$$' ./analyzer/inventory/ -update-ipa

bench:
	$(GO) test -run='^$$' -bench=. -benchtime=$(BENCHTIME) -benchmem ./...
	bash docs/bench-compare.sh

# Each parser's fuzz target for FUZZTIME (go test -fuzz takes one target per
# run).
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzOpen$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/container/
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/manifest/
	$(GO) test -run='^$$' -fuzz='^FuzzParseProto$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/manifest/
	$(GO) test -run='^$$' -fuzz='^FuzzPlist$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/manifest/
	$(GO) test -run='^$$' -fuzz='^FuzzMachO$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/native/
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/dex/
	$(GO) test -run='^$$' -fuzz='^FuzzDecode$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/dex/
	$(GO) test -run='^$$' -fuzz='^FuzzScanRefs$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/dex/
	$(GO) test -run='^$$' -fuzz='^FuzzStaticStrings$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/dex/
	$(GO) test -run='^$$' -fuzz='^FuzzScanCalls$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/dex/
	$(GO) test -run='^$$' -fuzz='^FuzzAnalyze$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/callgraph/
	$(GO) test -run='^$$' -fuzz='^FuzzScan$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/inventory/
	$(GO) test -run='^$$' -fuzz='^FuzzSoleVersionString$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/inventory/
	$(GO) test -run='^$$' -fuzz='^FuzzReadDocument$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/document/
	$(GO) test -run='^$$' -fuzz='^FuzzDeclarationFile$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/policy/
	$(GO) test -run='^$$' -fuzz='^FuzzExtract$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/policy/
	$(GO) test -run='^$$' -fuzz='^FuzzWaivers$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/audit/
	$(GO) test -run='^$$' -fuzz='^FuzzLoadRules$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./rules/
	$(GO) test -run='^$$' -fuzz='^FuzzYAMLGuardPrefix$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./rules/
	$(GO) test -run='^$$' -fuzz='^FuzzEncoders$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./analyzer/report/

fuzz-smoke:
	$(MAKE) fuzz FUZZTIME=20s

# The batch tests under the race detector, over the third-party corpus
# (skipped when ../shared/corpus is absent): the worker pool, the shared
# rule engines and the ordered emitter with real inputs. Several minutes.
race-corpus:
	$(GO) test -race -count=1 -timeout=30m -run 'TestCorpusBatchDeterministic|TestCorpusEveryFormat|TestBatch|TestAuditBatch' ./cmd/sdkaudit/

# Precision and recall of the policy reader on published policies labelled
# by hand (fixtures/policies/real). The texts are kept out of the
# repository, in fixtures/policies/real/local; a missing one fails here.
eval-policy:
	SDKAUDIT_EVAL_REQUIRE=1 $(GO) test -count=1 -run '^TestRealPolicies$$' -v ./analyzer/policy/ | sed -n '/real policies:/,/^--- /p'

# How far two labellers agree: a second, blind labelling of a sample of the
# corpus (fixtures/policies/real/second) scored against the first labels,
# as the reader is. Needs no policy texts.
eval-agreement:
	$(GO) test -count=1 -run '^TestLabellerAgreement$$' -v ./analyzer/policy/ | sed -n '/labeller agreement:/,/^--- /p'

# Precision and recall of SDK detection on real apps labelled by hand
# (fixtures/apps/real): APKs from ../shared/corpus and the git-ignored
# fixtures/apps/real/local; a missing one fails here.
eval-sdk:
	SDKAUDIT_EVAL_REQUIRE=1 $(GO) test -count=1 -run '^TestRealApps$$' -v ./cmd/sdkaudit/ | sed -n '/real apps:/,/^--- /p'

# How many personal-data SDKs of Exodus Privacy's tracker list and of
# LibChecker's rules the embedded rules detect (rules/testdata/coverage).
# A measurement, not a gate; see docs/rules.md.
coverage:
	$(GO) test -count=1 -run '^TestDatabaseCoverage$$' -v ./rules/

clean:
	rm -rf bin
