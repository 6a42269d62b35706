"""pip-audit over the locked set (requirements.lock + requirements-dev.lock).

Fails on any known vulnerability that docs/security.md does not explain (the ids in
.ci/audit-explained.txt, one per line with its reason). pip-audit itself reports "No
known vulnerabilities found" even when it could audit nothing (a registry mirror that
does not serve per-release JSON, no route to api.osv.dev): this says how many packages
were really checked, and says loudly when none could be.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPLAINED = ROOT / ".ci" / "audit-explained.txt"


def explained_ids() -> set[str]:
    lines = EXPLAINED.read_text().splitlines() if EXPLAINED.exists() else []
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def main() -> int:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--requirement",
                str(ROOT / "requirements.lock"),
                "--requirement",
                str(ROOT / "requirements-dev.lock"),
                "--no-deps",
                "--disable-pip",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                report.name,
            ],
            capture_output=True,
            text=True,
        )
        if not Path(report.name).stat().st_size:
            print(result.stderr.strip()[-2000:], file=sys.stderr)
            print("pip-audit could not run: no vulnerability service answered.", file=sys.stderr)
            return 0 if "ConnectionError" in result.stderr else 1
        dependencies = json.loads(Path(report.name).read_text())["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", [])]
    unexplained = [f for f in found if f[2] not in explained_ids()]
    print(f"pip-audit: {len(audited)} of {len(dependencies)} locked packages audited.")
    if not audited:
        print(
            "NOT AUDITED: the vulnerability service (pypi.org's per-release JSON) did not "
            "answer for any package from this machine; run `make audit` where it does "
            "(docs/security.md)."
        )
    for name, version, vuln in found:
        state = "explained" if (name, version, vuln) not in unexplained else "UNEXPLAINED"
        print(f"  {name} {version}: {vuln} ({state})")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
