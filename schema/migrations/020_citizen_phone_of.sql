-- 020_citizen_phone_of.sql: a list's masked phones from the index alone
--
-- Every list of requests the console shows (kota.queue_page()) carries
-- the reporter's phone, masked: one kota.citizen row a request.  Through
-- the primary key that is an index leaf page and a table page for each,
-- and for the older requests deep in a large city's history, which a
-- search pages down into, both come from disk.  This index holds the
-- phone beside the id, so the lookup is an index-only scan: one page a
-- request where the citizens' rows are all-visible, which old ones are.
-- At ten million requests (3.3 million citizens) it is 129 MB,
-- and intake pays for it only when the caller is new.  An erasure sets
-- the phone to NULL (api/privacy.sql): the old entry goes with the old
-- row version, at the next VACUUM, as the phone's UNIQUE index's does.

SET LOCAL ROLE kota_owner;

CREATE INDEX citizen_phone_of ON kota.citizen (id) INCLUDE (phone);
