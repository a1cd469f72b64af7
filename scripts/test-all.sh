#!/usr/bin/env bash
# Runs every test stage (after `make setup`), keeps going after a failing stage, and ends with one
# line `N passed, N failed` that adds up the tests of all stages. Per-stage reports land in
# build/test-results/.
set -u
cd "$(dirname "$0")/.."
out=build/test-results
rm -rf "$out" && mkdir -p "$out"
passed=0
failed=0
stages=()

count() { # count STAGE PASSED FAILED
  passed=$((passed + $2)); failed=$((failed + $3))
  stages+=("$1: $2 passed, $3 failed")
}

check() { # check STAGE COMMAND... — a stage that counts as one test
  echo "=== $1"
  if "${@:2}"; then count "$1" 1 0; else count "$1" 0 1; fi
}

json_counts() { # json_counts FILE EXPR_PASSED EXPR_FAILED (python expressions over `d`)
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2, $3)" "$1" 2>/dev/null || echo "0 1"
}

check lint npm run --silent lint
check typecheck npm run --silent typecheck

echo "=== jest"
npx jest --ci --json --outputFile="$out/jest.json"
read -r p f < <(json_counts "$out/jest.json" "d['numPassedTests']" "d['numFailedTests'] + d['numRuntimeErrorTestSuites']")
count jest "$p" "$f"

echo "=== notebooks"
.venv/bin/python test/notebooks/run_notebooks.py --kernels tslab,deno --out build/notebooks notebooks | tee "$out/notebooks.txt"
read -r p f < <(tail -n 1 "$out/notebooks.txt" | awk '/passed, .* failed/ {print $1, $3; next} {print 0, 1}')
count notebooks "$p" "$f"

echo "=== python"
.venv/bin/python -m pytest -q test/python --junitxml="$out/pytest.xml"
read -r p f < <(python3 - "$out/pytest.xml" <<'PY' 2>/dev/null || echo "0 1"
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot()
s = s if s.tag == "testsuite" else s.find("testsuite")
t, f, e, k = (int(s.get(a, 0)) for a in ("tests", "failures", "errors", "skipped"))
print(t - f - e - k, f + e)
PY
)
count python "$p" "$f"

echo "=== ui"
(cd test/ui && npx playwright test)
read -r p f < <(json_counts "$out/ui.json" "d['stats']['expected']" "d['stats']['unexpected'] + d['stats'].get('flaky', 0)")
count ui "$p" "$f"

check browser_check bash scripts/browser-check.sh

echo
printf '%s\n' "${stages[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
