#!/bin/sh
# kotactl request new --idempotency-key: run twice, one request; other
# content with the same key is refused, naming the request
. "$KOTA_SRCDIR/tests/lib.sh"
K=$KOTACTL

sql "SELECT kota.department_save('PU', 'Dinas Pekerjaan Umum', 'Public Works');
     SELECT kota.service_save('jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU');" >/dev/null
count() { sql "SELECT count(*) FROM kota.request"; }
key=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')

run 0 "request new with a key" $K request new --service jalan_berlubang \
    --description "Jalan berlubang di depan pasar" --phone 081234567890 \
    --idempotency-key "$key"
first=$(cat "$OUT")
like "$first" '^[0-9]+ KT-[0-9]{6}-[0-9]$' "prints the id and ticket"
like "$(cat "$ERR")" 'created in queue PU' "and says it was created"
run 0 "the same command again" $K request new --service jalan_berlubang \
    --description "Jalan berlubang di depan pasar" --phone 081234567890 \
    --idempotency-key "$key"
is "$(cat "$OUT")" "$first" "prints the same id and ticket"
like "$(cat "$ERR")" "request ${first#* } was already created with this idempotency key" \
    "and says nothing new was made"
is "$(count)" 1 "one request in the database"

run 1 "the key with another description" $K request new --service jalan_berlubang \
    --description "Jalan rusak di depan sekolah" --idempotency-key "$key"
like "$(cat "$ERR")" "used for request ${first#* } with other content" \
    "is refused, naming the request the key made"
is "$(count)" 1 "still one request"

run 1 "a key too short" $K request new --service jalan_berlubang \
    --description "Jalan berlubang di depan pasar" --idempotency-key abc
like "$(cat "$ERR")" 'idempotency key must be 16 to 128' "is refused"

run 0 "without a key, twice" $K -q request new --service jalan_berlubang \
    --description "Jalan berlubang di depan pasar"
run 0 "(the second)" $K -q request new --service jalan_berlubang \
    --description "Jalan berlubang di depan pasar"
is "$(count)" 3 "without a key each run makes a request"
done_testing
