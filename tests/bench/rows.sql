-- rows.sql: pgbench script, the floor under intake: one statement that
-- writes the rows one request_create() writes (shown by the tables'
-- counters after a run of bench_intake): the request, its two events
-- (created, routed), the reporter's notification and the counters' two
-- deltas (open, intake), and looks the caller up by phone; as plain
-- INSERTs into tables like theirs (baseline.sql), without the function,
-- its checks, routing, due times, the events' seal or the triggers.  What intake costs above this
-- is its logic; what this costs above insert.sql is the rows.
\set n random(1, 1000000000)
\set a random(1, 200)
\set p random(1, 10000)
WITH c AS (
	SELECT id FROM bench.citizen WHERE phone = '+628' || (1100000000 + :p)
), r AS (
	INSERT INTO bench.request (ticket, service_id, department_id, priority,
	    description, address, district, channel, reporter_id)
	SELECT 'B-' || :n || '-' || :client_id, 1, 1, 3,
	    'Jalan berlubang besar, membahayakan pengendara motor (laporan ' || :n || ')',
	    'Jl. Merdeka No. ' || :a, 'Coblong', 'phone', c.id
	FROM c
	RETURNING id, department_id, reporter_id
), e AS (
	INSERT INTO bench.request_event (request_id, kind, old_value,
	    new_value, public, hash)
	SELECT r.id, k.kind, NULL, k.v, true,
	    sha256(convert_to(r.id || k.kind || k.v, 'UTF8'))
	FROM r, (VALUES ('created', 'new'), ('routed', 'PU')) k (kind, v)
	RETURNING id, request_id, kind
), n AS (
	INSERT INTO bench.notification (request_id, event_id, event,
	    citizen_id, channel, recipient, target)
	SELECT r.id, e.id, 'created', r.reporter_id, 'sms',
	    '+628' || (1100000000 + :p), 'citizen'
	FROM r JOIN e ON e.request_id = r.id AND e.kind = 'created'
), t AS (
	INSERT INTO bench.tally_delta (kind, department_id, agent_id, status,
	    sla, day, n, service_id, district)
	SELECT k.kind::"char", r.department_id, 0, k.status, 0, current_date,
	    1, k.service, k.district
	FROM r, (VALUES ('o', 'new', NULL::int, NULL),
	    ('i', NULL, 1, 'Coblong')) k (kind, status, service, district)
)
SELECT id FROM r;
