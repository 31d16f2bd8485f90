#!/bin/sh
# the status page (server/kotaweb/page.c) against the database, without
# kotaweb around it, as kotaweb's role: tests/integration/page_check
# renders the pages of a
# request with markup in its district and comment, an internal note and a
# citizen's name, phone and e-mail, and of one with 300 long comments
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');" >/dev/null
name="Budi Rahasia Santoso"
phone="0812-3456-7890"
email="budi.rahasia@example.org"
internal="Catatan internal 7731: jangan dibagikan"
run 0 "a request from a citizen" $K request new --service jalan_berlubang \
    --description "Jalan berlubang besar di depan Pasar Baru" \
    --district "Sumur <b>Bandung</b> & Co" --phone "$phone" --name "$name" \
    --email "$email"
ticket=$(cut -d ' ' -f 2 "$OUT")
id=$(cut -d ' ' -f 1 "$OUT")
run 0 "acknowledged" $K request status "$id" acknowledged
run 0 "a public comment with markup" $K request comment "$id" '<script>alert("x")</script> & done'
run 0 "an internal note" $K request comment "$id" "$internal" --internal
run 0 "in progress" $K request status "$id" in_progress

run 0 "a second request" $K request new --service jalan_berlubang \
    --description "Lubang di Jalan Asia Afrika" --phone 081298765432
long=$(cut -d ' ' -f 2 "$OUT")
long_id=$(cut -d ' ' -f 1 "$OUT")
is "$(sql "SELECT count(kota.request_comment($long_id,
        'comment ' || g || ' ' || repeat('panjang & lebar, ', 60), true))
    FROM generate_series(1, 300) AS g")" 300 "300 long public comments on it"

# kotaweb's login: a role in kota_web and nothing else (migration 009)
sql "DO \$\$ BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 't_page_web') THEN
		CREATE ROLE t_page_web LOGIN IN ROLE kota_web;
	END IF;
     END \$\$" >/dev/null
run 0 "the status page (page_check)" "$KOTA_BUILDDIR/tests/integration/page_check" \
    "dbname=$PGDATABASE" "dbname=$PGDATABASE user=t_page_web" "$ticket" "$long" "$name" "$phone" "+6281234567890" \
    "$email" "$internal"
subtest page_check "$OUT"
done_testing
