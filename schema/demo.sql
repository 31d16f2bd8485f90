-- demo.sql: demo data for "kotactl seed --demo"
--
-- A city hall in Bandung after three months on Kota: 12 departments (one
-- triage queue), 40 services, 15 agents, 34 routing rules (one disabled),
-- 1,200 citizens and about 2,000 requests over the last 90 days, each with a
-- history that follows kota.transition and the API's bookkeeping (ack_at,
-- resolved_at, closed_at, version, updated_at), as if every change had gone
-- through kota.request_create, _transition, _assign, _comment,
-- _mark_duplicate and _watch.
--
-- kotactl runs this file as a superuser in one transaction, after the
-- migrations, into a database with no Kota data.  It holds no BEGIN/COMMIT
-- and no psql meta-commands.  Departments, services and agents go through
-- the admin API (agent_create needs a member of kota_admin; a superuser is
-- one); the bulk data is written set-based, straight into the tables, so
-- the whole file loads in a few seconds.
--
-- Agents' login roles are cluster-wide: when the demo_* roles already exist
-- (an earlier demo database in the same cluster), agent_create reuses them.
-- The data is deterministic (setseed) apart from being relative to now().
--
-- Routing below evaluates the rules the way DESIGN.md section 6 describes
-- them: rules in (position, id) order; every matching rule up to and
-- including the first matching rule with stop applies its actions, a later
-- one overriding an earlier one; a rule's address_re is matched against
-- "address, district"; without a department from the rules the service's
-- default department applies, else the triage queue.  The patterns use only
-- syntax that PCRE2 (caseless) and PostgreSQL's ~* read the same way.

-- The generating queries read temporary tables without statistics; the
-- planner's guesses would make it JIT-compile them, which costs more than
-- the queries (3 s instead of 1 s).  For this transaction only.
SET LOCAL jit = off;

DO $seed$ BEGIN PERFORM setseed(0.42); END $seed$;

-- Departments -------------------------------------------------------------

DO $departments$
DECLARE
	d record;
BEGIN
	FOR d IN SELECT * FROM (VALUES
	    ('TRIASE', 'Triase Bandung Command Center',
		'Triage (Bandung Command Center)', true),
	    ('PU', 'Dinas Pekerjaan Umum',
		'Public Works (roads, bridges, drains)', false),
	    ('DLH', 'Dinas Lingkungan Hidup',
		'Environment (waste, trees, parks)', false),
	    ('PJU', 'Penerangan Jalan Umum', 'Street Lighting', false),
	    ('PDAM', 'Perusahaan Daerah Air Minum', 'Water Utility', false),
	    ('DISHUB', 'Dinas Perhubungan', 'Transport', false),
	    ('DISKOMINFO', 'Dinas Komunikasi dan Informatika',
		'Communications and IT (public Wi-Fi, CCTV)', false),
	    ('DINKES', 'Dinas Kesehatan', 'Health', false),
	    ('DISDIK', 'Dinas Pendidikan', 'Education', false),
	    ('DINSOS', 'Dinas Sosial', 'Social Services', false),
	    ('DAMKAR', 'Dinas Pemadam Kebakaran dan Penyelamatan',
		'Fire and Rescue', false),
	    ('SATPOL_PP', 'Satuan Polisi Pamong Praja',
		'Public Order Enforcement', false)
	) AS v(code, name_id, name_en, is_triage)
	LOOP
		PERFORM kota.department_save(d.code, d.name_id, d.name_en,
		    d.is_triage);
	END LOOP;
END
$departments$;

-- Services ----------------------------------------------------------------
-- weight: how often the demo city hears about it; fixed: the note a clerk
-- writes when it is resolved.  Three services have no default department:
-- the routing rules or the triage queue place them.

CREATE TEMP TABLE demo_svc (
	ord		int,
	code		text,
	name_id		text,
	name_en		text,
	dept		text,
	grp		text,
	prio		int,
	keywords	text[],
	weight		numeric,
	fixed		text
);

INSERT INTO demo_svc VALUES
 (1, 'jalan_berlubang', 'Jalan berlubang', 'Pothole', 'PU', 'jalan', 2,
    '{lubang,"jalan rusak",aspal,pothole}', 14, 'Lubang sudah ditambal dengan aspal.'),
 (2, 'jalan_rusak', 'Jalan rusak / aspal mengelupas', 'Damaged road surface', 'PU', 'jalan', 3,
    '{aspal,retak,ambles,"road surface"}', 5, 'Permukaan jalan sudah diperbaiki.'),
 (3, 'trotoar_rusak', 'Trotoar rusak', 'Damaged pavement', 'PU', 'jalan', 3,
    '{trotoar,ubin,pedestrian,sidewalk}', 4, 'Ubin trotoar sudah dipasang kembali.'),
 (4, 'jembatan_rusak', 'Jembatan rusak', 'Damaged bridge', 'PU', 'jalan', 2,
    '{jembatan,"pagar jembatan",bridge}', 1, 'Pagar dan lantai jembatan sudah diperbaiki.'),
 (5, 'tutup_saluran', 'Tutup saluran / gorong-gorong hilang', 'Missing drain cover', 'PU', 'jalan', 2,
    '{"tutup got",gorong-gorong,"drain cover"}', 2, 'Tutup saluran baru sudah dipasang.'),
 (6, 'drainase', 'Saluran air tersumbat', 'Blocked drain', 'PU', 'air', 3,
    '{selokan,got,drainase,mampet,drain}', 8, 'Saluran sudah dikeruk, air mengalir lancar.'),
 (7, 'banjir', 'Genangan / banjir', 'Flooding', 'PU', 'air', 2,
    '{banjir,genangan,cileuncang,flood}', 5, 'Genangan sudah surut, saluran sudah dinormalisasi.'),
 (8, 'sampah', 'Sampah tidak diangkut', 'Rubbish not collected', 'DLH', 'kebersihan', 3,
    '{sampah,TPS,angkut,rubbish,garbage}', 12, 'Sampah sudah diangkut petugas kebersihan.'),
 (9, 'sampah_liar', 'Pembuangan sampah liar', 'Illegal dumping', 'DLH', 'kebersihan', 3,
    '{"sampah liar","buang sampah",dumping}', 4, 'Sampah liar sudah dibersihkan dan dipasang papan larangan.'),
 (10, 'pembakaran_sampah', 'Pembakaran sampah', 'Rubbish burning', 'DLH', 'kebersihan', 3,
    '{"bakar sampah",asap,smoke}', 2, 'Pelaku pembakaran sudah diberi teguran.'),
 (11, 'pohon_tumbang', 'Pohon tumbang', 'Fallen tree', 'DLH', 'lingkungan', 1,
    '{pohon,tumbang,roboh,dahan,tree}', 4, 'Pohon sudah dipotong dan dievakuasi dari jalan.'),
 (12, 'pemangkasan_pohon', 'Pemangkasan pohon', 'Tree pruning', 'DLH', 'lingkungan', 4,
    '{pangkas,ranting,dahan,pruning}', 4, 'Pemangkasan pohon sudah dilaksanakan.'),
 (13, 'taman_rusak', 'Fasilitas taman rusak', 'Damaged park facility', 'DLH', 'lingkungan', 4,
    '{taman,bangku,ayunan,park}', 2, 'Fasilitas taman sudah diperbaiki.'),
 (14, 'lampu_mati', 'Lampu jalan mati', 'Street light out', 'PJU', 'penerangan', 3,
    '{lampu,PJU,gelap,"street light"}', 12, 'Lampu PJU sudah diganti dan menyala kembali.'),
 (15, 'tiang_lampu', 'Tiang lampu miring / rusak', 'Damaged lamp post', 'PJU', 'penerangan', 2,
    '{tiang,miring,"lamp post"}', 2, 'Tiang lampu sudah ditegakkan dan dicor ulang.'),
 (16, 'kabel_listrik', 'Kabel PJU putus / menjuntai', 'Broken or hanging cable', 'PJU', 'penerangan', 1,
    '{kabel,putus,menjuntai,cable}', 2, 'Kabel sudah diamankan dan dirapikan.'),
 (17, 'air_mati', 'Air PDAM tidak mengalir', 'No water supply', 'PDAM', 'air', 2,
    '{"air mati",PDAM,"tidak mengalir","no water"}', 6, 'Aliran air sudah normal kembali.'),
 (18, 'pipa_bocor', 'Pipa air bocor', 'Leaking water pipe', 'PDAM', 'air', 2,
    '{pipa,bocor,pecah,leak}', 5, 'Pipa yang bocor sudah diganti.'),
 (19, 'air_keruh', 'Air keruh / berbau', 'Dirty or smelly water', 'PDAM', 'air', 3,
    '{keruh,bau,kotor,"dirty water"}', 3, 'Jaringan pipa sudah dikuras, kualitas air normal.'),
 (20, 'meteran_air', 'Meteran air rusak', 'Faulty water meter', 'PDAM', 'air', 4,
    '{meteran,"meter air","water meter"}', 1, 'Meteran air sudah diganti.'),
 (21, 'lampu_lalulintas', 'Lampu lalu lintas rusak', 'Traffic light fault', 'DISHUB', 'lalu lintas', 1,
    '{"lampu merah",APILL,"traffic light"}', 4, 'Lampu lalu lintas sudah berfungsi normal.'),
 (22, 'rambu_rusak', 'Rambu lalu lintas rusak / hilang', 'Damaged or missing road sign', 'DISHUB', 'lalu lintas', 3,
    '{rambu,marka,"road sign"}', 2, 'Rambu baru sudah dipasang.'),
 (23, 'parkir_liar', 'Parkir liar', 'Illegal parking', 'DISHUB', 'lalu lintas', 3,
    '{parkir,"juru parkir",parking}', 5, 'Petugas sudah menertibkan parkir di lokasi.'),
 (24, 'halte_rusak', 'Halte rusak', 'Damaged bus stop', 'DISHUB', 'lalu lintas', 4,
    '{halte,shelter,"bus stop"}', 1, 'Halte sudah diperbaiki.'),
 (25, 'angkot_ngetem', 'Angkot ngetem sembarangan', 'Minibuses blocking the road', 'DISHUB', 'lalu lintas', 4,
    '{angkot,ngetem,macet,minibus}', 2, 'Sudah dilakukan penertiban angkot di lokasi.'),
 (26, 'wifi_publik', 'Wi-Fi publik tidak berfungsi', 'Public Wi-Fi not working', 'DISKOMINFO', 'teknologi', 4,
    '{wifi,internet,hotspot}', 2, 'Access point sudah diganti dan berfungsi kembali.'),
 (27, 'cctv', 'CCTV kota mati', 'City CCTV not working', 'DISKOMINFO', 'teknologi', 3,
    '{cctv,kamera,camera}', 1, 'Kamera CCTV sudah online kembali.'),
 (28, 'demam_berdarah', 'Permintaan fogging DBD', 'Dengue fogging request', 'DINKES', 'kesehatan', 2,
    '{DBD,"demam berdarah",fogging,nyamuk,dengue}', 3, 'Fogging dan PSN sudah dilaksanakan di RW setempat.'),
 (29, 'puskesmas', 'Keluhan layanan puskesmas', 'Health centre complaint', 'DINKES', 'kesehatan', 3,
    '{puskesmas,antrean,dokter,clinic}', 1, 'Keluhan sudah ditindaklanjuti kepala puskesmas.'),
 (30, 'sekolah_rusak', 'Bangunan sekolah rusak', 'Damaged school building', 'DISDIK', 'pendidikan', 2,
    '{sekolah,atap,kelas,school}', 1, 'Perbaikan ruang kelas sudah selesai dikerjakan.'),
 (31, 'pedagang_kaki_lima', 'PKL mengganggu jalan / trotoar', 'Street vendors obstructing', 'SATPOL_PP', 'ketertiban', 4,
    '{PKL,pedagang,lapak,vendor}', 3, 'PKL sudah ditertibkan Satpol PP.'),
 (32, 'bangunan_liar', 'Bangunan tanpa izin', 'Unlicensed building', 'SATPOL_PP', 'ketertiban', 4,
    '{bangunan,PBG,IMB,izin}', 1, 'Pemilik bangunan sudah dipanggil dan diberi surat teguran.'),
 (33, 'reklame_liar', 'Spanduk / reklame liar', 'Illegal banners and billboards', 'SATPOL_PP', 'ketertiban', 4,
    '{spanduk,baliho,reklame,banner}', 1, 'Spanduk dan reklame liar sudah diturunkan.'),
 (34, 'kebisingan', 'Gangguan kebisingan', 'Noise nuisance', 'SATPOL_PP', 'ketertiban', 4,
    '{bising,berisik,knalpot,noise}', 1, 'Sudah dilakukan teguran di lokasi.'),
 (35, 'sarang_tawon', 'Sarang tawon / hewan berbahaya', 'Wasp nest or dangerous animal', 'DAMKAR', 'darurat', 2,
    '{tawon,lebah,ular,wasp,snake}', 2, 'Sudah dievakuasi tim Damkar.'),
 (36, 'hidran_rusak', 'Hidran kebakaran rusak', 'Broken fire hydrant', 'DAMKAR', 'darurat', 3,
    '{hidran,hydrant}', 1, 'Hidran sudah diperbaiki dan diuji.'),
 (37, 'gelandangan', 'Gelandangan / pengemis', 'Homeless person or beggar', 'DINSOS', 'sosial', 3,
    '{gelandangan,pengemis,"anak jalanan",homeless}', 1, 'Sudah dijangkau petugas Dinsos dan dibawa ke rumah singgah.'),
 (38, 'bangkai_hewan', 'Bangkai hewan', 'Dead animal', NULL, 'kebersihan', 3,
    '{bangkai,"dead animal"}', 1, 'Bangkai sudah diangkut dan dikubur.'),
 (39, 'pengaduan_umum', 'Pengaduan umum', 'General complaint', NULL, 'umum', 3,
    '{}', 3, 'Sudah ditindaklanjuti dinas terkait.'),
 (40, 'lainnya', 'Lainnya', 'Other', NULL, 'umum', 4,
    '{}', 1.5, 'Sudah ditindaklanjuti dinas terkait.');

