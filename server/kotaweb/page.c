/*
 * page.c: the public status page of a request, GET /t/TICKET
 *
 * What a citizen sees after following the link of the receipt SMS: the
 * ticket, the service, the district, the department, the current status,
 * the public history (what kota.web_ticket_events() returns: the request
 * received, status changes, public notes) and the target date.  Nothing
 * personal: the SQL returns no name, phone, e-mail, internal note or
 * agent, and this file shows only what it returns.
 *
 * Built for a cheap phone's browser: HTML5, no JavaScript, one inline
 * style sheet, a fluid column readable at 320 px, and under PAGE_SIZE_MAX
 * whatever the history: each value is cut to a length, and the history
 * shows its newest events that fit (newest last), saying how many older
 * ones were left out.  Every value is HTML-escaped; bytes that are not
 * UTF-8 become U+FFFD.
 *
 * The language.  kotaweb answers from several threads at once, each
 * request in its own language, so the page cannot speak through the
 * process's gettext: glibc's gettext does follow uselocale(), but the
 * language it then looks up is the thread locale's *name*, and
 *  - newlocale() fails for id_ID.UTF-8 wherever that locale was never
 *    generated, which is the case on Debian's minimal images and on the
 *    machines the tests run on (`locale -a`: C, C.utf8, POSIX), where
 *    lib/i18n.c makes C.UTF-8 stand in and speaks through LANGUAGE;
 *  - LANGUAGE, which lib/i18n.c sets for the whole process, wins over
 *    any thread's locale anyway.
 * So the page reads the Indonesian catalogue itself: the same kota.mo
 * the programs use (po/id.po, found as lib/i18n.c finds it), loaded once,
 * read-only afterwards, looked up by binary search (msgfmt sorts the
 * original strings: GNU gettext searches them the same way when a
 * catalogue has no hash table).  English is the msgid.  The page's
 * strings are marked N_() and listed in po/POTFILES.in like any other,
 * so the translator finds them in po/id.po; until a string is translated
 * the Indonesian page shows it in English.  The values the database
 * holds in both languages (service, department, status) come in the
 * page's language from SQL (p_lang).
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "db.h"
#include "i18n.h"
#include "log.h"
#include "page.h"
#include "request.h"
#include "strbuf.h"
#include "xmalloc.h"

#define PAGE_EVENTS_MAX	30	/* events shown at most */
#define PAGE_FIELD_MAX	200	/* bytes of a value (a district...) */
#define PAGE_NOTE_MAX	800	/* bytes of an event's note */
#define PAGE_TYPED_MAX	40	/* bytes of a ticket echoed back */
#define PAGE_TAIL	1024	/* kept for what follows the history */
#define PAGE_MO_MAX	(16 * 1024 * 1024)

/*
 * The request and its last PAGE_EVENTS_MAX public events in one round
 * trip and one snapshot, oldest first, each row with the number of all
 * events (total), so the page can say how many it leaves out.
 */
static const char page_sql[] =
    "SELECT t.ticket, t.service_name, t.district, t.status_label,"
    " t.is_open, t.requested_at, t.updated_at, t.due_at, t.resolved_at,"
    " t.department, e.at, e.kind, e.status_label AS event_label, e.note,"
    " e.total"
    " FROM kota.web_ticket($1::text, $2::text) AS t"
    " LEFT JOIN LATERAL (SELECT ev.*, count(*) OVER () AS total"
    "  FROM kota.web_ticket_events($1::text, $2::text) WITH ORDINALITY AS ev"
    "  ORDER BY ev.ordinality DESC LIMIT $3::int) AS e ON true"
    " ORDER BY e.ordinality";

