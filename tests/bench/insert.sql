-- insert.sql: pgbench script, one plain INSERT of a row like a new request
\set n random(1, 1000000000)
\set a random(1, 200)
INSERT INTO bench.request (ticket, service_id, department_id, priority,
    description, address, district, channel)
VALUES ('B-' || :n || '-' || :client_id, 1, 1, 3,
    'Jalan berlubang besar, membahayakan pengendara motor (laporan ' || :n || ')',
    'Jl. Merdeka No. ' || :a, 'Coblong', 'phone');
