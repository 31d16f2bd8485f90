/*
 * kotad.h: the notification daemon, shared by its files
 *
 *	kotad.c		main: options, signals, daemon or foreground, systemd
 *	kotad_conf.c	matching the patterns of kotad.conf (loaded by lib/kdconf.c)
 *	kotad_loop.c	the one event loop: LISTEN socket + curl multi, timers
 *	kotad_outbox.c	claim, record, release: the outbox's SQL API
 *	kotad_send.c	gateways, the HTTP transfers and what their answers mean
 *	kotad_sms.c	SMS: the text, Twilio and generic HTTP gateways
 *	kotad_wa.c	WhatsApp: text in the 24-hour window, templates
 *			outside it; Twilio and the Cloud API
 *	kotad_webhook.c	webhooks: the body and the Standard Webhooks signature
 *	kotad_tpl.c	the citizens' SMS templates checked against one segment
 *	kotad_route.c	routing the requests created without the rules
 *	kotad_privacy.c	the retention sweep of citizens' personal data
 */
#ifndef KOTAD_H
#define KOTAD_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <curl/curl.h>
#include <libpq-fe.h>
#include <pcre2.h>

#include "db.h"
#include "dbasync.h"
#include "kdconf.h"
#include "route_load.h"
#include "settings.h"
#include "strbuf.h"
#include "template.h"
#include "webhook.h"

#define KD_ERR_MAX		300	/* error excerpts stored and logged */
#define KD_RESPONSE_MAX		16384	/* response bytes kept for parsing */

/* Set by the signal handlers, read by the loop. */
extern volatile sig_atomic_t kd_sig_reload;
extern volatile sig_atomic_t kd_sig_stop;

/* The first group of re in s, or "" ; 1 matched, 0 not, -1 error. */
int	kd_conf_match(struct kd_conf *c, pcre2_code *re, const char *s,
	    size_t len, char *group, size_t groupsz);

enum kd_outcome {
	KD_SENT,
	KD_RETRY,
	KD_DEAD,
	KD_SUPPRESSED,
	KD_OPTED_OUT,
	KD_RELEASED,
};

/* Columns of kota.outbox_claim(), in kd_batch.col[]. */
enum kd_col {
	KC_ID, KC_MSG_ID, KC_ATTEMPT, KC_CHANNEL, KC_TARGET, KC_TYPE,
	KC_EVENT, KC_EVENT_JSON, KC_REQUEST_JSON, KC_TICKET, KC_STATUS_LABEL,
	KC_SERVICE_NAME, KC_NOTE, KC_CITIZEN_ID, KC_LANG, KC_RECIPIENT,
	KC_TEMPLATE, KC_PAYLOAD, KC_URL, KC_SECRET, KC_DEPARTMENT_ID,
	KC_DEPARTMENT, KC_EVENT_AT, KC_ESCALATION_JSON, KC_ORIGINAL,
	KC_WA_WINDOW, KC_WA_TEMPLATE, KC_WA_LANGUAGE, KC_WA_PARAMS,
	KC_NCOLS
};

/* One claim's rows; jobs point into it and hold it until they are done. */
struct kd_batch {
	PGresult	*res;
	int		 refs;
	int		 col[KC_NCOLS];
};

struct kd_gateway;

struct kd_job {
	struct kd_job		*next;		/* in a queue, or flying */
	struct kd_job		*prev;		/* flying only */
	struct kd_batch		*batch;
	int			 row;
	struct kd_gateway	*gw;
	struct kd_conf		*conf;		/* a reference, from start */
	int64_t			 id;
	int			 attempt;
	int64_t			 lease_end;	/* monotonic ms */

	/* the request */
	CURL			*easy;
	char			*url;
	const char		*method;	/* NULL: POST */
	struct strbuf		 body;
	struct curl_slist	*headers;
	const char		*user, *password;
	struct strbuf		 text;		/* an SMS's or WhatsApp's text */
	bool			 store_payload;	/* first rendering: record it */
	bool			 wa_template;	/* a WhatsApp template message:
						 * recorded only once sent */
	bool			 body_fixed;	/* body stored at the claim */
	bool			 by_setting;	/* released for a setting */
	int64_t			 started;	/* monotonic ms */

	/* the answer */
	struct strbuf		 response;
	long			 retry_after;	/* seconds, -1: none */
	char			 curl_err[CURL_ERROR_SIZE];

	/* the outcome */
	enum kd_outcome		 outcome;
	long			 http;
	int			 ms;
	int			 retry_ms;
	char			 message_id[128];
	char			 error[KD_ERR_MAX];
};

/* A destination with its own concurrency: the SMS gateway, the city's
 * webhook, one department's webhook. */
struct kd_gateway {
	struct kd_gateway	*next;
	char			 name[32];
	int			 department_id;	/* 0 unless a department */
	int			 inflight;
	int			 queued;
	struct kd_job		*head, *tail;
};

struct kd_result {
	int64_t		 id;
	int		 attempt;
	enum kd_outcome	 outcome;
	long		 http;
	int		 ms;
	int		 retry_ms;
	char		*message_id;
	char		*error;
	char		*payload;
};

/* Outcomes on their way to kota.outbox_record(), one statement. */
struct kd_record {
	struct kd_result	*results;
	int			 n;
};