/* The columns of page_sql, looked up by name once per result. */
enum {
	COL_TICKET, COL_SERVICE, COL_DISTRICT, COL_STATUS, COL_OPEN,
	COL_REQUESTED, COL_UPDATED, COL_DUE, COL_RESOLVED, COL_DEPARTMENT,
	COL_AT, COL_KIND, COL_LABEL, COL_NOTE, COL_TOTAL, COL_COUNT
};
static const char *const page_columns[COL_COUNT] = {
	"ticket", "service_name", "district", "status_label", "is_open",
	"requested_at", "updated_at", "due_at", "resolved_at", "department",
	"at", "kind", "event_label", "note", "total",
};

static const char page_style[] =
    "body{margin:0 auto;max-width:36em;padding:0 .8em;"
    "font:1rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff}"
    "nav{text-align:right;font-size:.9em;margin:.6em 0}"
    "h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:1.2em 0 .3em}"
    "p,dd,li{overflow-wrap:anywhere}"
    ".st{display:inline-block;padding:.1em .6em;border-radius:.3em;"
    "background:#fde7a9;font-weight:bold}.st.done{background:#cdeccd}"
    "dt{font-weight:bold;margin-top:.4em}dd{margin:0}"
    "ol{list-style:none;padding:0}"
    "li{border-left:3px solid #bbb;padding:.1em 0 .3em .7em;margin:.4em 0}"
    ".t,.w{display:block}.t{color:#555;font-size:.9em}"
    ".st::first-letter,.w::first-letter{text-transform:uppercase}"
    "footer{color:#555;font-size:.85em;border-top:1px solid #ddd;"
    "margin:1.5em 0 1em;padding-top:.5em}";

/* ------------------------------------------------------------------ */
/* The Indonesian catalogue */

static struct {
	char		*data;	/* kota.mo; NULL: English only */
	size_t		 size;
	uint32_t	 n;	/* strings */
	uint32_t	 orig;	/* offset of the table of originals */
	uint32_t	 trans;	/* offset of the table of translations */
	bool		 swap;	/* written in the other byte order */
} page_mo;
static pthread_once_t	page_mo_once = PTHREAD_ONCE_INIT;

static uint32_t
page_mo_word(size_t off)
{
	uint32_t	w;

	memcpy(&w, page_mo.data + off, sizeof w);
	if (page_mo.swap)
		w = (w >> 24) | ((w >> 8) & 0xff00) | ((w << 8) & 0xff0000) |
		    (w << 24);
	return w;
}

/* The string of entry i of the table at off, or NULL when out of bounds. */
static const char *
page_mo_string(uint32_t table, uint32_t i)
{
	uint32_t	len, off;

	len = page_mo_word((size_t)table + (size_t)i * 8);
	off = page_mo_word((size_t)table + (size_t)i * 8 + 4);
	if ((size_t)off + len >= page_mo.size ||
	    page_mo.data[off + len] != '\0')
		return NULL;
	return page_mo.data + off;
}

/* Every entry within the file, so that lookups need no check. */
static bool
page_mo_valid(void)
{
	uint32_t	magic, i;

	if (page_mo.size < 28)
		return false;
	memcpy(&magic, page_mo.data, sizeof magic);
	if (magic == 0x950412de)
		page_mo.swap = false;
	else if (magic == 0xde120495)
		page_mo.swap = true;
	else
		return false;
	if ((page_mo_word(4) >> 16) > 1)	/* major revision */
		return false;
	page_mo.n = page_mo_word(8);
	page_mo.orig = page_mo_word(12);
	page_mo.trans = page_mo_word(16);
	if (page_mo.n > page_mo.size / 16 ||
	    (size_t)page_mo.orig + (size_t)page_mo.n * 8 > page_mo.size ||
	    (size_t)page_mo.trans + (size_t)page_mo.n * 8 > page_mo.size)
		return false;
	for (i = 0; i < page_mo.n; i++)
		if (page_mo_string(page_mo.orig, i) == NULL ||
		    page_mo_string(page_mo.trans, i) == NULL)
			return false;
	return true;
}

