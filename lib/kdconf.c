/*
 * kdconf.c: kotad.conf, checked whole, with its secrets and patterns
 *
 * kd_conf_load() reads the file into a fresh struct and checks everything
 * kotad will rely on: the secret files (readable by their owner only),
 * the generic gateway's templates and header lines, the success pattern,
 * the time zone.  On SIGHUP kotad swaps the old struct for the new one
 * only when all of it is good; transfers in flight keep a reference to the
 * struct they started under.  kotactl config check calls the same
 * function: there is one implementation of "kotad accepts this file".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "i18n.h"
#include "kdconf.h"
#include "log.h"
#include "secret.h"
#include "strbuf.h"
#include "template.h"
#include "xmalloc.h"

static const char *const kd_sms_names[] = {
	"to_e164", "to_digits", "to_national", "text", "secret", NULL,
};
static const char *const kd_link_names[] = { "ticket", NULL };

/*
 * s with its passwords masked into sb: the value of each password=
 * keyword of a libpq conninfo (quoted or not), and the password of
 * user:password@ in a URL (a postgresql:// URI or a gateway's URL).
 */
void
kd_conf_mask(struct strbuf *sb, const char *s)
{
	const char	*p = s, *at, *colon, *end;

	while (*p != '\0') {
		if ((p == s || strchr(" \t?&", p[-1]) != NULL) &&
		    strncasecmp(p, "password", 8) == 0) {
			end = p + 8;
			while (*end == ' ' || *end == '\t')
				end++;
			if (*end == '=') {
				end++;
				while (*end == ' ' || *end == '\t')
					end++;
				strbuf_adds(sb, "password=****");
				if (*end == '\'') {
					for (end++; *end != '\0' && *end != '\''; end++)
						if (*end == '\\' && end[1] != '\0')
							end++;
					if (*end == '\'')
						end++;
				} else
					end += strcspn(end, " \t&");
				p = end;
				continue;
			}
		}
		if (strncmp(p, "://", 3) == 0) {
			strbuf_adds(sb, "://");
			p += 3;
			/* the authority ends at the first / ? # or blank */
			end = p + strcspn(p, "/?# \t");
			at = NULL;
			for (colon = p; colon < end; colon++)
				if (*colon == '@')
					at = colon;
			colon = at != NULL ? memchr(p, ':', (size_t)(at - p)) :
			    NULL;
			if (colon != NULL) {
				strbuf_add(sb, p, (size_t)(colon - p));
				strbuf_adds(sb, ":****");
				p = at;
			}
			continue;
		}
		strbuf_add(sb, p, 1);
		p++;
	}
}

static int
kd_conf_error(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

static pcre2_code *
kd_compile(const char *pattern, const char *key, char *err, size_t errsz)
{
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	pcre2_code	*re;
	int		 rc;

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &rc, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(rc, msg, sizeof msg);
		kd_conf_error(err, errsz, _("%s: '%s' at offset %zu: %s"), key,
		    pattern, (size_t)off, (const char *)msg);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);	/* no JIT is fine */
	return re;
}

static int
kd_check_url(const char *url, const char *key, char *err, size_t errsz)
{
	struct strbuf	masked = STRBUF_INIT;

	if (url == NULL)
		return kd_conf_error(err, errsz, _("%s is required"), key);
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		/* the message may be printed anywhere: no password in it */
		kd_conf_mask(&masked, url);
		kd_conf_error(err, errsz,
		    _("%s '%s' must start with http:// or https://"), key,
		    strbuf_str(&masked));
		strbuf_release(&masked);
		return -1;
	}
	return 0;
}

static int
kd_check_template(const char *tpl, const char *const *names,
    const char *key, char *err, size_t errsz)
{
	char	bad[TEMPLATE_NAME_MAX + 1];

	if (tpl != NULL && template_check(tpl, names, bad, sizeof bad) != 0)
		return kd_conf_error(err, errsz,
		    _("%s: unknown placeholder '{%s}'"), key, bad);
	return 0;
}

/* A time zone name as in the tz database, present on this system. */
static int
kd_check_tz(const char *tz, char *err, size_t errsz)
{
	const char	*dir = getenv("TZDIR"), *p;
	struct stat	 st;
	char		 path[512];

	for (p = tz; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '+' ||
		    *p == '-' || *p == '/'))
			break;
	if (*tz == '\0' || *p != '\0' || *tz == '/' || strstr(tz, "..") != NULL)
		goto bad;
	snprintf(path, sizeof path, "%s/%s", dir != NULL ? dir :
	    "/usr/share/zoneinfo", tz);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return 0;
bad:
	return kd_conf_error(err, errsz,
	    _("[sms] time_zone '%s' is not a known time zone (e.g. Asia/Jakarta)"),
	    tz);
}

