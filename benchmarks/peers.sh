#!/usr/bin/env bash
# W1 side by side with the NumPy/PyTorch peers (../shared/peers, beside a checkout), back to back in one sitting,
# with the FP64 peak measured in the same run; prints a markdown table (steps/s, ratio to the best peer, GFLOP/s
# credited 4·L·n·d, % of the measured peak, 1 → 2 thread scaling) and keeps the raw JSON lines.
#
#   benchmarks/peers.sh                    # this machine as it is (AVX-512 where it has it)
#   benchmarks/peers.sh --avx2             # AVX-512 switched off everywhere: .NET (DOTNET_EnableAVX512=0), OpenBLAS
#                                          # (OPENBLAS_CORETYPE=Haswell), PyTorch (--cpu-capability avx2), C peak: AVX2 row
#   benchmarks/peers.sh --peers DIR        # the peers' folder (default ../shared/peers)
#   benchmarks/peers.sh --shapes "L,d,n …" # other shapes than the issue's three (for example "8192,16,4096 2048,128,8192")
#   benchmarks/peers.sh --summarize FILE   # the table of an earlier run's JSON lines
#
# Setup of the peers (Debian): apt-get install -y python3-numpy python3-scipy python3-torch python3-threadpoolctl
# libopenblas0-pthread. Takes about 5 minutes on 2 cores. The peers run under $PYTHON (default: the first of python3 and
# /usr/bin/python3 that imports NumPy and PyTorch; a pyenv shim first on PATH does not see Debian's packages).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
peers=../shared/peers
avx2=0
summarize=""
shapes="4096,64,4096 16384,32,1024 1024,256,16384"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --peers) peers="$2"; shift 2 ;;
    --avx2) avx2=1; shift ;;
    --summarize) summarize="$2"; shift 2 ;;
    --shapes) shapes="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option '$1' (known: --peers DIR, --avx2, --shapes \"L,d,n …\", --summarize FILE)" >&2; exit 2 ;;
  esac
done

table() {
  python3 - "$1" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
peak = {}
# The peak of the widest kernel the run may use: the one the marker names (--avx2), else the fastest measured.
kernel = next((r["kernel"] for r in rows if r.get("kernel_wanted")), None)
for r in rows:
    if r.get("bench") == "peak_fp64" and (kernel is None or r["kernel"] == kernel):
        peak[r["threads"]] = max(peak.get(r["threads"], 0), r["gflops_median"])
    if r.get("impl") == "csharp-fma":
        peak.setdefault("csharp", {})[r["threads"]] = r["gflops"]
ours, peer = {}, {}
for r in rows:
    if r.get("impl") == "meanfield":
        ours[(r["L"], r["d"], r["n"], r["act"], r["threads"])] = r
    elif r.get("bench") == "w1":
        key = (r["L"], r["d"], r["n"], r["act"])
        peer.setdefault(key, {})[r["peer"]] = r["steps_per_s_median"]
p2 = peak.get(2)
print(f"FP64 peak, 2 threads: C {p2} GFLOP/s (1 thread {peak.get(1)}); C# {peak.get('csharp', {}).get(2)} (1 thread {peak.get('csharp', {}).get(1)})")
print()
print("| L, d, n | act | ours (schedule) | NumPy | PyTorch | ours / best peer | GFLOP/s (4·L·n·d) | % of peak | 1 → 2 threads |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for key, values in peer.items():
    L, d, n, act = key
    o = ours.get((L, d, n, act, 2))
    if o is None:
        continue
    one = ours.get((L, d, n, act, 1))
    best = max(values.values())
    gf = 4.0 * L * n * d * o["steps_per_s"] / 1e9
    scaling = f"{o['steps_per_s'] / one['steps_per_s']:.2f}×" if one else "—"
    print(f"| {L}, {d}, {n} | {act} | {o['steps_per_s']:.2f} ({o.get('used', o.get('schedule'))}) | {values.get('numpy', float('nan')):.2f} | "
          f"{values.get('torch_manual', float('nan')):.2f} | {o['steps_per_s'] / best:.2f}× | {gf:.0f} | "
          f"{100 * gf / p2:.0f} % | {scaling} |")
PY
}

if [[ -n "$summarize" ]]; then table "$summarize"; exit 0; fi
for shape in $shapes; do
  [[ "$shape" =~ ^[1-9][0-9]*,[1-9][0-9]*,[1-9][0-9]*$ ]] \
    || { echo "--shapes: '$shape' is not L,d,n (three positive integers, comma-separated; shapes separated by spaces)" >&2; exit 2; }
done
[[ -f "$peers/w1_numpy.py" ]] || { echo "no peers in '$peers' (pass --peers DIR)" >&2; exit 2; }
if [[ -z "${PYTHON:-}" ]]; then
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import numpy, torch' 2>/dev/null; then PYTHON="$candidate"; break; fi
  done
fi
"${PYTHON:-python3}" -c 'import numpy, torch' 2>/dev/null \
  || { echo "PYTHON='${PYTHON:-python3}' cannot import numpy and torch; install the peers' packages (see --help) or set PYTHON" >&2; exit 2; }
out_dir=artifacts/benchmarks
mkdir -p "$out_dir"
suffix=""
if [[ $avx2 == 1 ]]; then suffix="-avx2"; fi
raw="$out_dir/peers-$(date -u +%Y%m%d-%H%M%S)$suffix.jsonl"
dotnet build benchmarks/MeanField.Benchmarks -c Release -nologo -v quiet >/dev/null
dll=benchmarks/MeanField.Benchmarks/bin/Release/net10.0/MeanField.Benchmarks.dll
gcc -O3 -march=native -fopenmp "$peers/peak_fp64.c" -o "$out_dir/peak_fp64"
if [[ $avx2 == 1 ]]; then
  export DOTNET_EnableAVX512=0
  echo '{"kernel_wanted": true, "kernel": "avx2_fma"}' >"$raw"
  numpy=(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=Haswell "$PYTHON" "$peers/w1_numpy.py" --tuned)
  torch=(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE=Haswell OPENBLAS_THREAD_TIMEOUT=4 OMP_WAIT_POLICY=PASSIVE "$PYTHON" "$peers/w1_torch_manual.py" --cpu-capability avx2 --thp)
else
  : >"$raw"
  numpy=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" "$peers/w1_numpy.py" --tuned)
  torch=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" "$peers/w1_torch_manual.py" --tuned)
fi
for t in 1 2; do "$out_dir/peak_fp64" $t >>"$raw"; done
dotnet "$dll" peak >>"$raw"
for shape in $shapes; do
  set -- ${shape//,/ }
  for act in tanh relu; do
    echo "W1 L=$1 d=$2 n=$3 $act ..." >&2
    dotnet "$dll" w1 --L "$1" --d "$2" --n "$3" --act "$act" --threads 2 >>"$raw"
    dotnet "$dll" w1 --L "$1" --d "$2" --n "$3" --act "$act" --threads 1 --steps 7 >>"$raw"
    "${numpy[@]}" --L "$1" --d "$2" --n "$3" --act "$act" --threads 2 >>"$raw"
    "${torch[@]}" --L "$1" --d "$2" --n "$3" --act "$act" --threads 2 >>"$raw"
  done
done
echo "raw results: $raw" >&2
table "$raw"