DO $services$
DECLARE
	s record;
BEGIN
	FOR s IN SELECT * FROM demo_svc ORDER BY ord LOOP
		PERFORM kota.service_save(s.code, s.name_id, s.name_en, s.dept,
		    s.grp, s.prio, s.keywords);
	END LOOP;
END
$services$;

-- What Open311 clients (kotaweb) ask the citizen with two services: the
-- number painted on the lamp post; the vehicle's plate and kind.  The
-- texts are the city's, in Indonesian.
DO $attributes$
BEGIN
	PERFORM kota.service_attribute_add('lampu_mati', 'nomor_tiang',
	    'string', true, 'Nomor tiang lampu (tertera pada tiang)',
	    'Contoh: PJU-CBL-0123');
	PERFORM kota.service_attribute_add('lampu_mati', 'jumlah_lampu',
	    'number', false, 'Berapa titik lampu yang padam?');
	PERFORM kota.service_attribute_add('parkir_liar', 'plat_nomor',
	    'string', false, 'Nomor polisi kendaraan, bila terlihat',
	    'Contoh: D 1234 ABC');
	PERFORM kota.service_attribute_add('parkir_liar', 'jenis_kendaraan',
	    'singlevaluelist', true, 'Jenis kendaraan', NULL, NULL,
	    ARRAY['motor', 'mobil', 'truk', 'angkot'],
	    ARRAY['Sepeda motor', 'Mobil', 'Truk', 'Angkot / minibus']);
	PERFORM kota.service_attribute_add('parkir_liar', 'gangguan',
	    'multivaluelist', false, 'Apa yang terhalang?', NULL, NULL,
	    ARRAY['trotoar', 'jalan', 'akses'],
	    ARRAY['Trotoar', 'Badan jalan', 'Akses rumah atau toko']);
END
$attributes$;

-- Agents ------------------------------------------------------------------
-- No passwords: an admin sets them ("kotactl agent passwd") before anyone
-- logs in.  When a role exists already, agent_create keeps it.

DO $agents$
DECLARE
	a record;
BEGIN
	FOR a IN SELECT * FROM (VALUES
	    ('demo_admin', 'admin', NULL, 'Hendra Gunawan', 'id'),
	    ('demo_supervisor', 'supervisor', NULL, 'Dewi Kusumawati', 'id'),
	    ('demo_siti', 'clerk', 'TRIASE', 'Siti Rahmawati', 'id'),
	    ('demo_rina', 'clerk', 'TRIASE', 'Rina Marlina', 'id'),
	    ('demo_agus', 'supervisor', 'PU', 'Agus Setiawan', 'id'),
	    ('demo_budi', 'clerk', 'PU', 'Budi Santoso', 'id'),
	    ('demo_lina', 'supervisor', 'DLH', 'Lina Wijaya', 'en'),
	    ('demo_yuni', 'clerk', 'DLH', 'Yuni Kartika', 'id'),
	    ('demo_dedi', 'clerk', 'PJU', 'Dedi Kurniawan', 'id'),
	    ('demo_wahyu', 'clerk', 'PDAM', 'Wahyu Hidayat', 'id'),
	    ('demo_rudi', 'clerk', 'DISHUB', 'Rudi Hartono', 'id'),
	    ('demo_fitri', 'clerk', 'DISKOMINFO', 'Fitri Handayani', 'id'),
	    ('demo_nurul', 'clerk', 'DINKES', 'Nurul Aini', 'id'),
	    ('demo_iwan', 'clerk', 'SATPOL_PP', 'Iwan Setiadi', 'id'),
	    ('demo_ujang', 'clerk', 'DAMKAR', 'Ujang Permana', 'id')
	) AS v(role, kind, dept, display_name, lang)
	LOOP
		PERFORM kota.agent_create(a.role, a.kind, a.dept,
		    a.display_name, NULL, a.lang);
	END LOOP;
END
$agents$;

-- Routing rules -----------------------------------------------------------

INSERT INTO kota.routing_rule (position, name, enabled, service_id,
    description_re, address_re, department_id, priority, assignee_id, stop,
    created_at, created_by)
SELECT v.position, v.name, v.enabled, s.id, v.description_re, v.address_re,
    d.id, v.priority, a.id, v.stop, now() - interval '95 days', 'demo_admin'
FROM (VALUES
 (10, 'Kata kunci bahaya: prioritas tinggi', true, NULL,
    'darurat|membahayakan|sangat berbahaya|urgent|dangerous', NULL,
    NULL, 2, NULL, false),
 (15, 'Kawasan pusat kota: prioritas tinggi', true, NULL,
    NULL, 'alun-alun|braga|asia afrika',
    NULL, 2, NULL, false),
 (20, 'Kabel putus / menjuntai', true, NULL,
    'kabel (listrik |pju )?(putus|menjuntai|terkelupas)|live wire|(hanging|broken) cable|cable hanging', NULL,
    'PJU', 1, NULL, true),
 (30, 'Pohon tumbang', true, NULL,
    'pohon (besar )?(tumbang|roboh|patah)|dahan (besar )?(patah|jatuh)|fallen tree|tree (fell|down)', NULL,
    'DLH', 1, NULL, true),
 (40, 'Kebakaran', true, NULL,
    'kebakaran|terbakar|on fire', NULL,
    'DAMKAR', 1, NULL, true),
 (45, 'Bangkai hewan', true, NULL,
    'bangkai|dead (animal|cat|dog|rat)', NULL,
    'DLH', NULL, NULL, true),
 (50, 'Sarang tawon / ular', true, NULL,
    'sarang (tawon|lebah)|tawon|ular (kobra|berbisa|masuk)|wasps?|snake', NULL,
    'DAMKAR', 2, NULL, true),
 (60, 'Lampu lalu lintas', true, NULL,
    'lampu (lalu ?lintas|merah)|apill|traffic ?lights?', NULL,
    'DISHUB', 1, NULL, true),
 (70, 'PJU Coblong langsung ke Dedi', true, 'lampu_mati',
    NULL, 'coblong|dago|dipati ukur|juanda',
    'PJU', NULL, 'demo_dedi', true),
 (80, 'Lampu jalan mati', true, NULL,
    'lampu (jalan |pju |penerangan jalan )?(mati|padam|redup|berkedip)|street ?lights? (is |are )?(out|off|broken)', NULL,
    'PJU', NULL, NULL, true),
 (90, 'Tiang lampu miring / roboh', true, NULL,
    'tiang (lampu|pju|listrik)( jalan)? (miring|roboh|patah|bengkok)|tiang pju tertabrak|lamp ?post', NULL,
    'PJU', 2, NULL, true),
 (100, 'Jalan berlubang', true, NULL,
    'jalan berlubang|lubang (besar )?di jalan|aspal (rusak|berlubang|mengelupas|ambles)|pot ?holes?', NULL,
    'PU', NULL, NULL, true),
 (110, 'Banjir / genangan', true, NULL,
    'banjir|genangan|tergenang|cileuncang|flood', NULL,
    'PU', 2, NULL, true),
 (120, 'Saluran tersumbat', true, NULL,
    'selokan|gorong-gorong|drainase|saluran (air )?(mampet|tersumbat)|got (mampet|tersumbat)|blocked drain', NULL,
    'PU', NULL, NULL, true),
 (130, 'Pipa bocor Andir & Cicendo ke Wahyu', true, 'pipa_bocor',
    NULL, 'andir|cicendo',
    'PDAM', NULL, 'demo_wahyu', true),
 (140, 'Pipa PDAM bocor / pecah', true, NULL,
    'pipa (air |pdam )?(bocor|pecah)|burst (water )?pipe|water main', NULL,
    'PDAM', 2, NULL, true),
 (150, 'Air PDAM tidak mengalir', true, NULL,
    'air (pdam )?(mati|tidak (mengalir|keluar))|no water', NULL,
    'PDAM', NULL, NULL, true),
 (160, 'Sampah di terminal / stasiun', true, 'sampah',
    NULL, 'terminal|stasiun',
    'DISHUB', NULL, NULL, true),
 (170, 'Sampah menumpuk', true, NULL,
    'sampah (menumpuk|berserakan|tidak diangkut|belum diangkut)|tumpukan sampah|rubbish|garbage', NULL,
    'DLH', NULL, NULL, true),
 (180, 'Fogging DBD', true, NULL,
    'demam berdarah|dbd|fogging|jentik|dengue', NULL,
    'DINKES', 2, NULL, true),
 (190, 'Parkir liar', true, NULL,
    'parkir (liar|sembarangan|di trotoar)|illegal(ly)? park', NULL,
    'DISHUB', NULL, NULL, true),
 (200, 'Pedagang kaki lima', true, NULL,
    'pedagang kaki lima|pkl|lapak (liar|pedagang)|street vendors?', NULL,
    'SATPOL_PP', NULL, NULL, true),
 (210, 'Gelandangan / pengemis', true, NULL,
    'gelandangan|pengemis|anak jalanan|odgj|homeless|beggar', NULL,
    'DINSOS', NULL, NULL, true),
 (220, 'Wi-Fi publik', true, NULL,
    'wi-?fi|hotspot', NULL,
    'DISKOMINFO', 4, NULL, true),
 (230, 'CCTV', true, NULL,
    'cctv', NULL,
    'DISKOMINFO', NULL, NULL, true),
 (240, 'Bangunan sekolah', true, NULL,
    'ruang kelas|atap sekolah|gedung sekolah|plafon kelas|classroom|school (roof|building)', NULL,
    'DISDIK', NULL, NULL, true),
 (250, 'Bangunan liar', true, NULL,
    'bangunan liar|tanpa (imb|pbg|izin)|without (a )?permit', NULL,
    'SATPOL_PP', NULL, NULL, true),
 (260, 'Spanduk / reklame liar', true, NULL,
    'spanduk|baliho|reklame|illegal banners?', NULL,
    'SATPOL_PP', 4, NULL, true),
 (270, 'Kebisingan', true, NULL,
    'bising|berisik|karaoke|knalpot|noise', NULL,
    'SATPOL_PP', 4, NULL, true),
 (280, 'Rambu dan marka', true, NULL,
    'rambu|marka jalan|road sign', NULL,
    'DISHUB', NULL, NULL, true),
 (290, 'Pemangkasan pohon', true, NULL,
    'pangkas|pemangkasan|pohon (rimbun|miring|rawan)|(dahan|ranting) (pohon )?menjuntai|prune', NULL,
    'DLH', NULL, NULL, true),
 (300, 'Hidran', true, NULL,
    'hidran|hydrant', NULL,
    'DAMKAR', NULL, NULL, true),
 (310, 'Puskesmas', true, NULL,
    'puskesmas|posyandu|health cent(re|er)', NULL,
    'DINKES', NULL, NULL, true),
 (900, 'Musim hujan: semua genangan prioritas 1 (nonaktif)', false, NULL,
    'banjir|genangan', NULL,
    NULL, 1, NULL, false)
) AS v(position, name, enabled, service, description_re, address_re, dept,
    priority, assignee, stop)
