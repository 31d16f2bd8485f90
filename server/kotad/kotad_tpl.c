/*
 * kotad_tpl.c: the citizens' SMS templates checked against one segment
 *
 * A city pays for every segment of every SMS, and a receipt goes out for
 * every report: a text one character over 160 doubles the bill.  Each SMS
 * template of kota.template is rendered here the way kd_render_message()
 * renders a real message, with the longest values it can meet:
 *
 *	{ticket}	KT-1234567-8, twelve characters (past a million requests)
 *	{original}	another ticket of twelve
 *	{service}	a 40-character name, or the longest active service's
 *			name in that language when it is longer
 *	{status}	the longest status label of that language
 *	{link}		[dispatch] link with that ticket (kotad.conf(5))
 *	{note}		nothing: kotad shortens a clerk's note to what the
 *			rest leaves (lib/sms.c), and here the rest must leave
 *			at least KD_NOTE_MIN characters for it
 *
 * The budget is one segment: 160 GSM-7 septets, or 70 UCS-2 units when a
 * character of the text is not in GSM-7.  kotad checks when it first
 * connects under a configuration (at start, after SIGHUP) and logs a
 * warning for each template over it; it does not refuse to start, since
 * a longer SMS still reaches the citizen.  "kotad -t" lists every
 * template with its length and the text a long note gives, and exits 1
 * when one is over.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "kotad.h"
#include "log.h"
#include "sms.h"

#define KD_NOTE_MIN		50	/* characters of a note a citizen reads */
#define KD_WIDEST_TICKET	"KT-1234567-8"
#define KD_WIDEST_ORIGINAL	"KT-1234567-9"
#define KD_WIDEST_SERVICE	"Penerangan jalan umum mati di permukiman"

/* A clerk's long resolution note, for the example -t prints. */
#define KD_LONG_NOTE \
	"Lubang sudah kami tambal dengan aspal panas sepanjang tiga meter " \
	"dan marka jalan di depan pasar sudah dicat ulang oleh petugas " \
	"Dinas Pekerjaan Umum pada Selasa pagi."

static const struct db_stmt kd_stmt_templates = {
	"kd_templates",
	"SELECT t.event, t.lang, t.body,"
	" (SELECT x.name FROM (SELECT CASE t.lang WHEN 'en' THEN s.name_en"
	"   ELSE s.name_id END AS name FROM kota.services s WHERE s.active) x"
	"  ORDER BY length(x.name) DESC, x.name LIMIT 1) AS service,"
	" (SELECT x.label FROM (SELECT CASE t.lang WHEN 'en' THEN s.label_en"
	"   ELSE s.label_id END AS label FROM kota.statuses s) x"
	"  ORDER BY length(x.label) DESC, x.label LIMIT 1) AS status"
	" FROM kota.template t WHERE t.channel = 'sms'"
	" ORDER BY t.event, t.lang",
	0, DB_READ,
};

/* What one template gives with the longest values. */
struct kd_tpl_fit {
	struct sms_count	 count;		/* without a note */
	int			 limit;		/* of one segment, in units */
	bool			 has_note;
	long			 note_room;	/* units left for {note} */
	bool			 ok;
};

static void
kd_tpl_render(const struct kd_conf *c, PGresult *res, int row,
    const char *note, int max_segments, struct strbuf *out,
    struct sms_count *count)
{
	struct template_var	 vars[KD_MESSAGE_VARS];
	struct strbuf		 link = STRBUF_INIT;
	const char		*service = KD_WIDEST_SERVICE;

	if (!PQgetisnull(res, row, 3) &&
	    strlen(PQgetvalue(res, row, 3)) > strlen(service))
		service = PQgetvalue(res, row, 3);
	kd_message_vars(c, KD_WIDEST_TICKET, PQgetvalue(res, row, 4), service,
	    note, KD_WIDEST_ORIGINAL, &link, vars);
	sms_render(out, PQgetvalue(res, row, 2), vars, KD_MESSAGE_VARS,
	    max_segments, count);
	strbuf_release(&link);
}

