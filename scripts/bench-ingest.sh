#!/usr/bin/env bash
# Benchmarks of the push path (issue [P2] item 8), release build. One JSON object per line.
#
#   scripts/bench-ingest.sh [ROWS] [all|memory]     # default 1,000,000 and all
#
# 1. `xinrong bench ingest --rows ROWS` on a scratch SQLite file, and on PostgreSQL and MariaDB
#    when BENCH_POSTGRES_ADMIN / BENCH_MYSQL_ADMIN name a server (an empty database `xrbench` is
#    created and dropped there). Each prints rows, seconds, rows_per_s, the baseline loader
#    (COPY / sqlite3 .import / prepared loop), baseline_rows_per_s and ratio, from one run.
# 2. Bounded memory: peak RSS of `xinrong ingest` for files of ROWS/10 and ROWS rows of one item
#    (housing-fund deposits of a demo city of ROWS enterprises) on SQLite; the peaks should be
#    about equal, whatever the file's size.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
mode=${2:-all}
cargo build --release --quiet
bin=$PWD/target/release/xinrong
export XINRONG_LOG=warn

if [ "$mode" = all ]; then
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
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="sqlite://$dir/mem.db"
"$bin" --database-url "$db" --ledger-key "$dir/key" demo --enterprises "$rows" --records-per-enterprise 0 --format json >/dev/null
provider=$("$bin" --database-url "$db" orgs list --kind provider --format json |
  python3 -c 'import json,sys; print(next(o["id"] for o in json.load(sys.stdin) if "housing_fund.deposit_statistics_12m" in o.get("items", [])))')
"$bin" --database-url "$db" export enterprises --format csv | python3 -c '
import csv, sys
rows = csv.reader(sys.stdin)
next(rows)
with open(sys.argv[1], "w") as out:
    for uscc in (r[0] for r in rows):
        out.write(uscc + "\n")
' "$dir/subjects"
for n in $((rows / 10)) "$rows"; do
  python3 - "$n" "$dir/deposits-$n.csv" "$dir/subjects" <<'PY'
import sys
n, path, subjects = int(sys.argv[1]), sys.argv[2], open(sys.argv[3]).read().split()
with open(path, "w") as f:
    f.write("uscc,avg_monthly_depositors_12m,total_deposit_12m,consecutive_normal_months_12m\n")
    for i in range(n):
        f.write(f"{subjects[i]},{i % 50 + 1},{(i % 50 + 1) * 14160}.{n % 100:02},{i % 12 + 1}\n")
PY
  /usr/bin/time -f '%M %e' -o "$dir/time" "$bin" --database-url "$db" --ledger-key "$dir/key" \
    ingest --item housing_fund.deposit_statistics_12m --provider "$provider" "$dir/deposits-$n.csv" >/dev/null
  read -r kib secs < "$dir/time"
  bytes=$(stat -c %s "$dir/deposits-$n.csv")
  echo "{\"memory\":\"ingest\",\"rows\":$n,\"file_bytes\":$bytes,\"seconds\":$secs,\"peak_rss_kib\":$kib}"
done
