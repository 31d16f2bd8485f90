-- 003_route_pending.sql: requests that still wait for the routing rules
--
-- The console and kotactl route a new request with libkota's rules before
-- they create it.  A request created by any other client (psql, a script,
-- a future web form) without a department went straight to the service's
-- default department, so the SQL API alone routed differently from the
-- console.  Now such a request is marked route_pending, and kotad, which
-- holds the same rules engine, routes it (kota.route_pending(),
-- kota.request_route() in api/request.sql).  kota.request_create() takes
-- p_rules_applied, so its signature changes: the old one is dropped here
-- and the API creates the new one in the same transaction.

SET LOCAL ROLE kota_owner;

ALTER TABLE kota.request
	ADD COLUMN route_pending boolean NOT NULL DEFAULT false;

-- What kotad claims: few rows, and only for a moment.
CREATE INDEX request_route_pending ON kota.request (id) WHERE route_pending;

DROP FUNCTION IF EXISTS kota.request_create(text, text, text, text, text, text, text,
    double precision, double precision, text, integer, text, text, text,
    text);
