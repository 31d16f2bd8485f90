#!/bin/sh
# the C and the SQL phone normalisers agree (lib/phone.c and
# kota.phone_normalise) on the unit tests' numbers and the fuzz seeds;
# inputs the SQL is known to get wrong are skipped, with why (phone_agree.c)
. "$KOTA_SRCDIR/tests/lib.sh"

run 0 "C and SQL normalise alike (phone_agree)" \
    "$KOTA_BUILDDIR/tests/integration/phone_agree" "dbname=$PGDATABASE" \
    "$KOTA_SRCDIR/tests/fuzz/corpus/phone"
subtest phone_agree "$OUT"
done_testing
