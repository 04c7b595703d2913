# Make targets wrap the generator's CLI; see README.md.
GO ?= go
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin

.PHONY: build check serve test vet lint fmt bench bench-serve clean mutate

build: ## build the site into public/
	$(GO) run ./generator build

check: ## everything build does, without writing
	$(GO) run ./generator check

serve: ## build, serve at http://127.0.0.1:8080/ and rebuild on every save
	$(GO) run ./generator serve

test: lint ## run every test (browser and validator tests need tools that .ci/run installs)
	$(GO) test -count=1 ./...

vet:
	$(GO) vet ./...

lint: vet ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l generator bench); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	@if command -v staticcheck >/dev/null 2>&1; then staticcheck ./...; \
	elif [ -x "$(GOBIN_DIR)/staticcheck" ]; then "$(GOBIN_DIR)/staticcheck" ./...; \
	elif [ "$$CI" = "true" ]; then echo "staticcheck missing: .ci/run installs it"; exit 1; \
	else echo "staticcheck not installed; skipping it (install: go install honnef.co/go/tools/cmd/staticcheck@latest)"; fi

fmt:
	gofmt -w generator bench

bench: ## our build against Hugo's on a synthetic corpus, then the Go benchmarks (see README, "Performance")
	GO=$(GO) bash bench/run.sh
	$(GO) test -run '^$$' -bench . -benchmem ./generator/content ./generator/build

bench-serve: ## edit-to-reload latency of serve, median and p95 over 20 edits: the real site and a 10,000-event corpus (see README, "Preview server")
	$(GO) test -run '^$$' -bench EditToReload -benchtime 20x -timeout 60m ./generator/

clean: ## remove the build output (only files the generator wrote are in it)
	rm -rf public

mutate: ## mutation testing of the safety-critical packages with gremlins (slow: ~15 min; see README, "Mutation testing")
	GO=$(GO) PKGS="$(PKGS)" bash .ci/mutate
