#!/usr/bin/env bash
# Consumer gate: install the packages built by `npx projen package-all` into a tiny Python CDK app, a
# tiny Java (Maven) CDK app and a tiny Go CDK app, synthesize a FailoverDns stack with each and assert on
# the template JSON.
#
#   bash test/consumers/run.sh [all|python|java|go]   (needs dist/python/*.whl, dist/java/**.jar, dist/go/)
#
# Python: venv test/consumers/python/.venv (git-ignored, reused while requirements.txt and the Python
#         version are unchanged; pip's own cache makes a fresh one cheap). Our wheel is force-reinstalled
#         every run, since every local build is version 0.0.0.
# Java:   dist/java/ is a Maven repository (jsii-pacmak's layout) used as a file:// repository by the pom;
#         our artifact is removed from ~/.m2 first so the fresh jar is resolved; aws-cdk-lib and plugins
#         stay cached in ~/.m2.
# Go:     test/consumers/go/go.mod replaces our module with dist/go/cdkmultiregionfailover and requires
#         aws-cdk-go v2.250.0, the nearest version >= 2.245.0 that this machine's Go proxy serves (see go.mod).
#         Cold (empty GOMODCACHE and GOCACHE, 2 cores): ~88 MB downloaded from GOPROXY (341 MB unpacked),
#         ~90 s to download and compile aws-cdk-go (~400 MB GOCACHE), 93 s for the whole Go part;
#         warm: ~7 s. go.sum is committed (-mod=readonly).
# All spawn `node` through the jsii runtime. No AWS credentials, no network beyond PyPI/Maven Central/GOPROXY.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/test/consumers"
WHAT="${1:-all}"
VERSION="$(node -p "require('$ROOT/package.json').version")"
CHECK=(python3 "$HERE/check_template.py")
# The jsii runtime inside the Python/Java apps repeats jsii's Node-20 end-of-life banner: known, harmless.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-$(node -p 'process.versions.node.split(".")[0]')}"

fail() {
  echo "consumers: FAILED: $*" >&2
  exit 1
}

now() { date +%s.%N; }
took() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

python_consumer() {
  local t0 wheel venv stamp want log
  t0="$(now)"
  wheel="$ROOT/dist/python/cdk_multi_region_failover-$VERSION-py3-none-any.whl"
  [[ -f "$wheel" ]] || fail "no $wheel (run: npx projen package:python)"
  venv="$HERE/python/.venv"
  want="$(python3 --version 2>&1) $(sha256sum "$HERE/python/requirements.txt" | cut -d' ' -f1)"
  stamp="$venv/.consumer-stamp"
  if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    echo "consumers(python): creating $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  # 1. the app's pins + the wheel's own dependencies (no-op when satisfied); 2. always our fresh wheel.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/python/requirements.txt" "$wheel"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
  echo "$want" >"$stamp"
  "$venv/bin/python" -m pip check --disable-pip-version-check >/dev/null || fail "pip check: broken dependencies in $venv"
  # Issue 18 item 3: the wheel's README (PyPI's page) has no TypeScript labelled as Python.
  python3 "$HERE/check_readme.py" "$wheel"
  echo "consumers(python): installed $(basename "$wheel") + aws-cdk-lib $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("aws-cdk-lib"))') in $(took "$t0") s"

  rm -rf "$HERE/python/cdk.out"
  mkdir -p "$HERE/python/cdk.out"
  log="$HERE/python/cdk.out/app-output.log"
  (cd "$HERE/python" && "$venv/bin/python" app.py) 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "python app failed"
  "${CHECK[@]}" "$HERE/python/cdk.out/ConsumerPython.template.json" "$log" python
  python3 "$HERE/check_assets.py" "$HERE/python/cdk.out" "$log"
  # Issue 11 items 3 and 4: alarm topics and the Stage/App account, with the CLI's account in the environment.
  rm -rf "$HERE/python/cdk.out-compose" "$HERE/python/cdk.out-compose-bad"
  log="$HERE/python/compose-output.log"
  (cd "$HERE/python" && CDK_DEFAULT_ACCOUNT=333333333333 "$venv/bin/python" compose_app.py) 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "python compose app failed"
  python3 "$HERE/check_compose.py" "$HERE/python/cdk.out-compose" "$log"
  # Issue 12: the outage simulator from the wheel: the jsii API and the console script (bin entry).
  "$venv/bin/python" "$HERE/check_simulator.py" "$ROOT/test/simulator/assemblies/failover-cname" || fail "python simulator check failed"
  # Issue 18 item 2: HostedZone.from_lookup in the four constructs, both passes of the CDK CLI (self-checking).
  (cd "$HERE/python" && "$venv/bin/python" lookup_app.py) 2>&1 | tee "$HERE/python/lookup-output.log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "python lookup app failed"
  echo "consumers(python): passed in $(took "$t0") s"
}