LEFT JOIN kota.service s ON s.code = v.service
LEFT JOIN kota.department d ON d.code = v.dept
LEFT JOIN kota.agent a ON a.role_name = v.assignee
ORDER BY v.position;

-- Generation helpers (temporary, dropped at the end) ----------------------

-- a[1 + floor(r * n)] for r in [0, 1)
CREATE FUNCTION pg_temp.demo_pick(a text[], r double precision)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT a[1 + least(floor(r * cardinality(a))::int, cardinality(a) - 1)]
$$;

-- Exponentially distributed (office) hours with the given mean, at least
-- 3 minutes and at most 60 days' worth.
CREATE FUNCTION pg_temp.demo_hours(mean double precision, r double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
	SELECT least(840, greatest(0.05, -mean * ln(1 - least(r, 0.999999))))
$$;

-- Agents work 07:00-21:00 Asia/Jakarta.  demo_w(t): office hours from an
-- epoch up to t (nights do not count); demo_winv(w): the earliest time
-- with demo_w = w.  Both are monotone, so timing steps as
-- demo_winv(demo_w(start) + hours) keeps every history in order and puts
-- agents' actions in office hours.
CREATE FUNCTION pg_temp.demo_w(t timestamptz)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
	SELECT (l::date - date '2000-01-01') * 14.0
	    + least(14, greatest(0, extract(epoch FROM l::time) / 3600 - 7))
	FROM (SELECT t AT TIME ZONE 'Asia/Jakarta' AS l) AS x
$$;

CREATE FUNCTION pg_temp.demo_winv(w double precision)
RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
	SELECT (date '2000-01-01' + floor(w / 14)::int + interval '7 hours'
	    + (w - 14 * floor(w / 14)) * interval '1 hour') AT TIME ZONE 'Asia/Jakarta'
$$;

-- Description templates.  {tempat}: a landmark, {lama}: how long.  nat:
-- the department a triage clerk sends it to when no rule and no service
-- default placed it (NULL: not the city's business, it is rejected with
-- the reject note).
CREATE TEMP TABLE demo_tpl (
	svc	text,
	lang	text,
	body	text,
	nat	text,
	reject	text
);

INSERT INTO demo_tpl (svc, lang, body) VALUES
 ('jalan_berlubang', 'id', 'Jalan berlubang cukup dalam {tempat}, {lama} belum diperbaiki dan membahayakan pengendara motor.'),
 ('jalan_berlubang', 'id', 'Ada lubang besar di jalan {tempat}, kalau hujan tidak kelihatan karena tertutup air.'),
 ('jalan_berlubang', 'id', 'Lubang di jalan {tempat} makin lebar, sudah ada pengendara yang jatuh.'),
 ('jalan_berlubang', 'id', 'Aspal berlubang {tempat}, mohon segera ditambal.'),
 ('jalan_berlubang', 'en', 'Deep pothole {tempat}, {lama}; it is dangerous for motorcycles.'),
 ('jalan_rusak', 'id', 'Aspal mengelupas dan bergelombang {tempat}, {lama} seperti ini.'),
 ('jalan_rusak', 'id', 'Jalan ambles {tempat}, retakannya makin panjang setelah hujan.'),
 ('jalan_rusak', 'id', 'Permukaan jalan rusak parah bekas galian kabel {tempat}, tidak dirapikan lagi.'),
 ('jalan_rusak', 'en', 'Road surface broken and uneven {tempat}.'),
 ('trotoar_rusak', 'id', 'Trotoar rusak dan ubinnya lepas {tempat}, pejalan kaki harus turun ke jalan.'),
 ('trotoar_rusak', 'id', 'Trotoar ambles {tempat}, berbahaya untuk lansia dan anak-anak.'),
 ('trotoar_rusak', 'en', 'Broken pavement tiles {tempat}; pedestrians have to walk on the road.'),
 ('jembatan_rusak', 'id', 'Pagar pengaman jembatan {tempat} patah, rawan anak jatuh ke sungai.'),
 ('jembatan_rusak', 'id', 'Lantai jembatan kecil {tempat} berlubang dan papannya lapuk.'),
 ('jembatan_rusak', 'en', 'The railing of the footbridge {tempat} is broken.'),
 ('tutup_saluran', 'id', 'Tutup gorong-gorong hilang {tempat}, lubangnya terbuka dan membahayakan.'),
 ('tutup_saluran', 'id', 'Tutup got beton pecah {tempat}, {lama} belum diganti.'),
 ('tutup_saluran', 'en', 'Drain cover missing {tempat}, an open hole in the pavement.'),
 ('drainase', 'id', 'Saluran air tersumbat sampah {tempat}, air meluap ke jalan kalau hujan.'),
 ('drainase', 'id', 'Selokan mampet dan bau {tempat}, {lama}.'),
 ('drainase', 'id', 'Got tersumbat lumpur {tempat}, air tidak mengalir sama sekali.'),
 ('drainase', 'en', 'Blocked drain {tempat}; water overflows onto the road when it rains.'),
 ('banjir', 'id', 'Genangan air setinggi lutut {tempat} setiap hujan deras.'),
 ('banjir', 'id', 'Banjir cileuncang {tempat}, banyak motor mogok.'),
 ('banjir', 'id', 'Jalan tergenang {tempat} karena saluran tidak mampu menampung air hujan.'),
 ('banjir', 'en', 'Flooding {tempat} after every heavy rain.'),
 ('sampah', 'id', 'Sampah menumpuk {tempat}, {lama} belum diangkut dan mulai bau.'),
 ('sampah', 'id', 'Truk sampah tidak datang {lama}, TPS {tempat} sudah penuh.'),
 ('sampah', 'id', 'Tumpukan sampah di TPS meluber ke jalan {tempat}.'),
 ('sampah', 'en', 'Rubbish has not been collected {lama} {tempat}; it is starting to smell.'),
 ('sampah_liar', 'id', 'Ada warga buang sampah sembarangan di lahan kosong {tempat}, sekarang jadi tumpukan sampah.'),
 ('sampah_liar', 'id', 'Pembuangan sampah liar di pinggir sungai {tempat}, tiap malam ada yang buang pakai mobil bak.'),
 ('sampah_liar', 'en', 'People dump their waste on the empty lot {tempat}.'),
 ('pembakaran_sampah', 'id', 'Warga membakar sampah setiap sore {tempat}, asapnya masuk ke rumah.'),
 ('pembakaran_sampah', 'id', 'Ada pembakaran sampah {tempat}, asap tebal mengganggu pernapasan anak-anak.'),
 ('pembakaran_sampah', 'en', 'Someone burns waste every evening {tempat}; the smoke comes into our house.'),
 ('pohon_tumbang', 'id', 'Pohon tumbang menutup jalan {tempat}, kendaraan tidak bisa lewat.'),
 ('pohon_tumbang', 'id', 'Pohon besar roboh setelah hujan angin {tempat}, menimpa pagar rumah warga.'),
 ('pohon_tumbang', 'id', 'Dahan patah dan jatuh ke jalan {tempat}, sebagian menimpa atap warung.'),
 ('pohon_tumbang', 'en', 'A fallen tree is blocking the road {tempat}.'),
 ('pemangkasan_pohon', 'id', 'Mohon pemangkasan pohon {tempat}, dahannya sudah mengenai kabel listrik.'),
 ('pemangkasan_pohon', 'id', 'Pohon rimbun {tempat} menutupi lampu jalan, malam jadi gelap.'),
 ('pemangkasan_pohon', 'id', 'Ranting pohon menjuntai ke jalan {tempat}, mengganggu truk dan bus.'),
 ('pemangkasan_pohon', 'en', 'Please prune the tree {tempat}; its branches touch the power lines.'),
 ('taman_rusak', 'id', 'Ayunan dan perosotan di taman {tempat} rusak, berbahaya untuk anak-anak.'),
 ('taman_rusak', 'id', 'Bangku taman patah dan lampu taman tidak menyala.'),
 ('taman_rusak', 'en', 'The playground swing in the park {tempat} is broken.'),
 ('lampu_mati', 'id', 'Lampu jalan mati {lama} {tempat}, jalan jadi gelap dan rawan begal.'),
 ('lampu_mati', 'id', 'Tiga titik lampu PJU padam {tempat}, warga takut lewat malam hari.'),
 ('lampu_mati', 'id', 'Lampu penerangan jalan berkedip-kedip lalu mati {tempat}.'),
 ('lampu_mati', 'en', 'Street light out {lama} {tempat}; the road is completely dark.'),
 ('tiang_lampu', 'id', 'Tiang lampu jalan miring hampir roboh {tempat}, membahayakan pengguna jalan.'),
 ('tiang_lampu', 'id', 'Tiang PJU tertabrak truk dan bengkok {tempat}.'),
 ('tiang_lampu', 'en', 'Lamp post leaning dangerously {tempat}.'),
 ('kabel_listrik', 'id', 'Kabel PJU putus dan menjuntai ke jalan {tempat}, takut ada yang tersengat.'),
 ('kabel_listrik', 'id', 'Kabel listrik terkelupas di tiang lampu {tempat}, kalau hujan keluar percikan.'),
 ('kabel_listrik', 'en', 'Broken street light cable hanging over the road {tempat}.'),
 ('air_mati', 'id', 'Air PDAM tidak mengalir {lama}, satu RT terdampak.'),
 ('air_mati', 'id', 'Air mati total sejak subuh, belum ada pemberitahuan dari PDAM.'),
 ('air_mati', 'id', 'Aliran air sangat kecil, hanya keluar tengah malam, {lama}.'),
 ('air_mati', 'en', 'No water from the tap {lama}; the whole street is affected.'),
 ('pipa_bocor', 'id', 'Pipa PDAM bocor {tempat}, air menyembur ke jalan.'),
 ('pipa_bocor', 'id', 'Pipa air pecah {tempat}, jalan jadi becek dan licin.'),
 ('pipa_bocor', 'id', 'Ada kebocoran pipa di bawah trotoar {tempat}, air terus keluar {lama}.'),
 ('pipa_bocor', 'en', 'Burst water pipe {tempat}, water is gushing onto the road.'),
 ('air_keruh', 'id', 'Air PDAM keruh kecokelatan {lama}, tidak bisa dipakai mandi.'),
 ('air_keruh', 'id', 'Air dari keran berbau kaporit sangat menyengat.'),
 ('air_keruh', 'en', 'Tap water is brown and smells bad.'),
 ('meteran_air', 'id', 'Meteran air tidak berputar padahal air dipakai, tagihan jadi tidak sesuai.'),
 ('meteran_air', 'id', 'Kaca meteran air pecah, angkanya tidak terbaca.'),
 ('meteran_air', 'en', 'Our water meter is broken; the numbers cannot be read.'),
 ('lampu_lalulintas', 'id', 'Lampu lalu lintas di perempatan mati {lama}, lalu lintas semrawut.'),
 ('lampu_lalulintas', 'id', 'Lampu merah menyala terus tidak berganti hijau, antrean kendaraan panjang.'),
 ('lampu_lalulintas', 'id', 'APILL di simpang dekat pasar hanya berkedip kuning sejak pagi.'),
 ('lampu_lalulintas', 'en', 'The traffic lights at the junction are not working.'),
 ('rambu_rusak', 'id', 'Rambu dilarang berhenti roboh {tempat}.'),
 ('rambu_rusak', 'id', 'Marka jalan sudah pudar {tempat}, pengendara bingung jalurnya.'),
 ('rambu_rusak', 'en', 'Road sign knocked down {tempat}.'),
 ('parkir_liar', 'id', 'Parkir liar memakan badan jalan {tempat}, macet setiap sore.'),
 ('parkir_liar', 'id', 'Mobil parkir di trotoar {tempat}, pejalan kaki terpaksa lewat jalan raya.'),
 ('parkir_liar', 'id', 'Juru parkir liar memungut tarif sepuluh ribu {tempat}.'),
 ('parkir_liar', 'en', 'Cars illegally parked on the pavement {tempat}.'),
 ('halte_rusak', 'id', 'Atap halte bus {tempat} bocor dan kursinya patah.'),
 ('halte_rusak', 'id', 'Halte Trans Metro Bandung rusak, kacanya pecah.'),
 ('halte_rusak', 'en', 'The bus stop shelter is damaged, broken glass everywhere.'),
 ('angkot_ngetem', 'id', 'Angkot ngetem lama di mulut gang, bikin macet {lama}.'),
 ('angkot_ngetem', 'id', 'Angkot berhenti sembarangan menaikkan penumpang di tikungan.'),
 ('angkot_ngetem', 'en', 'Minibuses wait for passengers in the middle of the road.'),
 ('wifi_publik', 'id', 'Wi-Fi gratis di taman {tempat} tidak bisa tersambung {lama}.'),
 ('wifi_publik', 'id', 'Hotspot internet di balai RW mati, warga tidak bisa akses.'),
 ('wifi_publik', 'en', 'The free public Wi-Fi in the park is not working.'),
 ('cctv', 'id', 'CCTV di perempatan dekat pasar mati, lampu indikatornya tidak menyala.'),
 ('cctv', 'id', 'Kamera CCTV {tempat} arahnya berubah dan tidak merekam jalan.'),
 ('cctv', 'en', 'The CCTV camera at the junction is offline.'),
 ('demam_berdarah', 'id', 'Ada dua warga RT kami terkena DBD, mohon fogging segera.'),
 ('demam_berdarah', 'id', 'Anak tetangga dirawat karena demam berdarah, banyak nyamuk di lingkungan RW kami.'),
 ('demam_berdarah', 'id', 'Mohon pemeriksaan jentik dan fogging, kasus demam berdarah meningkat.'),
 ('demam_berdarah', 'en', 'Two neighbours have dengue fever; please send a fogging team.'),
 ('puskesmas', 'id', 'Antrean di puskesmas sangat lama, pendaftaran baru dibuka jam sembilan.'),
 ('puskesmas', 'id', 'Petugas puskesmas kurang ramah dan obat sering kosong.'),
 ('puskesmas', 'en', 'Very long queue at the health centre; registration opens late.'),
 ('sekolah_rusak', 'id', 'Atap ruang kelas SD Negeri dekat rumah kami bocor dan plafonnya hampir jatuh.'),
 ('sekolah_rusak', 'id', 'Gedung sekolah retak setelah gempa kemarin, orang tua murid khawatir.'),
 ('sekolah_rusak', 'en', 'The classroom ceiling at the primary school is about to collapse.'),
 ('pedagang_kaki_lima', 'id', 'PKL berjualan di atas trotoar {tempat}, pejalan kaki tidak bisa lewat.'),
 ('pedagang_kaki_lima', 'id', 'Lapak pedagang kaki lima menutup saluran air {tempat}.'),
 ('pedagang_kaki_lima', 'en', 'Street vendors occupy the whole pavement {tempat}.'),
 ('bangunan_liar', 'id', 'Ada bangunan liar berdiri di atas saluran {tempat}.'),
 ('bangunan_liar', 'id', 'Pembangunan ruko tanpa PBG {tempat}, material menutup akses jalan.'),
 ('bangunan_liar', 'en', 'A building is going up without a permit {tempat}.'),
 ('reklame_liar', 'id', 'Spanduk liar dipasang di pohon dan tiang listrik {tempat}.'),
 ('reklame_liar', 'id', 'Baliho besar miring hampir jatuh {tempat}.'),
 ('reklame_liar', 'en', 'Illegal banners on every lamp pole along the road.'),
 ('kebisingan', 'id', 'Suara karaoke keras sampai lewat tengah malam {tempat}.'),
 ('kebisingan', 'id', 'Knalpot bising balap liar setiap malam Minggu.'),
 ('kebisingan', 'en', 'Loud music until after midnight every weekend.'),
 ('sarang_tawon', 'id', 'Ada sarang tawon besar di atap rumah, sudah ada anak yang tersengat.'),
 ('sarang_tawon', 'id', 'Ular kobra masuk ke halaman rumah {tempat}, mohon bantuan evakuasi.'),
 ('sarang_tawon', 'en', 'Large wasp nest under our roof; a child has been stung.'),
 ('hidran_rusak', 'id', 'Hidran {tempat} bocor dan tutupnya hilang.'),
 ('hidran_rusak', 'id', 'Hidran tertutup gerobak dan tidak bisa diakses.'),
 ('hidran_rusak', 'en', 'The fire hydrant {tempat} is leaking and the cap is missing.'),
 ('gelandangan', 'id', 'Ada pengemis dan anak jalanan di perempatan {tempat} setiap sore.'),
 ('gelandangan', 'id', 'Seorang ODGJ tidur di emper toko {tempat}, warga khawatir.'),
 ('gelandangan', 'en', 'A homeless man has been sleeping at the bus shelter for days.'),
 ('bangkai_hewan', 'id', 'Ada bangkai kucing di tengah jalan {tempat}, sudah bau.'),
 ('bangkai_hewan', 'id', 'Bangkai anjing di pinggir selokan {tempat}.'),
 ('bangkai_hewan', 'id', 'Bangkai tikus besar di saluran depan rumah, baunya menyengat.'),
 ('bangkai_hewan', 'en', 'Dead cat in the middle of the road {tempat}.');

INSERT INTO demo_tpl (svc, lang, body, nat, reject) VALUES
 ('pengaduan_umum', 'id', 'Kabel menjuntai rendah melintang di jalan {tempat}, bisa tersangkut truk.', 'PJU', NULL),
 ('pengaduan_umum', 'id', 'Trotoar dipakai untuk parkir motor dan jualan {tempat}.', 'SATPOL_PP', NULL),
 ('pengaduan_umum', 'id', 'Jalan gelap sekali di malam hari {tempat}, perlu tambahan lampu penerangan.', 'PJU', NULL),
 ('pengaduan_umum', 'id', 'Galian kabel optik tidak dirapikan kembali {tempat}.', 'PU', NULL),
 ('pengaduan_umum', 'id', 'Banyak nyamuk dan genangan di lahan kosong {tempat}.', 'PU', NULL),
 ('pengaduan_umum', 'id', 'Bau menyengat dari saluran limbah pabrik tahu {tempat}.', 'DLH', NULL),
 ('pengaduan_umum', 'id', 'Mohon informasi jadwal pembuatan KTP elektronik di kecamatan.', NULL,
    'Bukan kewenangan antrean ini: layanan KTP-el di Disdukcapil Kota Bandung.'),
 ('pengaduan_umum', 'id', 'Tagihan PBB saya tidak sesuai dengan luas tanah.', NULL,
    'Pajak daerah: sudah diteruskan ke Bapenda, laporan ini ditutup.'),
 ('pengaduan_umum', 'en', 'The street is very dark at night {tempat}; more lights are needed.', 'PJU', NULL),
 ('lainnya', 'id', 'Ada anjing liar berkeliaran dan mengejar warga {tempat}.', NULL,
    'Kesehatan hewan: diteruskan ke Dinas Pangan dan Pertanian, laporan ini ditutup.'),
 ('lainnya', 'id', 'Suara petasan dan kembang api setiap malam {tempat}.', 'SATPOL_PP', NULL),
 ('lainnya', 'id', 'Papan nama jalan hilang {tempat}, tamu sering tersesat.', 'DISHUB', NULL),
 ('lainnya', 'id', 'Mohon info cara mendaftar bantuan sosial untuk lansia.', 'DINSOS', NULL),
 ('lainnya', 'id', 'Lahan kosong terbakar {tempat}, asapnya tebal.', 'DAMKAR', NULL),
 ('lainnya', 'en', 'Stray dogs chasing children near the school.', NULL,
    'Animal health: forwarded to the agriculture office, this report is closed.');

-- k = 1..cnt within (svc, lang), in the order written above.
CREATE TEMP TABLE demo_tplk AS
SELECT t.*, row_number() OVER (PARTITION BY svc, lang ORDER BY ord) AS k,
    count(*) OVER (PARTITION BY svc, lang) AS cnt
FROM (SELECT *, row_number() OVER () AS ord FROM demo_tpl) AS t;

CREATE FUNCTION pg_temp.demo_desc(p_svc text, p_lang text,
    r_tpl double precision, r_place double precision,
    r_dur double precision, r_sfx double precision,
    OUT body text, OUT nat text, OUT reject text)
LANGUAGE sql STABLE AS $$
	SELECT replace(replace(t.body, '{tempat}', pg_temp.demo_pick(
		CASE t.lang WHEN 'en' THEN ARRAY['in front of the mosque',
		    'near the minimarket', 'at the corner', 'opposite the market',
		    'near the village office', 'by the football field',
		    'at the end of the alley', 'in front of the pharmacy',
		    'near the church', 'outside the campus']
		ELSE ARRAY['depan masjid', 'dekat pos ronda', 'samping warung',
		    'depan Indomaret', 'di pertigaan', 'di tikungan',
		    'depan kantor kelurahan', 'di mulut gang', 'seberang pasar',
		    'depan rumah makan Padang', 'dekat lapangan voli',
		    'depan apotek', 'di ujung gang', 'depan bengkel motor',
		    'samping musala', 'depan Alfamart', 'dekat gereja',
		    'depan kampus', 'dekat taman RW', 'depan SPBU'] END, r_place)),
	    '{lama}', pg_temp.demo_pick(
		CASE t.lang WHEN 'en' THEN ARRAY['for three days', 'since yesterday',
		    'for a week', 'for two weeks', 'since Monday']
		ELSE ARRAY['sejak kemarin', 'sejak 3 hari lalu', 'sudah 2 hari',
		    'sudah seminggu', 'sudah dua minggu', 'sejak hari Senin',
		    'sudah 5 hari'] END, r_dur))
	    || pg_temp.demo_pick(CASE t.lang WHEN 'en' THEN ARRAY['', '', '',
		' Thank you.', ' Please fix it soon.']
		ELSE ARRAY['', '', '', '', ' Mohon segera ditindaklanjuti.',
		    ' Terima kasih.', ' Mohon dicek, terima kasih.',
		    ' Sudah lapor ke RT tapi belum ada tindakan.'] END, r_sfx),
	    t.nat, t.reject
	FROM pg_temp.demo_tplk AS t
	WHERE t.svc = p_svc
	  AND t.lang = CASE WHEN p_lang = 'en' AND EXISTS (SELECT 1
		FROM pg_temp.demo_tplk AS e WHERE e.svc = p_svc AND e.lang = 'en')
		THEN 'en' ELSE 'id' END
	  AND t.k = 1 + least(floor(r_tpl * t.cnt)::int, t.cnt - 1)
$$;

-- The routing rules, as the engine applies them (see the header).
CREATE FUNCTION pg_temp.demo_route(p_service int, p_desc text,
    p_address text, p_district text,
    OUT dept_id int, OUT prio int, OUT assignee_id int, OUT rule_name text)
LANGUAGE sql STABLE AS $$
	WITH m AS (
		SELECT r.* FROM kota.routing_rule AS r
		WHERE r.enabled
		  AND (r.service_id IS NULL OR r.service_id = p_service)
		  AND (r.description_re IS NULL OR p_desc ~* r.description_re)
		  AND (r.address_re IS NULL
		       OR concat_ws(', ', p_address, p_district) ~* r.address_re)
	), lim AS (
		SELECT min(ARRAY[m.position, m.id]) AS k FROM m WHERE m.stop
	), applied AS (
		SELECT m.* FROM m, lim
		WHERE lim.k IS NULL OR ARRAY[m.position, m.id] <= lim.k
	)
	SELECT
	    (SELECT a.department_id FROM applied AS a WHERE a.department_id IS NOT NULL
	     ORDER BY a.position DESC, a.id DESC LIMIT 1),
	    (SELECT a.priority FROM applied AS a WHERE a.priority IS NOT NULL
	     ORDER BY a.position DESC, a.id DESC LIMIT 1),
	    (SELECT a.assignee_id FROM applied AS a WHERE a.assignee_id IS NOT NULL
	     ORDER BY a.position DESC, a.id DESC LIMIT 1),
	    (SELECT a.name FROM applied AS a WHERE a.department_id IS NOT NULL
	     ORDER BY a.position DESC, a.id DESC LIMIT 1)
$$;

-- Bandung: kecamatan with their approximate centres, and streets.
CREATE TEMP TABLE demo_street AS
SELECT row_number() OVER (ORDER BY d.dord, s.sord) AS k, d.district,
    d.lat, d.lon, s.street, s.street NOT LIKE 'Jl. %' AS landmark
FROM (VALUES
 (1, 'Coblong', -6.8870, 107.6150, ARRAY['Jl. Ir. H. Juanda', 'Jl. Dipati Ukur',
    'Jl. Tubagus Ismail', 'Jl. Cisitu Lama', 'Jl. Sangkuriang', 'Jl. Ganesha', 'Jl. Sekeloa']),
 (2, 'Sukajadi', -6.8850, 107.5930, ARRAY['Jl. Sukajadi', 'Jl. Dr. Djunjunan',
    'Jl. Cipedes', 'Jl. Sukagalih', 'Jl. Karang Tinggal']),
 (3, 'Cicendo', -6.9050, 107.5930, ARRAY['Jl. Pajajaran', 'Jl. Arjuna',
    'Jl. Pasirkaliki', 'Jl. Kebon Kawung', 'Jl. Cicendo',
    'Stasiun Bandung, Jl. Kebon Kawung']),
 (4, 'Andir', -6.9130, 107.5800, ARRAY['Jl. Jenderal Sudirman', 'Jl. Garuda',
    'Jl. Ciroyom', 'Jl. Rajawali Barat', 'Jl. Dungus Cariang']),
 (5, 'Bandung Wetan', -6.9030, 107.6150, ARRAY['Jl. R.E. Martadinata', 'Jl. Diponegoro',
    'Jl. Aceh', 'Jl. Sulanjana', 'Jl. Citarum', 'Jl. Taman Sari']),
 (6, 'Sumur Bandung', -6.9180, 107.6120, ARRAY['Jl. Asia Afrika', 'Jl. Braga',
    'Jl. Merdeka', 'Jl. Naripan', 'Jl. Wastukencana', 'Alun-Alun Bandung, Jl. Asia Afrika']),
 (7, 'Lengkong', -6.9300, 107.6220, ARRAY['Jl. Burangrang', 'Jl. Karapitan',
    'Jl. Lengkong Besar', 'Jl. Talaga Bodas', 'Jl. Malabar', 'Jl. Buah Batu']),
 (8, 'Regol', -6.9400, 107.6080, ARRAY['Jl. Moh. Toha', 'Jl. Dewi Sartika',
    'Jl. Pungkur', 'Jl. Ciateul', 'Jl. BKR']),
 (9, 'Astanaanyar', -6.9290, 107.5990, ARRAY['Jl. Otto Iskandardinata',
    'Jl. Pasir Koja', 'Jl. Kalipah Apo', 'Jl. Karasak']),
 (10, 'Kiaracondong', -6.9240, 107.6450, ARRAY['Jl. Kiaracondong', 'Jl. Ibrahim Adjie',
    'Jl. Babakan Sari', 'Jl. Jakarta', 'Stasiun Kiaracondong, Jl. Stasiun Kiaracondong',
    'Terminal Cicaheum, Jl. A.H. Nasution']),
 (11, 'Antapani', -6.9150, 107.6600, ARRAY['Jl. Terusan Jakarta', 'Jl. Purwakarta',
    'Jl. Subang', 'Jl. Antapani Lama']),
 (12, 'Arcamanik', -6.9130, 107.6780, ARRAY['Jl. Arcamanik Endah', 'Jl. Pacuan Kuda',
    'Jl. Cisaranten Kulon']),
 (13, 'Ujungberung', -6.9130, 107.7000, ARRAY['Jl. A.H. Nasution', 'Jl. Rumah Sakit',
    'Jl. Cigending', 'Jl. Alun-Alun Ujungberung']),
 (14, 'Buahbatu', -6.9500, 107.6400, ARRAY['Jl. Terusan Buah Batu', 'Jl. Margacinta',
    'Jl. Margahayu Raya', 'Jl. Kliningan']),
 (15, 'Cibeunying Kidul', -6.9060, 107.6380, ARRAY['Jl. PHH Mustofa', 'Jl. Cikutra',
    'Jl. Pahlawan', 'Jl. Sukaluyu']),
 (16, 'Cibeunying Kaler', -6.8880, 107.6300, ARRAY['Jl. Cigadung Raya',
    'Jl. Cikutra Barat', 'Jl. Sadang Serang']),
 (17, 'Cidadap', -6.8650, 107.6050, ARRAY['Jl. Dr. Setiabudi', 'Jl. Ciumbuleuit',
    'Jl. Hegarmanah', 'Jl. Bukit Jarian']),
 (18, 'Sukasari', -6.8700, 107.5850, ARRAY['Jl. Gegerkalong Hilir', 'Jl. Sarijadi',
    'Jl. Sersan Bajuri']),
 (19, 'Batununggal', -6.9300, 107.6320, ARRAY['Jl. Gatot Subroto', 'Jl. Laswi',
    'Jl. Kebon Gedang', 'Jl. Binong Jati']),
 (20, 'Bandung Kulon', -6.9250, 107.5650, ARRAY['Jl. Holis', 'Jl. Caringin',
    'Jl. Cijerah']),
 (21, 'Bojongloa Kaler', -6.9320, 107.5850, ARRAY['Jl. Kopo', 'Jl. Peta',
    'Jl. Sukahaji']),
 (22, 'Bojongloa Kidul', -6.9450, 107.5950, ARRAY['Jl. Soekarno-Hatta',
    'Jl. Leuwi Panjang', 'Terminal Leuwipanjang, Jl. Soekarno-Hatta'])
) AS d(dord, district, lat, lon, streets),
LATERAL unnest(d.streets) WITH ORDINALITY AS s(street, sord);

-- Departments' agents: who picks up, who assigns.
CREATE TEMP TABLE demo_dagent AS
SELECT d.id AS dept_id, d.code,
    array_agg(a.role_name::text ORDER BY a.role_name)
	FILTER (WHERE a.id IS NOT NULL) AS roles,
    (array_agg(a.role_name::text ORDER BY a.role_name)
	FILTER (WHERE a.kind = 'supervisor'))[1] AS sup
FROM kota.department AS d
LEFT JOIN kota.agent AS a ON a.department_id = d.id AND a.active
GROUP BY d.id, d.code;

-- Citizens (planned) ------------------------------------------------------

CREATE TEMP TABLE demo_c0 AS
SELECT i, random() AS r_lang, random() AS r_sex, random() AS r_first,
    random() AS r_last, random() AS r_single, random() AS r_title,
    random() AS r_noname, random() AS r_pfx, random() AS r_xlen,
    random() AS r_xdig, random() AS r_mail, random() AS r_dom,
    random() AS r_opt, random() AS r_optt, random() AS r_foreign
FROM generate_series(1, 1200) AS i;

CREATE TEMP TABLE demo_cit AS
SELECT c.i, c.lang, c.first, c.last,
    CASE WHEN c.r_noname < 0.04 THEN NULL
	WHEN c.title IS NOT NULL THEN c.title || ' ' || c.first
	ELSE concat_ws(' ', c.first, c.last) END AS name,
    '+62' || pg_temp.demo_pick(ARRAY['811', '812', '813', '814', '815', '816',
	'817', '818', '819', '821', '822', '823', '831', '832', '833', '838',
	'851', '852', '853', '855', '856', '857', '858', '859'], c.r_pfx)
	|| lpad(((c.i::bigint * 102947) % 9000000 + 1000000)::text, 7, '0')
	|| CASE floor(c.r_xlen * 3)::int WHEN 0 THEN ''
	    WHEN 1 THEN floor(c.r_xdig * 10)::int::text
	    ELSE lpad(floor(c.r_xdig * 100)::int::text, 2, '0') END AS phone,
    CASE WHEN c.r_mail < 0.27 AND c.r_noname >= 0.04 THEN
	lower(concat_ws('.', c.first, c.last))
	|| CASE WHEN c.r_mail < 0.15 THEN (c.i % 89 + 10)::text ELSE '' END
	|| '@' || pg_temp.demo_pick(ARRAY['gmail.com', 'gmail.com', 'gmail.com',
	    'gmail.com', 'yahoo.co.id', 'yahoo.com', 'outlook.com', 'ymail.com'],
	    c.r_dom)
	END AS email,
    c.r_opt < 0.02 AS opted_out, c.r_optt
FROM (SELECT c0.*,
	CASE WHEN c0.r_lang < 0.06 THEN 'en' ELSE 'id' END AS lang,
	CASE WHEN c0.r_lang < 0.06 AND c0.r_foreign < 0.6 THEN
	    pg_temp.demo_pick(ARRAY['John', 'Sarah', 'David', 'Emma', 'Kenji',
		'Michael', 'Anna', 'Lucas', 'Olivia', 'Daniel', 'Mei', 'Thomas'],
		c0.r_first)
	WHEN c0.r_sex < 0.5 THEN
	    pg_temp.demo_pick(ARRAY['Agus', 'Ahmad', 'Andi', 'Asep', 'Bambang',
		'Budi', 'Cecep', 'Dadang', 'Dedi', 'Dimas', 'Eko', 'Fajar',
		'Galih', 'Gilang', 'Hendra', 'Heri', 'Irfan', 'Iwan', 'Joko',
		'Mulyadi', 'Nanang', 'Oman', 'Rahmat', 'Rian', 'Rizky', 'Rudi',
		'Taufik', 'Teguh', 'Ujang', 'Wawan', 'Yudi', 'Yusuf', 'Zaenal',
		'Dodi', 'Engkus', 'Ilham'], c0.r_first)
	ELSE
	    pg_temp.demo_pick(ARRAY['Ayu', 'Citra', 'Dewi', 'Dian', 'Eka',
		'Endah', 'Euis', 'Fitri', 'Hana', 'Ika', 'Indah', 'Intan',
		'Kartika', 'Lilis', 'Lina', 'Maya', 'Neneng', 'Nur', 'Nurul',
		'Putri', 'Ratna', 'Rina', 'Sari', 'Siti', 'Sri', 'Tati', 'Wulan',
		'Yanti', 'Yuli', 'Rosi', 'Dini', 'Anisa'], c0.r_first)
	END AS first,
	CASE WHEN c0.r_lang < 0.06 AND c0.r_foreign < 0.6 THEN
	    pg_temp.demo_pick(ARRAY['Miller', 'Thompson', 'Chen', 'Wilson',
		'Sato', 'Brown', 'Schmidt', 'Martin', 'Taylor', 'Kim', 'Lin',
		'Dubois'], c0.r_last)
	WHEN c0.r_single < 0.15 OR c0.r_title < 0.08 THEN NULL
	ELSE pg_temp.demo_pick(ARRAY['Suryana', 'Hidayat', 'Kurniawan',
		'Permana', 'Setiawan', 'Saputra', 'Pratama', 'Rahayu', 'Lestari',
		'Wijaya', 'Gunawan', 'Hermawan', 'Nugraha', 'Ramdani',
		'Firmansyah', 'Sutisna', 'Supriatna', 'Maulana', 'Kusumah',
		'Sulaeman', 'Hakim', 'Rosita', 'Nurhayati', 'Handayani',
		'Puspitasari', 'Sopandi', 'Mulyana', 'Rukmana', 'Fauzi',
		'Ardiansyah', 'Sumarna', 'Iskandar', 'Santoso', 'Wibowo',
		'Susanti', 'Hasanah'], c0.r_last)
	END AS last,
	CASE WHEN c0.r_lang < 0.06 AND c0.r_foreign < 0.6 THEN NULL
	    WHEN c0.r_title < 0.08 THEN
		CASE WHEN c0.r_sex < 0.5 THEN 'Pak' ELSE 'Bu' END
	END AS title
      FROM demo_c0 AS c0) AS c;

-- Requests (planned) ------------------------------------------------------

CREATE TEMP TABLE demo_r0 AS
SELECT n, random() AS r_svc, random() AS r_day, random() AS r_tod,
    random() AS r_night, random() AS r_wk, random() AS r_street,
    random() AS r_no, random() AS r_rt, random() AS r_geo, random() AS r_jlat,
    random() AS r_jlon, random() AS r_tpl, random() AS r_place,
    random() AS r_dur, random() AS r_sfx, random() AS r_chan, random() AS r_rep,
    random() AS r_anon, random() AS r_prio, random() AS r_path,
    random() AS r_creator, random() AS r_dact, random() AS r_asg,
    random() AS r_asgp, random() AS r_tri, random() AS r_c1, random() AS r_c1t,
    random() AS r_c1x, random() AS r_n1, random() AS r_n1t, random() AS r_n1x,
    random() AS r_n2, random() AS r_n2t, random() AS r_n2x, random() AS r_w,
    random() AS r_wt, random() AS r_wc, random() AS r_dup, random() AS r_closeby
FROM generate_series(1, 1900) AS n;

-- Service by weight, time (Asia/Jakarta office hours mostly, fewer at
-- weekends), place, reporter, channel, words.
CREATE TEMP TABLE demo_q1 AS
WITH w AS (
	SELECT s.code, k.id AS service_id, k.department_id AS svc_dept,
	    k.default_priority, s.fixed,
	    sum(s.weight) OVER (ORDER BY s.ord) - s.weight AS lo,
	    sum(s.weight) OVER (ORDER BY s.ord) AS hi,
	    sum(s.weight) OVER () AS total
	FROM demo_svc AS s JOIN kota.service AS k ON k.code = s.code
), t AS (
	SELECT r.*, w.code AS svc, w.service_id, w.svc_dept,
	    w.default_priority, w.fixed,
	    ((now() AT TIME ZONE 'Asia/Jakarta')::date
		- floor(r.r_day * 88)::int
		+ CASE WHEN r.r_night < 0.9
		    THEN interval '6 hours' + r.r_tod * interval '15 hours'
		    ELSE r.r_tod * interval '24 hours' END)
		AT TIME ZONE 'Asia/Jakarta' AS t0
	FROM demo_r0 AS r
	JOIN w ON r.r_svc * w.total >= w.lo AND r.r_svc * w.total < w.hi
), t2 AS (
	SELECT t.*,
	    CASE WHEN t.t0 > now() - interval '10 minutes'
		THEN t.t0 - interval '1 day' ELSE t.t0 END AS t1
	FROM t
), t3 AS (
	SELECT t2.*,
	    t2.t1 - CASE WHEN t2.r_wk < 0.4 THEN
		CASE extract(isodow FROM t2.t1 AT TIME ZONE 'Asia/Jakarta')
		    WHEN 6 THEN interval '1 day' WHEN 7 THEN interval '2 days'
		    ELSE interval '0' END
		ELSE interval '0' END AS created_at,
	    CASE WHEN t2.n <= 1200 THEN t2.n
		WHEN t2.r_anon < 0.04 THEN NULL
		ELSE 1 + least(1199, floor(1200 * power(t2.r_rep, 1.6))::int)
		END AS rep_i
	FROM t2
)
SELECT t3.*, st.district, st.lat AS dlat, st.lon AS dlon,
    CASE WHEN st.landmark THEN st.street
	WHEN t3.r_no < 0.04 THEN st.street
	ELSE st.street || ' No. ' || (1 + floor(t3.r_no * 240)::int)
	    || CASE WHEN t3.r_rt < 0.25 THEN
		' RT ' || lpad((1 + floor(t3.r_rt * 4000)::int % 12)::text, 2, '0')
		|| '/RW ' || lpad((1 + floor(t3.r_rt * 40000)::int % 15)::text, 2, '0')
		ELSE '' END
	END AS address,
    coalesce(c.lang, 'id') AS lang,
    CASE WHEN t3.rep_i IS NULL THEN
	    CASE WHEN t3.r_chan < 0.7 THEN 'phone' ELSE 'walk_in' END
	WHEN c.lang = 'en' THEN
	    CASE WHEN t3.r_chan < 0.45 THEN 'web' WHEN t3.r_chan < 0.65 THEN 'email'
		WHEN t3.r_chan < 0.9 THEN 'phone' ELSE 'walk_in' END
	ELSE
	    CASE WHEN t3.r_chan < 0.52 THEN 'phone' WHEN t3.r_chan < 0.68 THEN 'walk_in'
		WHEN t3.r_chan < 0.83 THEN 'web' WHEN t3.r_chan < 0.95 THEN 'sms'
		WHEN t3.r_chan < 0.98 THEN 'email' ELSE 'api' END
	END AS channel,
    pg_temp.demo_pick(ARRAY['demo_siti', 'demo_rina'], t3.r_creator) AS creator
FROM t3
JOIN demo_street AS st
  ON st.k = 1 + least(floor(t3.r_street * (SELECT count(*) FROM demo_street))::int,
	(SELECT count(*) FROM demo_street)::int - 1)
LEFT JOIN demo_cit AS c ON c.i = t3.rep_i;

-- Description, routing, priority, department, lifecycle plan.
CREATE TEMP TABLE demo_q AS
WITH d AS (
	SELECT q.*, dd.body AS description, dd.nat, dd.reject,
	    CASE WHEN q.channel IN ('phone', 'walk_in') AND q.r_geo < 0.3 THEN NULL
		WHEN q.r_geo < 0.05 THEN NULL
		ELSE round((q.dlat + (q.r_jlat - 0.5) * 0.010)::numeric, 6)::float8
		END AS lat,
	    CASE WHEN q.channel IN ('phone', 'walk_in') AND q.r_geo < 0.3 THEN NULL
		WHEN q.r_geo < 0.05 THEN NULL
		ELSE round((q.dlon + (q.r_jlon - 0.5) * 0.010)::numeric, 6)::float8
		END AS lon
	FROM demo_q1 AS q,
	LATERAL pg_temp.demo_desc(q.svc, q.lang, q.r_tpl, q.r_place, q.r_dur,
	    q.r_sfx) AS dd
), r AS (
	SELECT d.*, rt.dept_id AS rule_dept, rt.prio AS rule_prio,
	    rt.assignee_id AS rule_assignee, rt.rule_name
	FROM d, LATERAL pg_temp.demo_route(d.service_id, d.description,
	    d.address, d.district) AS rt
), p AS (
	SELECT r.*,
	    coalesce(r.rule_dept, r.svc_dept,
		(SELECT id FROM kota.department WHERE is_triage)) AS route_dept,
	    CASE WHEN r.rule_dept IS NOT NULL THEN 'rule: ' || r.rule_name
		WHEN r.svc_dept IS NOT NULL THEN 'service default'
		ELSE 'triage' END AS how,
	    coalesce(r.rule_prio,
		CASE WHEN r.r_prio < 0.08 THEN greatest(1, r.default_priority - 1)
		    WHEN r.r_prio >= 0.92 THEN least(4, r.default_priority + 1)
		    ELSE r.default_priority END) AS priority
	FROM r
)
SELECT p.*,
    -- the triage clerk moves it to the department that must act
    CASE WHEN p.how = 'triage' AND p.nat IS NOT NULL
	THEN pg_temp.demo_winv(pg_temp.demo_w(p.created_at)
	    + pg_temp.demo_hours(1.2, p.r_tri)) END AS tri_at,
    CASE WHEN p.how = 'triage' AND p.nat IS NOT NULL
	THEN (SELECT id FROM kota.department WHERE code = p.nat)
	ELSE p.route_dept END AS dept_id,
    CASE
	WHEN p.how = 'triage' AND p.nat IS NULL THEN
	    CASE WHEN p.r_path < 0.7 THEN '{rejected}'::text[]
		ELSE '{acknowledged,rejected}' END
	WHEN p.r_path < 0.57 THEN '{acknowledged,in_progress,resolved,closed}'
	WHEN p.r_path < 0.67 THEN '{in_progress,resolved,closed}'
	WHEN p.r_path < 0.74 THEN '{acknowledged,on_hold,in_progress,resolved,closed}'
	WHEN p.r_path < 0.765 THEN '{rejected}'
	WHEN p.r_path < 0.79 THEN '{acknowledged,rejected}'
	WHEN p.r_path < 0.82 THEN '{acknowledged,in_progress,resolved,in_progress,resolved,closed}'
	WHEN p.r_path < 0.86 THEN '{resolved,closed}'
	-- parked on hold or stalled in progress: only what is not urgent
	WHEN p.r_path < 0.885 THEN CASE WHEN p.priority >= 3
	    THEN '{acknowledged,on_hold}'::text[]
	    ELSE '{acknowledged,in_progress,resolved,closed}' END
	WHEN p.r_path < 0.895 THEN '{rejected,acknowledged,in_progress,resolved,closed}'
	WHEN p.r_path < 0.925 THEN '{acknowledged,in_progress,on_hold,in_progress,resolved,closed}'
	WHEN p.r_path < 0.94 THEN '{acknowledged,on_hold,resolved,closed}'
	WHEN p.r_path < 0.97 THEN CASE WHEN p.priority >= 3
	    THEN '{acknowledged,in_progress}'::text[]
	    ELSE '{acknowledged,in_progress,resolved,closed}' END
	ELSE '{acknowledged,in_progress,resolved,closed}'
	END AS path
FROM p;

-- Lifecycle steps, timed from creation (or from the triage move): each
-- step waits an exponentially distributed number of office hours whose
-- mean depends on the move and the priority.  Steps that would fall in the future are cut
-- below, which leaves recent requests open.
CREATE TEMP TABLE demo_step0 AS
SELECT q.n, s.k::int AS k, s.to_status, random() AS r_delay,
    random() AS r_note, random() AS r_actor
FROM demo_q AS q, unnest(q.path) WITH ORDINALITY AS s(to_status, k);

CREATE TEMP TABLE demo_step AS
WITH a AS (
	SELECT s.*, lag(s.to_status, 1, 'new') OVER w AS from_status
	FROM demo_step0 AS s
	WINDOW w AS (PARTITION BY s.n ORDER BY s.k)
), b AS (
	SELECT a.*,
	    CASE q.priority WHEN 1 THEN 0.25 WHEN 2 THEN 0.6 WHEN 3 THEN 1.0
		ELSE 1.8 END AS pf,
	    coalesce(q.tri_at, q.created_at) AS start_at
	FROM a JOIN demo_q AS q ON q.n = a.n
), c AS (
	SELECT b.*,
	    CASE
		WHEN b.from_status = 'resolved' AND b.to_status = 'closed' THEN
		    4 + b.r_delay * 38
		ELSE pg_temp.demo_hours(CASE b.from_status || '>' || b.to_status
		    WHEN 'new>acknowledged' THEN 12 * b.pf
		    WHEN 'new>in_progress' THEN 12 * b.pf
		    WHEN 'new>resolved' THEN 12 * b.pf
		    WHEN 'new>rejected' THEN 3
		    WHEN 'acknowledged>in_progress' THEN 42 * b.pf
		    WHEN 'acknowledged>on_hold' THEN 18
		    WHEN 'acknowledged>rejected' THEN 14
		    WHEN 'acknowledged>resolved' THEN 18 * b.pf
		    WHEN 'in_progress>resolved' THEN 52 * b.pf
		    WHEN 'in_progress>on_hold' THEN 24 * b.pf
		    WHEN 'on_hold>in_progress' THEN 90 * sqrt(b.pf)
		    WHEN 'on_hold>resolved' THEN 70 * sqrt(b.pf)
		    WHEN 'resolved>in_progress' THEN 20
		    WHEN 'rejected>acknowledged' THEN 12
		    ELSE 14 END, b.r_delay)
	    END AS delay
	FROM b
)
SELECT c.n, c.k, c.from_status, c.to_status, c.r_note, c.r_actor,
    pg_temp.demo_winv(pg_temp.demo_w(c.start_at)
	+ sum(c.delay) OVER (PARTITION BY c.n ORDER BY c.k)) AS at
FROM c;

-- Duplicates: a second caller reports what an open request already covers
-- (same service, same place, own words).  The clerk merges it while the
-- original is still open, as kota.request_mark_duplicate requires.
CREATE TEMP TABLE demo_orig AS
SELECT q.n AS orig_n, q.rep_i AS orig_rep, q.service_id, q.svc, q.address,
    q.district, q.lat, q.lon, q.created_at AS orig_created, q.r_dup,
    q.r_place AS orig_place,
    least(now(), coalesce((SELECT min(s.at) FROM demo_step AS s
	WHERE s.n = q.n AND s.to_status IN ('resolved', 'closed', 'rejected',
	    'duplicate')), 'infinity')) AS bound
FROM demo_q AS q
WHERE q.r_dup < 0.052 AND NOT ('rejected' = ANY (q.path));
DELETE FROM demo_orig
WHERE pg_temp.demo_w(bound) - pg_temp.demo_w(orig_created) < 1;

CREATE TEMP TABLE demo_dq0 AS
SELECT o.*, j, random() AS r_t, random() AS r_m, random() AS r_c,
    random() AS r_chan, random() AS r_tpl,
    random() AS r_dur, random() AS r_sfx, random() AS r_jlat,
    random() AS r_jlon, random() AS r_path, random() AS r_creator,
    random() AS r_dact
FROM demo_orig AS o,
LATERAL generate_series(1, CASE WHEN o.r_dup < 0.012 THEN 2 ELSE 1 END) AS j
ORDER BY o.orig_n, j;

CREATE TEMP TABLE demo_dq AS
WITH a AS (
	SELECT d.*,
	    1900 + row_number() OVER (ORDER BY d.orig_n, d.j) AS n,
	    pg_temp.demo_winv(pg_temp.demo_w(d.orig_created)
		+ (pg_temp.demo_w(d.bound) - pg_temp.demo_w(d.orig_created))
		* (0.05 + 0.55 * d.r_t)) AS created_at,
	    -- never the original's reporter, never the other duplicate's
	    1 + (coalesce(d.orig_rep, 1) - 1 + 1 + 2 * floor(d.r_c * 590)::int
		+ (d.j - 1)) % 1200 AS rep_i
	FROM demo_dq0 AS d
), b AS (
	SELECT a.*, c.lang,
	    CASE WHEN a.r_chan < 0.62 THEN 'phone' WHEN a.r_chan < 0.75 THEN 'web'
		WHEN a.r_chan < 0.9 THEN 'sms' ELSE 'walk_in' END AS channel,
	    pg_temp.demo_winv(pg_temp.demo_w(a.created_at)
		+ least((pg_temp.demo_w(a.bound) - pg_temp.demo_w(a.created_at)) * 0.7,
		    0.15 + a.r_m * 3)) AS mark_at,
	    pg_temp.demo_pick(ARRAY['demo_siti', 'demo_rina'], a.r_creator)
		AS creator
	FROM a JOIN demo_cit AS c ON c.i = a.rep_i
), r AS (
	SELECT b.*, dd.body AS description, k.department_id AS svc_dept,
	    k.default_priority
	FROM b
	JOIN kota.service AS k ON k.id = b.service_id,
	LATERAL pg_temp.demo_desc(b.svc, b.lang, b.r_tpl, b.orig_place, b.r_dur,
	    b.r_sfx) AS dd
)
SELECT r.*, rt.assignee_id AS rule_assignee,
    pg_temp.demo_winv(pg_temp.demo_w(r.created_at)
	+ (pg_temp.demo_w(r.mark_at) - pg_temp.demo_w(r.created_at)) * 0.4)
	AS ack_at,
    coalesce(rt.dept_id, r.svc_dept,
	(SELECT id FROM kota.department WHERE is_triage)) AS dept_id,
    CASE WHEN rt.dept_id IS NOT NULL THEN 'rule: ' || rt.rule_name
	WHEN r.svc_dept IS NOT NULL THEN 'service default'
	ELSE 'triage' END AS how,
    coalesce(rt.prio, r.default_priority) AS priority,
    CASE WHEN r.lat IS NULL THEN NULL
	ELSE round((r.lat + (r.r_jlat - 0.5) * 0.0008)::numeric, 6)::float8 END
	AS dlat,
    CASE WHEN r.lon IS NULL THEN NULL
	ELSE round((r.lon + (r.r_jlon - 0.5) * 0.0008)::numeric, 6)::float8 END
	AS dlon
FROM r, LATERAL pg_temp.demo_route(r.service_id, r.description, r.address,
    r.district) AS rt;

-- Who does what.  Department actor: one of the department's agents (or
-- the city-wide supervisor where a department has none in Kota).
CREATE TEMP TABLE demo_who AS
WITH first_ip AS (
	-- the first move to in_progress, as planned (it may lie in the future)
	SELECT s.n, min(s.k) AS k FROM demo_step0 AS s
	WHERE s.to_status = 'in_progress' GROUP BY s.n
), asg AS (
	SELECT q.n, coalesce(sp.at, q.tri_at, q.created_at) AS prev_at,
	    si.at AS ip_at
	FROM demo_q AS q JOIN first_ip AS f ON f.n = q.n
	JOIN demo_step AS si ON si.n = q.n AND si.k = f.k
	LEFT JOIN demo_step AS sp ON sp.n = q.n AND sp.k = f.k - 1
)
SELECT q.n, q.dept_id,
    coalesce(pg_temp.demo_pick(g.roles, q.r_dact), 'demo_supervisor')
	AS dept_actor,
    ra.role_name::text AS rule_assignee,
    CASE WHEN q.rule_assignee IS NULL AND g.roles IS NOT NULL
	AND q.r_asg < 0.7 AND asg.n IS NOT NULL
	AND (q.tri_at IS NULL OR q.tri_at < now())
	THEN pg_temp.demo_pick(g.roles, q.r_asgp) END AS agent,
    CASE WHEN asg.n IS NOT NULL THEN
	pg_temp.demo_winv(pg_temp.demo_w(asg.prev_at)
	    + (pg_temp.demo_w(asg.ip_at) - pg_temp.demo_w(asg.prev_at)) * 0.3)
	END AS assign_at,
    g.sup AS dept_sup, g.code AS dept_code
