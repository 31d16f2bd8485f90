#!/bin/sh
# reads and writes told apart by libkota's API (lib/db.h): a write declared
# as a read fails loudly under the check of reads the suite turns on
. "$KOTA_SRCDIR/tests/lib.sh"

is "${KOTA_DB_CHECK_READS:-}" 1 "the suite runs every program with the check of reads"
run 0 "reads and writes (db_kinds)" "$KOTA_BUILDDIR/tests/integration/db_kinds" "dbname=$PGDATABASE"
subtest db_kinds "$OUT"
done_testing
