/*
 * kotaweb.h: the public HTTP face of Kota, and the map of its files
 *
 *	kotaweb.c	start: options, configuration, signals, the MHD daemon
 *	kw_conf.c	kotaweb.conf, declared as a table (lib/conf.h)
 *	kw_http.c	MHD's callbacks: the body, the route, the answer, the log
 *	kw_db.c		the database connections of each server thread (the
 *			primary; a standby for reads); the API keys, cached,
 *			and their rate limits
 *	o311_read.c	Open311's GETs: discovery, services, requests, tokens
 *	o311_write.c	POST requests, and FixMyStreet's servicerequestupdates
 *	form.c		query strings and form bodies (pure, fuzzed)
 *	out.c		XML and JSON from one description of an answer
 *	page.c		the status page of a ticket, /t/TICKET (page.h)
 *	inbound.c	citizens' messages: /inbound/twilio, /inbound/http,
 *			/inbound/whatsapp, through kota.web_inbound()
 *	keyword.c	what a message asks for: STATUS, STOP, LAPOR... (pure,
 *			fuzzed; keyword.h)
 *	sig.c		the webhooks' signatures, HMAC-SHA1 and -SHA256 (pure;
 *			sig.h)
 *
 * Threads: MHD's pool runs the handlers; each thread has its own database
 * connection (kw_db.c), so no handler waits for another's query.  What
 * they share is read-only once the daemon runs (kw_cf), or behind a mutex
 * (the key cache).
 */
#ifndef KOTAWEB_H
#define KOTAWEB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include <libpq-fe.h>

#include "conf.h"
#include "db.h"
#include "form.h"
#include "out.h"
#include "strbuf.h"

enum kw_answer {
	KW_ANSWER_ID,		/* POST requests answers service_request_id */
	KW_ANSWER_TOKEN,	/* ... or the token, to be looked up later */
};

enum kw_pool_mode {
	KW_POOL_SESSION,	/* direct, or a pooler in session mode */
	KW_POOL_TRANSACTION,	/* pgbouncer's transaction mode: no session */
};

enum kw_reply_mode {
	KW_REPLY_OUTBOX,	/* the generic gateway's reply goes out by kotad */
	KW_REPLY_ANSWER,	/* ... or is the body of the answer */
};

struct kw_settings {
	/* [database] */
	char	*db_conninfo;
	char	*db_read_conninfo;	/* NULL: reads go to the primary */
	int	 db_max_lag_ms;
	int	 db_pool_mode;		/* enum kw_pool_mode */
	/* [http] */
	char	*http_listen;
	int	 http_threads;
	int	 http_connection_limit;
	int	 http_per_client_limit;
	char	*http_body_limit;
	int	 http_timeout_ms;
	/* [open311] */
	char	*o311_jurisdiction;
	char	*o311_endpoint;
	char	*o311_contact;
	char	*o311_key_service;
	int	 o311_lang;		/* index into kw_langs[] */
	int	 o311_answer;		/* enum kw_answer */
	/* [page] */
	char	*page_url;
	/* [inbound] */
	char	*in_twilio_url;
	char	*in_twilio_token_file;
	char	*in_twilio_account_sid;
	char	*in_report_service;
	int	 in_per_hour;
	int	 in_per_day;
	/* [inbound_http] */
	char	*ih_secret_file;
	char	*ih_from_field;
	char	*ih_to_field;
	char	*ih_body_field;
	char	*ih_id_field;
	char	*ih_signature_header;
	int	 ih_reply;		/* enum kw_reply_mode */
	/* [whatsapp] */
	char	*wa_app_secret_file;
	char	*wa_verify_token_file;
	/* [log] */
	char	*log_level;
};

extern const struct conf_key kw_settings_table[];
extern const char *const kw_langs[];	/* "id", "en" */

struct kw_conf {
	struct kw_settings	s;
	struct sockaddr_storage	addr;
	socklen_t		addrlen;
	size_t			body_limit;
	char			changeset[32];	/* when it was read, W3C */
	/* the secrets of the files named (lib/secret.c); NULL: that
	 * inbound path is closed (404) */
	char			*twilio_token;
	char			*http_secret;
	char			*wa_app_secret;
	char			*wa_verify_token;
};

/* Read and check path into c; -1 and the first problem in err. */
int	kw_conf_load(const char *path, struct kw_conf *c, char *err,
	    size_t errsz);
void	kw_conf_release(struct kw_conf *c);
/* addr as "127.0.0.1:8080" or "[::1]:8080". */
void	kw_addr_str(const struct sockaddr *sa, char *out, size_t outsz);

/* The configuration; read-only once the server runs. */
extern struct kw_conf kw_cf;