FROM demo_q AS q
JOIN demo_dagent AS g ON g.dept_id = q.dept_id
LEFT JOIN kota.agent AS ra ON ra.id = q.rule_assignee
LEFT JOIN asg ON asg.n = q.n;

UPDATE demo_who SET agent = NULL, assign_at = NULL
WHERE agent IS NULL OR assign_at >= now() - interval '1 minute';

-- Nothing happens in the future.
DELETE FROM demo_step WHERE at >= now() - interval '1 minute';

-- Status, lifecycle times (as kota.request_transition keeps them).
CREATE TEMP TABLE demo_life AS
WITH s AS (
	SELECT n, at, to_status FROM demo_step
	UNION ALL
	SELECT n, ack_at, 'acknowledged' FROM demo_dq WHERE r_path < 0.3
	UNION ALL
	SELECT n, mark_at, 'duplicate' FROM demo_dq
), r AS (
	SELECT n, max(at) FILTER (WHERE to_status IN ('acknowledged',
	    'in_progress')) AS reset_at
	FROM s GROUP BY n
)
SELECT s.n,
    (array_agg(s.to_status ORDER BY s.at DESC))[1] AS status,
    min(s.at) FILTER (WHERE s.to_status IN ('acknowledged', 'in_progress'))
	AS ack_at,
    max(s.at) FILTER (WHERE s.to_status = 'resolved'
	AND s.at > coalesce(r.reset_at, '-infinity')) AS resolved_at,
    max(s.at) FILTER (WHERE s.to_status IN ('closed', 'rejected', 'duplicate')
	AND s.at > coalesce(r.reset_at, '-infinity')) AS closed_at,
    min(s.at) FILTER (WHERE s.to_status IN ('resolved', 'closed', 'rejected',
	'duplicate')) AS done_at
