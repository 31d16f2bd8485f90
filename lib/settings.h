/*
 * settings.h: kotad.conf, declared once as a table of keys
 *
 * kotad reads it; kotactl reads its [database] section with -c.  See
 * kotad.conf(5) for the meaning of every key.
 */
#ifndef KOTA_SETTINGS_H
#define KOTA_SETTINGS_H

#include "conf.h"

enum sms_gateway {
	SMS_GATEWAY_NONE,
	SMS_GATEWAY_TWILIO,
	SMS_GATEWAY_HTTP,
};

enum wa_gateway {
	WA_GATEWAY_NONE,
	WA_GATEWAY_TWILIO,
	WA_GATEWAY_CLOUD,
};

struct settings {
	/* [database] */
	char		*db_conninfo;
	char		*db_read_conninfo;	/* a standby for pure reads */
	int		 db_max_lag_ms;

	/* [log] */
	char		*log_level;

	/* [dispatch] */
	int		 dispatch_concurrency;
	int		 dispatch_batch;
	int		 dispatch_max_attempts;
	int		 dispatch_connect_timeout_ms;
	int		 dispatch_timeout_ms;
	int		 dispatch_sweep_ms;
	int		 dispatch_lease_ms;
	int		 dispatch_backoff_ms;
	int		 dispatch_backoff_max_ms;
	char		*dispatch_link;

	/* [sms] */
	int		 sms_gateway;		/* enum sms_gateway */
	char		*sms_url;
	char		*sms_account_sid;
	char		*sms_auth_token_file;
	char		*sms_from;
	char		*sms_method;
	char		*sms_content_type;
	char		*sms_body;
	struct conf_list sms_header;
	char		*sms_secret_file;
	char		*sms_success_regex;
	struct conf_timerange sms_quiet_hours;
	char		*sms_time_zone;
	int		 sms_max_segments;
	int		 sms_per_recipient_per_hour;

	/* [whatsapp] */
	int		 wa_gateway;		/* enum wa_gateway */
	char		*wa_from;
	char		*wa_url;
	char		*wa_token_file;

	/* [webhook] */
	char		*webhook_url;
	char		*webhook_secret_file;
};

extern const struct conf_key settings_table[];

#endif
