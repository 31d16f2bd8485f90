#!/bin/sh
# contrib/scale/simulate.sh, the national load model of doc/SCALE.md: the
# country it builds adds up, its rates follow from load.conf's settings,
# and overrides reach the result.  (No server: it is arithmetic, kept
# honest so that doc/SCALE.md's figures can be regenerated.)
. "$KOTA_SRCDIR/tests/lib.sh"
SIM=$KOTA_SRCDIR/contrib/scale/simulate.sh
CONF=$KOTA_SRCDIR/contrib/scale/load.conf
DATA=$KOTA_SRCDIR/contrib/scale/jurisdictions.tsv
setting() { sed -n "s/^$1=\([^[:space:]#]*\).*/\1/p" "$CONF"; }

run 0 "simulate.sh --list" sh "$SIM" --list
is "$(wc -l <"$OUT" | tr -d ' ')" "$(setting jurisdictions)" "it holds every kabupaten/kota"
sum=$(awk -F'\t' '{ s += $2 } END { printf "%d", s }' "$OUT")
people=$(($(setting population) * 1000))
ok "$(awk -v s="$sum" -v w="$people" 'BEGIN { d = s - w; exit !(d < 1000 && d > -1000) }'; echo $?)" \
    "their people add up to the country ($sum of $people)"
bogor=$(awk -F'\t' '$1 == "Kab. Bogor" { print $3 * 1000 }' "$DATA")
like "$(cat "$OUT")" "^Kab\\. Bogor	$bogor\$" "a listed one keeps its figure ($bogor)"
max=$(awk -F'\t' '/^other / && $2 > m { m = $2 } END { print m }' "$OUT")
min=$(awk -F'\t' '/^other / && (m == "" || $2 < m) { m = $2 } END { print m }' "$OUT")
ok "$([ "$max" -le $(($(setting rest_max) * 1000)) ] && [ "$min" -gt 0 ]; echo $?)" \
    "the filled-in ones lie between 0 and rest_max ($min to $max)"

run 0 "simulate.sh" sh "$SIM"
like "$(cat "$OUT")" "^Kota, a national deployment: $(setting jurisdictions) kabupaten/kota" \
    "it names the country's size"
# the high rate's peak hour, from the formula of doc/SCALE.md
peak=$(awk -v p="$people" -v r="$(setting rate_high)" -v m="$(setting wet_month)" \
    -v w="$(setting weekday)" -v h="$(setting peak_hour)" \
    'BEGIN { printf "%.1f", p * r / 365 * m * w * h / 3600 }')
like "$(grep '^peak hour, rainy working day' "$OUT")" " $peak\$" \
    "the peak hour is a year's requests / 365 x wet month x weekday x peak share ($peak/s)"
flood=$(grep '^the same, flood region flooded' "$OUT" | awk '{ print $NF }')
ok "$(awk -v f="$flood" -v p="$peak" 'BEGIN { exit !(f > p) }'; echo $?)" \
    "a flood raises it ($flood/s)"

run 0 "simulate.sh with the high rate doubled" sh "$SIM" rate_high="$(awk -v r="$(setting rate_high)" 'BEGIN { print 2 * r }')"
flood2=$(grep '^the same, flood region flooded' "$OUT" | awk '{ print $NF }')
ok "$(awk -v a="$flood2" -v b="$flood" 'BEGIN { d = a - 2 * b; exit !(d < 0.2 && d > -0.2) }'; echo $?)" \
    "doubles the peak ($flood2/s)"
sh "$SIM" >"$OUT.a"
sh "$SIM" node_storage_tb=0.5 >"$OUT.b"
a=$(grep '^workers for storage' "$OUT.a" | awk '{ print $NF }')
b=$(grep '^workers for storage' "$OUT.b" | awk '{ print $NF }')
ok "$([ "$b" -gt "$a" ]; echo $?)" "smaller nodes need more workers for the data ($a, then $b)"

run 2 "an unknown setting is refused" sh "$SIM" no_such_thing=1
like "$(cat "$ERR")" "no setting no_such_thing" "by name"
run 2 "a stray argument is a usage error" sh "$SIM" fast
done_testing
