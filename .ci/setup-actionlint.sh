#!/usr/bin/env bash
# Installs actionlint, which a Go test (generator/site/workflows_test.go)
# runs over .github/workflows/*.yml. Pinned: a new release may add checks,
# and a lint should change only when we choose to upgrade it.
set -euo pipefail
version=v1.7.12
if command -v actionlint >/dev/null 2>&1 && actionlint -version | head -n1 | grep -qx "$version"; then
  exit 0
fi
go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
