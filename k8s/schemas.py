"""Kubernetes JSON schemas for kubeconform, offline.

kubeconform downloads its schemas from GitHub by default, which CI cannot reach. The PyPI package
`kubernetes-validate` ships the same schemas (generated from the Kubernetes OpenAPI) for every
recent Kubernetes version, split into one file per kind plus a shared `_definitions.json` that the
kind files reference as `/api/_definitions.json` under their `$id` (https://kubernetes.io/api/...).
Resolved as URLs, those references would send kubeconform to kubernetes.io. This script extracts
one version from the wheel and rewrites each file so the references resolve to the local file:
the `$id` goes, `/api/_definitions.json#...` becomes `_definitions.json#...` (relative to the file).
File names already follow kubeconform's template: `{{ .ResourceKind }}{{ .KindSuffix }}.json`
(`deployment-apps-v1.json`, `service-v1.json`).

    python3 k8s/schemas.py <kubernetes_validate wheel> <version, e.g. 1.33.0> <output dir>
"""

import json
import sys
import zipfile
from pathlib import Path


def main(wheel: str, version: str, out: str) -> int:
    prefix = f"kubernetes_validate/kubernetes-json-schema/v{version}-local-strict/"
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if not name.startswith(prefix) or not name.endswith(".json"):
                continue
            schema = json.loads(archive.read(name))
            schema.pop("$id", None)
            text = json.dumps(schema).replace('"/api/_definitions.json#', '"_definitions.json#')
            (target / name[len(prefix):]).write_text(text)
            count += 1
    if count == 0 or not (target / "_definitions.json").exists():
        available = sorted({n.split("/")[2] for n in zipfile.ZipFile(wheel).namelist() if n.count("/") > 2 and "json-schema/" in n})
        print(f"schemas.py: no strict schemas for Kubernetes {version} in {wheel}; available: {', '.join(available)}", file=sys.stderr)
        return 1
    print(f"schemas.py: {count} schema files for Kubernetes {version} in {target}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
