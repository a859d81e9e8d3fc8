#!/usr/bin/env bash
# Benchmark: `xinrong demo --enterprises N` on a fresh SQLite file, release build.
# Prints one JSON object per run: {"enterprises", "seconds", "per_s", "budget_seconds", "ratio_to_budget"}.
# The issue's baseline is a budget of 60 s for 100,000 enterprises; ratio_to_budget < 1 meets it.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-3}
cargo build --release --quiet
bin=target/release/xinrong
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d)
  start=$(date +%s.%N)
  XINRONG_LOG=warn "$bin" --database-url "sqlite://$dir/bench.db" demo --enterprises "$n" --records-per-enterprise 0 --seed "$i" --format json >/dev/null
  end=$(date +%s.%N)
  python3 - "$n" "$start" "$end" <<'PY'
import json, sys
n, start, end = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
s = end - start
budget = 60.0 * n / 100000
print(json.dumps({"enterprises": n, "seconds": round(s, 3), "per_s": round(n / s), "budget_seconds": budget, "ratio_to_budget": round(s / budget, 4)}))
PY
  rm -rf "$dir"
done
