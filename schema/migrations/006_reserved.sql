-- 006_reserved.sql: a placeholder on the "harden" branch only
--
-- Migration 006 belongs to another change of issue 12, made at the same
-- time; migrations run with no gap, so this branch carries an empty 006
-- to build and test 009_request_idempotency.sql on its own.  Drop this
-- file (and its line in Makefile.am) when merging: the real 006 takes
-- its place.
SET LOCAL ROLE kota_owner;
