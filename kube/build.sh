#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a cache keyed by version, for the
# *KubeIT test tier and bench/run agent-footprint. Nothing comes from GitHub or a container registry.
#
#   kube/build.sh            prints the directory holding kube-apiserver and etcd (builds them if absent)
#
# Cache: $FLOTILLA_KUBE_CACHE (default ~/.cache/flotilla/kube)/<k8s version>-etcd<etcd version>/bin.
# A second run finds both binaries and returns at once. Concurrent runs serialise on a lock file.
set -euo pipefail

K8S_VERSION=v1.32.13
STAGING_VERSION=v0.32.13
# The module proxy here does not serve k8s.io/endpointslice@v0.32.13; v0.32.12 is API-identical.
ENDPOINTSLICE_VERSION=v0.32.12
ETCD_VERSION=v3.5.16   # the etcd Kubernetes 1.32 ships; >= 3.5.13 is needed for fabric8 watches (WatchList)

cache_root=${FLOTILLA_KUBE_CACHE:-$HOME/.cache/flotilla/kube}
dir="$cache_root/$K8S_VERSION-etcd$ETCD_VERSION"
bin="$dir/bin"
log() { echo "kube/build.sh: $*" >&2; }

if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ]; then
  echo "$bin"; exit 0
fi
command -v go >/dev/null || { log "go is not on the PATH"; exit 3; }
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -x "$bin/kube-apiserver" ] && [ -x "$bin/etcd" ]; then   # built by a concurrent run
  echo "$bin"; exit 0
fi

export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off
started=$(date +%s)

if [ ! -x "$bin/kube-apiserver" ]; then
  mod="$dir/src-kube"
  rm -rf "$mod"; mkdir -p "$mod"
  log "building kube-apiserver $K8S_VERSION (cold: several minutes; cached afterwards)"
  # k8s.io/kubernetes maps its staging modules to ./staging/...; a dependent module must map them
  # to published versions instead, so the replace block is generated from the module's own go.mod.
  gomod=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module flotilla.io/kubebuild"
    echo "go 1.23"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo "replace ("
    grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$gomod" | awk '{print $1}' | sort -u | while read -r m; do
      v=$STAGING_VERSION; [ "$m" = k8s.io/endpointslice ] && v=$ENDPOINTSLICE_VERSION
      echo "  $m => $m $v"
    done
    echo ")"
  } > "$mod/go.mod"
  cat > "$mod/tools.go" <<'GO'
//go:build tools

package kubebuild

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
  (cd "$mod" && go mod tidy >/dev/null)
  minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
  mkdir -p "$bin"
  (cd "$mod" && go build -trimpath -ldflags "$ldflags" -o "$bin/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
  mv "$bin/kube-apiserver.tmp" "$bin/kube-apiserver"
fi

if [ ! -x "$bin/etcd" ]; then
  mod="$dir/src-etcd"
  rm -rf "$mod"; mkdir -p "$mod"
  log "building etcd $ETCD_VERSION"
  # `go install go.etcd.io/etcd/server/v3@...` refuses (replace directives in its go.mod); as a
  # dependency of a small module it builds.
  cat > "$mod/go.mod" <<GOMOD
module flotilla.io/etcdbuild
go 1.23
require go.etcd.io/etcd/server/v3 $ETCD_VERSION
GOMOD
  cat > "$mod/tools.go" <<'GO'
//go:build tools

package etcdbuild

import _ "go.etcd.io/etcd/server/v3"
GO
  (cd "$mod" && go mod tidy >/dev/null)
  mkdir -p "$bin"
  (cd "$mod" && go build -trimpath -ldflags "-s -w" -o "$bin/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin/etcd.tmp" "$bin/etcd"
fi

log "built in $(( $(date +%s) - started )) s into $bin"
echo "$bin"
