/*
 * kw_conf.c: kotaweb.conf, declared once as a table of keys
 *
 * The same INI syntax and parser as kotad.conf (lib/conf.c); what conf.c
 * cannot check by type is checked here: the listen address, the body
 * limit with its suffix, the log level, the public URLs.  See
 * kotaweb.conf(5) for the meaning of every key.
 */
#include "config.h"

#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "kotaweb.h"
#include "log.h"
#include "secret.h"
#include "sig.h"

const char *const kw_langs[] = { "id", "en", NULL };
static const char *const kw_answers[] = { "id", "token", NULL };
static const char *const kw_reply_modes[] = { "outbox", "answer", NULL };
static const char *const kw_pool_modes[] = { "session", "transaction", NULL };

#define S(f)	offsetof(struct kw_settings, f)

const struct conf_key kw_settings_table[] = {
	{ "database", "conninfo", CONF_STRING, NULL, S(db_conninfo), 0, 0,
	    NULL, false, "libpq connection string; empty: PG* variables" },
	{ "database", "read_conninfo", CONF_STRING, NULL,
	    S(db_read_conninfo), 0, 0, NULL, false,
	    "a standby for Open311's GETs and the status page; unset: the "
	    "primary" },
	{ "database", "max_lag", CONF_DURATION, "30s", S(db_max_lag_ms), 1,
	    86400000, NULL, false, "a standby further behind is not read from" },
	{ "database", "pool_mode", CONF_ENUM, "session", S(db_pool_mode), 0,
	    0, kw_pool_modes, false, "session: direct, or a pooler in session "
	    "mode; transaction: pgbouncer in transaction mode, no prepared "
	    "statements and no session state" },

	{ "http", "listen", CONF_STRING, "127.0.0.1:8080", S(http_listen), 0,
	    0, NULL, false, "address:port, [IPv6]:port" },
	{ "http", "threads", CONF_INT, "4", S(http_threads), 1, 256, NULL,
	    false, "libmicrohttpd's thread pool, one database connection each" },
	{ "http", "connection_limit", CONF_INT, "512",
	    S(http_connection_limit), 1, 65536, NULL, false,
	    "connections at once" },
	{ "http", "per_client_limit", CONF_INT, "32",
	    S(http_per_client_limit), 1, 65536, NULL, false,
	    "connections at once from one IP address" },
	{ "http", "body_limit", CONF_STRING, "1M", S(http_body_limit), 0, 0,
	    NULL, false, "largest request body, bytes with suffix k or M" },
	{ "http", "timeout", CONF_DURATION, "30s", S(http_timeout_ms), 1000,
	    3600000, NULL, false, "idle connection timeout" },

	{ "open311", "jurisdiction_id", CONF_STRING, NULL,
	    S(o311_jurisdiction), 0, 0, NULL, false,
	    "when set, a call naming another jurisdiction gets 404" },
	{ "open311", "endpoint", CONF_STRING, NULL, S(o311_endpoint), 0, 0,
	    NULL, false, "public base URL of the API, for discovery" },
	{ "open311", "contact", CONF_STRING, NULL, S(o311_contact), 0, 0,
	    NULL, false, "who to contact about the API, for discovery" },
	{ "open311", "key_service", CONF_STRING, NULL, S(o311_key_service),
	    0, 0, NULL, false, "where to ask for an API key, for discovery" },
	{ "open311", "lang", CONF_ENUM, "id", S(o311_lang), 0, 0, kw_langs,
	    false, "language of names in services and requests: id or en" },
	{ "open311", "answer", CONF_ENUM, "id", S(o311_answer), 0, 0,
	    kw_answers, false, "what POST requests answers: id or token" },

	{ "page", "url", CONF_STRING, NULL, S(page_url), 0, 0, NULL, false,
	    "base URL of the status page, /t/ on this server" },

	{ "inbound", "twilio_url", CONF_STRING, NULL, S(in_twilio_url), 0, 0,
	    NULL, false, "public URL of /inbound/twilio as set in Twilio; "
	    "unset: /inbound/twilio is closed" },
	{ "inbound", "twilio_auth_token_file", CONF_STRING, NULL,
	    S(in_twilio_token_file), 0, 0, NULL, false,
	    "file holding Twilio's auth token, which signs its posts" },
	{ "inbound", "twilio_account_sid", CONF_STRING, NULL,
	    S(in_twilio_account_sid), 0, 0, NULL, false,
	    "when set, a post of another AccountSid gets 403" },
	{ "inbound", "report_service", CONF_STRING, NULL, S(in_report_service),
	    0, 0, NULL, false, "service of requests made by LAPOR; unset: "
	    "LAPOR answers as HELP" },
	{ "inbound", "per_number_per_hour", CONF_INT, "20", S(in_per_hour), 1,
	    100000, NULL, false, "messages of one number an hour; more are "
	    "stored and not acted on" },
	{ "inbound", "reports_per_day", CONF_INT, "3", S(in_per_day), 0, 1000,
	    NULL, false, "requests one number may make by text a day" },

	{ "inbound_http", "secret_file", CONF_STRING, NULL, S(ih_secret_file),
	    0, 0, NULL, false, "file holding the generic gateway's HMAC "
	    "secret; unset: /inbound/http is closed" },
	{ "inbound_http", "from_field", CONF_STRING, "from", S(ih_from_field),
	    0, 0, NULL, false, "form field of the sender's number" },
	{ "inbound_http", "to_field", CONF_STRING, "to", S(ih_to_field), 0, 0,
	    NULL, false, "form field of our number" },
	{ "inbound_http", "body_field", CONF_STRING, "text", S(ih_body_field),
	    0, 0, NULL, false, "form field of the text" },
	{ "inbound_http", "id_field", CONF_STRING, "id", S(ih_id_field), 0, 0,
	    NULL, false, "form field of the gateway's message id" },
	{ "inbound_http", "signature_header", CONF_STRING, "X-Kota-Signature",
	    S(ih_signature_header), 0, 0, NULL, false,
	    "header of the hex HMAC-SHA256 of the body" },
	{ "inbound_http", "reply", CONF_ENUM, "outbox", S(ih_reply), 0, 0,
	    kw_reply_modes, false, "outbox: kotad sends the reply; answer: "
	    "it is the answer's body" },

	{ "whatsapp", "app_secret_file", CONF_STRING, NULL,
	    S(wa_app_secret_file), 0, 0, NULL, false, "file holding the Meta "
	    "app secret; unset: /inbound/whatsapp is closed" },
	{ "whatsapp", "verify_token_file", CONF_STRING, NULL,
	    S(wa_verify_token_file), 0, 0, NULL, false,
	    "file holding the webhook's verify token" },

	{ "log", "level", CONF_STRING, "info", S(log_level), 0, 0, NULL,
	    false, "debug, info, warning or error" },

	{ NULL, NULL, CONF_STRING, NULL, 0, 0, 0, NULL, false, NULL },
};

