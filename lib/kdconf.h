/*
 * kdconf.h: kotad.conf, checked whole, with its secrets and patterns
 *
 * The one loader of kotad's configuration: kotad runs it at start, on
 * SIGHUP and for -t, and "kotactl config check" runs the same, so a file
 * the check calls good is a file kotad starts with, and the other way
 * round.  Besides the syntax and ranges of conf.h it checks everything
 * kotad will rely on: the lease against the timeout, the time zone, the
 * gateways' URLs, templates, header lines and success pattern, and the
 * secret files (regular files, readable by their owner only, holding a
 * secret kotad can parse).
 */
#ifndef KOTA_KDCONF_H
#define KOTA_KDCONF_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif

#include <stdbool.h>
#include <stddef.h>

#include <pcre2.h>

#include "settings.h"
#include "webhook.h"

/*
 * A claim holds up to two rounds of transfers per gateway (kotad starts
 * the second as the first finishes), and a transfer starts only when it
 * can end, timeout_ms and a second of margin, before the lease does: so
 * the lease must cover two timeouts and that second, or the last of a
 * claim would be released rather than sent.
 */
#define KD_LEASE_MARGIN_MS	1000
#define KD_LEASE_MIN(timeout_ms)	(2 * (timeout_ms) + KD_LEASE_MARGIN_MS)

/* kotad.conf and what it points at, checked; shared by the transfers
 * started under it, so a reload never pulls it from under one. */
struct kd_conf {
	int		 refs;
	struct settings	 s;
	char		*sms_token;	/* Twilio auth token */
	char		*sms_secret;	/* {secret} of a generic gateway */
	char		*wa_token;	/* WhatsApp: Cloud's Bearer token, or
					 * Twilio's auth token */
	const char	*wa_url;	/* [whatsapp] url, or [sms] url */
	bool		 city_key_set;
	struct webhook_key city_key;
	pcre2_code	*sms_success;	/* [sms] success_regex */
	pcre2_code	*twilio_sid;	/* "sid": "SM..." */
	pcre2_code	*twilio_code;	/* "code": 21610, Cloud's too */
	pcre2_code	*cloud_id;	/* "messages": [{"id": "wamid..."}] */
	pcre2_match_data *match;
	int		 quiet_start;	/* minutes, -1: none */
	int		 quiet_end;
	bool		 tpl_checked;	/* kd_tpl_check() ran under it */
};

/* Read and check path; 0 and a new struct (one reference), or -1 and the
 * first problem in err, never the content of a secret. */
int	kd_conf_load(const char *path, struct kd_conf **out, char *err,
	    size_t errsz);
struct kd_conf *kd_conf_ref(struct kd_conf *c);
struct strbuf;
/* s into sb with the password of each conninfo password= and of each
 * URL's user:password@ as "****": for whatever is printed or logged. */
void	kd_conf_mask(struct strbuf *sb, const char *s);
void	kd_conf_unref(struct kd_conf **cp);

#endif
