-- 018_search_words.sql: the shares of the search's words, kept
--
-- A word search (api/console.sql, queue_page()) chooses how to find its
-- page by how many requests it expects the words to find.  It asked the
-- planner (an EXPLAIN: about a millisecond a page, as much as reading
-- pg_stats, whose arrays of a thousand words are parsed on every read).
-- This table keeps what ANALYZE found of the search column: each word of
-- its most common elements with the share of the requests that hold it
-- (the '#dN' departments and '#o' open of 015_search_buckets.sql among
-- them), and, under the empty word, the share taken for any other word
-- (half the least listed, as the planner takes it).  A page reads a row
-- a word, by its key.
--
-- kota.search_words_refresh() fills it from pg_stats: kotad's hourly
-- sweep (api/privacy.sql, privacy_sweep()), and anyone after a big
-- import.  Empty (never refreshed), the search asks the planner as
-- before.

SET LOCAL ROLE kota_owner;

CREATE TABLE kota.search_word (
	word text PRIMARY KEY,
	share real NOT NULL CHECK (share BETWEEN 0 AND 1)
);
