#!/bin/sh
# po/id.po has every message the sources mark, translated, none fuzzy, and
# msgfmt -c accepts it: an Indonesian screen never falls back to English
. "$KOTA_SRCDIR/tests/lib.sh"

cd "$KOTA_SRCDIR" || exit 1
T=$KOTA_TEST_TMP
# the options of po/Makevars, so that the messages are the ones make sees
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' po/POTFILES.in >"$T/files"
run 0 "xgettext over po/POTFILES.in" xgettext --keyword=_ --keyword=N_ \
    --from-code=UTF-8 --add-comments=TRANSLATORS: -o "$T/kota.pot" -f "$T/files"
run 0 "msgmerge po/id.po with the sources' messages" \
    msgmerge --no-fuzzy-matching -q -o "$T/id.po" po/id.po "$T/kota.pot"
run 0 "msgfmt -c --statistics" msgfmt -c --statistics -o /dev/null "$T/id.po"
stats=$(cat "$ERR")
like "$stats" '^[0-9]+ translated messages\.$' "every message translated, none fuzzy ($stats)"
# which ones, for whoever must translate them
msgattrib --untranslated --no-obsolete "$T/id.po" 2>/dev/null |
    grep '^msgid "' | sed 1d | head -n 20 | while read -r l; do diag "untranslated: $l"; done
done_testing