struct kw_conf kw_cf;

static int	kw_conf_error(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
kw_conf_error(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/* "1M", "512k", "65536": bytes, 1 kB to 1 GB. */
static int
kw_parse_size(const char *s, size_t *out)
{
	char		*end;
	unsigned long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end == 'k' || *end == 'K') {
		v *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		v *= 1024 * 1024;
		end++;
	}
	if (*end != '\0' || v < 1024 || v > 1024UL * 1024 * 1024)
		return -1;
	*out = v;
	return 0;
}

/* "127.0.0.1:8080", "[::1]:8080", "*:8080" (every IPv4 address). */
static int
kw_parse_listen(const char *s, struct kw_conf *c)
{
	struct addrinfo	 hints, *ai;
	char		 host[128];
	const char	*port, *close;
	size_t		 n;

	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL || close[1] != ':')
			return -1;
		n = (size_t)(close - s - 1);
		port = close + 2;
		s++;
	} else {
		if ((port = strrchr(s, ':')) == NULL)
			return -1;
		n = (size_t)(port - s);
		port++;
	}
	if (n == 0 || n >= sizeof host || *port == '\0' ||
	    strspn(port, "0123456789") != strlen(port) || atoi(port) > 65535)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (strcmp(host, "*") == 0)
		snprintf(host, sizeof host, "0.0.0.0");
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		return -1;
	memcpy(&c->addr, ai->ai_addr, ai->ai_addrlen);
	c->addrlen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

void
kw_addr_str(const struct sockaddr *sa, char *out, size_t outsz)
{
	char	host[NI_MAXHOST], port[NI_MAXSERV];
	socklen_t len = sa->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (getnameinfo(sa, len, host, sizeof host, port, sizeof port,
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, outsz, "?");
		return;
	}
	snprintf(out, outsz, sa->sa_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
	    host, port);
}

static int
kw_check_url(const char *url, const char *key, char *err, size_t errsz)
{
	if (url != NULL && strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0)
		return kw_conf_error(err, errsz,
		    _("%s '%s' must start with http:// or https://"), key, url);
	return 0;
}

/* "key =" is as if the key were not there */
static void
kw_unset_empty(char **v)
{
	if (*v != NULL && **v == '\0') {
		free(*v);
		*v = NULL;
	}
}

/* A form field's name: not empty, printable ASCII without '=' or '&'. */
static int
kw_check_field(const char *v, const char *key, char *err, size_t errsz)
{
	const char	*p;

	for (p = v; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '=' || *p == '&')
			break;
	if (*v == '\0' || *p != '\0')
		return kw_conf_error(err, errsz,
		    _("[inbound_http] %s '%s' must be a form field's name"),
		    key, v);
	return 0;
}

static int
kw_secret(const char *path, const char *what, char **out, char *err,
    size_t errsz)
{
	if (path == NULL)
		return 0;
	return secret_read(path, what, out, err, errsz);
}