FROM s JOIN r ON r.n = s.n
GROUP BY s.n;

-- All requests, in creation order for their ids.
CREATE TEMP TABLE demo_all AS
SELECT q.n, q.service_id, q.dept_id, q.route_dept, q.how, q.priority,
    q.description, q.address, q.district, q.lat, q.lon, q.channel, q.rep_i,
    q.created_at, q.creator, q.tri_at, q.lang, NULL::int AS orig_n,
    NULL::timestamptz AS mark_at, q.fixed, q.nat, q.reject
FROM demo_q AS q
UNION ALL
SELECT d.n, d.service_id, d.dept_id, d.dept_id, d.how, d.priority,
    d.description, d.address, d.district, d.dlat, d.dlon, d.channel, d.rep_i,
    d.created_at, d.creator, NULL, d.lang, d.orig_n, d.mark_at, NULL, NULL,
    NULL
FROM demo_dq AS d;

CREATE TEMP TABLE demo_id AS
SELECT s.n, nextval('kota.request_id_seq') AS id
FROM (SELECT n FROM demo_all ORDER BY created_at, n OFFSET 0) AS s;
CREATE TEMP TABLE demo_tk AS
SELECT n, id, kota.ticket_of(id) AS ticket FROM demo_id;

-- Callers who phone about an existing request and follow it.
CREATE TEMP TABLE demo_watch AS
SELECT q.n,
    1 + (coalesce(q.rep_i, 1) - 1 + 1 + floor(q.r_wc * 1100)::int) % 1200
	AS cit_i,
    pg_temp.demo_winv(x.w0 + (x.w1 - x.w0) * q.r_wt) AS at,
    q.creator
