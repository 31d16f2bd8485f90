/*
 * page_check: the status page (server/kotaweb/page.c) against a database,
 * in TAP, without the HTTP server around it
 *
 *	page_check CONNINFO WEB_CONNINFO TICKET LONG_TICKET SECRET...
 *
 * CONNINFO names a superuser, WEB_CONNINFO a role in kota_web only (as
 * kotaweb connects; the pages are rendered through it), on a migrated
 * database where TICKET is a
 * request (tests/web/11_page_check.sh makes it) whose district and public
 * comment hold markup and "&", with an internal note; LONG_TICKET one with
 * hundreds of long public comments "comment N ...", N from 1; each SECRET
 * a text that no page may show (the citizen's name and phone, the note).
 * Checks page_lang()'s choice, then page_ticket(): both languages (the
 * Indonesian of the page's strings from the catalogue, compared with
 * what gettext itself finds there; the database's names and labels), the
 * page's shape (viewport, no script, under 20 kB with a long history, the
 * newest events last and the count of those left out), escaping, the
 * ticket typed in other forms, a wrong check digit, an unknown ticket, no
 * database, and four threads rendering both languages at once.
 */
#include "config.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "i18n.h"
#include "page.h"
#include "request.h"
#include "strbuf.h"
#include "tap.h"

#define THREADS		4
#define ROUNDS		40

static const char	*conninfo;		/* kota_web's */
static char		 ticket[32];
static char		 label_id[128], label_en[128];

static bool
has(const struct strbuf *sb, const char *needle)
{
	return strstr(strbuf_str(sb), needle) != NULL;
}

static bool
has_nocase(const struct strbuf *sb, const char *needle)
{
	return strcasestr(strbuf_str(sb), needle) != NULL;
}