static int
kd_check_twilio(struct kd_conf *c, char *err, size_t errsz)
{
	struct settings	*s = &c->s;

	if (kd_check_url(s->sms_url, "[sms] url", err, errsz) != 0)
		return -1;
	if (s->sms_account_sid == NULL || s->sms_from == NULL ||
	    s->sms_auth_token_file == NULL)
		return kd_conf_error(err, errsz, "%s",
		    _("[sms] gateway twilio needs account_sid, auth_token_file and from"));
	return secret_read(s->sms_auth_token_file, "[sms] auth_token_file",
	    &c->sms_token, err, errsz);
}

/*
 * [whatsapp]: Twilio's WhatsApp is its Messages API with whatsapp:
 * addresses, under [sms]'s account and token; the Cloud API has a URL of
 * its own and a Bearer token.
 */
static int
kd_check_whatsapp(struct kd_conf *c, char *err, size_t errsz)
{
	struct settings	*s = &c->s;

	switch (s->wa_gateway) {
	case WA_GATEWAY_TWILIO:
		c->wa_url = s->wa_url != NULL ? s->wa_url : s->sms_url;
		if (kd_check_url(c->wa_url, "[whatsapp] url", err, errsz) != 0)
			return -1;
		if (s->sms_account_sid == NULL ||
		    s->sms_auth_token_file == NULL || s->wa_from == NULL)
			return kd_conf_error(err, errsz, "%s",
			    _("[whatsapp] gateway twilio needs from, and [sms] account_sid and auth_token_file"));
		return secret_read(s->sms_auth_token_file,
		    "[sms] auth_token_file", &c->wa_token, err, errsz);
	case WA_GATEWAY_CLOUD:
		c->wa_url = s->wa_url;
		if (kd_check_url(c->wa_url, "[whatsapp] url", err, errsz) != 0)
			return -1;
		if (s->wa_token_file == NULL)
			return kd_conf_error(err, errsz, "%s",
			    _("[whatsapp] gateway cloud needs token_file, the access token"));
		return secret_read(s->wa_token_file, "[whatsapp] token_file",
		    &c->wa_token, err, errsz);
	}
	return 0;
}