/* The inbound paths: a path is open when its secret is there. */
static int
kw_conf_inbound(struct kw_conf *c, char *err, size_t errsz)
{
	struct kw_settings	*s = &c->s;
	const char		*h;

	kw_unset_empty(&s->in_twilio_url);
	kw_unset_empty(&s->in_twilio_token_file);
	kw_unset_empty(&s->in_twilio_account_sid);
	kw_unset_empty(&s->in_report_service);
	kw_unset_empty(&s->ih_secret_file);
	kw_unset_empty(&s->wa_app_secret_file);
	kw_unset_empty(&s->wa_verify_token_file);
	if (kw_check_url(s->in_twilio_url, "[inbound] twilio_url", err,
	    errsz) != 0)
		return -1;
	if (s->in_twilio_url != NULL && strlen(s->in_twilio_url) >=
	    SIG_URL_MAX - 8)
		return kw_conf_error(err, errsz,
		    _("[inbound] twilio_url is longer than %d bytes"),
		    SIG_URL_MAX - 8);
	if ((s->in_twilio_url == NULL) != (s->in_twilio_token_file == NULL))
		return kw_conf_error(err, errsz, "%s",
		    _("[inbound] twilio_url and twilio_auth_token_file go together"));
	if (kw_check_field(s->ih_from_field, "from_field", err, errsz) != 0 ||
	    kw_check_field(s->ih_to_field, "to_field", err, errsz) != 0 ||
	    kw_check_field(s->ih_body_field, "body_field", err, errsz) != 0 ||
	    kw_check_field(s->ih_id_field, "id_field", err, errsz) != 0)
		return -1;
	for (h = s->ih_signature_header; *h != '\0'; h++)
		if (*h <= ' ' || *h > '~' || *h == ':')
			break;
	if (*s->ih_signature_header == '\0' || *h != '\0')
		return kw_conf_error(err, errsz,
		    _("[inbound_http] signature_header '%s' must be a header's name"),
		    s->ih_signature_header);
	if (kw_secret(s->in_twilio_token_file,
	    "[inbound] twilio_auth_token_file", &c->twilio_token, err,
	    errsz) != 0 ||
	    kw_secret(s->ih_secret_file, "[inbound_http] secret_file",
	    &c->http_secret, err, errsz) != 0 ||
	    kw_secret(s->wa_app_secret_file, "[whatsapp] app_secret_file",
	    &c->wa_app_secret, err, errsz) != 0 ||
	    kw_secret(s->wa_verify_token_file, "[whatsapp] verify_token_file",
	    &c->wa_verify_token, err, errsz) != 0)
		return -1;
	return 0;
}

int
kw_conf_load(const char *path, struct kw_conf *c, char *err, size_t errsz)
{
	struct kw_settings	*s = &c->s;
	enum log_level		 lvl;
	struct tm		 tm;
	time_t			 now;

	memset(c, 0, sizeof *c);
	if (conf_load(kw_settings_table, s, path, err, errsz) != 0)
		return -1;
	kw_unset_empty(&s->db_conninfo);
	kw_unset_empty(&s->db_read_conninfo);
	kw_unset_empty(&s->o311_jurisdiction);
	kw_unset_empty(&s->o311_endpoint);
	kw_unset_empty(&s->o311_contact);
	kw_unset_empty(&s->o311_key_service);
	kw_unset_empty(&s->page_url);
	if (log_parse_level(s->log_level, &lvl) != 0 || lvl == LOG_LEVEL_FATAL)
		return kw_conf_error(err, errsz,
		    _("[log] level '%s' must be debug, info, warning or error"),
		    s->log_level);
	if (kw_parse_listen(s->http_listen, c) != 0)
		return kw_conf_error(err, errsz,
		    _("[http] listen '%s' must be address:port, such as 127.0.0.1:8080 or [::1]:8080"),
		    s->http_listen);
	if (kw_parse_size(s->http_body_limit, &c->body_limit) != 0)
		return kw_conf_error(err, errsz,
		    _("[http] body_limit '%s' must be a size from 1k to 1024M, such as 1M or 512k"),
		    s->http_body_limit);
	if (kw_check_url(s->o311_endpoint, "[open311] endpoint", err,
	    errsz) != 0 || kw_check_url(s->o311_key_service,
	    "[open311] key_service", err, errsz) != 0 ||
	    kw_check_url(s->page_url, "[page] url", err, errsz) != 0)
		return -1;
	/* FixMyStreet appends paths to the endpoint as strings */
	if (s->o311_endpoint != NULL &&
	    s->o311_endpoint[strlen(s->o311_endpoint) - 1] != '/')
		return kw_conf_error(err, errsz,
		    _("[open311] endpoint '%s' must end with '/'"),
		    s->o311_endpoint);
	if (kw_conf_inbound(c, err, errsz) != 0)
		return -1;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(c->changeset, sizeof c->changeset, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

void
kw_conf_release(struct kw_conf *c)
{
	conf_free(kw_settings_table, &c->s);
	secret_free(&c->twilio_token);
	secret_free(&c->http_secret);
	secret_free(&c->wa_app_secret);
	secret_free(&c->wa_verify_token);
}