java_consumer() {
  local t0 repo jar log
  t0="$(now)"
  repo="$ROOT/dist/java/io/github/cdk-multi-region-failover/cdk-multi-region-failover"
  jar="$repo/$VERSION/cdk-multi-region-failover-$VERSION.jar"
  [[ -f "$jar" ]] || fail "no $jar (run: npx projen package:java)"
  command -v mvn >/dev/null || fail "mvn not found (install a JDK and Maven)"
  rm -rf "${HOME}/.m2/repository/io/github/cdk-multi-region-failover/cdk-multi-region-failover"

  rm -rf "$HERE/java/target" "$HERE/java/cdk.out"
  # (Debian's Maven prints bare colour resets even with -q: strip escape sequences.)
  (cd "$HERE/java" && mvn -q -B -ntp -Dstyle.color=never -Dmrf.version="$VERSION" \
    compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt 2>&1 |
    sed 's/\x1b\[[0-9;]*m//g') || fail "mvn could not build the Java consumer"
  echo "consumers(java): compiled against $(basename "$jar") in $(took "$t0") s"

  mkdir -p "$HERE/java/cdk.out"
  log="$HERE/java/cdk.out/app-output.log"
  (cd "$HERE/java" && java -cp "target/classes:$(cat target/classpath.txt)" \
    io.github.cdkmultiregionfailover.consumer.ConsumerApp "$HERE/java/cdk.out") 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "java app failed"
  "${CHECK[@]}" "$HERE/java/cdk.out/ConsumerJava.template.json" "$log" java
  echo "consumers(java): passed in $(took "$t0") s"
}

go_consumer() {
  local t0 module go log
  t0="$(now)"
  module="$ROOT/dist/go/cdkmultiregionfailover"
  [[ -f "$module/go.mod" ]] || fail "no $module/go.mod (run: npx projen package:go)"
  go="$(command -v go || echo /usr/local/go/bin/go)"
  [[ -x "$go" ]] || fail "go not found (install Go >= 1.25)"

  rm -rf "$HERE/go/cdk.out" "$HERE/go/consumer"
  (cd "$HERE/go" && "$go" build -mod=readonly -o consumer .) || fail "go build: the Go consumer does not compile against $module"
  echo "consumers(go): compiled against dist/go with $("$go" version | cut -d' ' -f3) in $(took "$t0") s"

  mkdir -p "$HERE/go/cdk.out"
  log="$HERE/go/cdk.out/app-output.log"
  (cd "$HERE/go" && ./consumer "$HERE/go/cdk.out") 2>&1 | tee "$log"
  [[ ${PIPESTATUS[0]} -eq 0 ]] || fail "go app failed"
  "${CHECK[@]}" "$HERE/go/cdk.out/ConsumerGo.template.json" "$log" go
  python3 "$HERE/check_assets.py" "$HERE/go/cdk.out" "$log" go
  echo "consumers(go): passed in $(took "$t0") s"
}

case "$WHAT" in
  all) python_consumer; java_consumer; go_consumer ;;
  python) python_consumer ;;
  java) java_consumer ;;
  go) go_consumer ;;
  *) fail "usage: bash test/consumers/run.sh [all|python|java|go]" ;;
esac
echo "consumers: passed ($WHAT)"