FROM demo_q AS q LEFT JOIN demo_life AS l ON l.n = q.n,
LATERAL (SELECT pg_temp.demo_w(q.created_at) AS w0,
    pg_temp.demo_w(least(now() - interval '1 minute',
	coalesce(l.closed_at, now()))) AS w1) AS x
WHERE q.r_w < 0.045 AND x.w1 - x.w0 > 0.2
  AND NOT EXISTS (SELECT 1 FROM demo_dq AS d WHERE d.orig_n = q.n);

-- Citizens ----------------------------------------------------------------
-- Created when they first called.

INSERT INTO kota.citizen (name, phone, email, lang, channel, opted_out,
    opted_out_at, created_at)
SELECT c.name, c.phone, c.email, c.lang, 'sms', c.opted_out,
    CASE WHEN c.opted_out THEN f.first_at + (now() - f.first_at) * c.r_optt END,
    f.first_at
FROM demo_cit AS c
JOIN (SELECT i, min(at) AS first_at FROM (
	SELECT rep_i AS i, created_at AS at FROM demo_all WHERE rep_i IS NOT NULL
	UNION ALL
	SELECT cit_i, at FROM demo_watch) AS x
      GROUP BY i) AS f ON f.i = c.i
ORDER BY c.i;

CREATE TEMP TABLE demo_cmap AS
SELECT c.i, k.id FROM demo_cit AS c JOIN kota.citizen AS k ON k.phone = c.phone;