/* A call being answered: what the handler reads and what it writes. */
#define KW_ERRMAX	16

struct MHD_Connection;

struct kw_call {
	const char	*method;	/* "GET" (HEAD too) or "POST" */
	enum out_format	 fmt;
	const char	*arg;		/* the {code}, {id} or {token} of the path */
	struct form	*form;		/* query and body parameters */
	const char	*lang;		/* "id" or "en": names in answers */
	const char	*host;		/* the Host header, or NULL */
	const char	*raw;		/* the body as received (inbound) */
	size_t		 rawlen;
	struct MHD_Connection *con;	/* for kw_header() */

	int		 status;	/* the answer */
	struct strbuf	 body;
	const char	*ctype;
	const char	*allow;		/* with 405 */
	int		 retry_after;	/* seconds, with 429 and 503; 0: none */

	int		 err_status;	/* the errors collected, if any */
	int		 nerr;
	char		*errs[KW_ERRMAX];
};

/* Collect an error; the first one's status is the answer's. */
void	kw_error(struct kw_call *c, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Answer with the errors collected, in the call's format. */
void	kw_reply_errors(struct kw_call *c);
/* Answer with o's document (taken over) and status 200. */
void	kw_reply(struct kw_call *c, struct out *o);
/* Forget the errors collected so far. */
void	kw_errors_clear(struct kw_call *c);
/* A header of the call, or NULL. */
const char *kw_header(struct kw_call *c, const char *name);

/* kw_http.c: the MHD daemon's callbacks (kotaweb.c starts it) */
struct MHD_Daemon;
struct MHD_Daemon *kw_http_start(void);
void	kw_http_stop(struct MHD_Daemon *d);

/* kw_db.c */
/* This thread's connection, connected; NULL after an error in c (503). */
struct db *kw_db(struct kw_call *c);
/*
 * Run st; on a refusal or a failure, an error in c mapped to its HTTP
 * status (KT001 404, KT005 403, other KT 400, lost 503, else 500 without
 * the server's text, which goes to the log) and NULL.
 */
PGresult *kw_run(struct kw_call *c, const struct db_stmt *st,
	    const char *const *params);
/*
 * A read the public makes: on this thread's standby when [database]
 * read_conninfo names one that is up and within max_lag, else as
 * kw_run() on the primary.  fresh is how many rows the caller knows are
 * there (a request asked for by its id, which the citizen may have just
 * posted): a standby that answers fewer rows, or KT001, is not believed
 * and the primary is asked.
 */
PGresult *kw_read(struct kw_call *c, const struct db_stmt *st,
	    const char *const *params, int fresh);
/* The status page's: the standby's connection when it may be read from,
 * else NULL (use kw_db()'s); kw_read_lost() after a failure on it. */
PGconn	*kw_read_conn(void);
void	kw_read_lost(void);
void	kw_db_init(void);
void	kw_db_fini(void);		/* after the last thread stopped */

/*
 * The api_key of the call: present, known, not revoked (cached for a
 * minute), and within its app's rate.  0, or -1 with the error in c (403
 * or 429).
 */
int	kw_key_check(struct kw_call *c, const char *key);

/* o311_read.c and o311_write.c: the handlers */
void	o311_discovery(struct kw_call *c);
void	o311_services(struct kw_call *c);
void	o311_service_definition(struct kw_call *c);
void	o311_requests_get(struct kw_call *c);
void	o311_request_get(struct kw_call *c);
void	o311_token_get(struct kw_call *c);
void	o311_requests_post(struct kw_call *c);
void	o311_updates_get(struct kw_call *c);
void	o311_updates_post(struct kw_call *c);

/* inbound.c: the handlers of /inbound/NAME */
/* Whether /inbound/name exists and is configured (else 404). */
bool	inbound_open(const char *name);
/* Whether name takes its body raw (JSON), not as a form. */
bool	inbound_raw(const char *name);
/* Answer c, a POST (or a GET of /inbound/whatsapp); errors collected
 * before (413, a bad form) are answered as the path answers errors. */
void	inbound_handle(struct kw_call *c, const char *name);

/* Shared checks (o311_write.c) */
/* A ticket as typed into a canonical KT-NNNNNN-C in out; -1 and the
 * error (400, the console's message) in c. */
int	o311_ticket(struct kw_call *c, const char *name, const char *ref,
	    char *out, size_t outsz);
/* A W3C date or date-time parameter, normalised into out (a '+' of an
 * offset that a query string turned into a space is put back); NULL when
 * absent; on a bad one, an error in c and NULL. */
const char *o311_datetime(struct kw_call *c, const char *name, char *out,
	    size_t outsz);

#endif
