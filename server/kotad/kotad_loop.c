/*
 * kotad_loop.c: the one event loop: LISTEN socket + curl multi, timers
 *
 * One curl_multi_poll() waits for the transfers and, as an extra file
 * descriptor, the libpq socket that LISTENs on kota_outbox; a NOTIFY wakes
 * the loop to claim, and so does the periodic sweep (the safety net for a
 * NOTIFY lost with a connection).  Signal handlers only set flags: a
 * signal interrupts the poll, and the wait is never longer than a second.
 *
 * The database calls are short and synchronous on that one connection
 * (claim, record, release, each its own transaction).  When the
 * connection is lost, transfers in flight go on, their outcomes wait in
 * memory, and the loop reconnects with backoff (100 ms doubling to 5 s),
 * LISTENs again, records what waited and claims again.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "i18n.h"
#include "kotad.h"
#include "log.h"

#define KD_FLUSH_MS		20	/* longest wait of an outcome */
#define KD_POLL_MAX_MS		1000
#define KD_RECONNECT_MIN_MS	100
#define KD_RECONNECT_MAX_MS	5000

int64_t
kd_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
kd_db_backoff(struct kd *kd)
{
	kd->db_retry_at = kd_now_ms() + kd->db_backoff_ms;
	kd->db_backoff_ms *= 2;
	if (kd->db_backoff_ms > KD_RECONNECT_MAX_MS)
		kd->db_backoff_ms = KD_RECONNECT_MAX_MS;
}

void
kd_db_lost(struct kd *kd, const struct db_error *err)
{
	char	msg[KD_ERR_MAX];

	if (kd->db_up) {
		kd_excerpt(msg, sizeof msg, err->message, strlen(err->message));
		log_warn(_("lost the database connection: %s; reconnecting"),
		    msg);
	}
	kd->db_up = false;
	kd_db_backoff(kd);
}

static void
kd_db_connect(struct kd *kd)
{
	struct db_error	err;
	char		msg[KD_ERR_MAX];
	static bool	said;

	if (db_ensure(kd->db, &err) != 0) {
		if (!said) {
			kd_excerpt(msg, sizeof msg, err.message,
			    strlen(err.message));
			log_warn(_("cannot reach the database: %s; retrying"),
			    msg);
		}
		said = true;
		kd_db_backoff(kd);
		return;
	}
	kd->db_up = true;
	if (kd_outbox_setup(kd) != 0 || kd_route_setup(kd) != 0) {
		if (kd->db_up) {	/* refused, not lost: try again later */
			kd->db_up = false;
			kd_db_backoff(kd);
		}
		return;
	}
	said = false;
	kd->db_backoff_ms = KD_RECONNECT_MIN_MS;
	kd->want_claim = true;
	log_info(_("connected to the database as %s; listening on kota_outbox"),
	    PQuser(db_conn(kd->db)));
	/* once per configuration: its link is part of every message */
	if (!kd->conf->tpl_checked && kd_tpl_check(kd, NULL) >= 0)
		kd->conf->tpl_checked = true;
	if (!kd->db_up)
		return;
	kd_outbox_flush(kd);
}

/* Read what the server sent: NOTIFYs mean there is something to claim. */
static void
kd_db_input(struct kd *kd, bool readable)
{
	PGconn		*conn = db_conn(kd->db);
	PGnotify	*n;
	struct db_error	 err;

	if (readable && !PQconsumeInput(conn)) {
		db_error_printf(&err, DB_LOST, "%s", PQerrorMessage(conn));
		kd_db_lost(kd, &err);
		return;
	}
	while ((n = PQnotifies(conn)) != NULL) {
		if (!kd_route_notify(kd, n->relname))
			kd->want_claim = true;
		PQfreemem(n);
	}
}

static void
kd_reload(struct kd *kd)
{
	struct kd_conf	*c;
	enum log_level	 lvl;
	char		 err[CONF_ERRMAX];

	daemon_notify("RELOADING=1");
	if (kd_conf_load(kd->conf_path, &c, err, sizeof err) != 0) {
		log_error(_("reload refused, keeping the running configuration: %s"),
		    err);
		daemon_notify("READY=1");
		return;
	}
	if ((c->s.db_conninfo == NULL) != (kd->conf->s.db_conninfo == NULL) ||
	    (c->s.db_conninfo != NULL &&
	    strcmp(c->s.db_conninfo, kd->conf->s.db_conninfo) != 0))
		log_warn("%s", _("[database] conninfo changes take effect at the next start"));
	kd_conf_unref(&kd->conf);
	kd->conf = c;
	if (log_parse_level(c->s.log_level, &lvl) == 0)
		log_set_level(lvl);
	log_info(_("configuration '%s' reloaded"), kd->conf_path);
	if (kd->db_up && kd_outbox_setup(kd) == 0 && kd->db_up &&
	    kd_tpl_check(kd, NULL) >= 0)
		kd->conf->tpl_checked = true;
	kd->want_claim = true;
	daemon_notify("READY=1");
}