struct kd {
	const char		*conf_path;
	struct kd_conf		*conf;
	char			 worker[96];
	struct db		*db;
	struct dbasync		*dba;		/* db's connection, driven */
	bool			 db_up;		/* connected and listening */
	int64_t			 db_retry_at;
	int64_t			 db_connect_deadline;
	int			 db_backoff_ms;
	bool			 db_said;	/* "cannot reach" logged */
	bool			 claiming;	/* a claim on the wire */
	int			 fixing;	/* jobs waiting for their bodies */
	struct kd_record	*recording;	/* a record on the wire */
	bool			 want_sla, want_setup;
	bool			 sla_running;	/* a tick on the wire */
	bool			 hold;		/* nothing new on the wire: the
						 * loop's synchronous work waits
						 * for the connection to idle */
	CURLM			*multi;
	CURL			**pool;		/* idle easy handles */
	int			 npool, poolcap;
	struct kd_gateway	*gateways;
	struct kd_job		*flying;	/* transfers in flight */
	int			 inflight, queued;
	struct kd_result	*results;
	int			 nresults, resultcap;
	int64_t			 results_since;
	bool			 want_claim, more, draining;
	bool			 want_route;	/* requests wait for the rules */
	struct route_cache	 routes;	/* the console's engine, kept fresh */
	int64_t			 next_sweep;
	int64_t			 drain_deadline;
	unsigned long		 sent, failed;
};

/* kotad_loop.c */
int	kd_run(struct kd *kd);
int64_t	kd_now_ms(void);
void	kd_db_lost(struct kd *kd, const struct db_error *err);
/* Start what dba_send() queued. */
void	kd_db_kick(struct kd *kd);

/* kotad_outbox.c */
int	kd_outbox_setup(struct kd *kd);
int	kd_outbox_claim(struct kd *kd);
int	kd_outbox_flush(struct kd *kd);
void	kd_results_free_array(struct kd_result *r, int n);
int	kd_outbox_release(struct kd *kd);
void	kd_sla_sweep(struct kd *kd);
void	kd_sql_failed(struct kd *kd, const char *what,
	    const struct db_error *err);

/* kotad_route.c */
int	kd_route_setup(struct kd *kd);
bool	kd_route_notify(struct kd *kd, const char *channel);
void	kd_route_pending(struct kd *kd);
void	kd_result_add(struct kd *kd, const struct kd_job *job,
	    const char *payload);
void	kd_results_free(struct kd *kd);

/* kotad_send.c */
int	kd_send_init(struct kd *kd);
void	kd_send_fini(struct kd *kd);
struct kd_gateway *kd_gateway_for(struct kd *kd, const char *channel,
	    const char *target, int department_id);
bool	kd_gateway_busy(const struct kd *kd, const struct kd_gateway *gw);
void	kd_job_enqueue(struct kd *kd, struct kd_job *job);
void	kd_send_start(struct kd *kd);
void	kd_send_done(struct kd *kd);
void	kd_send_release_queued(struct kd *kd);
void	kd_job_finish(struct kd *kd, struct kd_job *job);
/* Log the outcome, queue it for kota.outbox_record(), free the job. */
void	kd_job_over(struct kd *kd, struct kd_job *job);
const char *kd_col(const struct kd_job *job, enum kd_col c);
/* curl_slist_append(), fatal when out of memory as xmalloc() is. */
struct curl_slist *kd_slist_append(struct curl_slist *list, const char *line);
bool	kd_col_null(const struct kd_job *job, enum kd_col c);
void	kd_job_fail(struct kd_job *job, enum kd_outcome o, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));

/* kotad_sms.c: fill in the request, read the answer */
#define KD_MESSAGE_VARS	6
/* The placeholders of a citizen's message; {link} is built in link. */
void	kd_message_vars(const struct kd_conf *c, const char *ticket,
	    const char *status, const char *service, const char *note,
	    const char *original, struct strbuf *link,
	    struct template_var vars[KD_MESSAGE_VARS]);
int	kd_sms_prepare(struct kd *kd, struct kd_job *job);
/* Form field name=value, percent-encoded, onto sb. */
void	kd_form_add(struct strbuf *sb, const char *name, const char *value);
int	kd_render_message(struct kd_job *job, int max_segments,
	    struct strbuf *out);
void	kd_sms_answer(struct kd_job *job);

/* kotad_wa.c: fill in the request, read the answer */
int	kd_wa_prepare(struct kd *kd, struct kd_job *job);
void	kd_wa_answer(struct kd_job *job);

/* kotad_tpl.c: each SMS template of the database rendered with the
 * longest values; problems are logged as warnings, and with out every
 * template is listed there.  The number of templates over one segment,
 * or -1 when the database could not be read. */
int	kd_tpl_check(struct kd *kd, FILE *out);

/* kotad_privacy.c: once connected, then hourly; a no-op until due;
 * asynchronous, as the SLA tick is */
void	kd_privacy_sweep(struct kd *kd, int64_t now);

/* kotad_webhook.c */
int	kd_webhook_prepare(struct kd *kd, struct kd_job *job);
/* The body into job->body, from the claimed row and job->conf. */
int	kd_webhook_body(struct kd_job *job);

/* Text for logs and the database: valid UTF-8, no control characters,
 * at most outsz - 1 bytes, never cut inside a character. */
void	kd_excerpt(char *out, size_t outsz, const char *in, size_t len);

#endif
