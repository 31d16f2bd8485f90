-- 004_sms_templates.sql: citizens' SMS in one segment; the duplicate SMS
--
-- The default texts of 001_baseline.sql ran over one SMS segment with a
-- long service name and the link: the receipt alone was 163 characters,
-- two segments (twice the cost) for every report.  They are rewritten to
-- fit one GSM-7 segment (160 characters) with a 40-character service
-- name, a 12-character ticket and a link of 43 characters
-- (https://lapor.kotademo.go.id/t/KT-1234567-8); the templates that
-- carry a clerk's {note} leave at least 50 characters for it, and kotad
-- shortens a longer note at a word boundary (kotad(8)).  Only rows that
-- still hold the old default text change: a text an admin wrote stays.
-- `kotad -t` checks the texts a database holds.
--
-- A new event, 'duplicate': the reporter of a request marked as a
-- duplicate is told which ticket to follow instead, {original}.  The
-- status event of kota.request_mark_duplicate() was already public; it
-- enqueued nothing only for want of a template.  kota.outbox_claim()
-- returns the original's ticket in a new column, so its return type
-- changes: the old one is dropped here and the API creates the new one
-- in the same transaction.

SET LOCAL ROLE kota_owner;

UPDATE kota.template t SET body = n.body
FROM (VALUES
    ('created', 'id',
     'Laporan Anda sudah kami terima dengan nomor {ticket} ({service}). Simpan nomor ini untuk menanyakan perkembangannya. {link}',
     'Laporan Bapak/Ibu ({service}) telah kami terima dengan nomor {ticket}. {link}'),
    ('created', 'en',
     'We have received your report as {ticket} ({service}). Keep this number to follow it up. {link}',
     'Thank you. We have received your report ({service}) as {ticket}. {link}'),
    ('acknowledged', 'id',
     'Laporan {ticket} ({service}) sudah diterima petugas dan akan segera ditindaklanjuti. {link}',
     'Laporan Bapak/Ibu {ticket} ({service}) telah diterima petugas kami. {link}'),
    ('acknowledged', 'en',
     'Report {ticket} ({service}) has been acknowledged and will be dealt with soon. {link}',
     'Your report {ticket} ({service}) has been accepted by our staff. {link}'),
    ('in_progress', 'id',
     'Laporan {ticket} ({service}) sedang dikerjakan petugas. {link}',
     'Laporan Bapak/Ibu {ticket} ({service}) sedang dikerjakan petugas. {link}'),
    ('in_progress', 'en',
     'Work on report {ticket} ({service}) is in progress. {link}',
     'Work has started on your report {ticket} ({service}). {link}'),
    ('resolved', 'id',
     'Laporan {ticket} ({service}) sudah selesai ditangani. {note} {link}',
     'Laporan Bapak/Ibu {ticket} telah selesai ditangani. {note} {link}'),
    ('resolved', 'en',
     'Report {ticket} ({service}) has been resolved. {note} {link}',
     'Your report {ticket} has been resolved. {note} {link}'),
    ('closed', 'id',
     'Laporan {ticket} ditutup. Terima kasih telah melapor.',
     'Laporan Bapak/Ibu {ticket} ({service}) telah kami tutup. Terima kasih atas partisipasi Bapak/Ibu.'),
    ('closed', 'en',
     'Report {ticket} is closed. Thank you for reporting.',
     'Your report {ticket} ({service}) is now closed. Thank you for reporting it.'),
    ('rejected', 'id',
     'Laporan {ticket} ({service}) tidak dapat kami proses. Alasan: {note}',
     'Mohon maaf, laporan Bapak/Ibu {ticket} tidak dapat kami tindak lanjuti. Alasan: {note}'),
    ('rejected', 'en',
     'We cannot act on report {ticket} ({service}). Reason: {note}',
     'Sorry, we cannot act on your report {ticket}. Reason: {note}'),
    ('comment', 'id',
     'Kabar laporan {ticket}: {note}',
     'Informasi laporan {ticket}: {note} {link}'),
    ('comment', 'en',
     'News on report {ticket}: {note}',
     'Update on your report {ticket}: {note} {link}'))
    AS n(event, lang, old_body, body)
WHERE t.event = n.event AND t.lang = n.lang AND t.body = n.old_body;

-- Placeholders of 'duplicate': {ticket} (the duplicate), {original}.
INSERT INTO kota.template (event, channel, lang, body)
SELECT t.event, c.channel, t.lang, t.body
FROM (VALUES
    ('duplicate', 'id', 'Laporan Bapak/Ibu {ticket} sama dengan laporan {original} yang sudah kami tangani. Silakan pantau perkembangannya melalui nomor {original}.'),
    ('duplicate', 'en', 'Your report {ticket} is about the same problem as report {original}, which we are already handling. Please follow {original} instead.'))
    AS t(event, lang, body),
    (VALUES ('sms'), ('webhook')) AS c(channel)
ON CONFLICT (event, channel, lang) DO NOTHING;

DROP FUNCTION IF EXISTS kota.outbox_claim(text, integer, integer, integer,
    boolean, boolean, integer[], integer, integer, text, integer);
