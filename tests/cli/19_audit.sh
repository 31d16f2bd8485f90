#!/bin/sh
# kotactl audit verify|anchor: the sealed request history, and what it catches
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

run 0 "seed --demo" $K -q seed --demo
run 0 "seed --bulk seals the histories it COPYs with the triggers off" $K -q seed --bulk 3000
run 0 "audit verify on the demo and the bulk load" $K audit verify
like "$(cat "$OUT")" '^every history is intact \([0-9]+ requests, [0-9]+ events' "it says the history is intact, with the counts"
is "$(sql "SELECT count(*) FROM kota.request_event WHERE hash IS NULL")" 0 "no event is without its seal"

run 0 "audit anchor" $K -q audit anchor
anchor=$(cat "$OUT")
like "$anchor" '^[0-9]+:[0-9a-f]{64}$' "the anchor is EVENT:DIGEST"
run 0 "the anchor checks out" $K audit verify --anchor "$anchor"
like "$(cat "$OUT")" 'agrees with the anchor' "and says so"

# usage errors
run 2 "a malformed anchor is a usage error" $K audit verify --anchor 12:abc
like "$(cat "$ERR")" "not an anchor like" "saying what an anchor looks like"
run 2 "--anchor with --request is a usage error" $K audit verify --anchor "$anchor" --request 1
run 2 "a ticket with a wrong check digit is refused" $K audit verify --request KT-000001-0
run 1 "a clerk may not verify" $K -d "user=demo_budi dbname=$PGDATABASE" audit verify

# one event changed behind the guard's back: the owner disables it
ev=$(sql "SELECT id FROM kota.request_event WHERE request_id = 7 ORDER BY id LIMIT 1 OFFSET 1")
t7=$(sql "SELECT ticket FROM kota.request WHERE id = 7")
sql "ALTER TABLE kota.request_event DISABLE TRIGGER request_event_append_only;
UPDATE kota.request_event SET note = 'diubah diam-diam' WHERE id = $ev;
ALTER TABLE kota.request_event ENABLE TRIGGER request_event_append_only" >/dev/null
run 1 "audit verify finds the changed event" $K audit verify
like "$(cat "$OUT")" "^$t7 +$ev " "it names the ticket and the event"
is "$(grep -c '^KT-' "$OUT")" 1 "and only that one: the events after it still follow its seal"
like "$(cat "$ERR")" 'do not match their seals' "and says the history was changed outside the API"
run 1 "audit verify --request of that request" $K audit verify --request "$t7"
run 0 "another request is intact" $K audit verify --request 8

# put it back as it was, seals and all, by recomputing them: the chain is
# whole again, yet the anchor taken before tells
sql "SET session_replication_role = replica;
UPDATE kota.request_event SET note = 'diganti' WHERE id = $ev;
UPDATE kota.request_event e SET hash = s.hash FROM (
    WITH RECURSIVE c AS (
	(SELECT x.id, kota.event_seal(NULL, x.request_id, x.at, x.actor, x.kind,
	    x.old_value, x.new_value, x.note, x.public) AS hash
	FROM kota.request_event x WHERE x.request_id = 7 ORDER BY x.id LIMIT 1)
	UNION ALL
	SELECT n.id, kota.event_seal(c.hash, n.request_id, n.at, n.actor, n.kind,
	    n.old_value, n.new_value, n.note, n.public)
	FROM c CROSS JOIN LATERAL (SELECT * FROM kota.request_event y
	    WHERE y.request_id = 7 AND y.id > c.id ORDER BY y.id LIMIT 1) n)
    SELECT * FROM c) s WHERE s.id = e.id" >/dev/null
run 0 "a rewrite that recomputed every seal passes the chain" $K audit verify
run 1 "but not the anchor taken before it" $K audit verify --anchor "$anchor"
like "$(cat "$ERR")" 'do not give the anchor' "which says the histories were rewritten"

# an event deleted from the middle of a history
ev2=$(sql "SELECT id FROM kota.request_event WHERE request_id = 9 ORDER BY id LIMIT 1 OFFSET 1")
sql "SET session_replication_role = replica; DELETE FROM kota.request_event WHERE id = $ev2" >/dev/null
run 1 "a deleted event breaks the chain" $K audit verify --request 9
like "$(cat "$OUT")" "the event before it" "at the event after the gap"

# a second "created" event written by hand into an existing history
sql "INSERT INTO kota.request_event (request_id, kind, new_value, note)
     VALUES (10, 'created', 'new', 'ditulis tangan')" >/dev/null
run 1 "a forged first event in the middle of a history is named" $K audit verify --request 10
like "$(cat "$OUT")" "the first event|the event before it" "by verify"

# new events go on sealing after all this
run 0 "a comment on request 8" $K request comment 8 "Sudah dicek petugas."
run 0 "its history is still intact" $K audit verify --request 8
done_testing