static void
kd_begin_drain(struct kd *kd)
{
	const struct settings	*s = &kd->conf->s;

	kd->draining = true;
	kd->drain_deadline = kd_now_ms() + s->dispatch_timeout_ms +
	    s->dispatch_lease_ms;
	log_info(_("stopping: %d transfers in flight to finish"), kd->inflight);
	daemon_notify("STOPPING=1");
	kd_send_release_queued(kd);
}

static int
kd_timeout(const struct kd *kd, int64_t now)
{
	int64_t	t = KD_POLL_MAX_MS;

	if (!kd->draining && kd->next_sweep - now < t)
		t = kd->next_sweep - now;
	if (!kd->db_up && kd->db_retry_at - now < t)
		t = kd->db_retry_at - now;
	if (kd->nresults > 0 && kd->db_up &&
	    kd->results_since + KD_FLUSH_MS - now < t)
		t = kd->results_since + KD_FLUSH_MS - now;
	if (kd->want_claim && kd->db_up && !kd->draining)
		t = 0;
	return t < 0 ? 0 : (int)t;
}

static bool
kd_flush_due(const struct kd *kd, int64_t now)
{
	if (kd->nresults == 0)
		return false;
	return kd->nresults >= kd->conf->s.dispatch_batch ||
	    now - kd->results_since >= KD_FLUSH_MS ||
	    (kd->draining && kd->inflight == 0);
}

/* One turn of the database side. */
static void
kd_db_turn(struct kd *kd, int64_t now)
{
	if (!kd->db_up) {
		if (now >= kd->db_retry_at)
			kd_db_connect(kd);
		if (!kd->db_up)
			return;
	}
	kd_db_input(kd, false);
	if (kd->db_up && kd_flush_due(kd, now))
		kd_outbox_flush(kd);
	if (kd->db_up && kd->want_claim && !kd->draining)
		kd_outbox_claim(kd);
}

static bool
kd_drained(const struct kd *kd, int64_t now)
{
	if (!kd->draining || kd->inflight > 0 || kd->queued > 0)
		return false;
	if (kd->nresults == 0)
		return true;
	if (now >= kd->drain_deadline) {
		log_warn(_("%d outcomes could not be recorded before stopping; "
		    "those notifications are sent again"), kd->nresults);
		return true;
	}
	return false;
}

int
kd_run(struct kd *kd)
{
	struct curl_waitfd	 wfd;
	int64_t			 now;
	int			 running, stops = 0;

	kd->db_backoff_ms = KD_RECONNECT_MIN_MS;
	kd->next_sweep = kd_now_ms();
	daemon_notify("READY=1");
	for (;;) {
		now = kd_now_ms();
		if (kd_sig_stop > stops) {
			if (stops++ > 0 || kd->draining) {
				log_warn("%s", _("stopping now, without waiting"));
				break;
			}
			kd_begin_drain(kd);
		}
		if (kd_sig_reload) {
			kd_sig_reload = 0;
			kd_reload(kd);
		}
		if (!kd->draining && now >= kd->next_sweep) {
			kd->want_claim = true;
			kd->next_sweep = now + kd->conf->s.dispatch_sweep_ms;
			kd->want_route = true;
			if (kd->db_up)
				kd_sla_sweep(kd);
		}
		if (!kd->draining && kd->want_route && kd->db_up)
			kd_route_pending(kd);
		if (!kd->draining && kd->db_up)
			kd_privacy_sweep(kd, now);
		kd_db_turn(kd, now);
		kd_send_start(kd);
		if (kd_drained(kd, now))
			break;

		memset(&wfd, 0, sizeof wfd);
		wfd.fd = kd->db_up ? PQsocket(db_conn(kd->db)) : -1;
		wfd.events = CURL_WAIT_POLLIN;
		if (curl_multi_poll(kd->multi, &wfd, wfd.fd >= 0 ? 1 : 0,
		    kd_timeout(kd, kd_now_ms()), NULL) != CURLM_OK &&
		    errno != EINTR)
			log_warn("%s", _("curl_multi_poll failed"));
		curl_multi_perform(kd->multi, &running);
		kd_send_done(kd);
		if (kd->db_up && (wfd.revents & CURL_WAIT_POLLIN))
			kd_db_input(kd, true);
	}
	if (kd->db_up) {
		kd_outbox_flush(kd);
		kd_outbox_release(kd);
	}
	log_info(_("stopped: %lu sent, %lu not sent"), kd->sent, kd->failed);
	return 0;
}
