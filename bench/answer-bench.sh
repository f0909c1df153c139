#!/usr/bin/env bash
# What one answer costs to write in the largest region of the national data set (seed-scale,
# as dashboard-bench.sh and history-bench.sh make it), trigger by trigger: each of ANSWERS
# open questions answered as an answer from the platform does it, each in a subtransaction
# rolled back, so the data set is left as it was. It prints the answer's median and 90th
# percentile, and each summary function's mean time per answer.
# Usage: bench/answer-bench.sh [ANSWERS]  (DB=gospublic_bench_scale)
set -euo pipefail
cd "$(dirname "$0")/.."
answers="${1:-40}"
db="${DB:-gospublic_bench_scale}"
psql -X -q -h 127.0.0.1 -U postgres -d "$db" -v answers="$answers" -f bench/answer-bench.sql
