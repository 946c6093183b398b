#!/bin/sh
# sqlite.sh — the sqlite3 command-line shell imports the CSV into a database
# file, then runs assess.sqlite.sql on it.
#
#   sh sqlite.sh FILE YYYYQn INCOME_LINE DBFILE [AGE_MIN AGE_MAX]
#
# Prints one line per assessment, "name count". DBFILE is replaced.
set -eu
file=$1 quarter=$2 line=$3 db=$4 age_min=${5:-6} age_max=${6:-15}
here=$(cd "$(dirname "$0")" && pwd)
case $quarter in
  [0-9][0-9][0-9][0-9][Qq][1-4]) ;;
  *) echo "sqlite.sh: bad quarter $quarter" >&2; exit 2 ;;
esac
ay=${quarter%??}
case ${quarter#?????} in
  1) am=3 ad=31 ;; 2) am=6 ad=30 ;; 3) am=9 ad=30 ;; *) am=12 ad=31 ;;
esac
case $line in
  *.?) cents=$(echo "$line" | tr -d .)0 ;;
  *.??) cents=$(echo "$line" | tr -d .) ;;
  *) cents=${line}00 ;;
esac
case $file in *\"*|*\'*) echo "sqlite.sh: unsupported file name" >&2; exit 2 ;; esac
rm -f "$db" "$db-journal"
sqlite3 -batch "$db" <<SQL
.output /dev/null
PRAGMA journal_mode = OFF;
.output stdout
PRAGMA synchronous = OFF;
.mode csv
.import "$file" raw
CREATE TEMP TABLE params AS
  SELECT $ay AS ay, $am AS am, $ad AS ad, $cents AS line_cents,
         $age_min AS age_min, $age_max AS age_max;
.mode list
.separator " "
.read "$here/assess.sqlite.sql"
SQL
rm -f "$db"
