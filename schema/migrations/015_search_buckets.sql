-- 015_search_buckets.sql: the word search at ten million requests
--
-- The search column (012_search.sql) gains words no text can make (the
-- parsers never keep a '#'):
--
--   #N    the request's id divided by 4096 (id >> 12), a "bucket" of
--         4096 consecutive requests: a search for a word in many
--         requests asks the GIN index for the word in the newest buckets
--         only ('lubang' & ('#2441' | '#2440')), so a page reads about
--         its own rows, not every request with the word, nor every
--         request in the id order until 50 have it (api/console.sql,
--         queue_page());
--   #cN   the same by 65536 (id >> 16), for a search that needs many
--         buckets (a rare word, or a word with filters): the index joins
--         few of these faster than many small ones;
--   #dN   the request's department (kota.department.id): a word with a
--         department filter is one intersection in the index, not every
--         request with the word tested for the department;
--   #o    an open request: the "open" status filter, likewise.
--
-- The id is written once, at intake; a transfer or a change of status
-- rewrites the column, as it already wrote a new row version into every
-- index (the status is in the partial indexes' predicates, so such an
-- update is never HOT).  The column is dropped and made again, with its
-- index: a rewrite of the table, as 012 was.
--
-- The index keeps a small pending list (fastupdate, 64 kB, about a
-- hundred requests' words): an insert appends its entries there and the
-- insert that fills it moves them into the index sorted, which costs
-- intake less than an entry at a time (012's fastupdate=off).  A search
-- reads the list on every page: 64 kB, not the default 4 MB that 012's
-- header speaks of.

SET LOCAL ROLE kota_owner;

DROP INDEX kota.request_search;
ALTER TABLE kota.request DROP COLUMN search;
ALTER TABLE kota.request ADD COLUMN search tsvector GENERATED ALWAYS AS (
	ts_delete(to_tsvector('indonesian'::regconfig, description),
	    coalesce(search_erased, '{}'::text[]))
	|| to_tsvector('simple'::regconfig,
	    coalesce(address, '') || ' ' || coalesce(district, ''))
	|| array_to_tsvector(array_remove(ARRAY['#' || (id >> 12)::text,
	    '#c' || (id >> 16)::text, '#d' || department_id::text,
	    CASE WHEN status IN ('new', 'acknowledged', 'in_progress',
		'on_hold') THEN '#o' END], NULL))) STORED;

CREATE INDEX request_search ON kota.request USING gin (search)
    WITH (fastupdate = on, gin_pending_list_limit = 64);