static void
page_mo_load(void)
{
#ifdef ENABLE_NLS
	char		 path[4096];
	struct stat	 st;
	ssize_t		 got;
	size_t		 have = 0;
	int		 fd;

	snprintf(path, sizeof path, "%s/id/LC_MESSAGES/%s.mo",
	    i18n_localedir(), PACKAGE);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("status page: cannot open '%s': %s: it speaks English "
		    "only", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) == -1 || st.st_size <= 0 || st.st_size > PAGE_MO_MAX)
		goto fail;
	page_mo.size = (size_t)st.st_size;
	page_mo.data = xmalloc(page_mo.size);
	while (have < page_mo.size) {
		got = read(fd, page_mo.data + have, page_mo.size - have);
		if (got <= 0)
			goto fail;
		have += (size_t)got;
	}
	close(fd);
	if (page_mo_valid())
		return;
	fd = -1;
fail:
	log_warn("status page: '%s' is not a catalogue it can read: it speaks "
	    "English only", path);
	if (fd != -1)
		close(fd);
	free(page_mo.data);
	page_mo.data = NULL;
#endif
}

/* msgid in lang: the catalogue's Indonesian, else msgid itself. */
static const char *page_tr(const char *lang, const char *msgid)
	__attribute__((format_arg(2)));
