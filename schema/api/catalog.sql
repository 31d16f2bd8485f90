-- api/catalog.sql: what clients read about the city's set-up, as views
--
-- Programs read through the API, never the base tables: these views give
-- departments, services, agents, statuses, routing rules, calendars and
-- SLA policies by their codes (never by internal ids), without what a
-- client must not see (a department's webhook secret).  A table can then
-- change shape, or gain row-level security, while its readers keep
-- reading the same columns.  The read functions of api/console.sql,
-- api/report.sql and api/outbox.sql cover requests and notifications.

SET LOCAL ROLE kota_owner;

CREATE OR REPLACE VIEW kota.departments AS
SELECT d.code, d.name_id, d.name_en, d.is_triage, d.active, d.webhook_url,
    d.escalation_url, d.created_at
FROM kota.department d;
GRANT SELECT ON kota.departments TO kota_clerk, kota_daemon;

-- department: the default department's code while it is active (a
-- retired one sends requests to triage); duplicate_radius_m: how near an
-- open request of the service must be to be a possible duplicate (0: no
-- matching by distance)
CREATE OR REPLACE VIEW kota.services AS
SELECT s.code, s.name_id, s.name_en, s.group_name, s.keywords,
    d.code AS department, s.default_priority, s.active,
    s.duplicate_radius_m
FROM kota.service s
LEFT JOIN kota.department d ON d.id = s.department_id AND d.active;
GRANT SELECT ON kota.services TO kota_clerk, kota_daemon;

CREATE OR REPLACE VIEW kota.agents AS
SELECT a.role_name, a.display_name, a.kind, d.code AS department, a.lang,
    a.active, a.created_at
FROM kota.agent a
LEFT JOIN kota.department d ON d.id = a.department_id;
GRANT SELECT ON kota.agents TO kota_clerk, kota_daemon;

CREATE OR REPLACE VIEW kota.statuses AS
SELECT st.code, st.position, st.is_open, st.open311, st.label_id,
    st.label_en
FROM kota.status st;
GRANT SELECT ON kota.statuses TO kota_clerk, kota_daemon;

-- The rules as the engine reads them: codes, and the assignee only while
-- that agent is active (assignee_role names it either way).  area_id is
-- what the engine compares with a request's areas; area names it as a
-- human does, "LAYER/CODE".
CREATE OR REPLACE VIEW kota.routing_rules AS
SELECT r.id, r.position, r.name, r.enabled, s.code AS service,
    r.description_re, r.address_re, d.code AS department, r.priority,
    CASE WHEN a.active THEN a.role_name END AS assignee,
    a.role_name AS assignee_role, r.stop, r.created_at, r.created_by,
    r.area_id, l.name || '/' || ar.code AS area
FROM kota.routing_rule r
LEFT JOIN kota.service s ON s.id = r.service_id
LEFT JOIN kota.department d ON d.id = r.department_id
LEFT JOIN kota.agent a ON a.id = r.assignee_id
LEFT JOIN kota.area ar ON ar.id = r.area_id
LEFT JOIN kota.area_layer l ON l.id = ar.layer_id;
GRANT SELECT ON kota.routing_rules TO kota_clerk, kota_daemon;

CREATE OR REPLACE VIEW kota.calendars AS
SELECT c.code, c.name, c.time_zone, cardinality(c.span_dows) AS spans,
    cardinality(c.holidays) AS holidays
FROM kota.calendar c;
GRANT SELECT ON kota.calendars TO kota_clerk, kota_daemon;

-- dow: ISO day of week, 1 = Monday .. 7 = Sunday
CREATE OR REPLACE VIEW kota.working_hours AS
SELECT c.code AS calendar, h.dow, h.opens, h.closes
FROM kota.calendar_hours h
JOIN kota.calendar c ON c.id = h.calendar_id;
GRANT SELECT ON kota.working_hours TO kota_clerk, kota_daemon;

CREATE OR REPLACE VIEW kota.holidays AS
SELECT c.code AS calendar, h.day, h.name
FROM kota.holiday h
JOIN kota.calendar c ON c.id = h.calendar_id;
GRANT SELECT ON kota.holidays TO kota_clerk, kota_daemon;

-- service NULL: the default policy
CREATE OR REPLACE VIEW kota.sla_policies AS
SELECT s.code AS service, c.code AS calendar, p.ack_minutes,
    p.resolve_minutes, p.warn_percent, p.escalate_raise
FROM kota.sla_policy p
JOIN kota.calendar c ON c.id = p.calendar_id
LEFT JOIN kota.service s ON s.id = p.service_id;
GRANT SELECT ON kota.sla_policies TO kota_clerk, kota_daemon;
