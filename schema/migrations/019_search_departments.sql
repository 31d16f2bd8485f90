-- 019_search_departments.sql: a word searched in one department
--
-- 015_search_buckets.sql gave the search column a word per department
-- (#dN), so that a word with a department filter is one intersection in
-- the GIN index.  That intersection reads both lists however few requests
-- hold both: a word common in the city that one department's requests
-- never use cost about 15 ms per million requests to find nothing (45 ms
-- at three million), and a clerk of that department pays it at every
-- search for it.
--
-- Each word of a request is now written a second time with its
-- department in front, "N#word" (N: kota.department.id; no parser keeps a
-- '#', so no text makes such a word).  A search in department N asks for
-- "N#word" as well as for the word and #dN (api/console.sql,
-- kota.search_in_department()): its list holds exactly the department's
-- requests with the word, and the index's fast scan, led by the shortest
-- list, skips through the long ones; an empty one ends the scan at once.
-- These words have no positions (a phrase is asked for as its words in
-- the department, and as the phrase itself).  A transfer rewrites them,
-- as it already rewrote #dN.
--
-- The column's expression moves into kota.search_vector(), IMMUTABLE and
-- in PL/pgSQL, which the planner does not inline: PostgreSQL reads a
-- stored generated expression's tree again at every statement that
-- inserts a request (015's was 6.6 kB of text); a call's is a few hundred
-- bytes.  Changing the function changes no stored value: a migration that
-- changes it must make the column again, as this one does (a rewrite of
-- the table, as 012 and 015 were).
--
-- The word shares (018_search_words.sql) learn the new words at the next
-- ANALYZE and refresh (kotad's hourly sweep); until then a department's
-- word counts as a word not listed.

SET LOCAL ROLE kota_owner;

CREATE FUNCTION kota.search_vector(p_description text, p_erased text[],
    p_address text, p_district text, p_id bigint, p_department int,
    p_status text)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
	-- the words: the description stemmed, less what an erasure took
	-- (api/privacy.sql), and the address and district as written
	w tsvector := ts_delete(to_tsvector('pg_catalog.indonesian'::regconfig,
	    p_description), coalesce(p_erased, '{}'::text[]))
	    || to_tsvector('pg_catalog.simple'::regconfig,
		coalesce(p_address, '') || ' ' || coalesce(p_district, ''));
BEGIN
	RETURN w
	    || array_to_tsvector(array_remove(ARRAY['#' || (p_id >> 12)::text,
		'#c' || (p_id >> 16)::text, '#d' || p_department::text,
		CASE WHEN p_status IN ('new', 'acknowledged', 'in_progress',
		    'on_hold') THEN '#o' END], NULL))
	    -- the same words as "N#word": a lexeme holds no space
	    || CASE WHEN length(w) = 0 OR p_department IS NULL
		THEN ''::tsvector
		ELSE array_to_tsvector(string_to_array(p_department::text
		    || '#' || array_to_string(tsvector_to_array(w),
			' ' || p_department::text || '#'), ' ')) END;
END
$$;

DROP INDEX kota.request_search;
ALTER TABLE kota.request DROP COLUMN search;
ALTER TABLE kota.request ADD COLUMN search tsvector GENERATED ALWAYS AS (
	kota.search_vector(description, search_erased, address, district, id,
	    department_id, status)) STORED;
CREATE INDEX request_search ON kota.request USING gin (search)
    WITH (fastupdate = on, gin_pending_list_limit = 64);
ANALYZE kota.request (search);
