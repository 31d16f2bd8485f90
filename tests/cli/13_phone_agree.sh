#!/bin/sh
# the C and the SQL phone normalisers agree (lib/phone.c and
# kota.phone_normalise) on the unit tests' numbers and the fuzz seeds;
# inputs the SQL is known to get wrong are TODO lines (phone_agree.c)
. "$KOTA_SRCDIR/tests/lib.sh"

run 0 "C and SQL normalise alike (phone_agree)" \
    "$KOTA_BUILDDIR/tests/integration/phone_agree" "dbname=$PGDATABASE" \
    "$KOTA_SRCDIR/tests/fuzz/corpus/phone"
sed 's/^/# phone_agree: /' "$OUT"
is "$(grep -c '^ok\|^not ok .* # TODO ' "$OUT")" "$(sed -n 's/^1\.\.//p' "$OUT")" \
    "every phone_agree line passed or is a known SQL bug (TODO)"
done_testing
