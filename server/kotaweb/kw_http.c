/*
 * kw_http.c: libmicrohttpd's callbacks: the body, the route, the answer
 *
 * A call goes through three callbacks of MHD:
 *   kw_on_uri()	first, with the URI as the client sent it (MHD's own
 *			decoding of the path and query is not used: form.c
 *			decodes them, rejecting what is not UTF-8);
 *   kw_on_request()	once with the headers (a body over [http]
 *			body_limit by its Content-Length is refused there,
 *			413), then with each piece of the body, then once
 *			more to answer: route, parameters, handler;
 *   kw_on_done()	at the end, whatever happened.
 * A form body is kept whole (up to body_limit) and parsed by form.c; a
 * multipart body (FixMyStreet uploading photos) goes through MHD's post
 * processor, which hands over its fields, and the bytes of its files are
 * dropped as they arrive.  The inbound webhooks (/inbound/NAME,
 * inbound.c) sign their body as sent: it stays there, raw, for the
 * handler; a form is parsed besides, a JSON one (Cloud API) is not.
 *
 * Every answer is logged at info level: method, path without the query
 * (which may hold an api_key), status, milliseconds.
 */
#include "config.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <microhttpd.h>

#include "i18n.h"
#include "kotaweb.h"
#include "log.h"
#include "page.h"
#include "xmalloc.h"

#if MHD_VERSION >= 0x00097002
#define KW_RESULT	enum MHD_Result
#else
#define KW_RESULT	int
#endif

#define KW_STOP_WAIT	10.0	/* seconds for calls in flight at a stop */
/* MHD's memory per connection: the request line and headers (a query
 * string of FORM_MAX_PAIRS parameters fits) and its read buffer */
#define KW_CONN_MEMORY	(128 * 1024)

struct kw_req {
	char		*uri;		/* as sent */
	double		 start;
	bool		 started;	/* headers seen */
	bool		 answered;
	bool		 too_big;
	bool		 bad_body;
	struct strbuf	 body;		/* a form body */
	struct MHD_PostProcessor *pp;	/* a multipart body */
	struct strbuf	 fkey, fval;	/* its field being read */
	bool		 fpending;
	size_t		 kept;		/* bytes of its fields */
	struct form	 form;
};

/*
 * A connection's state: the call whose URI MHD reported but which no
 * handler has seen yet.  MHD may give up on a call between the two (a
 * header too large for its memory pool) and then never reports it
 * completed; the connection's end frees it instead.
 */
struct kw_sock {
	struct kw_req	*pending;
};

static atomic_int	kw_inflight;

static double
kw_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
kw_error(struct kw_call *c, int status, const char *fmt, ...)
{
	va_list	ap;
	char	buf[600];

	if (c->nerr == 0)
		c->err_status = status;
	if (c->nerr == KW_ERRMAX)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	c->errs[c->nerr++] = xstrdup(buf);
}

void
kw_reply(struct kw_call *c, struct out *o)
{
	strbuf_release(&c->body);
	c->body = o->sb;
	strbuf_init(&o->sb);
	c->status = 200;
	c->ctype = out_content_type(o->fmt);
}

void
kw_reply_errors(struct kw_call *c)
{
	struct out	o;
	int		i;

	out_init(&o, c->fmt);
	out_open(&o, "errors", OUT_ARRAY);
	for (i = 0; i < c->nerr; i++) {
		out_open(&o, "error", OUT_OBJECT);
		out_int(&o, "code", c->err_status);
		out_str(&o, "description", c->errs[i]);
		out_close(&o);
	}
	out_close(&o);
	kw_reply(c, &o);
	c->status = c->err_status;
	out_release(&o);
}

const char *
kw_header(struct kw_call *c, const char *name)
{
	if (c->con == NULL)
		return NULL;
	return MHD_lookup_connection_value(c->con, MHD_HEADER_KIND, name);
}

void
kw_errors_clear(struct kw_call *c)
{
	int	i;

	for (i = 0; i < c->nerr; i++)
		free(c->errs[i]);
	c->nerr = 0;
	c->err_status = 0;
	c->retry_after = 0;
}

