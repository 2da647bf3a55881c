#!/usr/bin/env bash
# Runs the tracking suite (BenchmarkDotNet, the short "Tracking" job: ~2 min on 2 cores) and compares it
# with the committed baseline, printing one row per benchmark. Exit code: 0 no regression, 1 regression
# (or a benchmark failed), 2 bad input. Regressed methods are run a second time, and only a regression that
# reproduces fails (--no-confirm: the first run decides). See benchmarks/README.md ("Tracking regressions").
#
#   benchmarks/track.sh                          # run everything, compare with this machine type's baseline
#   benchmarks/track.sh --filter '*W1*'          # a subset (the others show as "missing in current")
#   benchmarks/track.sh --refresh [--runs 3]     # new baseline: per benchmark the median of 3 full runs
#   benchmarks/track.sh --baseline F --threshold 0.15 --alloc-tolerance 0 --alloc-tolerance-relative 0.01
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# One baseline per machine type: the CPU's microarchitecture (vendor and family from /proc/cpuinfo), the core count and
# the widest vector ISA. The ISA alone does not tell the hosts apart: a Zen 4 and a Zen 5 both have AVX-512, and the
# Zen 4 runs it on 256-bit units at half the Zen 5's FP64 peak (115 against 220-265 GFLOP/s on 2 cores).
isa=avx2
grep -qw avx512f /proc/cpuinfo 2>/dev/null && isa=avx512
vendor="$(awk -F': ' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
family="$(awk -F': ' '/^cpu family/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
model="$(awk -F': ' '/^model\t/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)"
case "$vendor:$family" in
  AuthenticAMD:26) arch=amd-zen5 ;;
  AuthenticAMD:25) if [[ $isa == avx512 ]]; then arch=amd-zen4; else arch=amd-zen3; fi ;;
  AuthenticAMD:23) arch=amd-zen2 ;;
  AuthenticAMD:*) arch="amd-family$family-model$model" ;;
  GenuineIntel:*) arch="intel-family$family-model$model" ;;
  *) arch="cpu-$(uname -m)" ;;
esac
baseline="${MEANFIELD_BASELINE:-benchmarks/baselines/$arch-$(nproc)c-$isa-linux-x64.json}"
threshold=0.10
alloc_tolerance=0
alloc_tolerance_relative=0.01
refresh=0
confirm=1
runs=3
bdn_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline) baseline="$2"; shift 2 ;;
    --threshold) threshold="$2"; shift 2 ;;
    --alloc-tolerance) alloc_tolerance="$2"; shift 2 ;;
    --alloc-tolerance-relative) alloc_tolerance_relative="$2"; shift 2 ;;
    --refresh) refresh=1; shift ;;
    --no-confirm) confirm=0; shift ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) bdn_args+=("$1"); shift ;;   # passed to BenchmarkDotNet (--filter, --anyCategories, ...)
  esac
done

project=benchmarks/MeanField.Benchmarks
out_dir=artifacts/benchmarks
if [[ $refresh -eq 0 && ! -f "$baseline" ]]; then
  echo "no baseline for this machine type ($baseline: $arch, $(nproc) cores, ISA $isa): make one on an idle machine with" >&2
  echo "  benchmarks/track.sh --refresh   (or pass another with --baseline F / MEANFIELD_BASELINE)" >&2
  exit 2
fi

stamp="$(date -u +%Y%m%d-%H%M%S)"
current="$out_dir/tracking-$stamp.json"
log="$out_dir/track-$stamp.log"
mkdir -p "$out_dir"

echo "building $project (Release) ..."
dotnet build "$project" -c Release -nologo -v quiet >"$log" 2>&1 || { cat "$log"; exit 2; }

echo "running the tracking suite (BenchmarkDotNet output: $log) ..."
start=$SECONDS
set +e
dotnet run -c Release --no-build --project "$project" -- track --out "$current" --artifacts "$out_dir" "${bdn_args[@]}" >>"$log" 2>&1
track_rc=$?
set -e
echo "ran in $((SECONDS - start)) s; results: $current"
if [[ $track_rc -ne 0 ]]; then
  tail -n 30 "$log"
  echo "track failed (exit code $track_rc); see $log" >&2
  [[ -f "$current" ]] || exit 2
fi

if [[ $refresh -eq 1 ]]; then
  if [[ $track_rc -ne 0 ]]; then
    echo "not refreshing $baseline from a run with failures" >&2
    exit 1
  fi
  all=("$current")
  for ((k = 2; k <= runs; k++)); do
    echo "refresh: run $k of $runs ..."
    more="$out_dir/tracking-$stamp-$k.json"
    dotnet run -c Release --no-build --project "$project" -- track --out "$more" --artifacts "$out_dir" "${bdn_args[@]}" >>"$log" 2>&1 \
      || { tail -n 30 "$log"; echo "run $k failed; baseline not refreshed" >&2; exit 1; }
    all+=("$more")
  done
  mkdir -p "$(dirname "$baseline")"
  dotnet run -c Release --no-build --project "$project" -- merge --out "$baseline" "${all[@]}"
  echo "baseline refreshed: $baseline (review and commit it)"
  exit 0
fi

compare() { # baseline current [extra compare options]
  dotnet run -c Release --no-build --project "$project" -- compare "$1" "$2" --threshold "$threshold" --alloc-tolerance "$alloc_tolerance" --alloc-tolerance-relative "$alloc_tolerance_relative" "${@:3}"
}

set +e
compare "$baseline" "$current" --regressed-filters "$out_dir/regressed-$stamp.txt"
compare_rc=$?
set -e

# On a shared machine a burst of load can slow a few consecutive benchmarks by more than their own error:
# a regression counts only if it reproduces when the regressed methods run once more.
if [[ $compare_rc -eq 1 && $confirm -eq 1 ]]; then
  mapfile -t filters <"$out_dir/regressed-$stamp.txt"
  echo
  echo "confirming: running ${filters[*]} again ..."
  confirm_file="$out_dir/tracking-$stamp-confirm.json"
  set +e
  dotnet run -c Release --no-build --project "$project" -- track --out "$confirm_file" --artifacts "$out_dir" --filter "${filters[@]}" >>"$log" 2>&1
  set -e
  [[ -f "$confirm_file" ]] || { echo "the confirming run failed; see $log" >&2; exit 1; }
  echo
  set +e
  compare "$baseline" "$confirm_file" --confirming "$current"
  compare_rc=$?
  set -e
  [[ $compare_rc -eq 0 ]] && echo "(the first run's regressions did not reproduce)"
fi

if [[ $compare_rc -eq 0 && $track_rc -ne 0 ]]; then
  exit 1
fi
exit $compare_rc
