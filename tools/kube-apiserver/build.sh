#!/usr/bin/env bash
# Builds kube-apiserver, etcd and kubectl from the module versions pinned in go.mod/go.sum (verified against the Go
# checksum database on download) into the directory layout io.fabric8:kube-api-test reads in offline mode:
#
#   <cache>/<key>/k8s/<kubernetes version>-linux-amd64/{kube-apiserver,etcd,kubectl}
#
# <cache> is $FJR_KUBE_CACHE, default ~/.cache/flink-job-runner/kube (outside the repository, so a clean clone or
# `mvn clean` does not pay the build again); <key> hashes everything the binaries are built from (go.mod, go.sum, the
# main packages, this script, the Go toolchain and target platform), so a change to any of them builds anew and an
# unchanged tree reuses the binaries. With a link path argument, that path becomes a symlink to <cache>/<key>/k8s,
# which is where the service tests look (the Maven build passes service/target/kube-api-test-binaries). Builds of
# other keys unused for 30 days are removed.
#
# Usage: tools/kube-apiserver/build.sh [link]
set -euo pipefail
link=""
if [ $# -ge 1 ]; then
  case "$1" in /*) link="$1" ;; *) link="$PWD/$1" ;; esac
fi
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: the Go toolchain (go 1.26 or newer) is needed to build the test API server; install it" >&2
  exit 1
fi

# The Kubernetes version the binaries report, and the directory name kube-api-test selects them by.
k8s_module_version="$(awk '$1 == "k8s.io/kubernetes" { print $2 }' go.mod | head -n 1)"
if [ -z "$k8s_module_version" ]; then
  echo "build.sh: go.mod does not require k8s.io/kubernetes" >&2
  exit 1
fi
k8s_version="${k8s_module_version#v}"
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"

key="$( {
  go version
  echo "$goos/$goarch"
  cat build.sh go.mod go.sum
  find cmd -name '*.go' -type f | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done
} | sha256sum | cut -c1-16)"
cache="${FJR_KUBE_CACHE:-$HOME/.cache/flink-job-runner/kube}"
root="$cache/$key"
bin="$root/k8s/$k8s_version-$goos-$goarch"

if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ] && [ -x "$bin/kubectl" ]; then
  echo "build.sh: cached kube-apiserver/etcd/kubectl $k8s_version in $bin"
  touch "$root"
else
  echo "build.sh: building kube-apiserver, etcd and kubectl $k8s_version into $bin (once per go.mod/sources change)"
  started=$(date +%s)
  staging="$(mktemp -d "$cache/.build-$key.XXXXXX" 2>/dev/null || { mkdir -p "$cache" && mktemp -d "$cache/.build-$key.XXXXXX"; })"
  trap 'rm -rf "$staging"' EXIT
  mkdir -p "$staging/k8s/$k8s_version-$goos-$goarch"
  # -mod=readonly: go.mod/go.sum are the pins; a build that would change them fails instead of drifting.
  # The version variables are what `kube-apiserver --version` and the /version endpoint report, as in a release.
  go build -mod=readonly -trimpath -buildvcs=false \
    -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$k8s_module_version \
      -X k8s.io/component-base/version.gitMajor=$(echo "$k8s_version" | cut -d. -f1) \
      -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2) \
      -X k8s.io/component-base/version.gitTreeState=clean" \
    -o "$staging/k8s/$k8s_version-$goos-$goarch/" ./cmd/kube-apiserver ./cmd/etcd ./cmd/kubectl
  mkdir -p "$cache"
  # Publish atomically: a concurrent build of the same key may have won the race; either result is identical.
  if ! mv -T "$staging" "$root" 2>/dev/null; then
    echo "build.sh: $root appeared meanwhile (a concurrent build); using it"
  fi
  echo "build.sh: built in $(( $(date +%s) - started )) s"
fi

# Builds of older sources (about 150 MB each) go once unused for 30 days; another checkout may still use a newer one.
find "$cache" -mindepth 1 -maxdepth 1 -type d -name '[0-9a-f]*' -mtime +30 -exec rm -rf {} + 2>/dev/null || true

if [ -n "$link" ]; then
  mkdir -p "$(dirname "$link")"
  ln -sfn "$root/k8s" "$link"
  echo "build.sh: $link -> $root/k8s"
fi
