#!/usr/bin/env bash
# Benchmarks of the push path (issue [P2] item 8), release build. One JSON object per line.
#
#   scripts/bench-ingest.sh [ROWS]          # default 1,000,000
#
# 1. `xinrong bench ingest --rows ROWS` on a scratch SQLite file, and on PostgreSQL and MariaDB
#    when BENCH_POSTGRES_ADMIN / BENCH_MYSQL_ADMIN name a server (an empty database `xrbench` is
#    created and dropped there). Each prints rows, seconds, rows_per_s, the baseline loader
#    (COPY / sqlite3 .import / prepared loop), baseline_rows_per_s and ratio, from one run.
# 2. Bounded memory: peak RSS of `xinrong ingest` for files of ROWS/10 and ROWS rows of one item
#    (court judgments over 200 demo enterprises) on SQLite; the two peaks should be about equal.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
cargo build --release --quiet
bin=$PWD/target/release/xinrong
export XINRONG_LOG=warn

"$bin" bench ingest --rows "$rows"
if [ -n "${BENCH_POSTGRES_ADMIN:-}" ]; then
  psql "$BENCH_POSTGRES_ADMIN" -qc 'DROP DATABASE IF EXISTS xrbench' -c 'CREATE DATABASE xrbench' >/dev/null
  "$bin" --database-url "${BENCH_POSTGRES_ADMIN%/*}/xrbench" bench ingest --rows "$rows"
  psql "$BENCH_POSTGRES_ADMIN" -qc 'DROP DATABASE xrbench' >/dev/null
fi
if [ -n "${BENCH_MYSQL_ADMIN:-}" ]; then
  mariadb ${BENCH_MYSQL_ADMIN} -e 'DROP DATABASE IF EXISTS xrbench; CREATE DATABASE xrbench CHARACTER SET utf8mb4'
  "$bin" --database-url "mysql://root@127.0.0.1:3306/xrbench" bench ingest --rows "$rows"
  mariadb ${BENCH_MYSQL_ADMIN} -e 'DROP DATABASE xrbench'
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="sqlite://$dir/mem.db"
"$bin" --database-url "$db" --ledger-key "$dir/key" demo --enterprises 200 --format json >/dev/null
provider=$("$bin" --database-url "$db" orgs list --kind provider --format json |
  python3 -c 'import json,sys; print(next(o["id"] for o in json.load(sys.stdin) if "法院" in o["name"]))')
usccs=$("$bin" --database-url "$db" export enterprises --format csv | python3 -c 'import csv,sys; r=csv.reader(sys.stdin); next(r); print(" ".join(x[0] for x in r))')
for n in $((rows / 10)) "$rows"; do
  python3 - "$n" "$dir/judgments-$n.csv" $usccs <<'PY'
import sys
n, path, subjects = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
with open(path, "w") as f:
    f.write("uscc,case_no,cause_of_action\n")
    for i in range(n):
        f.write(f"{subjects[i % len(subjects)]},（2026）豫01民初{n}-{i}号,买卖合同纠纷\n")
PY
  /usr/bin/time -f '%M %e' -o "$dir/time" "$bin" --database-url "$db" --ledger-key "$dir/key" \
    ingest --item judicial.court_judgments --provider "$provider" "$dir/judgments-$n.csv" >/dev/null
  read -r kib secs < "$dir/time"
  bytes=$(stat -c %s "$dir/judgments-$n.csv")
  echo "{\"memory\":\"ingest\",\"rows\":$n,\"file_bytes\":$bytes,\"seconds\":$secs,\"peak_rss_kib\":$kib}"
done
