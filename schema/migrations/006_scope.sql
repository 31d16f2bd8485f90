-- 006_scope.sql: who works where, as data; row-level security
--
-- Until now an agent had one optional department (NULL: city-wide) and
-- the API checked roles, never departments; clients read every row of
-- the tables.  Now an agent holds one or more scopes, a department with a
-- role (clerk or supervisor) in it, and the tables a client reads carry
-- row-level security whose policies (api/scope.sql) are written once from
-- those scopes.  agent.department_id stays as the home department, which
-- the API keeps among the agent's scopes.
--
-- Nobody loses reach: an agent with a department gets that department
-- with its kind; a city-wide clerk or supervisor (department NULL) gets
-- every active department with its kind, which admins narrow afterwards
-- ("kotactl user scope remove").  Admins (kind admin) see and act on
-- everything without scopes; an admin's home department gets a
-- supervisor scope so the home rule holds for every agent.

SET LOCAL ROLE kota_owner;

CREATE TABLE kota.agent_scope (
	agent_id	int NOT NULL REFERENCES kota.agent,
	department_id	int NOT NULL REFERENCES kota.department,
	role		text NOT NULL DEFAULT 'clerk'
			CHECK (role IN ('clerk', 'supervisor')),
	granted_at	timestamptz NOT NULL DEFAULT now(),
	granted_by	name NOT NULL DEFAULT session_user,
	PRIMARY KEY (agent_id, department_id)
);
CREATE INDEX agent_scope_department ON kota.agent_scope (department_id);

INSERT INTO kota.agent_scope (agent_id, department_id, role)
SELECT a.id, a.department_id,
    CASE a.kind WHEN 'clerk' THEN 'clerk' ELSE 'supervisor' END
FROM kota.agent a
WHERE a.department_id IS NOT NULL;

INSERT INTO kota.agent_scope (agent_id, department_id, role)
SELECT a.id, d.id, a.kind
FROM kota.agent a CROSS JOIN kota.department d
WHERE a.department_id IS NULL AND a.kind IN ('clerk', 'supervisor')
  AND d.active;

-- Row-level security.  The owner (the SECURITY DEFINER API, the
-- triggers) is not subject to it: the API applies the same predicate
-- itself (api/scope.sql).  The policies are created by api/scope.sql,
-- as they call its functions; until then these tables show a client
-- nothing, and both happen in the transaction of "kotactl migrate".
ALTER TABLE kota.request ENABLE ROW LEVEL SECURITY;
ALTER TABLE kota.citizen ENABLE ROW LEVEL SECURITY;
ALTER TABLE kota.request_event ENABLE ROW LEVEL SECURITY;
ALTER TABLE kota.request_watcher ENABLE ROW LEVEL SECURITY;
ALTER TABLE kota.notification ENABLE ROW LEVEL SECURITY;
ALTER TABLE kota.notification_attempt ENABLE ROW LEVEL SECURITY;

-- Columns that name or reach a person, and gateway replies, are for
-- admins only; clerks, supervisors and the daemon read the rest.  The
-- functions that need them (the request view, intake's caller lookup)
-- are SECURITY DEFINER.
REVOKE SELECT ON kota.citizen, kota.notification, kota.notification_attempt
    FROM kota_clerk, kota_daemon;
GRANT SELECT (id, lang, channel, opted_out, opted_out_at, created_at)
    ON kota.citizen TO kota_clerk, kota_daemon;
GRANT SELECT (id, request_id, event_id, event, citizen_id, department_id,
    channel, lang, payload, state, attempts, next_attempt_at,
    gateway_message_id, created_at, sent_at, target, claimed_by,
    claimed_until)
    ON kota.notification TO kota_clerk, kota_daemon;
GRANT SELECT (notification_id, attempt, at, worker, outcome, http_status,
    latency_ms, gateway_message_id)
    ON kota.notification_attempt TO kota_clerk, kota_daemon;
GRANT SELECT ON kota.citizen, kota.notification, kota.notification_attempt
    TO kota_admin;
GRANT SELECT ON kota.agent_scope TO kota_clerk, kota_daemon;
