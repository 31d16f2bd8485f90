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

const char *const kw_langs[] = { "id", "en", NULL };
static const char *const kw_answers[] = { "id", "token", NULL };

#define S(f)	offsetof(struct kw_settings, f)

const struct conf_key kw_settings_table[] = {
	{ "database", "conninfo", CONF_STRING, NULL, S(db_conninfo), 0, 0,
	    NULL, false, "libpq connection string; empty: PG* variables" },

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
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(c->changeset, sizeof c->changeset, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

void
kw_conf_release(struct kw_conf *c)
{
	conf_free(kw_settings_table, &c->s);
}
