/*
 * page.h: the public status page of a request, GET /t/TICKET
 *
 * page.c renders it from kota.web_ticket() and kota.web_ticket_events(),
 * in Indonesian or English, whatever the process's locale: it may be
 * called from any of kotaweb's threads at once.
 */
#ifndef KOTAWEB_PAGE_H
#define KOTAWEB_PAGE_H

#include <libpq-fe.h>

#include "strbuf.h"

/* The largest page the status page renders, in bytes (a cheap phone's). */
#define PAGE_SIZE_MAX	(20 * 1024)

/*
 * Fill out with the HTML page for ticket (as typed in the URL) in lang
 * ("id" or "en"); return the HTTP status (200, 404, 400 for a malformed
 * ticket or a wrong check digit, 503 when the database is unavailable).
 * The page is text/html; charset=utf-8, whatever the status.  conn is
 * left as it is: a caller that pools connections checks PQstatus() after
 * a 503.
 */
int	 page_ticket(PGconn *conn, const char *ticket, const char *lang,
	     struct strbuf *out);

/*
 * "id" or "en" from ?lang= (wins when valid) or Accept-Language (q-values
 * honoured; id/in/ms → "id"; default "id").  Either may be NULL.
 */
const char *page_lang(const char *query_lang, const char *accept_language);

#endif
