#!/usr/bin/env bash
# `npm run k8s:validate`: renders every overlay with kustomize and validates each object against the
# Kubernetes JSON schemas with kubeconform -strict (unknown fields and duplicate keys are errors).
# Offline-friendly: tools and schemas are installed on first use into .infra/ (git-ignored):
#   - kustomize + kubeconform with `go install` (Go module proxy);
#   - schemas from the PyPI package kubernetes-validate (k8s/schemas.py says why and how).
# Env: KUBERNETES_VERSION (1.33.0), KUSTOMIZE_VERSION, KUBECONFORM_VERSION, KUBERNETES_VALIDATE_VERSION.
# `--tools` installs kustomize and kubeconform and stops (tests/deploy renders with that kustomize).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.2}"         # v5.8.3 needs Go 1.27
KUBECONFORM_VERSION="${KUBECONFORM_VERSION:-v0.8.0}"
KUBERNETES_VERSION="${KUBERNETES_VERSION:-1.33.0}"
KUBERNETES_VALIDATE_VERSION="${KUBERNETES_VALIDATE_VERSION:-1.37.0}"
BIN="$PWD/.infra/bin"
SCHEMAS="$PWD/.infra/k8s-schemas/v${KUBERNETES_VERSION}-strict"

step() { printf '[k8s] %s\n' "$*"; }
die() {
  printf '[k8s] FAILED: %s\n' "$1" >&2
  [ $# -gt 1 ] && printf '  next step: %s\n' "${@:2}" >&2
  exit 1
}

# A binary counts only at the pinned version (a stale one from an older checkout is replaced).
install_tool() {
  local name="$1" module="$2" version="$3" marker="$BIN/.$1-$3"
  if [ -x "$BIN/$name" ] && [ -f "$marker" ]; then return; fi
  command -v go >/dev/null 2>&1 || die "'go' is needed to install $name" "install Go (https://go.dev/dl) or put $name $version in $BIN"
  step "installing $name $version (go install, first run only)"
  mkdir -p "$BIN"
  GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "$module@$version" || die "go install $module@$version failed" "check access to the Go module proxy"
  rm -f "$BIN/.$name-"*
  touch "$marker"
}

install_schemas() {
  [ -f "$SCHEMAS/_definitions.json" ] && return
  command -v python3 >/dev/null 2>&1 || die "python3 is needed to fetch the Kubernetes schemas" "install python3 and pip"
  step "fetching Kubernetes ${KUBERNETES_VERSION} JSON schemas (PyPI kubernetes-validate ${KUBERNETES_VALIDATE_VERSION}, first run only)"
  local tmp
  tmp="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}" ||
    die "pip download kubernetes-validate failed" "check access to PyPI, or set KUBERNETES_VALIDATE_VERSION"
  python3 k8s/schemas.py "$tmp"/kubernetes_validate-*.whl "$KUBERNETES_VERSION" "$SCHEMAS.partial" || { rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp" "$SCHEMAS"
  mv "$SCHEMAS.partial" "$SCHEMAS"
}

install_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
install_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
[ "${1:-}" = --tools ] && exit 0
install_schemas

location="$SCHEMAS/{{ .ResourceKind }}{{ .KindSuffix }}.json"
kubeconform() { "$BIN/kubeconform" -strict -summary -schema-location "$location" "$@"; }

# The ConfigMap copies of the ACL files must hold what the services ship with (same JSON; the
# layout may differ: config/routes.json keeps one route per line, prettier formats the copy).
for file in acl-resources.json routes.json; do
  node -e 'const [a, b] = process.argv.slice(1).map((f) => JSON.stringify(JSON.parse(require("fs").readFileSync(f, "utf8"))));
           process.exit(a === b ? 0 : 1)' "config/$file" "k8s/base/config-files/$file" ||
    die "k8s/base/config-files/$file differs from config/$file" "cp config/$file k8s/base/config-files/$file"
done

# The validator must be able to fail: an unknown field has to be rejected, not skipped.
if printf 'apiVersion: v1\nkind: Service\nmetadata: {name: probe}\nspec: {ports: [{port: 80}], bogus: 1}\n' | kubeconform - >/dev/null 2>&1; then
  die "kubeconform accepted an unknown field: the schemas are not being applied" "rm -rf $SCHEMAS and rerun"
fi

status=0
for overlay in k8s/overlays/*/; do
  name="$(basename "$overlay")"
  step "overlay $name: kustomize build | kubeconform -strict (Kubernetes $KUBERNETES_VERSION)"
  rendered="$("$BIN/kustomize" build "$overlay")" || { status=1; continue; }
  printf '%s\n' "$rendered" | kubeconform - || status=1
done
[ "$status" -eq 0 ] || die "some manifests are invalid (see above)" "fix them and rerun npm run k8s:validate"
step "all overlays valid"
