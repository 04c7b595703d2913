# Make targets wrap the sitegen binary; see README.md.
#
# The targets run a binary built from this clone (bin/sitegen), not go run:
# go run reports every failure as exit status 1 and adds its own line,
# while the binary's exit codes (1 for content errors, 2 for usage) reach
# make as they are, and a Ctrl-C in make serve stops the server cleanly
# (it exits 0; GNU make itself still ends by the interrupt, as it always
# does, but prints no error for the recipe).
#
#   make serve ADDR=0.0.0.0:8080      serve on another address
#   make build BASE_URL=https://user.github.io/repo/
GO ?= go
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin
BIN := bin/sitegen
ADDR ?=
BASE_URL ?=
# Flags passed through to the commands, each only when its variable is set.
SITE_FLAGS = $(if $(BASE_URL),--base-url "$(BASE_URL)")
SERVE_FLAGS = $(SITE_FLAGS) $(if $(ADDR),--addr "$(ADDR)")

.PHONY: build check serve install test vet lint fmt bench bench-go bench-serve clean mutate $(BIN)

# Phony, so that it is rebuilt each time: go's build cache makes that
# quick when nothing changed, and the binary never lags the source.
$(BIN):
	@$(GO) build -o $(BIN) ./generator/cmd/sitegen

build: $(BIN) ## build the site into public/ (BASE_URL=... to publish elsewhere)
	./$(BIN) build $(SITE_FLAGS)

check: $(BIN) ## everything build does, without writing
	./$(BIN) check $(SITE_FLAGS)

serve: $(BIN) ## build, serve at http://127.0.0.1:8080/ (ADDR=... for another) and rebuild on every save
	./$(BIN) serve $(SERVE_FLAGS)

install: ## put sitegen in $(GOBIN_DIR) (or GOBIN)
	$(GO) install ./generator/cmd/sitegen

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

bench: ## the table of issue 18 at 10,000 events (SCALE=1: and 100,000): builds against Hugo's, page sizes, browser figures, edit-to-reload (see README, "Performance")
	GO=$(GO) bash bench/run.sh

bench-go: ## the Go benchmarks of parsing and building (SITEGEN_BENCH_EVENTS=10000 for the large corpus)
	$(GO) test -run '^$$' -bench . -benchmem ./generator/content ./generator/build

bench-serve: ## edit-to-reload latency of serve, median and p95 over 20 edits: the real site and a 10,000-event corpus (see README, "Preview server")
	$(GO) test -run '^$$' -bench EditToReload -benchtime 20x -timeout 60m ./generator/

clean: ## remove the build output (only files the generator wrote are in it) and bin/
	rm -rf public bin
mutate: ## mutation testing of the safety-critical packages with gremlins (slow: see README, "Mutation testing"); PKGS=, WORKERS=, SINCE=
	GO=$(GO) PKGS="$(PKGS)" WORKERS="$(WORKERS)" SINCE="$(SINCE)" bash .ci/mutate
