/*
 * settings.c: the keys of kotad.conf
 */
#include "config.h"

#include <stddef.h>

#include "settings.h"

static const char *const sms_gateways[] = { "none", "twilio", "http", NULL };
static const char *const wa_gateways[] = { "none", "twilio", "cloud", NULL };

#define S(f)	offsetof(struct settings, f)

const struct conf_key settings_table[] = {
	{ "database", "conninfo", CONF_STRING, NULL, S(db_conninfo), 0, 0,
	    NULL, false, "libpq connection string; empty: PG* variables" },
	{ "database", "read_conninfo", CONF_STRING, NULL,
	    S(db_read_conninfo), 0, 0, NULL, false,
	    "a streaming standby for kotactl's pure reads (report, summary...); empty: none" },
	{ "database", "max_lag", CONF_DURATION, "30s", S(db_max_lag_ms), 100,
	    86400000, NULL, false,
	    "a standby further behind is not read from; the primary is" },

	{ "log", "level", CONF_STRING, "info", S(log_level), 0, 0,
	    NULL, true, "debug, info, warning or error" },

	{ "dispatch", "concurrency", CONF_INT, "8",
	    S(dispatch_concurrency), 1, 256, NULL, true,
	    "HTTP requests in flight per gateway" },
	{ "dispatch", "batch", CONF_INT, "50", S(dispatch_batch), 1, 1000,
	    NULL, true, "notifications claimed per transaction" },
	{ "dispatch", "max_attempts", CONF_INT, "8",
	    S(dispatch_max_attempts), 1, 100, NULL, true,
	    "attempts before a notification is dead" },
	{ "dispatch", "connect_timeout_ms", CONF_INT, "5000",
	    S(dispatch_connect_timeout_ms), 100, 600000, NULL, true,
	    "TCP and TLS connect timeout" },
	{ "dispatch", "timeout_ms", CONF_INT, "15000",
	    S(dispatch_timeout_ms), 100, 600000, NULL, true,
	    "whole-request timeout" },
	{ "dispatch", "sweep", CONF_DURATION, "30s", S(dispatch_sweep_ms),
	    1000, 3600000, NULL, true,
	    "periodic sweep for due notifications, the safety net behind LISTEN" },
	{ "dispatch", "lease", CONF_DURATION, "60s", S(dispatch_lease_ms),
	    1000, 3600000, NULL, true,
	    "how long a claim lasts; longer than timeout_ms" },
	{ "dispatch", "backoff", CONF_DURATION, "10s", S(dispatch_backoff_ms),
	    100, 3600000, NULL, true,
	    "first retry delay, doubled at each attempt, with jitter" },
	{ "dispatch", "backoff_max", CONF_DURATION, "1h",
	    S(dispatch_backoff_max_ms), 1000, 86400000, NULL, true,
	    "longest retry delay" },
	{ "dispatch", "link", CONF_STRING, NULL, S(dispatch_link), 0, 0,
	    NULL, true,
	    "a request's public page for {link}, with {ticket}; short, it is in every receipt" },

	{ "sms", "gateway", CONF_ENUM, "none", S(sms_gateway), 0, 0,
	    sms_gateways, true, "twilio, http or none" },
	{ "sms", "url", CONF_STRING, NULL, S(sms_url), 0, 0, NULL, true,
	    "gateway URL; http gateways may use placeholders" },
	{ "sms", "account_sid", CONF_STRING, NULL, S(sms_account_sid), 0, 0,
	    NULL, true, "Twilio account SID (basic auth user)" },
	{ "sms", "auth_token_file", CONF_STRING, NULL,
	    S(sms_auth_token_file), 0, 0, NULL, true,
	    "file holding the Twilio auth token; must not be readable by others" },
	{ "sms", "from", CONF_STRING, NULL, S(sms_from), 0, 0, NULL, true,
	    "sender number or alphanumeric sender id" },
	{ "sms", "method", CONF_STRING, "POST", S(sms_method), 0, 0, NULL,
	    true, "HTTP method of a generic gateway" },
	{ "sms", "content_type", CONF_STRING,
	    "application/x-www-form-urlencoded", S(sms_content_type), 0, 0,
	    NULL, true, "body content type of a generic gateway" },
	{ "sms", "body", CONF_STRING, NULL, S(sms_body), 0, 0, NULL, true,
	    "body template of a generic gateway" },
	{ "sms", "header", CONF_LIST, NULL, S(sms_header), 0, 0, NULL, true,
	    "extra request header, may repeat" },
	{ "sms", "secret_file", CONF_STRING, NULL, S(sms_secret_file), 0, 0,
	    NULL, true, "file holding the gateway secret for {secret}" },
	{ "sms", "success_regex", CONF_STRING, NULL, S(sms_success_regex),
	    0, 0, NULL, true,
	    "PCRE2 the response body must match; group 1 is the message id" },
	{ "sms", "quiet_hours", CONF_TIMERANGE, NULL, S(sms_quiet_hours), 0,
	    0, NULL, true, "hold SMS in this local time range, e.g. 21:00-07:00" },
	{ "sms", "time_zone", CONF_STRING, "Asia/Jakarta", S(sms_time_zone),
	    0, 0, NULL, true, "time zone of quiet_hours" },
	{ "sms", "max_segments", CONF_INT, "1", S(sms_max_segments), 1, 10,
	    NULL, true, "longest SMS, in segments; {note} is shortened to fit" },
	{ "sms", "per_recipient_per_hour", CONF_INT, "6",
	    S(sms_per_recipient_per_hour), 1, 1000, NULL, true,
	    "SMS to one number per hour at most" },

	{ "whatsapp", "gateway", CONF_ENUM, "none", S(wa_gateway), 0, 0,
	    wa_gateways, true, "twilio, cloud or none" },
	{ "whatsapp", "from", CONF_STRING, NULL, S(wa_from), 0, 0, NULL, true,
	    "the city's WhatsApp number (twilio: sent as whatsapp:+...)" },
	{ "whatsapp", "url", CONF_STRING, NULL, S(wa_url), 0, 0, NULL, true,
	    "twilio: default [sms] url; cloud: the Graph API's .../PHONE_ID/messages" },
	{ "whatsapp", "token_file", CONF_STRING, NULL, S(wa_token_file), 0, 0,
	    NULL, true,
	    "cloud: file holding the access token (Bearer); must not be readable by others" },

	{ "webhook", "url", CONF_STRING, NULL, S(webhook_url), 0, 0, NULL,
	    true, "the city's own integration endpoint" },
	{ "webhook", "secret_file", CONF_STRING, NULL,
	    S(webhook_secret_file), 0, 0, NULL, true,
	    "file holding the whsec_ signing secret" },

	{ NULL, NULL, CONF_STRING, NULL, 0, 0, 0, NULL, false, NULL },
};