/* The first value of a query with one parameter, into buf. */
static void
value(PGconn *conn, const char *sql, const char *param, char *buf,
    size_t bufsz)
{
	PGresult	*res;

	res = PQexecParams(conn, sql, 1, NULL, &param, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
		bail_out("%s: %s", sql, PQerrorMessage(conn));
	snprintf(buf, bufsz, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
}

static int
render(PGconn *conn, const char *t, const char *lang, struct strbuf *out)
{
	strbuf_reset(out);
	return page_ticket(conn, t, lang, out);
}

static void
check_lang(void)
{
	static const struct {
		const char	*query, *accept, *want;
	} cases[] = {
		{ NULL, NULL, "id" },
		{ "", "", "id" },
		{ "en", NULL, "en" },
		{ "EN", "id", "en" },
		{ "id", "en-US,en;q=0.9", "id" },
		{ "fr", "en", "en" },		/* ?lang= not ours */
		{ "", "en", "en" },			/* empty is absent */
		{ NULL, "en-US,en;q=0.9", "en" },
		{ NULL, "fr-FR, en;q=0.5, id;q=0.8", "id" },
		{ NULL, "in", "id" },
		{ NULL, "ms-MY", "id" },
		{ NULL, "en;q=0, fr", "id" },	/* q=0: not English */
		{ NULL, "de, *;q=0.1", "id" },
		/* the first of equals */
		{ NULL, "en-GB;q=0.7, id;q=0.7", "en" },
		{ NULL, "id;q=0.3,en;q=0.31", "en" },
		{ NULL, "id ; q=0.3 , EN-au ; Q=0.5", "en" },
		{ NULL, "english", "id" },
		{ NULL, "en;q=abc", "id" },		/* malformed q */
		{ NULL, "en;q=2", "id" },
		{ NULL, ",,;,en", "en" },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ok(strcmp(page_lang(cases[i].query, cases[i].accept),
		    cases[i].want) == 0, "page_lang(%s, %s) is %s",
		    cases[i].query != NULL ? cases[i].query : "NULL",
		    cases[i].accept != NULL ? cases[i].accept : "NULL",
		    cases[i].want);
}

static void
check_page(PGconn *conn, PGconn *web, const char *const *secrets,
    int nsecrets)
{
	struct strbuf	 out = STRBUF_INIT;
	char		 service_id[128], service_en[128], typed[40];
	const char	*tr_service;
	int		 st, i;

	value(conn, "SELECT s.name_id FROM kota.request r JOIN kota.service s"
	    " ON s.id = r.service_id WHERE kota.ticket_of(r.id) = $1",
	    ticket, service_id, sizeof service_id);
	value(conn, "SELECT s.name_en FROM kota.request r JOIN kota.service s"
	    " ON s.id = r.service_id WHERE kota.ticket_of(r.id) = $1",
	    ticket, service_en, sizeof service_en);
	/* what gettext itself finds in the Indonesian catalogue */
	i18n_init("id");
	tr_service = _("Service");
	ok(strcmp(tr_service, "Service") != 0,
	    "the catalogue has Indonesian for \"Service\" (%s)", tr_service);

	st = render(web, ticket, "id", &out);
	ok(st == 200, "%s in Indonesian: 200 (got %d)", ticket, st);
	ok(has(&out, "<html lang=\"id\">"), "the page says lang=\"id\"");
	ok(has(&out, "<meta name=\"viewport\" content=\"width=device-width"),
	    "a viewport for a phone's width");
	ok(has(&out, tr_service), "the page's own words from the catalogue "
	    "(%s)", tr_service);
	ok(has(&out, service_id), "the service in Indonesian (%s)", service_id);
	ok(has(&out, label_id), "the status in Indonesian (%s)", label_id);
	ok(has(&out, "href=\"?lang=en\""), "a link to the English page");
	ok(has(&out, ticket), "the ticket");
	ok(!has_nocase(&out, "<script"), "no script");
	ok(has(&out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
	    "done"), "the comment is there, escaped");
	ok(has(&out, "Sumur &lt;b&gt;Bandung&lt;/b&gt; &amp; Co"),
	    "the district is there, escaped");
	ok(!has(&out, "<b>"), "no markup of a value's own");
	for (i = 0; i < nsecrets; i++)
		ok(!has(&out, secrets[i]), "Indonesian: no \"%s\"", secrets[i]);
	ok(out.len < PAGE_SIZE_MAX, "%zu bytes", out.len);

	st = render(web, ticket, "en", &out);
	ok(st == 200, "%s in English: 200 (got %d)", ticket, st);
	ok(has(&out, "<html lang=\"en\">"), "the page says lang=\"en\"");
	ok(has(&out, ">Service<"), "the page's own words in English");
	ok(has(&out, service_en), "the service in English (%s)", service_en);
	ok(has(&out, label_en), "the status in English (%s)", label_en);
	ok(has(&out, "href=\"?lang=id\""), "a link to the Indonesian page");
	ok(!has_nocase(&out, "<script"), "no script");
	for (i = 0; i < nsecrets; i++)
		ok(!has(&out, secrets[i]), "English: no \"%s\"", secrets[i]);

	/* the ticket as people type it: lower case, without the dash */
	snprintf(typed, sizeof typed, "kt%s", ticket + 3);
	st = render(web, typed, "en", &out);
	ok(st == 200 && has(&out, ticket), "%s is %s (got %d)", typed, ticket,
	    st);

	/* a wrong check digit */
	snprintf(typed, sizeof typed, "%s", ticket);
	typed[strlen(typed) - 1] = typed[strlen(typed) - 1] == '9' ? '0' :
	    typed[strlen(typed) - 1] + 1;
	st = render(web, typed, "en", &out);
	ok(st == 400, "%s: 400 (got %d)", typed, st);
	ok(has(&out, "wrong check digit") && has(&out, typed),
	    "the page names the ticket and says its check digit is wrong");
	st = render(web, typed, "id", &out);
	ok(st == 400 && has(&out, "<html lang=\"id\">"),
	    "and in Indonesian (got %d)", st);

	/* not tickets */
	st = render(web, ticket + 3, "en", &out);
	ok(st == 200, "the digits and check digit alone: 200 (got %d)", st);
	st = render(web, "123", "en", &out);
	ok(st == 400 && has(&out, "not a ticket"),
	    "a number without its check digit: 400 (got %d)", st);
	st = render(web, "<script>&x-1", "en", &out);
	ok(st == 400 && !has_nocase(&out, "<script") &&
	    has(&out, "&lt;script&gt;&amp;x-1"),
	    "markup typed as a ticket: 400, escaped (got %d)", st);
	st = render(web, "KT-\xff\xfe-1", "en", &out);
	ok(st == 400 && has(&out, "\xef\xbf\xbd") && !has(&out, "\xff"),
	    "bytes that are not UTF-8: 400, shown as U+FFFD (got %d)", st);
	st = render(web, "", "en", &out);
	ok(st == 400, "nothing: 400 (got %d)", st);

	/* an unknown ticket */
	request_ticket_of(987654, typed, sizeof typed);
	st = render(web, typed, "en", &out);
	ok(st == 404 && has(&out, typed) && has(&out, "<html lang=\"en\">"),
	    "%s: 404, naming it (got %d)", typed, st);
	st = render(web, typed, "id", &out);
	ok(st == 404 && has(&out, "<html lang=\"id\">"),
	    "and in Indonesian (got %d)", st);
	strbuf_release(&out);
}

static void
check_long(PGconn *conn, PGconn *web, const char *long_ticket)
{
	struct strbuf	 out = STRBUF_INIT;
	char		 total[16], newest[32], older[32];
	const char	*a, *b;
	int		 st, n;

	value(conn, "SELECT count(*) FROM kota.request_event e"
	    " WHERE kota.ticket_of(e.request_id) = $1 AND e.kind = 'comment'",
	    long_ticket, total, sizeof total);
	n = atoi(total);
	snprintf(newest, sizeof newest, "comment %d ", n);
	snprintf(older, sizeof older, "comment %d ", n - 1);
	st = render(web, long_ticket, "en", &out);
	ok(st == 200, "%s with %d comments: 200 (got %d)", long_ticket, n, st);
	ok(out.len < PAGE_SIZE_MAX, "under %d bytes (%zu)", PAGE_SIZE_MAX,
	    out.len);
	a = strstr(strbuf_str(&out), older);
	b = strstr(strbuf_str(&out), newest);
	ok(a != NULL && b != NULL && a < b, "the newest comment is last");
	ok(!has(&out, "comment 1 "), "the oldest is left out");
	ok(has(&out, "Earlier updates not shown: "), "and the page says so");
	ok(has(&out, "\xe2\x80\xa6"), "a long comment is cut, with an "
	    "ellipsis");
	st = render(web, long_ticket, "id", &out);
	ok(st == 200 && out.len < PAGE_SIZE_MAX,
	    "in Indonesian too: 200, %zu bytes (got %d)", out.len, st);
	strbuf_release(&out);
}

/* A thread renders both languages in turn on its own connection. */
static void *
worker(void *arg)
{
	struct strbuf	 out = STRBUF_INIT;
	PGconn		*conn;
	intptr_t	 bad = 0;
	int		 i, st;
	bool		 en;

	conn = PQconnectdb(conninfo);
	for (i = 0; i < ROUNDS; i++) {
		en = (i + (int)(intptr_t)arg) % 2 == 1;
		st = render(conn, ticket, en ? "en" : "id", &out);
		if (st != 200 || !has(&out, en ? "<html lang=\"en\">" :
		    "<html lang=\"id\">") || !has(&out, en ? ">Service<" :
		    _("Service")) || !has(&out, en ? label_en : label_id))
			bad++;
	}
	PQfinish(conn);
	strbuf_release(&out);
	return (void *)bad;
}

static void
check_threads(void)
{
	pthread_t	 th[THREADS];
	void		*bad;
	intptr_t	 total = 0;
	int		 i;

	for (i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i))
			bail_out("pthread_create failed");
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], &bad);
		total += (intptr_t)bad;
	}
	ok(total == 0, "%d threads x %d pages, both languages at once: "
	    "%ld in the wrong language", THREADS, ROUNDS, (long)total);
}

