-- 010_inbound.sql: citizens talk back: inbound SMS and WhatsApp, replies,
-- WhatsApp as a citizen's channel
--
-- kota.inbound keeps every message a citizen sent, as kotaweb received it
-- from a gateway (Twilio, a generic HTTP gateway, WhatsApp's Cloud API),
-- with what Kota did with it (its action) and what it answered.  Nobody
-- reads the table: kota.web_inbound() (api/inbound.sql) writes it, the
-- console reads a request's conversation through
-- kota.request_conversation(), an admin's export through
-- kota.citizen_export().
--
-- A reply is a notification like any other (target 'reply'), so kotad
-- sends it with its retries, its log and its record: such a row may have
-- no request (HELP from a number that never reported), names the message
-- it answers (inbound_id) and carries its text in payload.
--
-- WhatsApp: a citizen's channel may be 'whatsapp' (the number the citizen
-- last wrote from, kota.web_inbound()); wa_last_in_at opens WhatsApp's
-- 24-hour window (kota.wa_window_open()), outside which only an approved
-- template (kota.wa_template) may be sent.  kotad says whether it can send
-- WhatsApp at all (outbox_config.whatsapp): if not, such a citizen is
-- texted by SMS.
--
-- The replies' texts and the "next step" of each status are data
-- (reply_text, status_next), in both languages, as the templates are.
--
-- kota.outbox_configure(), kota.outbox_claim() and kota.queue_page() get
-- new arguments or columns: the old ones are dropped here and the API
-- creates the new ones in the same transaction.

SET LOCAL ROLE kota_owner;

-- Every message a citizen sent -------------------------------------------

