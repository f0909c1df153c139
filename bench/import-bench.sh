#!/usr/bin/env bash
# Times preview and commit of a generated registry (default 20,000 rows) against the demo
# region, with the release build. Usage: bench/import-bench.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-20000}"
db="postgres://postgres@127.0.0.1:5432/gospublic_import_bench"
out="target/bench"; mkdir -p "$out"
. bench/common.sh
dropdb -h 127.0.0.1 -U postgres --if-exists --force gospublic_import_bench
DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
formats="csv"
python3 -c "import openpyxl" 2>/dev/null && formats="csv xlsx"
for fmt in $formats; do
  file="$out/orgs-$rows.$fmt"
  python3 bench/gen_orgs.py "$rows" "$file"
  echo "== $file ($(du -h "$file" | cut -f1))"
  for step in preview commit again; do
    flag=""; [ "$step" != preview ] && flag="--commit"
    start=$(date +%s.%N)
    DATABASE_URL="$db" "$bin" import organizations "$file" --region altai-krai $flag \
      > "$out/import-$fmt-$step.txt" 2> "$out/import-$fmt-$step.err" || { cat "$out/import-$fmt-$step.err"; exit 1; }
    end=$(date +%s.%N)
    printf '%-8s wall %.2f s; %s; %s\n' "$step" "$(echo "$end - $start" | bc)" \
      "$(grep -h 'took' "$out/import-$fmt-$step.err" | tr '\n' ' ')" "$(sed -n 2p "$out/import-$fmt-$step.txt")"
  done
  # The next format starts from the same registry.
  dropdb -h 127.0.0.1 -U postgres --if-exists --force gospublic_import_bench
  DATABASE_URL="$db" "$bin" seed-demo >/dev/null 2>&1
done