static void
kd_tpl_fit(const struct kd_conf *c, PGresult *res, int row,
    struct kd_tpl_fit *f)
{
	struct strbuf		out = STRBUF_INIT;
	struct sms_count	one;

	memset(f, 0, sizeof *f);
	kd_tpl_render(c, res, row, "", INT_MAX, &out, &f->count);
	f->limit = f->count.encoding == SMS_GSM7 ? 160 : 70;
	f->ok = f->count.segments == 1;
	f->has_note = strstr(PQgetvalue(res, row, 2), "{note}") != NULL;
	if (f->has_note) {
		/* a one-character note: its blank is counted as well */
		kd_tpl_render(c, res, row, "x", INT_MAX, &out, &one);
		f->note_room = (long)f->limit - (long)one.units + 1;
		if (f->note_room < KD_NOTE_MIN)
			f->ok = false;
	}
	strbuf_release(&out);
}

static void
kd_tpl_print(FILE *out, const struct kd_conf *c, PGresult *res, int row,
    const struct kd_tpl_fit *f)
{
	struct strbuf	text = STRBUF_INIT;
	const char	*ev = PQgetvalue(res, row, 0);
	const char	*lang = PQgetvalue(res, row, 1);
	const char	*enc = sms_encoding_name(f->count.encoding);

	if (f->count.segments > 1)
		fprintf(out, _("%-13s %-2s %4zu of %d %s: %d segments, too long\n"),
		    ev, lang, f->count.units, f->limit, enc, f->count.segments);
	else if (f->has_note && !f->ok)
		fprintf(out, _("%-13s %-2s %4zu of %d %s: %ld left for {note}, fewer than %d\n"),
		    ev, lang, f->count.units, f->limit, enc, f->note_room,
		    KD_NOTE_MIN);
	else if (f->has_note)
		fprintf(out, _("%-13s %-2s %4zu of %d %s: one segment, %ld left for {note}\n"),
		    ev, lang, f->count.units, f->limit, enc, f->note_room);
	else
		fprintf(out, _("%-13s %-2s %4zu of %d %s: one segment\n"),
		    ev, lang, f->count.units, f->limit, enc);
	/* what a citizen receives: with a long note, shortened to fit */
	kd_tpl_render(c, res, row, f->has_note ? KD_LONG_NOTE : "", 1, &text,
	    NULL);
	fprintf(out, "    %s\n", strbuf_str(&text));
	strbuf_release(&text);
}

static void
kd_tpl_warn(PGresult *res, int row, const struct kd_tpl_fit *f)
{
	const char	*ev = PQgetvalue(res, row, 0);
	const char	*lang = PQgetvalue(res, row, 1);
	const char	*enc = sms_encoding_name(f->count.encoding);

	if (f->count.segments > 1)
		log_warn(_("SMS template '%s' (%s) is %zu %s units long with the longest values, over the %d of one segment: each such SMS costs %d; shorten it, or [dispatch] link (kotad -t lists them all)"),
		    ev, lang, f->count.units, enc, f->limit, f->count.segments);
	else
		log_warn(_("SMS template '%s' (%s) leaves %ld characters for {note} with the longest values, fewer than %d: notes are shortened to that (kotad -t lists them all)"),
		    ev, lang, f->note_room, KD_NOTE_MIN);
}

int
kd_tpl_check(struct kd *kd, FILE *out)
{
	struct db_error		 err;
	struct kd_tpl_fit	 f;
	PGresult		*res;
	int			 i, bad = 0;

	if ((res = db_run(kd->db, &kd_stmt_templates, NULL, &err)) == NULL) {
		kd_sql_failed(kd, "SMS templates", &err);
		return -1;
	}
	for (i = 0; i < PQntuples(res); i++) {
		kd_tpl_fit(kd->conf, res, i, &f);
		if (!f.ok) {
			bad++;
			kd_tpl_warn(res, i, &f);
		}
		if (out != NULL)
			kd_tpl_print(out, kd->conf, res, i, &f);
	}
	if (bad == 0)
		log_info(_("%d SMS templates fit one segment with the longest values"),
		    PQntuples(res));
	PQclear(res);
	return bad;
}