-- History -----------------------------------------------------------------

CREATE TEMP TABLE demo_ev (
	n	bigint,
	at	timestamptz,
	seq	int,
	kind	text,
	old_value text,
	new_value text,
	note	text,
	public	boolean,
	actor	text
);

-- created, routed (and assigned, when a rule names an agent)
INSERT INTO demo_ev
SELECT a.n, a.created_at, 1, 'created', NULL, 'new', NULL, true, a.creator
FROM demo_all AS a
UNION ALL
SELECT a.n, a.created_at, 2, 'routed', NULL, d.code, a.how, false, a.creator
FROM demo_all AS a JOIN kota.department AS d ON d.id = a.route_dept
UNION ALL
SELECT w.n, a.created_at, 3, 'assigned', NULL, w.rule_assignee, NULL, false,
    a.creator
FROM demo_who AS w JOIN demo_all AS a ON a.n = w.n
WHERE w.rule_assignee IS NOT NULL
UNION ALL
SELECT d.n, d.created_at, 3, 'assigned', NULL, g.role_name, NULL, false,
    d.creator
FROM demo_dq AS d JOIN kota.agent AS g ON g.id = d.rule_assignee;

-- the triage clerk's move to a department (kota.request_assign)
INSERT INTO demo_ev
SELECT q.n, q.tri_at, 1, 'assigned', 'TRIASE', q.nat, NULL, false, q.creator
FROM demo_q AS q
WHERE q.tri_at IS NOT NULL AND q.tri_at < now() - interval '1 minute';

-- an agent takes it (kota.request_assign)
INSERT INTO demo_ev
SELECT w.n, w.assign_at, 1, 'assigned', w.dept_code,
    w.dept_code || '/' || w.agent, NULL, false, coalesce(w.dept_sup, w.agent)
FROM demo_who AS w WHERE w.agent IS NOT NULL;

-- status changes
INSERT INTO demo_ev
SELECT s.n, s.at, 10 + s.k, 'status', s.from_status, s.to_status,
    CASE
	WHEN s.to_status = 'on_hold' THEN pg_temp.demo_pick(ARRAY[
	    'Menunggu pengadaan material', 'Menunggu jadwal alat berat',
	    'Menunggu izin pemilik lahan', 'Menunggu cuaca membaik',
	    'Perlu koordinasi dengan PLN', 'Menunggu anggaran perubahan',
	    'Menunggu pekerjaan galian utilitas selesai'], s.r_note)
	WHEN s.to_status = 'rejected' THEN coalesce(q.reject, pg_temp.demo_pick(ARRAY[
	    'Lokasi di luar wilayah Kota Bandung',
	    'Jalan nasional, kewenangan BBPJN; sudah diteruskan',
	    'Tidak ditemukan masalah saat pengecekan di lokasi',
	    'Aset milik pengembang perumahan, belum diserahkan ke Pemkot',
	    'Laporan tidak lengkap dan pelapor tidak dapat dihubungi',
	    'Sudah ditangani sendiri oleh warga setempat'], s.r_note))
	WHEN s.to_status = 'resolved' THEN q.fixed
	WHEN s.from_status = 'resolved' AND s.to_status = 'in_progress' THEN pg_temp.demo_pick(ARRAY[
	    'Pelapor menyampaikan masalah muncul lagi',
	    'Hasil perbaikan belum tuntas, perlu dikerjakan ulang',
	    'Dicek ulang: perbaikan kurang rapi'], s.r_note)
	WHEN s.from_status = 'rejected' THEN
	    'Ditinjau ulang: lokasi masih wilayah Kota Bandung'
	WHEN s.to_status = 'closed' THEN pg_temp.demo_pick(ARRAY[NULL, NULL,
	    'Pelapor mengonfirmasi sudah beres',
	    'Ditutup: pelapor tidak menyampaikan keberatan',
	    'Sudah dicek petugas lapangan'], s.r_note)
    END,
    true,
    CASE
	WHEN q.how = 'triage' AND q.nat IS NULL THEN q.creator
	WHEN s.from_status = 'rejected' THEN 'demo_supervisor'
	WHEN s.from_status = 'resolved' AND s.to_status = 'in_progress'
	    THEN q.creator
	WHEN s.to_status = 'closed' AND q.r_closeby < 0.55 THEN q.creator
	WHEN coalesce(w.rule_assignee, w.agent) IS NOT NULL
	    AND s.at >= coalesce(w.assign_at, q.created_at)
	    THEN coalesce(w.rule_assignee, w.agent)
	ELSE w.dept_actor
    END