static const char *
page_tr(const char *lang, const char *msgid)
{
	uint32_t	 lo, hi, mid;
	const char	*s;
	int		 cmp;

	if (strcmp(lang, "id") != 0)
		return msgid;
	pthread_once(&page_mo_once, page_mo_load);
	if (page_mo.data == NULL)
		return msgid;
	lo = 0;
	hi = page_mo.n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		s = page_mo.data +
		    page_mo_word((size_t)page_mo.orig + mid * 8 + 4);
		if ((cmp = strcmp(msgid, s)) == 0) {
			s = page_mo.data +
			    page_mo_word((size_t)page_mo.trans + mid * 8 + 4);
			return *s != '\0' ? s : msgid;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return msgid;
}

/* ------------------------------------------------------------------ */
/* The language */

static const char *
page_lang_tag(const char *tag, size_t len)
{
	static const char *const ids[] = { "id", "in", "ms" };
	size_t	i;

	if (len != 2 && (len < 3 || tag[2] != '-'))
		return NULL;
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		if (strncasecmp(tag, ids[i], 2) == 0)
			return "id";
	if (strncasecmp(tag, "en", 2) == 0)
		return "en";
	return NULL;
}

/* q=0.8 as thousandths; 1000 without a q; -1 when malformed. */
static int
page_lang_q(const char *p, const char *end)
{
	int	q, digits;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 1000;
	if (end - p < 3 || *p++ != ';')
		return -1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return -1;
	p += 2;
	if (*p != '0' && *p != '1')
		return -1;
	q = (*p++ - '0') * 1000;
	if (p < end && *p == '.')
		for (p++, digits = 0; p < end && isdigit((unsigned char)*p) &&
		    digits < 3; p++, digits++)
			q += (*p - '0') *
			    (digits == 0 ? 100 : digits == 1 ? 10 : 1);
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end && q <= 1000 ? q : -1;
}

const char *
page_lang(const char *query_lang, const char *accept_language)
{
	const char	*p, *item, *end, *tag, *lang, *best = NULL;
	size_t		 taglen;
	int		 q, bestq = 0;

	if (query_lang != NULL && (strcasecmp(query_lang, "id") == 0 ||
	    strcasecmp(query_lang, "en") == 0))
		return tolower((unsigned char)query_lang[0]) == 'e' ?
		    "en" : "id";
	for (p = accept_language; p != NULL && *p != '\0'; p = end) {
		item = p;
		end = item + strcspn(item, ",");
		if (*end == ',')
			p = end + 1;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		tag = item;
		taglen = strcspn(tag, ";, \t");
		if (tag + taglen > end)
			taglen = (size_t)(end - tag);
		lang = page_lang_tag(tag, taglen);
		q = page_lang_q(tag + taglen, end);
		/* the first of the highest q wins; q=0 is "not this one" */
		if (lang != NULL && q > bestq) {
			best = lang;
			bestq = q;
		}
		if (*end == ',')
			end++;
	}
	return best != NULL ? best : "id";
}

/* ------------------------------------------------------------------ */
/* Escaping */

/* Bytes of the well-formed UTF-8 character at s (RFC 3629), 0 if none. */
static size_t
page_utf8(const unsigned char *s)
{
	unsigned char	lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)		/* no surrogates */
			hi = 0x9f;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ?
		    3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
		    (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/*
 * Append s HTML-escaped: at most max bytes of it, cut between characters
 * with an ellipsis; what is not UTF-8 as U+FFFD; newlines as <br> when br
 * (else spaces), other control characters dropped.
 */
static void
page_esc(struct strbuf *out, const char *s, size_t max, bool br)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 used = 0, n;

	if (s == NULL)
		return;
	while (*p != '\0') {
		n = page_utf8(p);
		if (used + (n == 0 ? 1 : n) > max) {
			strbuf_adds(out, "\xe2\x80\xa6");
			return;
		}
		used += n == 0 ? 1 : n;
		if (n == 0) {
			strbuf_adds(out, "\xef\xbf\xbd");
			p++;
			continue;
		}
		switch (*p) {
		case '&':
			strbuf_adds(out, "&amp;");
			break;
		case '<':
			strbuf_adds(out, "&lt;");
			break;
		case '>':
			strbuf_adds(out, "&gt;");
			break;
		case '"':
			strbuf_adds(out, "&quot;");
			break;
		case '\'':
			strbuf_adds(out, "&#39;");
			break;
		case '\n':
			strbuf_adds(out, br ? "<br>" : " ");
			break;
		case '\t':
			strbuf_adds(out, " ");
			break;
		default:
			if (*p >= 0x20 && *p != 0x7f)
				strbuf_add(out, (const char *)p, n);
			break;
		}
		p += n;
	}
}

/* ------------------------------------------------------------------ */
/* The page */

struct page {
	const char	*lang;		/* "id" or "en" */
	struct strbuf	*out;
};

#define T(pg, s)	page_tr((pg)->lang, s)

static void
page_head(struct page *pg, const char *title_value, const char *title)
{
	bool	id = strcmp(pg->lang, "id") == 0;

	strbuf_addf(pg->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta name=\"robots\" content=\"noindex\">\n<title>", pg->lang);
	if (title_value != NULL) {
		page_esc(pg->out, title_value, PAGE_TYPED_MAX, false);
		strbuf_adds(pg->out, " \xc2\xb7 ");
	}
	page_esc(pg->out, title, PAGE_FIELD_MAX, false);
	strbuf_addf(pg->out, "</title>\n<style>%s</style>\n</head>\n<body>\n",
	    page_style);
	/* each language's name in itself, so a reader of it finds it */
	strbuf_addf(pg->out, "<nav><a href=\"?lang=%s\" hreflang=\"%s\" "
	    "lang=\"%s\">%s</a></nav>\n<main>\n", id ? "en" : "id",
	    id ? "en" : "id", id ? "en" : "id",
	    id ? "English" : "Bahasa Indonesia");
}

static void
page_foot(struct page *pg)
{
	strbuf_adds(pg->out, "</main>\n<footer><p>");
	page_esc(pg->out, T(pg, N_("This page shows only what is public about "
	    "the request: never the name or the phone number of whoever "
	    "reported it.")), PAGE_NOTE_MAX, false);
	strbuf_adds(pg->out, "</p></footer>\n</body>\n</html>\n");
}

/* A page that says what went wrong: title, then a sentence naming typed. */
static void
page_problem(struct page *pg, const char *title, const char *fmt,
    const char *typed)
{
	struct strbuf	 msg = STRBUF_INIT, cut = STRBUF_INIT;
	const char	*at;

	page_esc(&cut, typed, PAGE_TYPED_MAX, false);
	page_head(pg, NULL, title);
	strbuf_adds(pg->out, "<h1>");
	page_esc(pg->out, title, PAGE_FIELD_MAX, false);
	strbuf_adds(pg->out, "</h1>\n<p>");
	/*
	 * fmt is a translated message with one %s: the value goes in
	 * already escaped, the rest is escaped around it.
	 */
	if (fmt != NULL) {
		at = strstr(fmt, "%s");
		strbuf_add(&msg, fmt, at != NULL ? (size_t)(at - fmt) :
		    strlen(fmt));
		page_esc(pg->out, strbuf_str(&msg), PAGE_NOTE_MAX, false);
		if (at != NULL) {
			strbuf_adds(pg->out, "<strong>");
			strbuf_adds(pg->out, strbuf_str(&cut));
			strbuf_adds(pg->out, "</strong>");
			page_esc(pg->out, at + 2, PAGE_NOTE_MAX, false);
		}
	}
	strbuf_adds(pg->out, "</p>\n");
	page_foot(pg);
	strbuf_release(&msg);
	strbuf_release(&cut);
}

/* One value of a row, or NULL when it is NULL. */
static const char *
page_value(PGresult *res, const int *col, int row, int which)
{
	if (PQgetisnull(res, row, col[which]))
		return NULL;
	return PQgetvalue(res, row, col[which]);
}

static void
page_field(struct page *pg, const char *label, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	strbuf_adds(pg->out, "<dt>");
	page_esc(pg->out, label, PAGE_FIELD_MAX, false);
	strbuf_adds(pg->out, "</dt><dd>");
	page_esc(pg->out, value, PAGE_FIELD_MAX, false);
	strbuf_adds(pg->out, "</dd>\n");
}

static void
page_summary(struct page *pg, PGresult *res, const int *col)
{
	const char	*ticket = page_value(res, col, 0, COL_TICKET);
	const char	*open = page_value(res, col, 0, COL_OPEN);

	strbuf_adds(pg->out, "<h1>");
	page_esc(pg->out, T(pg, N_("Ticket")), PAGE_FIELD_MAX, false);
	strbuf_adds(pg->out, " ");
	page_esc(pg->out, ticket, PAGE_TYPED_MAX, false);
	strbuf_addf(pg->out, "</h1>\n<p><span class=\"st%s\">",
	    open != NULL && strcmp(open, "f") == 0 ? " done" : "");
	page_esc(pg->out, page_value(res, col, 0, COL_STATUS), PAGE_FIELD_MAX,
	    false);
	strbuf_adds(pg->out, "</span></p>\n<dl>\n");
	page_field(pg, T(pg, N_("Service")),
	    page_value(res, col, 0, COL_SERVICE));
	page_field(pg, T(pg, N_("District")),
	    page_value(res, col, 0, COL_DISTRICT));
	page_field(pg, T(pg, N_("Department")),
	    page_value(res, col, 0, COL_DEPARTMENT));
	/* TRANSLATORS: the status page: when the citizen reported it */
	page_field(pg, T(pg, N_("Reported")),
	    page_value(res, col, 0, COL_REQUESTED));
	/* TRANSLATORS: the status page: when the city means to resolve it */
	page_field(pg, T(pg, N_("Target date")),
	    page_value(res, col, 0, COL_DUE));
	page_field(pg, T(pg, N_("Resolved")),
	    page_value(res, col, 0, COL_RESOLVED));
	page_field(pg, T(pg, N_("Updated")),
	    page_value(res, col, 0, COL_UPDATED));
	strbuf_adds(pg->out, "</dl>\n");
}

/* One event as a list item. */
static void
page_event(struct page *pg, struct strbuf *item, PGresult *res,
    const int *col, int row)
{
	const char	*kind = page_value(res, col, row, COL_KIND);
	const char	*label = page_value(res, col, row, COL_LABEL);
	const char	*note = page_value(res, col, row, COL_NOTE);
	const char	*what;

	if (kind != NULL && strcmp(kind, "created") == 0)
		/* TRANSLATORS: the status page's history: the first event */
		what = T(pg, N_("Request received"));
	else if (kind != NULL && strcmp(kind, "status") == 0 && label != NULL)
		what = label;
	else if (kind != NULL && strcmp(kind, "comment") == 0)
		/*
		 * TRANSLATORS: the status page's history: a public comment,
		 * by the city's staff or by a citizen through an app
		 */
		what = T(pg, N_("Public comment"));
	else
		what = label != NULL ? label : T(pg, N_("Update"));
	strbuf_adds(item, "<li><span class=\"t\">");
	page_esc(item, page_value(res, col, row, COL_AT), PAGE_TYPED_MAX,
	    false);
	strbuf_adds(item, "</span><strong class=\"w\">");
	page_esc(item, what, PAGE_FIELD_MAX, false);
	strbuf_adds(item, "</strong>");
	page_esc(item, note, PAGE_NOTE_MAX, true);
	strbuf_adds(item, "</li>\n");
}

/*
 * The history, newest last: the newest events that fit in what is left
 * of PAGE_SIZE_MAX, at most PAGE_EVENTS_MAX, and how many were left out.
 */
static void
page_history(struct page *pg, PGresult *res, const int *col)
{
	struct strbuf	*items, left = STRBUF_INIT;
	const char	*total_s;
	long		 total = 0;
	size_t		 budget, used = 0;
	int		 rows, first, r;

	rows = PQntuples(res);
	if ((total_s = page_value(res, col, 0, COL_TOTAL)) != NULL)
		total = strtol(total_s, NULL, 10);
	if (total == 0)
		rows = 0;
	budget = pg->out->len + PAGE_TAIL < PAGE_SIZE_MAX ?
	    PAGE_SIZE_MAX - PAGE_TAIL - pg->out->len : 0;
	items = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof *items);
	for (first = rows; first > 0 && rows - first < PAGE_EVENTS_MAX;
	    first--) {
		page_event(pg, &items[first - 1], res, col, first - 1);
		if (used + items[first - 1].len > budget)
			break;
		used += items[first - 1].len;
	}
	strbuf_adds(pg->out, "<h2>");
	page_esc(pg->out, T(pg, N_("Public history")), PAGE_FIELD_MAX, false);
	strbuf_adds(pg->out, "</h2>\n");
	if (total > rows - first) {
		strbuf_addf(&left, T(pg, N_("Earlier updates not shown: %ld.")),
		    total - (rows - first));
		strbuf_adds(pg->out, "<p>");
		page_esc(pg->out, strbuf_str(&left), PAGE_FIELD_MAX, false);
		strbuf_adds(pg->out, "</p>\n");
		strbuf_release(&left);
	}
	strbuf_adds(pg->out, "<ol>\n");
	for (r = first; r < rows; r++)
		strbuf_add(pg->out, items[r].buf, items[r].len);
	strbuf_adds(pg->out, "</ol>\n");
	for (r = 0; r < rows; r++)
		strbuf_release(&items[r]);
	free(items);
}

