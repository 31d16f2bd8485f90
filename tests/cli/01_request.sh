#!/bin/sh
# kotactl request ...: intake, refusals that change nothing, lifecycle, exit codes
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.department_save('PJU', 'Penerangan Jalan Umum', 'Street Lighting');
     SELECT kota.department_save('TRIASE', 'Triase', 'Triage', true);
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');
     SELECT kota.service_save('lain', 'Lain-lain', 'Other', NULL, 'umum', 4);" >/dev/null

counts() { sql "SELECT (SELECT count(*) FROM kota.request) || '/' || (SELECT count(*) FROM kota.citizen) || '/' || (SELECT count(*) FROM kota.request_event)"; }

# a good request
run 0 "request new with a national mobile number" $K request new \
    --service jalan_berlubang --description "Jalan berlubang besar di depan Pasar Baru" \
    --address "Jl. Otto Iskandardinata No. 70" --district Sumur\ Bandung \
    --phone "0812-3456-7890" --name "Budi Santoso" --lat -6.9175 --lon 107.6045
like "$(cat "$OUT")" '^1 KT-000001-8$' "prints the id and the ticket number"
like "$(cat "$ERR")" 'queue PU' "says which queue it went to"
is "$(sql "SELECT phone FROM kota.citizen")" "+6281234567890" "the phone is stored in E.164"
is "$(sql "SELECT status || ' ' || priority FROM kota.request WHERE id = 1")" "new 3" "a new request is new, with the service's priority"
is "$(sql "SELECT string_agg(kind || ':' || actor, ',' ORDER BY id) FROM kota.request_event WHERE request_id = 1")" \
    "created:postgres,routed:postgres" "events name the calling role"

run 0 "a request without department goes to triage" $K -q request new \
    --service lain --description "Ada suara aneh dari gorong-gorong" --phone "+62 812 3456 7890"
is "$(sql "SELECT d.code FROM kota.request r JOIN kota.department d ON d.id = r.department_id WHERE r.id = 2")" \
    "TRIASE" "routed to the triage queue"
is "$(sql "SELECT count(*) FROM kota.citizen")" "1" "the same caller (+62 form) is one citizen"

# refusals: exit 1, a message naming the field, nothing written
before=$(counts)
is "$before" "2/1/4" "two requests, one caller, four events so far"
run 1 "unknown service is refused" $K request new --service nope --description "Lampu mati"
like "$(cat "$ERR")" 'service' "the message names the service"
run 1 "empty description is refused" $K request new --service jalan_berlubang --description ""
like "$(cat "$ERR")" 'description' "the message names the description"
long=$(head -c 10000 /dev/zero | tr '\0' x)
run 1 "a 10,000-character description is refused" $K request new --service jalan_berlubang --description "$long"
like "$(cat "$ERR")" 'description.*too long' "the message says the description is too long"
run 1 "phone 12345 is refused" $K request new --service jalan_berlubang --description "Jalan rusak parah" --phone 12345
like "$(cat "$ERR")" 'phone' "the message names the phone"
run 1 "a bad e-mail is refused" $K request new --service jalan_berlubang --description "Jalan rusak parah" --email "budi@"
like "$(cat "$ERR")" 'email' "the message names the e-mail"
run 1 "an unknown department is refused" $K request new --service jalan_berlubang --description "Jalan rusak parah" --department XX
is "$(counts)" "$before" "no request, citizen or event was written by any refusal"

# usage errors and an unreachable server
run 2 "no command is a usage error" $K
run 2 "an unknown command is a usage error" $K frobnicate
run 2 "a missing --service is a usage error" $K request new --description "x"
run 2 "half a location is a usage error" $K request new --service lain --description "abc" --lat 1
run 3 "an unreachable database exits 3" $K -d "host=$KOTA_TEST_TMP/nowhere dbname=x" request list

# lifecycle
run 0 "acknowledge" $K request status 1 acknowledged
run 1 "acknowledged -> closed is not allowed" $K request status 1 closed
like "$(cat "$ERR")" 'cannot go from acknowledged to closed' "the refusal says why"
run 1 "a stale version is refused" $K request status KT-000001-8 in_progress --version 1
like "$(cat "$ERR")" 'changed by' "the conflict says who changed it"
run 0 "with the current version it works" $K request status KT-000001-8 in_progress --version 2
run 1 "rejecting needs a reason" $K request status 2 rejected
like "$(cat "$ERR")" 'note' "the message names the note"
run 0 "rejecting with a reason works" $K request status 2 rejected --note "Bukan wewenang kota"
is "$(sql "SELECT status FROM kota.request WHERE id = 2")" "rejected" "request 2 is rejected"
run 2 "a ticket with a wrong check digit is caught before the database" $K request show KT-000001-7
like "$(cat "$ERR")" 'check digit' "and the message says so"

run 0 "assign to another department" $K request assign 1 --department PJU
run 0 "public comment" $K request comment 1 "Petugas sudah dijadwalkan"
run 0 "internal note" $K request comment 1 "Butuh alat berat" --internal
is "$(sql "SELECT string_agg(kind || '/' || public, ',' ORDER BY id) FROM kota.request_event WHERE request_id = 1 AND kind IN ('comment', 'note', 'assigned')")" \
    "assigned/false,comment/true,note/false" "assign, comment and note are recorded with their visibility"

run 0 "request show" $K request show 1
like "$(cat "$OUT")" 'KT-000001-8' "show prints the ticket"
like "$(cat "$OUT")" 'Petugas sudah dijadwalkan' "show prints the history"
run 0 "request list --status in_progress" $K request list --status in_progress
like "$(cat "$OUT")" 'KT-000001-8 +in progress ' "the list has the request, its status by its name"
run 1 "request list with an unknown status" $K request list --status nonsense

# duplicates: the original gains the duplicate's reporter as a watcher
$K -q request new --service jalan_berlubang --description "Lubang di Jl. Otista dekat pasar" --phone 081298765432 >/dev/null 2>&1
run 0 "mark duplicate" $K request duplicate 3 1
is "$(sql "SELECT c.phone FROM kota.request_watcher w JOIN kota.citizen c ON c.id = w.citizen_id WHERE w.request_id = 1")" \
    "+6281298765432" "the original is watched by the duplicate's reporter"
run 0 "a caller follows a request" $K request watch 1 --phone "0813 1111 2222" --name Sari
is "$(sql "SELECT count(*) FROM kota.request_watcher WHERE request_id = 1")" "2" "two watchers now"

done_testing