static void
check_no_database(PGconn *conn)
{
	struct strbuf	 out = STRBUF_INIT;
	PGconn		*gone;
	PGresult	*res;
	char		 pid[16];
	const char	*p = pid;
	int		 st;

	gone = PQconnectdb(conninfo);
	snprintf(pid, sizeof pid, "%d", PQbackendPID(gone));
	res = PQexecParams(conn, "SELECT pg_terminate_backend($1::int)", 1,
	    NULL, &p, NULL, NULL, 0);
	PQclear(res);
	st = render(gone, ticket, "en", &out);
	ok(st == 503 && has(&out, "<html lang=\"en\">") &&
	    has(&out, "try again"), "a connection gone: 503, a page (got %d)",
	    st);
	st = render(NULL, ticket, "id", &out);
	ok(st == 503 && has(&out, "<html lang=\"id\">"),
	    "no connection: 503 (got %d)", st);
	PQfinish(gone);
	strbuf_release(&out);
}

int
main(int argc, char **argv)
{
	PGconn	*conn, *web;

	if (argc < 5) {
		fprintf(stderr, "usage: page_check CONNINFO WEB_CONNINFO "
		    "TICKET LONG_TICKET [SECRET...]\n");
		return 2;
	}
	conninfo = argv[2];
	snprintf(ticket, sizeof ticket, "%s", argv[3]);
	conn = PQconnectdb(argv[1]);
	web = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK || PQstatus(web) != CONNECTION_OK)
		bail_out("cannot connect: %s%s", PQerrorMessage(conn),
		    PQerrorMessage(web));
	value(conn, "SELECT s.label_id FROM kota.request r JOIN kota.status s"
	    " ON s.code = r.status WHERE kota.ticket_of(r.id) = $1", ticket,
	    label_id, sizeof label_id);
	value(conn, "SELECT s.label_en FROM kota.request r JOIN kota.status s"
	    " ON s.code = r.status WHERE kota.ticket_of(r.id) = $1", ticket,
	    label_en, sizeof label_en);

	check_lang();
	check_page(conn, web, (const char *const *)argv + 5, argc - 5);
	check_long(conn, web, argv[4]);
	check_threads();
	check_no_database(conn);
	PQfinish(web);
	PQfinish(conn);
	return done_testing();
}