CREATE TABLE kota.inbound (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	gateway		text NOT NULL CHECK (gateway IN ('twilio', 'http', 'cloud')),
	-- the gateway's id (MessageSid, wamid...): a retried post is the
	-- same message
	gateway_id	text NOT NULL
			CHECK (char_length(gateway_id) BETWEEN 1 AND 200),
	channel		text NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
	sender		text NOT NULL CHECK (char_length(sender) <= 32),
	recipient	text CHECK (char_length(recipient) <= 100),
	body		text NOT NULL CHECK (char_length(body) <= 4096),
	citizen_id	bigint REFERENCES kota.citizen,
	request_id	bigint REFERENCES kota.request,
	action		text NOT NULL
			CHECK (action IN ('status', 'status_none', 'status_bad',
			    'stop', 'start', 'help', 'report', 'report_none',
			    'report_capped', 'report_duplicate', 'comment',
			    'unknown', 'limited')),
	reply		text,
	UNIQUE (gateway, gateway_id)
);
-- the rate limit and the daily cap (a sender's last hour or day)
CREATE INDEX inbound_sender ON kota.inbound (sender, at);
-- a request's conversation
CREATE INDEX inbound_request ON kota.inbound (request_id, at)
    WHERE request_id IS NOT NULL;
-- erasure and export: a citizen's messages
CREATE INDEX inbound_citizen ON kota.inbound (citizen_id)
    WHERE citizen_id IS NOT NULL;
-- retention: the messages not yet erased, oldest first
CREATE INDEX inbound_held ON kota.inbound (at) WHERE body <> '[erased]';

-- Citizens on WhatsApp ------------------------------------------------------

ALTER TABLE kota.citizen DROP CONSTRAINT citizen_channel_check;
ALTER TABLE kota.citizen ADD CONSTRAINT citizen_channel_check
    CHECK (channel IN ('sms', 'whatsapp', 'webhook', 'none'));
-- the citizen's last WhatsApp message: WhatsApp's 24-hour window
ALTER TABLE kota.citizen ADD COLUMN wa_last_in_at timestamptz;
GRANT SELECT (wa_last_in_at) ON kota.citizen TO kota_clerk, kota_daemon;

ALTER TABLE kota.request DROP CONSTRAINT request_channel_check;
ALTER TABLE kota.request ADD CONSTRAINT request_channel_check
    CHECK (channel IN ('phone', 'walk_in', 'web', 'sms', 'whatsapp',
	'email', 'api'));

ALTER TABLE kota.template DROP CONSTRAINT template_channel_check;
ALTER TABLE kota.template ADD CONSTRAINT template_channel_check
    CHECK (channel IN ('sms', 'whatsapp', 'webhook'));

-- Notifications: WhatsApp, and replies -----------------------------------

ALTER TABLE kota.notification DROP CONSTRAINT notification_channel_check;
ALTER TABLE kota.notification ADD CONSTRAINT notification_channel_check
    CHECK (channel IN ('sms', 'whatsapp', 'webhook'));
ALTER TABLE kota.notification DROP CONSTRAINT notification_target_check;
ALTER TABLE kota.notification ADD CONSTRAINT notification_target_check
    CHECK (target IN ('citizen', 'department', 'city', 'reply'));
ALTER TABLE kota.notification ADD COLUMN inbound_id bigint
    REFERENCES kota.inbound;
ALTER TABLE kota.notification ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE kota.notification DROP CONSTRAINT notification_target_row;
ALTER TABLE kota.notification ADD CONSTRAINT notification_target_row CHECK (
    (target = 'citizen' AND citizen_id IS NOT NULL AND request_id IS NOT NULL)
    OR (target = 'department' AND department_id IS NOT NULL
	AND channel = 'webhook' AND request_id IS NOT NULL)
    OR (target = 'city' AND channel = 'webhook' AND request_id IS NOT NULL)
    -- a reply: its text is known when it is written
    OR (target = 'reply' AND recipient IS NOT NULL
	AND channel IN ('sms', 'whatsapp') AND payload <> ''));
GRANT SELECT (inbound_id) ON kota.notification TO kota_clerk, kota_daemon;

-- the per-recipient limit counts WhatsApp messages as SMS
DROP INDEX kota.notification_sms_recent;
CREATE INDEX notification_phone_recent ON kota.notification (recipient, sent_at)
    WHERE channel IN ('sms', 'whatsapp') AND state IN ('sent', 'sending');

-- Does kotad have a WhatsApp gateway?  kotad says so at start and on SIGHUP.
ALTER TABLE kota.outbox_config ADD COLUMN whatsapp boolean NOT NULL
    DEFAULT false;

-- WhatsApp's approved templates ------------------------------------------
--
-- Outside the 24-hour window WhatsApp takes only a template approved in
-- advance (Meta's Business Manager, or Twilio's Content API): name is its
-- name (Cloud API) or ContentSid (HX..., Twilio), language its language
-- code, params the Kota variables that fill its {{1}}, {{2}}... in order
-- (ticket, status, service, note, link, original).  Per Kota event and
-- citizen's language; an event without one is not sent outside the window.
CREATE TABLE kota.wa_template (
	event		text NOT NULL,
	lang		text NOT NULL CHECK (lang IN ('id', 'en')),
	name		text NOT NULL CHECK (name ~ '^[A-Za-z0-9_]+$'
			    AND char_length(name) <= 512),
	language	text NOT NULL CHECK (language ~ '^[a-z]{2,3}(_[A-Za-z]{2,4})?$'),
	params		text[] NOT NULL DEFAULT '{}'
			CHECK (params <@ ARRAY['ticket', 'status', 'service',
			    'note', 'link', 'original']),
	PRIMARY KEY (event, lang)
);

-- What Kota answers a citizen's message ---------------------------------
--
-- Placeholders: {ticket} {status} {service} {next} {due} {limit}.  The
-- formal register (Bapak/Ibu), GSM 7-bit characters only, one SMS where
-- the text allows.  'comment' may be '': no acknowledgement is sent.
CREATE TABLE kota.reply_text (
	key		text NOT NULL
			CHECK (key IN ('help', 'stop', 'start', 'status',
			    'status_none', 'status_bad', 'unknown',
			    'report_none', 'report_capped', 'comment')),
	lang		text NOT NULL CHECK (lang IN ('id', 'en')),
	body		text NOT NULL CHECK (char_length(body) <= 1000),
	PRIMARY KEY (key, lang)
);
INSERT INTO kota.reply_text (key, lang, body) VALUES
    ('help', 'id', 'Layanan pesan Kota: CEK <nomor tiket> untuk status laporan, LAPOR <isi dan lokasi> untuk melapor, BERHENTI agar tidak menerima pesan, MULAI untuk menerima lagi.'),
    ('help', 'en', 'Kota by message: STATUS <ticket> for a report''s status, REPORT <what and where> to report a problem, STOP to stop messages, START to get them again.'),
    ('stop', 'id', 'Bapak/Ibu tidak akan menerima pesan dari Kota lagi. Kirim MULAI bila ingin menerima kabar laporan kembali.'),
    ('stop', 'en', 'You will get no more messages from Kota. Send START if you want news of your reports again.'),
    ('start', 'id', 'Bapak/Ibu akan kembali menerima kabar laporan dari Kota. Kirim BERHENTI untuk berhenti.'),
    ('start', 'en', 'You will get news of your reports from Kota again. Send STOP to stop.'),
    ('status', 'id', 'Laporan {ticket} ({service}): {status}. {next}'),
    ('status', 'en', 'Report {ticket} ({service}): {status}. {next}'),
    ('status_none', 'id', 'Tidak ada laporan dari nomor ini yang dapat kami tampilkan. Mohon periksa nomor tiket Bapak/Ibu, contoh: CEK KT-000123-4'),
    ('status_none', 'en', 'We have no report of this number to show. Please check your ticket number, e.g. STATUS KT-000123-4'),
    ('status_bad', 'id', 'Nomor tiket tersebut tidak dikenali. Nomor tiket berbentuk KT-000123-4, contoh: CEK KT-000123-4'),
    ('status_bad', 'en', 'That is not a ticket number. Ticket numbers look like KT-000123-4, e.g. STATUS KT-000123-4'),
    ('unknown', 'id', 'Terima kasih atas pesan Bapak/Ibu. Untuk membuat laporan, kirim LAPOR diikuti isi dan lokasinya, contoh: LAPOR Lampu jalan mati di Jl. Merdeka 10'),
    ('unknown', 'en', 'Thank you for your message. To report a problem, send REPORT followed by what and where, e.g. REPORT Street light out at Jl. Merdeka 10'),
    ('report_none', 'id', 'Mohon tuliskan isi laporan setelah kata LAPOR, contoh: LAPOR Jalan berlubang di depan Pasar Cicadas'),
    ('report_none', 'en', 'Please write your report after the word REPORT, e.g. REPORT Pothole in front of Cicadas market'),
    ('report_capped', 'id', 'Mohon maaf, dari satu nomor hanya dapat dibuat {limit} laporan per hari melalui pesan. Silakan mengirim lagi besok atau menghubungi call center kami.'),
    ('report_capped', 'en', 'Sorry, one number can make at most {limit} reports a day by message. Please send it again tomorrow or call our call centre.'),
    ('comment', 'id', 'Pesan Bapak/Ibu sudah kami teruskan kepada petugas yang menangani laporan {ticket}.'),
    ('comment', 'en', 'Your message has been passed on to the staff handling report {ticket}.');

-- The next step of a request in each status: {next} of the STATUS reply.
-- {due}: the target date, or "as soon as possible" without one.
CREATE TABLE kota.status_next (
	status		text NOT NULL REFERENCES kota.status,
	lang		text NOT NULL CHECK (lang IN ('id', 'en')),
	body		text NOT NULL CHECK (char_length(body) <= 500),
	PRIMARY KEY (status, lang)
);
INSERT INTO kota.status_next (status, lang, body) VALUES
    ('new', 'id', 'Laporan akan diperiksa oleh dinas terkait.'),
    ('new', 'en', 'It will be checked by the department.'),
    ('acknowledged', 'id', 'Petugas akan menindaklanjutinya, target selesai {due}.'),
    ('acknowledged', 'en', 'The department has it and will act on it, target {due}.'),
    ('in_progress', 'id', 'Petugas sedang mengerjakannya, target selesai {due}.'),
    ('in_progress', 'en', 'Work is under way, target {due}.'),
    ('on_hold', 'id', 'Penanganan ditunda sementara dan akan dilanjutkan oleh petugas.'),
    ('on_hold', 'en', 'Work is on hold for now; the department will resume it.'),
    ('resolved', 'id', 'Sudah selesai ditangani. Bila masalah belum teratasi, mohon balas pesan ini.'),
    ('resolved', 'en', 'It has been resolved. If the problem remains, please reply to this message.'),
    ('closed', 'id', 'Laporan sudah ditutup. Terima kasih telah melapor.'),
    ('closed', 'en', 'The report is closed. Thank you for reporting.'),
    ('rejected', 'id', 'Laporan tidak dapat kami proses. Hubungi call center kami untuk keterangan.'),
    ('rejected', 'en', 'We cannot act on it. Please call our call centre for details.'),
    ('duplicate', 'id', 'Laporan digabung dengan laporan lain yang sama; kabar berikutnya dikirim untuk laporan itu.'),
    ('duplicate', 'en', 'It was merged with another report of the same problem; further news comes for that one.');

-- New activity for the assignee ------------------------------------------
--
-- A citizen wrote on the request and its assignee (or, without one, any
-- agent) has not opened it since: the queue marks it (kota.queue_page()'s
-- citizen_said), kota.request_seen() clears it.
CREATE TABLE kota.request_unread (
	request_id	bigint PRIMARY KEY REFERENCES kota.request,
	since		timestamptz NOT NULL DEFAULT now()
);

-- Privileges: the set-up is read by staff and the daemon; the messages
-- are read by nobody but the API (SECURITY DEFINER), like the citizens'
-- personal columns.  kota_web gets EXECUTE on its two functions in
-- api/inbound.sql.
GRANT SELECT ON kota.wa_template, kota.reply_text, kota.status_next
    TO kota_clerk, kota_daemon;
GRANT SELECT ON kota.request_unread TO kota_clerk;

DROP FUNCTION IF EXISTS kota.outbox_configure(boolean);
DROP FUNCTION IF EXISTS kota.outbox_claim(text, integer, integer, integer,
    boolean, boolean, integer[], integer, integer, text, integer);
DROP FUNCTION IF EXISTS kota.queue_page(text, text, text, text, text, text,
    integer, timestamp with time zone, bigint, integer, text);