FROM demo_step AS s
JOIN demo_q AS q ON q.n = s.n
JOIN demo_who AS w ON w.n = s.n;

-- duplicates: acknowledged (sometimes), marked, the reporter follows the
-- original (kota.request_mark_duplicate: status, duplicate, watcher)
INSERT INTO demo_ev
SELECT d.n, d.ack_at, 11, 'status',
    'new', 'acknowledged', NULL, true,
    coalesce(pg_temp.demo_pick(g.roles, d.r_dact), 'demo_supervisor')
FROM demo_dq AS d JOIN demo_dagent AS g ON g.dept_id = d.dept_id
WHERE d.r_path < 0.3
UNION ALL
SELECT d.n, d.mark_at, 12, 'status',
    CASE WHEN d.r_path < 0.3 THEN 'acknowledged' ELSE 'new' END, 'duplicate',
    'duplicate of ' || t.ticket, true,
    CASE WHEN d.r_path < 0.3
	THEN coalesce(pg_temp.demo_pick(g.roles, d.r_dact), 'demo_supervisor')
	ELSE d.creator END
FROM demo_dq AS d JOIN demo_tk AS t ON t.n = d.orig_n
JOIN demo_dagent AS g ON g.dept_id = d.dept_id
UNION ALL
SELECT d.n, d.mark_at, 13, 'duplicate', NULL, t.ticket, NULL, false,
    CASE WHEN d.r_path < 0.3
	THEN coalesce(pg_temp.demo_pick(g.roles, d.r_dact), 'demo_supervisor')
	ELSE d.creator END
FROM demo_dq AS d JOIN demo_tk AS t ON t.n = d.orig_n
JOIN demo_dagent AS g ON g.dept_id = d.dept_id
UNION ALL
SELECT d.orig_n, d.mark_at, 14, 'watcher', NULL, m.id::text, 'duplicate',
    false,
    CASE WHEN d.r_path < 0.3
	THEN coalesce(pg_temp.demo_pick(g.roles, d.r_dact), 'demo_supervisor')
	ELSE d.creator END
FROM demo_dq AS d JOIN demo_cmap AS m ON m.i = d.rep_i
JOIN demo_dagent AS g ON g.dept_id = d.dept_id;

-- callers following a request (kota.request_watch)
INSERT INTO demo_ev
SELECT w.n, w.at, 5, 'watcher', NULL, m.id::text, 'caller', false, w.creator
FROM demo_watch AS w JOIN demo_cmap AS m ON m.i = w.cit_i;

-- public comments and internal notes (kota.request_comment)
INSERT INTO demo_ev
SELECT x.n, t.at, 6, x.kind, NULL, NULL, x.body, x.kind = 'comment',
    CASE WHEN x.kind = 'note' AND t.at < coalesce(w.assign_at, q.created_at)
	THEN q.creator
	WHEN q.how = 'triage' AND q.nat IS NULL THEN q.creator
	WHEN coalesce(w.rule_assignee, w.agent) IS NOT NULL
	    AND t.at >= coalesce(w.assign_at, q.created_at)
	    THEN coalesce(w.rule_assignee, w.agent)
	ELSE w.dept_actor END
FROM (
	SELECT q.n, 'comment' AS kind, q.r_c1t AS rt,
	    CASE WHEN q.lang = 'en' THEN pg_temp.demo_pick(ARRAY[
		'Thank you for your report; our team is on it.',
		'A crew has been scheduled to visit the location.',
		'Sorry for the delay: we are waiting for materials.'], q.r_c1x)
	    ELSE pg_temp.demo_pick(ARRAY[
		'Terima kasih atas laporannya, sedang kami tindak lanjuti.',
		'Petugas sudah dijadwalkan ke lokasi.',
		'Tim lapangan sudah melakukan survei lokasi.',
		'Mohon maaf atas keterlambatan, penanganan menunggu material.',
		'Laporan sudah diteruskan ke UPT wilayah.',
		'Petugas akan datang besok pagi, mohon ditunggu.'], q.r_c1x)
	    END AS body
	FROM demo_q AS q WHERE q.r_c1 < 0.3
	UNION ALL
	SELECT q.n, 'note', q.r_n1t, pg_temp.demo_pick(ARRAY[
	    'Pelapor dihubungi, tidak diangkat.',
	    'Sudah dicek lewat CCTV, kondisi sesuai laporan.',
	    'Koordinasi dengan kelurahan setempat.',
	    'Perlu alat berat, dijadwalkan minggu depan.',
	    'Lokasi sulit dijangkau truk, pakai motor roda tiga.',
	    'Laporan serupa pernah masuk bulan lalu.',
	    'Pelapor minta dikabari lewat WhatsApp.',
	    'Material diambil dari gudang UPT.',
	    'Sudah difoto sebelum dan sesudah pengerjaan.'], q.r_n1x)
	FROM demo_q AS q WHERE q.r_n1 < 0.3
	UNION ALL
	SELECT q.n, 'note', q.r_n2t, pg_temp.demo_pick(ARRAY[
	    'Sudah ditelepon ulang, pelapor membenarkan.',
	    'Dicek bersama Babinsa dan Bhabinkamtibmas.',
	    'Menunggu laporan foto dari petugas lapangan.',
	    'Dibahas di rapat koordinasi Senin.'], q.r_n2x)
	FROM demo_q AS q WHERE q.r_n2 < 0.08
) AS x(n, kind, rt, body)
JOIN demo_q AS q ON q.n = x.n
JOIN demo_who AS w ON w.n = x.n
LEFT JOIN demo_life AS l ON l.n = x.n
CROSS JOIN LATERAL (SELECT pg_temp.demo_w(q.created_at + interval '2 minutes')
    AS w0, pg_temp.demo_w(least(now() - interval '1 minute',
	coalesce(l.done_at, now()))) AS w1) AS ww
CROSS JOIN LATERAL (SELECT pg_temp.demo_winv(ww.w0 + (ww.w1 - ww.w0) * x.rt))
    AS t(at)
WHERE ww.w1 - ww.w0 > 0.2;

-- Requests ----------------------------------------------------------------

INSERT INTO kota.request (id, ticket, service_id, department_id, assignee_id,
    status, priority, description, address, district, location, channel,
    reporter_id, created_at, updated_at, ack_at, resolved_at, closed_at,
    due_at, version, duplicate_of)
SELECT t.id, t.ticket, a.service_id, a.dept_id, ag.id,
    coalesce(l.status, 'new'), a.priority, a.description, a.address,
    a.district, kota.point_of(a.lat, a.lon), a.channel, m.id, a.created_at,
    e.last_at,
    l.ack_at, l.resolved_at, l.closed_at,
    a.created_at + CASE a.priority WHEN 1 THEN interval '1 day'
	WHEN 2 THEN interval '3 days' WHEN 3 THEN interval '7 days'
	ELSE interval '14 days' END,
    e.version,
    CASE WHEN l.status = 'duplicate' THEN o.id END
FROM demo_all AS a
JOIN demo_tk AS t ON t.n = a.n
LEFT JOIN demo_life AS l ON l.n = a.n
LEFT JOIN demo_cmap AS m ON m.i = a.rep_i
LEFT JOIN demo_who AS w ON w.n = a.n
LEFT JOIN demo_dq AS dq ON dq.n = a.n
LEFT JOIN kota.agent AS ag
  ON ag.id = coalesce(dq.rule_assignee, (SELECT g.id FROM kota.agent AS g
	WHERE g.role_name = coalesce(w.agent, w.rule_assignee)))
LEFT JOIN demo_tk AS o ON o.n = a.orig_n
JOIN (SELECT n, max(at) AS last_at,
	1 + count(*) FILTER (WHERE kind = 'status'
	    OR (kind = 'assigned' AND old_value IS NOT NULL)
	    OR (kind = 'watcher' AND note = 'duplicate')) AS version
      FROM demo_ev GROUP BY n) AS e ON e.n = a.n
ORDER BY t.id;

INSERT INTO kota.request_watcher (request_id, citizen_id, reason, added_at,
    added_by)
SELECT t.id, e.new_value::bigint, e.note, e.at, e.actor
FROM demo_ev AS e JOIN demo_tk AS t ON t.n = e.n
WHERE e.kind = 'watcher'
ORDER BY e.at, t.id;

INSERT INTO kota.request_event (request_id, at, actor, kind, old_value,
    new_value, note, public)
SELECT t.id, e.at, e.actor, e.kind, e.old_value, e.new_value, e.note,
    e.public
FROM demo_ev AS e JOIN demo_tk AS t ON t.n = e.n
ORDER BY e.at, t.id, e.seq;

-- WhatsApp templates --------------------------------------------------------
--
-- The city's approved WhatsApp templates (as registered in Meta's Business
-- Manager under these names), one per citizen event and language, for the
-- messages kotad sends outside WhatsApp's 24-hour window: their {{1}},
-- {{2}}... are the Kota variables in params, in order.

INSERT INTO kota.wa_template (event, lang, name, language, params) VALUES
    ('created', 'id', 'kota_report_received', 'id', '{ticket,service,link}'),
    ('created', 'en', 'kota_report_received', 'en', '{ticket,service,link}'),
    ('acknowledged', 'id', 'kota_status_update', 'id', '{ticket,service,status}'),
    ('acknowledged', 'en', 'kota_status_update', 'en', '{ticket,service,status}'),
    ('in_progress', 'id', 'kota_status_update', 'id', '{ticket,service,status}'),
    ('in_progress', 'en', 'kota_status_update', 'en', '{ticket,service,status}'),
    ('resolved', 'id', 'kota_report_resolved', 'id', '{ticket,service,note,link}'),
    ('resolved', 'en', 'kota_report_resolved', 'en', '{ticket,service,note,link}'),
    ('closed', 'id', 'kota_report_closed', 'id', '{ticket}'),
    ('closed', 'en', 'kota_report_closed', 'en', '{ticket}'),
    ('rejected', 'id', 'kota_report_rejected', 'id', '{ticket,service,note}'),
    ('rejected', 'en', 'kota_report_rejected', 'en', '{ticket,service,note}'),
    ('comment', 'id', 'kota_report_news', 'id', '{ticket,note}'),
    ('comment', 'en', 'kota_report_news', 'en', '{ticket,note}'),
    ('duplicate', 'id', 'kota_report_merged', 'id', '{ticket,original}'),
    ('duplicate', 'en', 'kota_report_merged', 'en', '{ticket,original}');

-- Clean up ----------------------------------------------------------------

DROP TABLE demo_svc, demo_tpl, demo_tplk, demo_street, demo_dagent, demo_c0,
    demo_cit, demo_r0, demo_q1, demo_q, demo_step0, demo_step, demo_orig,
    demo_dq0, demo_dq, demo_who, demo_life, demo_all, demo_id, demo_tk,
    demo_watch, demo_cmap, demo_ev;
DROP FUNCTION pg_temp.demo_w(timestamptz), pg_temp.demo_winv(double precision),
    pg_temp.demo_desc(text, text, double precision,
    double precision, double precision, double precision),
    pg_temp.demo_route(int, text, text, text),
    pg_temp.demo_hours(double precision, double precision),
    pg_temp.demo_pick(text[], double precision);

ANALYZE kota.department, kota.service, kota.agent, kota.routing_rule,
    kota.citizen, kota.request, kota.request_watcher, kota.request_event;
