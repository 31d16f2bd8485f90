-- 012_search.sql: word search over every request, open or closed
--
-- A request's words are kept in the row, as a tsvector computed by
-- PostgreSQL itself (a stored generated column), so that every way a row
-- comes in -- the API, a bulk COPY with triggers off -- indexes it alike,
-- at the cost of one to_tsvector per insert and no trigger call:
--
--   description   the 'indonesian' snowball stemmer ("berlubang", "lubang"
--                 and "lubangnya" are one word; English words are kept as
--                 written), less the words an erasure took out
--                 (search_erased, below);
--   address,      'simple': names of streets and places as written (the
--   district      stemmer would make "Merdeka" into "rdeka").
--
-- Tickets and phone numbers are not words: kota.search_ids() finds them
-- through the primary key and the citizen's phone.  The citizen's name,
-- phone and e-mail are not in the request row and so never searchable;
-- the service's name is the service filter's business.
--
-- search_erased: the words a citizen's erasure or retention (api/
-- privacy.sql) took out of the search of the requests they reported or
-- follow; the description keeps its text, as the sealed history does.
--
-- The open requests' word and trigram indexes (001) go: the search no
-- longer uses them, and intake no longer pays for them.
--
-- The index is GIN, without its pending list (fastupdate): a search
-- would read the whole list, up to 4 MB, on every page.  RUM
-- (postgresql-15-rum), which keeps each entry's creation time in the
-- index, was ten times its size at 1M requests and sorted all the
-- matches of a common word before its first row (0.9 s); the search
-- pages newest first by the primary key instead (api/console.sql).

SET LOCAL ROLE kota_owner;

DROP INDEX kota.request_open_fts;
DROP INDEX kota.request_open_desc_trgm;
DROP INDEX kota.request_open_addr_trgm;

ALTER TABLE kota.request ADD COLUMN search_erased text[],
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
	ts_delete(to_tsvector('indonesian'::regconfig, description),
	    coalesce(search_erased, '{}'::text[]))
	|| to_tsvector('simple'::regconfig,
	    coalesce(address, '') || ' ' || coalesce(district, ''))) STORED;

CREATE INDEX request_search ON kota.request USING gin (search)
    WITH (fastupdate = off);