/* ------------------------------------------------------------------ */
/* The ticket */

enum page_ref {
	PAGE_REF_OK,
	PAGE_REF_MALFORMED,	/* not a ticket at all */
	PAGE_REF_CHECK,		/* a ticket whose check digit is wrong */
};

/*
 * The canonical ticket (KT-000123-4) of what was typed, through libkota's
 * parser, as the console reads it.  The page wants the check digit: a
 * ticket is printed with it, and a number without one could be anybody's
 * request misread.
 */
static enum page_ref
page_parse(const char *typed, char *canon, size_t canonsz)
{
	struct db_error	 err;
	const char	*dash;
	char		 stripped[64];
	int64_t		 id;

	dash = strrchr(typed, '-');
	if (strlen(typed) >= sizeof stripped || dash == NULL ||
	    !isdigit((unsigned char)dash[1]) || dash[2] != '\0')
		return PAGE_REF_MALFORMED;
	if (request_parse_ref(typed, &id, &err) == 0) {
		request_ticket_of(id, canon, canonsz);
		return PAGE_REF_OK;
	}
	/* the number parses without its check digit: the digit is wrong */
	snprintf(stripped, sizeof stripped, "%.*s", (int)(dash - typed), typed);
	if (request_parse_ref(stripped, &id, &err) == 0)
		return PAGE_REF_CHECK;
	return PAGE_REF_MALFORMED;
}

