-- places.sql: how kecamatan.geojson and kelurahan.geojson were made
--
-- The demo city's places are made up, not Bandung's real boundaries: the
-- kecamatan are the Voronoi cells of the 22 centres schema/demo.sql gives
-- its requests (search "kecamatan with their approximate centres"),
-- clipped to a rough outline of the city, so that neighbours share their
-- boundaries; each is split the same way into two or three kelurahan
-- around seeds near its centre.  Coordinates are rounded to 5 decimals
-- (about a metre).  Run once in a database with PostGIS, then commit the
-- two files it writes:
--
--   psql -XAtq -v ON_ERROR_STOP=1 -v out=contrib/demo -f contrib/demo/places.sql

CREATE TEMP TABLE centre (k int, name text, lat float8, lon float8,
    kel text[]);
INSERT INTO centre VALUES
 (1, 'Coblong', -6.8870, 107.6150, '{Dago,Lebak Siliwangi,Sekeloa}'),
 (2, 'Sukajadi', -6.8850, 107.5930, '{Pasteur,Cipedes}'),
 (3, 'Cicendo', -6.9050, 107.5930, '{Arjuna,Pasirkaliki,Pamoyanan}'),
 (4, 'Andir', -6.9130, 107.5800, '{Ciroyom,Garuda}'),
 (5, 'Bandung Wetan', -6.9030, 107.6150, '{Citarum,Cihapit,Tamansari}'),
 (6, 'Sumur Bandung', -6.9180, 107.6120, '{Braga,Merdeka}'),
 (7, 'Lengkong', -6.9300, 107.6220, '{Malabar,Burangrang,Lingkar Selatan}'),
 (8, 'Regol', -6.9400, 107.6080, '{Ciateul,Pungkur}'),
 (9, 'Astanaanyar', -6.9290, 107.5990, '{Karanganyar,Nyengseret,Pelindung Hewan}'),
 (10, 'Kiaracondong', -6.9240, 107.6450, '{Babakan Sari,Kebon Jayanti}'),
 (11, 'Antapani', -6.9150, 107.6600, '{Antapani Tengah,Antapani Kidul,Antapani Kulon}'),
 (12, 'Arcamanik', -6.9130, 107.6780, '{Cisaranten Kulon,Sukamiskin}'),
 (13, 'Ujungberung', -6.9130, 107.7000, '{Cigending,Pasanggrahan,Pasirjati}'),
 (14, 'Buahbatu', -6.9500, 107.6400, '{Margasari,Sekejati}'),
 (15, 'Cibeunying Kidul', -6.9060, 107.6380, '{Sukamaju,Cikutra,Padasuka}'),
 (16, 'Cibeunying Kaler', -6.8880, 107.6300, '{Cigadung,Neglasari}'),
 (17, 'Cidadap', -6.8650, 107.6050, '{Ciumbuleuit,Hegarmanah,Ledeng}'),
 (18, 'Sukasari', -6.8700, 107.5850, '{Gegerkalong,Sarijadi}'),
 (19, 'Batununggal', -6.9300, 107.6320, '{Binong,Kebon Gedang,Samoja}'),
 (20, 'Bandung Kulon', -6.9250, 107.5650, '{Caringin,Cijerah}'),
 (21, 'Bojongloa Kaler', -6.9320, 107.5850, '{Kopo,Babakan Asih,Jamika}'),
 (22, 'Bojongloa Kidul', -6.9450, 107.5950, '{Situsaeur,Kebon Lega}');

-- a rough outline of the city, clockwise from the west
CREATE TEMP TABLE outline AS SELECT ST_GeomFromText('POLYGON((
 107.548 -6.905, 107.555 -6.880, 107.570 -6.855, 107.595 -6.842,
 107.625 -6.845, 107.650 -6.862, 107.690 -6.885, 107.725 -6.895,
 107.735 -6.925, 107.710 -6.945, 107.665 -6.965, 107.620 -6.970,
 107.585 -6.962, 107.560 -6.945, 107.545 -6.925, 107.548 -6.905))', 4326)
    AS g;

CREATE TEMP TABLE kec AS
SELECT c.k, c.name, c.kel,
    ST_Multi(ST_ReducePrecision(ST_Intersection(v.g, o.g), 0.00001)) AS g
FROM outline o,
LATERAL (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(
	ST_SetSRID(ST_MakePoint(lon, lat), 4326)), 0, o.g))).geom AS g
    FROM centre) v
JOIN centre c ON ST_Contains(v.g, ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326));

-- two or three seeds around the centre of each kecamatan: their cells
CREATE TEMP TABLE seed AS
SELECT k.k, i, ST_SetSRID(ST_MakePoint(
	ST_X(ST_Centroid(k.g)) + 0.004 * cos(radians(90 + i * 360.0 / n)),
	ST_Y(ST_Centroid(k.g)) + 0.004 * sin(radians(90 + i * 360.0 / n))),
    4326) AS g
FROM kec k, LATERAL (SELECT cardinality(k.kel) AS n) m,
LATERAL generate_series(0, cardinality(k.kel) - 1) AS i;

CREATE TEMP TABLE kel AS
SELECT k.k, k.name AS kecamatan, k.kel[s.i + 1] AS name,
    ST_Multi(ST_CollectionExtract(ST_ReducePrecision(
	ST_Intersection(v.g, k.g), 0.00001), 3)) AS g
FROM kec k
JOIN LATERAL (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(x.g), 0,
	k.g))).geom AS g FROM seed x WHERE x.k = k.k) v ON true
JOIN seed s ON s.k = k.k AND ST_Contains(v.g, s.g);

-- compact, a feature a line
SELECT '{"type":"FeatureCollection","name":"kecamatan","features":['
    || E'\n' || string_agg(format(
	'{"type":"Feature","properties":{"name":%s,"code":%s},"geometry":%s}',
	to_json(name), to_json(lower(replace(name, ' ', '-'))),
	ST_AsGeoJSON(g, 5)), E',\n' ORDER BY k) || E'\n]}'
FROM kec \g :out/kecamatan.geojson

SELECT '{"type":"FeatureCollection","name":"kelurahan","features":['
    || E'\n' || string_agg(format(
	'{"type":"Feature","properties":{"name":%s,"code":%s,"kecamatan":%s},"geometry":%s}',
	to_json(name), to_json(lower(replace(name, ' ', '-'))),
	to_json(kecamatan), ST_AsGeoJSON(g, 5)), E',\n' ORDER BY k, name)
    || E'\n]}'
FROM kel \g :out/kelurahan.geojson
