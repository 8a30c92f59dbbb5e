# ConsoleOperator: the project's verbs. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
# envtest's convention: the folder with kube-apiserver, etcd and kubectl the tests start a real API server from.
export KUBEBUILDER_ASSETS ?= /usr/local/kubebuilder/bin

TEST_PROJECTS := $(sort $(wildcard tests/*.Tests))
RESULTS := artifacts/test-results

.PHONY: deps restore build test e2e demo bench bench-quick crds rbac render images install clean

## deps: install the real parts the tests, demo and benchmarks use (Debian packages; kube-apiserver, etcd and kubectl in KUBEBUILDER_ASSETS).
deps:
	@tests/tools/install-deps.sh
	@tests/tools/install-kube-assets.sh

restore:
	$(DOTNET) restore ConsoleOperator.sln

## build: compile everything, warnings as errors.
build: restore
	$(DOTNET) build ConsoleOperator.sln --no-restore -c Debug

## test: install what is missing, build, run every test project (TEST_JOBS at a time, default 2), print `N passed, N failed, N skipped`.
test: deps build
	@rm -rf $(RESULTS); mkdir -p $(RESULTS); status=0; \
	DOTNET=$(DOTNET) tests/tools/run-test-projects.sh $(RESULTS) $(TEST_PROJECTS) || status=1; \
	tests/tools/summarize-trx.sh $(RESULTS) $(words $(TEST_PROJECTS)) || status=1; \
	exit $$status

## demo: a real console on loopback (redis-server, a QEMU VM, the proxy on 127.0.0.1:6080); prints the URL to open.
demo:
	@proxy/demo/demo.sh

## bench: the proxy against direct TCP, haproxy and websockify (with the fleet figures: live consoles, time to first frame); token minting through the operator.
# Each step prints its own Markdown table: the proxy (figures as ratios to direct TCP and websockify), then minting.
bench: deps
	tests/ConsoleProxy.Benchmarks/run.sh
	tests/e2e/image-bench.sh
	$(DOTNET) run -c Release --project tests/ConsoleOperator.Benchmarks -- mint
	$(DOTNET) run -c Release --project tests/ConsoleOperator.Benchmarks -- mint-real --count 10000

## bench-quick: the proxy part of bench once, with short windows and smaller counts (fleet figures included), under 5 minutes.
bench-quick:
	tests/ConsoleProxy.Benchmarks/run.sh --quick

OPERATOR := $(DOTNET) run --project operator/ConsoleOperator --
VERSION ?= $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)

## crds: regenerate crds/ and operator/deploy/crds/ from the C# API types (a test fails when they drift).
crds:
	$(OPERATOR) crds --output-dir crds
	$(OPERATOR) crds --output-dir operator/deploy/crds

## rbac: regenerate the operator's ClusterRole and Role in operator/deploy from the [EntityRbac] attributes.
rbac:
	$(OPERATOR) rbac --output-dir operator/deploy

## render: print what the operator would apply for the example ConsoleProxies (no cluster needed).
render:
	$(OPERATOR) render -f examples/quickstart-managed.yaml -f examples/external-redis.yaml -f examples/tls-allowed-origins.yaml

## images: the operator and proxy image tarballs in artifacts/images (no container engine or registry needed; see images/build.sh).
images:
	images/build.sh operator proxy

## e2e: the end-to-end suite on a real single-node cluster it brings up and takes down itself (tests/e2e/run.sh).
e2e: deps
	tests/e2e/run.sh

## install: `consoleproxy` and `console-operator` on a PATH: Release builds in $(PREFIX)/lib/consoleoperator/<command>/,
## linked from $(PREFIX)/bin (default PREFIX=/usr/local; PREFIX=$$HOME/.local needs no root). Needs the .NET 10 runtime.
PREFIX ?= /usr/local
install:
	@set -e; for tool in consoleproxy:proxy/ConsoleProxy console-operator:operator/ConsoleOperator; do \
	  name=$${tool%%:*}; project=$${tool#*:}; \
	  rm -rf "$(PREFIX)/lib/consoleoperator/$$name"; \
	  $(DOTNET) publish "$$project" -c Release --nologo -v quiet -o "$(PREFIX)/lib/consoleoperator/$$name"; \
	  mkdir -p "$(PREFIX)/bin"; ln -sfn "../lib/consoleoperator/$$name/$$name" "$(PREFIX)/bin/$$name"; \
	  echo "installed $(PREFIX)/bin/$$name"; \
	done

## clean: remove every build and test output.
clean:
	rm -rf artifacts
	find . -name bin -o -name obj -type d -prune -exec rm -rf {} + 2>/dev/null || true