static void
kw_call_release(struct kw_call *c)
{
	kw_errors_clear(c);
	strbuf_release(&c->body);
}

/* The path for the log: at most 200 bytes, anything but printable ASCII
 * as %XX, so that a log line stays one line of text. */
static void
kw_log_path(const char *uri, char *out, size_t outsz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	size_t			 i, o = 0;
	unsigned char		 ch;

	for (i = 0; uri[i] != '\0' && uri[i] != '?' && i < 200; i++) {
		ch = (unsigned char)uri[i];
		if (o + 4 >= outsz)
			break;
		if (ch > 0x20 && ch < 0x7f) {
			out[o++] = (char)ch;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[ch >> 4];
		out[o++] = hex[ch & 0xf];
	}
	out[o] = '\0';
}

static KW_RESULT
kw_respond(struct MHD_Connection *con, struct kw_req *r, const char *method,
    struct kw_call *c)
{
	struct MHD_Response	*resp;
	KW_RESULT		 rc;
	char			 num[16], path[256];
	size_t			 len;

	if (c->nerr > 0 && c->status == 0)
		kw_reply_errors(c);
	len = c->body.len;
	if (len > 0) {
		resp = MHD_create_response_from_buffer(len, c->body.buf,
		    MHD_RESPMEM_MUST_FREE);
		if (resp != NULL)
			strbuf_init(&c->body);	/* MHD frees it now */
	} else
		resp = MHD_create_response_from_buffer(0, (void *)"",
		    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		xmalloc_fatal();
	if (c->ctype != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    c->ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (c->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, c->allow);
	if (c->retry_after > 0) {
		snprintf(num, sizeof num, "%d", c->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, num);
	}
	rc = MHD_queue_response(con, (unsigned)c->status, resp);
	MHD_destroy_response(resp);
	r->answered = true;
	kw_log_path(r->uri, path, sizeof path);
	log_info("%s %s %d %.1f ms", method, path, c->status,
	    (kw_clock() - r->start) * 1000.0);
	return rc;
}

static void
kw_call_init(struct kw_call *c, const char *method, struct kw_req *r)
{
	memset(c, 0, sizeof *c);
	c->method = method;
	c->fmt = OUT_XML;
	c->form = &r->form;
	c->lang = kw_langs[kw_cf.s.o311_lang];
	strbuf_init(&c->body);
}

/* An error answer of its own, before any route (413, a bad path...). */
static KW_RESULT
kw_fail(struct MHD_Connection *con, struct kw_req *r, const char *method,
    enum out_format fmt, int status, const char *msg)
{
	struct kw_call	c;
	KW_RESULT	rc;

	kw_call_init(&c, method, r);
	c.fmt = fmt;
	kw_error(&c, status, "%s", msg);
	rc = kw_respond(con, r, method, &c);
	kw_call_release(&c);
	return rc;
}

static void
kw_too_big_msg(char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, _("the request body is larger than %zu bytes"),
	    kw_cf.body_limit);
}

/* The multipart field read so far goes into the form. */
static void
kw_field_flush(struct kw_req *r)
{
	if (!r->fpending)
		return;
	form_add(&r->form, strbuf_str(&r->fkey), r->fkey.len,
	    strbuf_str(&r->fval), r->fval.len);
	strbuf_reset(&r->fkey);
	strbuf_reset(&r->fval);
	r->fpending = false;
}

static KW_RESULT
kw_on_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *content_type,
    const char *transfer_encoding, const char *data, uint64_t off,
    size_t size)
{
	struct kw_req	*r = cls;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (off == 0)
		kw_field_flush(r);
	if (filename != NULL)
		return MHD_YES;		/* a file: its bytes are not kept */
	if (!r->fpending) {
		strbuf_adds(&r->fkey, key != NULL ? key : "");
		r->fpending = true;
	}
	r->kept += size + (off == 0 ? strlen(key != NULL ? key : "") : 0);
	if (r->kept > kw_cf.body_limit) {
		r->too_big = true;
		return MHD_NO;
	}
	if (size > 0)
		strbuf_add(&r->fval, data, size);
	return MHD_YES;
}

static bool
kw_is_type(const char *ctype, const char *want)
{
	size_t	n = strlen(want);

	return ctype != NULL && strncasecmp(ctype, want, n) == 0 &&
	    (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/* The headers are in: refuse a body too large by its length, and set up
 * the reading of a multipart one. */
static KW_RESULT
kw_on_headers(struct MHD_Connection *con, struct kw_req *r,
    const char *method)
{
	const char	*ctype, *clen;
	char		 msg[128];

	r->started = true;
	clen = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	ctype = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if (strcmp(method, "POST") == 0 &&
	    kw_is_type(ctype, "multipart/form-data")) {
		r->pp = MHD_create_post_processor(con, 8192, kw_on_field, r);
		if (r->pp == NULL)
			r->bad_body = true;
		return MHD_YES;
	}
	if (clen != NULL && strtoull(clen, NULL, 10) > kw_cf.body_limit) {
		kw_too_big_msg(msg, sizeof msg);
		return kw_fail(con, r, method,
		    strncmp(r->uri, "/inbound/", 9) == 0 ? OUT_JSON : OUT_XML,
		    413, msg);
	}
	return MHD_YES;
}

static void
kw_on_body(struct kw_req *r, const char *data, size_t size)
{
	if (r->too_big || r->bad_body)
		return;
	if (r->pp != NULL) {
		if (MHD_post_process(r->pp, data, size) != MHD_YES &&
		    !r->too_big)
			r->bad_body = true;
		return;
	}
	if (r->body.len + size > kw_cf.body_limit) {
		r->too_big = true;
		strbuf_release(&r->body);
		return;
	}
	strbuf_add(&r->body, data, size);
}

/* Routing ------------------------------------------------------------- */

typedef void (*kw_handler)(struct kw_call *);

struct kw_route {
	const char	*name;		/* the path below /open311/, no format */
	bool		 arg;		/* followed by /{arg} */
	kw_handler	 get;
	kw_handler	 post;
};

static const struct kw_route kw_routes[] = {
	{ "discovery", false, o311_discovery, NULL },
	{ "services", false, o311_services, NULL },
	{ "services", true, o311_service_definition, NULL },
	{ "requests", false, o311_requests_get, o311_requests_post },
	{ "requests", true, o311_request_get, NULL },
	{ "tokens", true, o311_token_get, NULL },
	{ "servicerequestupdates", false, o311_updates_get, o311_updates_post },
};

/* Split rest ("requests/KT-000001-8.json") into its format, route and
 * argument; NULL when no route has that shape. */
static const struct kw_route *
kw_route_find(char *rest, struct kw_call *c, bool *fmt_ok)
{
	char	*dot, *slash;
	size_t	 i;

	*fmt_ok = false;
	if ((dot = strrchr(rest, '.')) == NULL || strchr(dot, '/') != NULL)
		return NULL;
	if (strcmp(dot, ".xml") == 0)
		c->fmt = OUT_XML;
	else if (strcmp(dot, ".json") == 0)
		c->fmt = OUT_JSON;
	else
		return NULL;
	*fmt_ok = true;
	*dot = '\0';
	if ((slash = strchr(rest, '/')) != NULL) {
		*slash = '\0';
		c->arg = slash + 1;
		if (*c->arg == '\0' || strchr(c->arg, '/') != NULL)
			return NULL;
	}
	for (i = 0; i < sizeof kw_routes / sizeof kw_routes[0]; i++)
		if (strcmp(kw_routes[i].name, rest) == 0 &&
		    kw_routes[i].arg == (c->arg != NULL))
			return &kw_routes[i];
	return NULL;
}

/* The parameters: the body's (a form, or a multipart's fields, already
 * read), then the query's; a name given in both has the body's value
 * first. */
static void
kw_params(struct MHD_Connection *con, struct kw_req *r, const char *method,
    const char *query, struct kw_call *c)
{
	const char	*ctype;
	char		 msg[128];
	size_t		 i;

	if (r->too_big) {
		kw_too_big_msg(msg, sizeof msg);
		kw_error(c, 413, "%s", msg);
		return;
	}
	if (r->bad_body) {
		kw_error(c, 400, "%s", _("the multipart/form-data body is malformed"));
		return;
	}
	if (strcmp(method, "POST") == 0 && r->pp == NULL && r->body.len > 0) {
		ctype = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		if (ctype != NULL &&
		    !kw_is_type(ctype, "application/x-www-form-urlencoded")) {
			kw_error(c, 400, "%s",
			    _("a POST body must be application/x-www-form-urlencoded or multipart/form-data"));
			return;
		}
		form_parse(&r->form, r->body.buf, r->body.len);
	}
	kw_field_flush(r);
	if (query != NULL)
		form_parse(&r->form, query, strlen(query));
	for (i = 0; i < r->form.nerrors && i < FORM_MAX_ERRORS; i++)
		kw_error(c, 400, "%s", r->form.errors[i]);
}

/*
 * /inbound/NAME: the body raw in c, and parsed when a form; the query is
 * not read for a POST (a webhook's URL is signed as configured, so what
 * a query would add is not), and read for a GET (the Cloud API's
 * verification).
 */
static void
kw_inbound_params(struct MHD_Connection *con, struct kw_req *r,
    const char *method, const char *query, const char *name,
    struct kw_call *c)
{
	const char	*ctype;
	char		 msg[128];
	size_t		 i;

	if (r->too_big) {
		kw_too_big_msg(msg, sizeof msg);
		kw_error(c, 413, "%s", msg);
		return;
	}
	c->raw = strbuf_str(&r->body);
	c->rawlen = r->body.len;
	if (strcmp(method, "POST") != 0) {
		if (query != NULL)
			form_parse(&r->form, query, strlen(query));
	} else if (inbound_raw(name)) {
		if (r->pp != NULL)
			kw_error(c, 400, "%s",
			    _("the body must be application/json"));
		return;
	} else {
		ctype = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_TYPE);
		if (r->pp != NULL || (ctype != NULL && !kw_is_type(ctype,
		    "application/x-www-form-urlencoded"))) {
			kw_error(c, 400, "%s",
			    _("the body must be application/x-www-form-urlencoded"));
			return;
		}
		form_parse(&r->form, c->raw, c->rawlen);
	}
	for (i = 0; i < r->form.nerrors && i < FORM_MAX_ERRORS; i++)
		kw_error(c, 400, "%s", r->form.errors[i]);
}

static KW_RESULT
kw_inbound(struct MHD_Connection *con, struct kw_req *r, const char *method,
    const char *query, const char *name, struct kw_call *c)
{
	bool	get = strcmp(method, "GET") == 0 ||
		    strcmp(method, "HEAD") == 0;

	c->fmt = OUT_JSON;
	if (!inbound_open(name)) {
		kw_error(c, 404, "%s", _("there is nothing at this path"));
		return kw_respond(con, r, method, c);
	}
	if (strcmp(method, "POST") != 0 &&
	    (!get || strcmp(name, "whatsapp") != 0)) {
		c->allow = strcmp(name, "whatsapp") == 0 ? "GET, HEAD, POST" :
		    "POST";
		kw_error(c, 405, _("method %s is not allowed here"), method);
		return kw_respond(con, r, method, c);
	}
	kw_inbound_params(con, r, method, query, name, c);
	inbound_handle(c, name);
	return kw_respond(con, r, method, c);
}

static KW_RESULT
kw_page(struct MHD_Connection *con, struct kw_req *r, const char *method,
    const char *ticket, struct kw_call *c)
{
	struct db	*db;
	PGconn		*rconn;
	const char	*accept, *lang;

	accept = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	/* the page ignores what it cannot read of the query, such as a
	 * ?lang= that is not UTF-8: it speaks the default then */
	kw_errors_clear(c);
	lang = page_lang(form_get(&r->form, "lang"), accept);
	/* the standby's page when it has the ticket; one it does not know
	 * may have been posted a moment ago: the primary's page then */
	if ((rconn = kw_read_conn()) != NULL) {
		c->status = page_ticket(rconn, ticket, lang, &c->body);
		if (c->status == 200 || c->status == 400)
			goto done;
		kw_read_lost();
		strbuf_reset(&c->body);
	}
	db = kw_db(c);
	/* page_ticket() answers 503 itself for a connection that is down */
	kw_errors_clear(c);
	c->status = page_ticket(db != NULL ? db_conn(db) : NULL, ticket,
	    lang, &c->body);
done:
	c->ctype = "text/html; charset=utf-8";
	if (c->status == 503)
		c->retry_after = 5;
	return kw_respond(con, r, method, c);
}

static KW_RESULT
kw_answer(struct MHD_Connection *con, struct kw_req *r, const char *method)
{
	const struct kw_route	*rt = NULL;
	struct strbuf		 path = STRBUF_INIT;
	struct kw_call		 c;
	const char		*query, *jur;
	char			*raw, *q, *rest;
	bool			 get, fmt_ok = false;
	kw_handler		 h = NULL;
	KW_RESULT		 rc;

	kw_call_init(&c, method, r);
	c.con = con;
	c.host = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	raw = xstrdup(r->uri);
	if ((q = strchr(raw, '?')) != NULL)
		*q++ = '\0';
	query = q;
	/* the format of an error even when the path is not readable */
	if (strlen(raw) > 5 && strcmp(raw + strlen(raw) - 5, ".json") == 0)
		c.fmt = OUT_JSON;
	if (form_decode(raw, strlen(raw), false, &path) != 0 ||
	    strlen(strbuf_str(&path)) != path.len ||
	    !form_utf8_valid(path.buf, path.len)) {
		kw_error(&c, 400, "%s", _("the path is not valid UTF-8 text"));
		goto answer;
	}
	rest = path.buf;
	if (strncmp(rest, "/t/", 3) == 0 && rest[3] != '\0' &&
	    strchr(rest + 3, '/') == NULL) {
		if (!get) {
			c.allow = "GET, HEAD";
			kw_error(&c, 405, _("method %s is not allowed here"),
			    method);
			goto answer;
		}
		kw_params(con, r, method, query, &c);
		rc = kw_page(con, r, method, rest + 3, &c);
		goto done;
	}
	if (strncmp(rest, "/inbound/", 9) == 0) {
		rc = kw_inbound(con, r, method, query, rest + 9, &c);
		goto done;
	}
	if (strncmp(rest, "/open311/", 9) == 0)
		rt = kw_route_find(rest + 9, &c, &fmt_ok);
	if (rt == NULL) {
		kw_error(&c, 404, "%s", _("there is nothing at this path"));
		goto answer;
	}
	h = get ? rt->get : strcmp(method, "POST") == 0 ? rt->post : NULL;
	if (h == NULL) {
		c.allow = rt->post != NULL ? "GET, HEAD, POST" : "GET, HEAD";
		kw_error(&c, 405, _("method %s is not allowed here"), method);
		goto answer;
	}
	kw_params(con, r, method, query, &c);
	if (c.nerr > 0)
		goto answer;
	jur = form_get(&r->form, "jurisdiction_id");
	if (kw_cf.s.o311_jurisdiction != NULL && jur != NULL &&
	    strcmp(jur, kw_cf.s.o311_jurisdiction) != 0) {
		kw_error(&c, 404, _("unknown jurisdiction_id '%.64s'"), jur);
		goto answer;
	}
	h(&c);
answer:
	(void)fmt_ok;
	rc = kw_respond(con, r, method, &c);
done:
	kw_call_release(&c);
	strbuf_release(&path);
	free(raw);
	return rc;
}

/* Callbacks ----------------------------------------------------------- */

static void
kw_req_free(struct kw_req *r)
{
	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	strbuf_release(&r->body);
	strbuf_release(&r->fkey);
	strbuf_release(&r->fval);
	form_release(&r->form);
	free(r->uri);
	free(r);
	atomic_fetch_sub(&kw_inflight, 1);
}

static struct kw_sock *
kw_sock_of(struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo	*info;

	info = MHD_get_connection_info(con,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info != NULL ? info->socket_context : NULL;
}

static void
kw_on_connection(void *cls, struct MHD_Connection *con, void **socket_ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct kw_sock	*s;

	(void)cls;
	(void)con;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_ctx = xcalloc(1, sizeof(struct kw_sock));
		return;
	}
	if ((s = *socket_ctx) == NULL)
		return;
	if (s->pending != NULL)
		kw_req_free(s->pending);
	free(s);
	*socket_ctx = NULL;
}

static void *
kw_on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct kw_sock	*s = kw_sock_of(con);
	struct kw_req	*r;

	(void)cls;
	r = xcalloc(1, sizeof *r);
	r->uri = xstrdup(uri);
	r->start = kw_clock();
	strbuf_init(&r->body);
	strbuf_init(&r->fkey);
	strbuf_init(&r->fval);
	form_init(&r->form);
	atomic_fetch_add(&kw_inflight, 1);
	if (s != NULL) {
		if (s->pending != NULL)
			kw_req_free(s->pending);
		s->pending = r;
	}
	return r;
}

static KW_RESULT
kw_on_request(void *cls, struct MHD_Connection *con, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct kw_req	*r = *con_cls;
	struct kw_sock	*s;

	(void)cls;
	(void)url;
	(void)version;
	if (r == NULL)
		return MHD_NO;
	/* MHD owns it from now on: kw_on_done() frees it */
	if (!r->started && (s = kw_sock_of(con)) != NULL && s->pending == r)
		s->pending = NULL;
	if (r->answered) {	/* refused at the headers; the rest is dropped */
		*upload_size = 0;
		return MHD_YES;
	}
	if (!r->started)
		return kw_on_headers(con, r, method);
	if (*upload_size > 0) {
		kw_on_body(r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return kw_answer(con, r, method);
}

static void
kw_on_done(void *cls, struct MHD_Connection *con, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct kw_req	*r = *con_cls;
	struct kw_sock	*s;

	(void)cls;
	(void)why;
	if (r == NULL)
		return;
	if ((s = kw_sock_of(con)) != NULL && s->pending == r)
		s->pending = NULL;
	kw_req_free(r);
	*con_cls = NULL;
}

static void	kw_on_mhd_log(void *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

static void
kw_on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	line[512];
	size_t	n;

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	log_warn("libmicrohttpd: %s", line);
}

struct MHD_Daemon *
kw_http_start(void)
{
	const struct kw_settings	*s = &kw_cf.s;
	struct MHD_Daemon		*d;
	const union MHD_DaemonInfo	*info;
	unsigned int			 flags;
	char				 addr[128];

	/* MHD_USE_AUTO: epoll where the system has it, else poll */
	flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG;
	if (kw_cf.addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, kw_on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, kw_on_mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&kw_cf.addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)s->http_threads,
	    MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)s->http_connection_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)s->http_per_client_limit,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)((s->http_timeout_ms + 999) / 1000),
	    MHD_OPTION_URI_LOG_CALLBACK, kw_on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, kw_on_done, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, kw_on_connection, NULL,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)KW_CONN_MEMORY,
	    MHD_OPTION_END);
	if (d == NULL)
		return NULL;
	memcpy(addr, "?", 2);
	kw_addr_str((struct sockaddr *)&kw_cf.addr, addr, sizeof addr);
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info != NULL && info->port != 0) {
		/* port 0 in the configuration: the one the system chose */
		if (kw_cf.addr.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&kw_cf.addr)->sin6_port =
			    htons(info->port);
		else
			((struct sockaddr_in *)&kw_cf.addr)->sin_port =
			    htons(info->port);
		kw_addr_str((struct sockaddr *)&kw_cf.addr, addr, sizeof addr);
	}
	log_info(_("listening on %s with %d threads"), addr, s->http_threads);
	return d;
}

/*
 * Stop: no new connection (the listening socket is closed), the calls in
 * flight finish and are answered (at most KW_STOP_WAIT seconds), then MHD
 * stops its threads and closes what is left, idle keep-alive connections.
 */
void
kw_http_stop(struct MHD_Daemon *d)
{
	MHD_socket	fd;
	double		until = kw_clock() + KW_STOP_WAIT;

	fd = MHD_quiesce_daemon(d);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&kw_inflight) > 0 && kw_clock() < until)
		usleep(20000);
	MHD_stop_daemon(d);
}
