#!/usr/bin/env bash
# Runs every benchmark of issue 9 and prints one table (figure, value, target, pass/FAIL); the same table is
# written as markdown to artifacts/benchmarks.md for README's "Performance" section.
#
#   test/WhatsAppChannel.Benchmarks/run.sh                 # everything (about 3 minutes on 2 cores)
#   test/WhatsAppChannel.Benchmarks/run.sh pipeline throughput [--repetitions 5]
#   modes: pipeline throughput instances coldstart memory size campaign; options: --runs N (cold starts) --invocations N (memory)
#   --instances 1,4,8,16 --messages N (instances on one number) --out FILE
#
# Builds what the chosen modes need, unless given (e.g. to reuse CI's publish):
#   BENCH_AOT_BOOTSTRAP  AOT bootstrap executable   (default: src/WhatsAppChannel.Bootstrap/package.sh's publish)
#   BENCH_AOT_ZIP        deployment zip              (default: artifacts/whatsapp-channel-x86_64.zip)
#   BENCH_JIT_BOOTSTRAP  JIT bootstrap.dll           (default: dotnet build -f net10.0 of the bootstrap)
# Exit status: 0 all targets met, 1 a target missed, other = a build or run failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

modes=()
for arg in "$@"; do
  case "$arg" in pipeline|throughput|instances|coldstart|memory|size|campaign|all) modes+=("$arg") ;; esac
done
wants() { # wants MODE: true when MODE runs (no modes given = all)
  [[ ${#modes[@]} -eq 0 ]] && return 0
  local m; for m in "${modes[@]}"; do [[ "$m" == all || "$m" == "$1" ]] && return 0; done
  return 1
}
step() { printf '\n==> %s\n' "$*" >&2; }
started=$SECONDS

if wants instances && [[ ! -f test/tools/node_modules/dynalite/cli.js ]]; then
  step "install the npm test tools (dynalite stands in for DynamoDB in the instances run)"
  npm ci --prefix test/tools --no-audit --no-fund --loglevel=error
fi

step "build benchmarks (Release)"
dotnet build test/WhatsAppChannel.Benchmarks/WhatsAppChannel.Benchmarks.csproj -c Release -v q -nologo

if (wants coldstart || wants memory || wants size || wants instances) && [[ -z "${BENCH_AOT_BOOTSTRAP:-}" ]]; then
  step "publish the AOT bootstrap and its zip (src/WhatsAppChannel.Bootstrap/package.sh)"
  if src/WhatsAppChannel.Bootstrap/package.sh x86_64; then
    export BENCH_AOT_BOOTSTRAP="$root/artifacts/publish/bootstrap-linux-x64/bootstrap"
    export BENCH_AOT_ZIP="${BENCH_AOT_ZIP:-$root/artifacts/whatsapp-channel-x86_64.zip}"
  else
    echo "warning: package.sh failed; the AOT figures will show as not measured" >&2
  fi
fi

if wants coldstart && [[ -z "${BENCH_JIT_BOOTSTRAP:-}" ]]; then
  step "build the JIT bootstrap (net10.0, Release)"
  if dotnet build src/WhatsAppChannel.Bootstrap/WhatsAppChannel.Bootstrap.csproj -c Release -f net10.0 -v q -nologo; then
    export BENCH_JIT_BOOTSTRAP="$root/src/WhatsAppChannel.Bootstrap/bin/Release/net10.0/bootstrap.dll"
  else
    echo "warning: the JIT bootstrap did not build; the cold-start figures will show as not measured" >&2
  fi
fi

step "run benchmarks (builds took $((SECONDS - started)) s)"
status=0
dotnet test/WhatsAppChannel.Benchmarks/bin/Release/net10.0/WhatsAppChannel.Benchmarks.dll "$@" || status=$?
echo "total: $((SECONDS - started)) s" >&2
exit "$status"