/* libpq's message on one line of the log (it spans several). */
static void
page_log_failure(const char *ticket, const char *message)
{
	char	line[512];
	size_t	i;

	snprintf(line, sizeof line, "%s", message);
	i = strlen(line);
	while (i > 0 && isspace((unsigned char)line[i - 1]))
		line[--i] = '\0';
	for (i = 0; line[i] != '\0'; i++)
		if (line[i] == '\n' || line[i] == '\t')
			line[i] = ' ';
	log_msg(LOG_LEVEL_WARNING, ticket, "status page: %s", line);
}

static int
page_unavailable(struct page *pg)
{
	page_problem(pg, T(pg, N_("Temporarily unavailable")),
	    T(pg, N_("The status of requests cannot be shown right now. "
	    "Please try again in a few minutes.")), NULL);
	return 503;
}

int
page_ticket(PGconn *conn, const char *ticket, const char *lang,
    struct strbuf *out)
{
	struct page	 pg;
	PGresult	*res;
	const char	*params[3];
	const char	*sqlstate;
	char		 canon[32], limit[16];
	int		 col[COL_COUNT], i;

	pg.lang = lang != NULL && strcmp(lang, "en") == 0 ? "en" : "id";
	pg.out = out;
	if (ticket == NULL)
		ticket = "";
	switch (page_parse(ticket, canon, sizeof canon)) {
	case PAGE_REF_OK:
		break;
	case PAGE_REF_CHECK:
		page_problem(&pg, T(&pg, N_("Wrong check digit")),
		    T(&pg, N_("Ticket %s has a wrong check digit: please check "
		    "the number against your receipt.")), ticket);
		return 400;
	case PAGE_REF_MALFORMED:
		page_problem(&pg, T(&pg, N_("Not a ticket number")),
		    T(&pg, N_("%s is not a ticket number. A ticket looks like "
		    "KT-001234-5, as in your receipt.")), ticket);
		return 400;
	}

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK)
		return page_unavailable(&pg);
	snprintf(limit, sizeof limit, "%d", PAGE_EVENTS_MAX);
	params[0] = canon;
	params[1] = pg.lang;
	params[2] = limit;
	res = PQexecParams(conn, page_sql, 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		sqlstate = res != NULL ?
		    PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		if (sqlstate != NULL &&
		    strcmp(sqlstate, KOTA_SQLSTATE_NOT_FOUND) == 0) {
			PQclear(res);
			goto unknown;
		}
		page_log_failure(canon, res != NULL ?
		    PQresultErrorMessage(res) : PQerrorMessage(conn));
		PQclear(res);
		return page_unavailable(&pg);
	}
	for (i = 0; i < COL_COUNT; i++)
		if ((col[i] = PQfnumber(res, page_columns[i])) < 0) {
			log_msg(LOG_LEVEL_ERROR, canon, "status page: no "
			    "column '%s' in the result", page_columns[i]);
			PQclear(res);
			return page_unavailable(&pg);
		}
	if (PQntuples(res) == 0) {
		PQclear(res);
		goto unknown;
	}
	page_head(&pg, canon, T(&pg, N_("Request status")));
	page_summary(&pg, res, col);
	page_history(&pg, res, col);
	page_foot(&pg);
	PQclear(res);
	return 200;

unknown:
	page_problem(&pg, T(&pg, N_("Ticket not found")),
	    T(&pg, N_("There is no request with ticket %s. Please check the "
	    "number against your receipt.")), canon);
	return 404;
}