static int
kd_check_header(const char *h, char *err, size_t errsz)
{
	const char	*p;

	for (p = h; *p != '\0' && *p != ':'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			break;
	/* the line may hold a credential: name only what comes before ':' */
	if (p == h || *p != ':')
		return kd_conf_error(err, errsz,
		    _("[sms] header '%.*s...' must be 'Name: value'"),
		    (int)(p - h), h);
	return kd_check_template(h, kd_sms_names, "[sms] header", err, errsz);
}

static int
kd_check_http(struct kd_conf *c, char *err, size_t errsz)
{
	struct settings	*s = &c->s;
	const char	*m;
	bool		 secret = false;
	int		 i;

	if (kd_check_url(s->sms_url, "[sms] url", err, errsz) != 0 ||
	    kd_check_template(s->sms_url, kd_sms_names, "[sms] url", err,
	    errsz) != 0 ||
	    kd_check_template(s->sms_body, kd_sms_names, "[sms] body", err,
	    errsz) != 0)
		return -1;
	for (m = s->sms_method; *m != '\0'; m++)
		if (*m < 'A' || *m > 'Z')
			break;
	if (s->sms_method[0] == '\0' || *m != '\0')
		return kd_conf_error(err, errsz,
		    _("[sms] method '%s' must be an HTTP method such as POST"),
		    s->sms_method);
	for (i = 0; i < s->sms_header.n; i++) {
		if (kd_check_header(s->sms_header.items[i], err, errsz) != 0)
			return -1;
		secret |= strstr(s->sms_header.items[i], "{secret}") != NULL;
	}
	secret |= strstr(s->sms_url, "{secret}") != NULL;
	secret |= s->sms_body != NULL && strstr(s->sms_body, "{secret}") != NULL;
	if (secret && s->sms_secret_file == NULL)
		return kd_conf_error(err, errsz, "%s",
		    _("[sms] uses {secret} but secret_file is not set"));
	if (s->sms_secret_file != NULL && secret_read(s->sms_secret_file,
	    "[sms] secret_file", &c->sms_secret, err, errsz) != 0)
		return -1;
	if (s->sms_success_regex != NULL && (c->sms_success = kd_compile(
	    s->sms_success_regex, "[sms] success_regex", err, errsz)) == NULL)
		return -1;
	return 0;
}

static int
kd_check_webhook(struct kd_conf *c, char *err, size_t errsz)
{
	struct settings	*s = &c->s;
	char		*secret = NULL, why[128];
	int		 rc;

	if (s->webhook_url == NULL)
		return 0;
	if (kd_check_url(s->webhook_url, "[webhook] url", err, errsz) != 0)
		return -1;
	if (s->webhook_secret_file == NULL)
		return kd_conf_error(err, errsz, "%s",
		    _("[webhook] url needs secret_file, the whsec_ signing secret"));
	if (secret_read(s->webhook_secret_file, "[webhook] secret_file",
	    &secret, err, errsz) != 0)
		return -1;
	rc = webhook_key_check(secret, &c->city_key, why, sizeof why);
	secret_free(&secret);
	if (rc != 0)
		return kd_conf_error(err, errsz,
		    _("[webhook] secret_file '%s': %s"),
		    s->webhook_secret_file, why);
	c->city_key_set = true;
	return 0;
}

static int
kd_check(struct kd_conf *c, char *err, size_t errsz)
{
	struct settings	*s = &c->s;
	enum log_level	 lvl;

	if (log_parse_level(s->log_level, &lvl) != 0 || lvl == LOG_LEVEL_FATAL)
		return kd_conf_error(err, errsz,
		    _("[log] level '%s' must be debug, info, warning or error"),
		    s->log_level);
	/* a shorter lease lets kotad claim and then release, sending nothing */
	if (s->dispatch_lease_ms < KD_LEASE_MIN(s->dispatch_timeout_ms))
		return kd_conf_error(err, errsz,
		    _("[dispatch] lease (%d ms) must be at least twice timeout_ms (%d ms) plus one second: %d ms"),
		    s->dispatch_lease_ms, s->dispatch_timeout_ms,
		    KD_LEASE_MIN(s->dispatch_timeout_ms));
	if (s->dispatch_backoff_max_ms < s->dispatch_backoff_ms)
		return kd_conf_error(err, errsz, "%s",
		    _("[dispatch] backoff_max must not be shorter than backoff"));
	if (kd_check_template(s->dispatch_link, kd_link_names,
	    "[dispatch] link", err, errsz) != 0)
		return -1;
	c->quiet_start = s->sms_quiet_hours.set ? s->sms_quiet_hours.start : -1;
	c->quiet_end = s->sms_quiet_hours.set ? s->sms_quiet_hours.end : -1;
	if (kd_check_tz(s->sms_time_zone, err, errsz) != 0)
		return -1;
	if (s->sms_gateway == SMS_GATEWAY_TWILIO &&
	    kd_check_twilio(c, err, errsz) != 0)
		return -1;
	if (s->sms_gateway == SMS_GATEWAY_HTTP &&
	    kd_check_http(c, err, errsz) != 0)
		return -1;
	if (kd_check_whatsapp(c, err, errsz) != 0)
		return -1;
	return kd_check_webhook(c, err, errsz);
}

int
kd_conf_load(const char *path, struct kd_conf **out, char *err, size_t errsz)
{
	struct kd_conf	*c;

	*out = NULL;
	c = xcalloc(1, sizeof *c);
	c->refs = 1;
	if (conf_load(settings_table, &c->s, path, err, errsz) != 0)
		goto fail;
	if (kd_check(c, err, errsz) != 0)
		goto fail;
	c->twilio_sid = kd_compile("\"sid\"\\s*:\\s*\"([^\"\\\\]{1,64})\"",
	    "twilio", err, errsz);
	c->twilio_code = kd_compile("\"code\"\\s*:\\s*\"?([0-9]{1,9})",
	    "twilio", err, errsz);
	c->cloud_id = kd_compile("\"messages\"\\s*:\\s*\\[\\s*\\{[^}]*?"
	    "\"id\"\\s*:\\s*\"([^\"\\\\]{1,127})\"", "cloud", err, errsz);
	if (c->twilio_sid == NULL || c->twilio_code == NULL ||
	    c->cloud_id == NULL)
		goto fail;
	if ((c->match = pcre2_match_data_create(16, NULL)) == NULL)
		xmalloc_fatal();
	*out = c;
	return 0;
fail:
	kd_conf_unref(&c);
	return -1;
}

struct kd_conf *
kd_conf_ref(struct kd_conf *c)
{
	c->refs++;
	return c;
}

void
kd_conf_unref(struct kd_conf **cp)
{
	struct kd_conf	*c = *cp;

	if (c == NULL)
		return;
	*cp = NULL;
	if (--c->refs > 0)
		return;
	secret_free(&c->sms_token);
	secret_free(&c->sms_secret);
	secret_free(&c->wa_token);
	explicit_bzero(&c->city_key, sizeof c->city_key);
	pcre2_code_free(c->sms_success);
	pcre2_code_free(c->twilio_sid);
	pcre2_code_free(c->twilio_code);
	pcre2_code_free(c->cloud_id);
	pcre2_match_data_free(c->match);
	conf_free(settings_table, &c->s);
	free(c);
}
