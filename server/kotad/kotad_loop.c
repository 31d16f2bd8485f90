/*
 * kotad_loop.c: the one event loop: LISTEN socket + curl multi, timers
 *
 * One curl_multi_poll() waits for the transfers and, as an extra file
 * descriptor, the libpq socket that LISTENs on kota_outbox; a NOTIFY wakes
 * the loop to claim, and so does the periodic sweep (the safety net for a
 * NOTIFY lost with a connection).  Signal handlers only set flags: a
 * signal interrupts the poll, and the wait is never longer than a second.
 *
 * The database calls of the hot path (claim, store bodies, record) are
 * asynchronous on that one connection (lib/dbasync.c): sent, then their
 * results read when the socket is readable, so a slow statement, a held
 * lock or a server gone silent never stops the transfers; so are the SLA
 * tick and the retention sweep.  The rare work (setting up after a
 * connect, routing what arrived without the rules, a reload) runs
 * synchronously once nothing is on the wire: while it waits, no new
 * statement is sent (kd->hold).
 *
 * When the connection is lost, transfers in flight go on, their outcomes
 * wait in memory, and the loop reconnects without blocking
 * (PQconnectStart/PQconnectPoll, with backoff 100 ms doubling to 5 s; a
 * multi-host conninfo with target_session_attrs=read-write finds the new
 * primary after a failover), LISTENs again, records what waited and
 * claims again.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
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
#define KD_CONNECT_TIMEOUT_MS	10000	/* one attempt, every host */
#define KD_STOP_RECORD_MS	5000	/* stopping: the last record's wait */

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
		kd->db_up = false;
		kd_db_backoff(kd);
	}
	/* the statements on the wire fail with it: their callbacks keep
	 * what must be recorded */
	if (dba_state(kd->dba) == DBA_UP)
		dba_lost(kd->dba, err);
}

static void
kd_db_unreachable(struct kd *kd, const struct db_error *err)
{
	char	msg[KD_ERR_MAX];

	if (!kd->db_said) {
		kd_excerpt(msg, sizeof msg, err->message, strlen(err->message));
		log_warn(_("cannot reach the database: %s; retrying"), msg);
	}
	kd->db_said = true;
	kd_db_backoff(kd);
}

/* Connected: LISTEN, configure, release what is not held, record. */
static void
kd_db_ready(struct kd *kd)
{
	const char	*host;

	kd->db_up = true;
	if (kd_outbox_setup(kd) != 0 || kd_route_setup(kd) != 0) {
		if (kd->db_up) {	/* refused, not lost: try again later */
			kd->db_up = false;
			dba_lost(kd->dba, NULL);
			kd_db_backoff(kd);
		}
		return;
	}
	kd->db_said = false;
	kd->db_backoff_ms = KD_RECONNECT_MIN_MS;
	kd->want_claim = true;
	host = PQhost(db_conn(kd->db));
	log_info(_("connected to the database on %s as %s; listening on kota_outbox"),
	    host != NULL && host[0] != '\0' ? host : "-",
	    PQuser(db_conn(kd->db)));
	/* once per configuration: its link is part of every message */
	if (!kd->conf->tpl_checked && kd_tpl_check(kd, NULL) >= 0)
		kd->conf->tpl_checked = true;
	if (!kd->db_up)
		return;
	kd_outbox_flush(kd);
}

/* A step of connecting, never waiting: start, or go on when ready. */
static void
kd_db_connect(struct kd *kd, int64_t now, bool ready)
{
	struct db_error	err;

	switch (dba_state(kd->dba)) {
	case DBA_UP:
		return;
	case DBA_DOWN:
		if (now < kd->db_retry_at)
			return;
		if (dba_connect_start(kd->dba, &err) != 0) {
			kd_db_unreachable(kd, &err);
			return;
		}
		kd->db_connect_deadline = now + KD_CONNECT_TIMEOUT_MS;
		return;		/* the socket is polled for writing first */
	case DBA_CONNECTING:
		break;
	}
	if (!ready) {
		if (now < kd->db_connect_deadline)
			return;
		dba_connect_abandon(kd->dba);
		db_error_printf(&err, DB_LOST, "%s",
		    _("timeout expired"));
		kd_db_unreachable(kd, &err);
		return;
	}
	switch (dba_connect_poll(kd->dba, &err)) {
	case DBA_UP:
		kd_db_ready(kd);
		break;
	case DBA_DOWN:
		kd_db_unreachable(kd, &err);
		break;
	case DBA_CONNECTING:
		break;
	}
}

void
kd_db_kick(struct kd *kd)
{
	struct db_error	err;

	if (dba_io(kd->dba, false, false, &err) != 0)
		kd_db_lost(kd, &err);
}

/*
 * Read what the server sent: the results of statements on the wire, and
 * NOTIFYs, which mean there is something to claim.
 */
static void
kd_db_input(struct kd *kd, bool readable, bool writable)
{
	PGnotify	*n;
	struct db_error	 err;

	if (dba_io(kd->dba, readable, writable, &err) != 0) {
		kd_db_lost(kd, &err);
		return;
	}
	if (dba_state(kd->dba) != DBA_UP)
		return;
	while ((n = PQnotifies(db_conn(kd->db))) != NULL) {
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
	kd->want_setup = true;		/* once the connection is idle */
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
	if (dba_state(kd->dba) == DBA_DOWN && kd->db_retry_at - now < t)
		t = kd->db_retry_at - now;
	if (dba_state(kd->dba) == DBA_CONNECTING &&
	    kd->db_connect_deadline - now < t)
		t = kd->db_connect_deadline - now;
	if (kd->nresults > 0 && kd->db_up && kd->recording == NULL &&
	    !kd->hold && kd->results_since + KD_FLUSH_MS - now < t)
		t = kd->results_since + KD_FLUSH_MS - now;
	if (kd->want_claim && kd->db_up && !kd->draining && !kd->claiming &&
	    !kd->hold)
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

/*
 * The sweeps, and the synchronous work once nothing is on the wire:
 * routing, a reload's setup.  Until then nothing new is sent (kd->hold).
 */
static void
kd_db_sync(struct kd *kd, int64_t now)
{
	/* asynchronous, queued behind what is on the wire */
	if (kd->db_up && !kd->draining && kd->want_sla) {
		kd->want_sla = false;
		kd_sla_sweep(kd);
	}
	if (kd->db_up && !kd->draining)
		kd_privacy_sweep(kd, now);
	kd->hold = kd->db_up && !kd->draining &&
	    (kd->want_route || kd->want_setup);
	if (!kd->hold || !dba_idle(kd->dba))
		return;
	if (kd->want_setup) {
		kd->want_setup = false;
		if (kd_outbox_setup(kd) == 0 && kd->db_up &&
		    kd_tpl_check(kd, NULL) >= 0)
			kd->conf->tpl_checked = true;
	}
	if (kd->want_route && kd->db_up)
		kd_route_pending(kd);
	/* a backlog's next batch waits for the claims and records sent in
	 * this turn: held again at the next one */
	kd->hold = kd->db_up && kd->want_setup;
}

/* One turn of the database side: send what is due. */
static void
kd_db_turn(struct kd *kd, int64_t now)
{
	if (!kd->db_up) {
		kd_db_connect(kd, now, false);
		return;
	}
	if (kd->hold)
		return;
	if (kd_flush_due(kd, now))
		kd_outbox_flush(kd);
	if (kd->db_up && kd->want_claim && !kd->draining)
		kd_outbox_claim(kd);
	kd_db_kick(kd);
}

static bool
kd_drained(const struct kd *kd, int64_t now)
{
	if (!kd->draining || kd->inflight > 0 || kd->queued > 0)
		return false;
	if (kd->nresults == 0 && kd->recording == NULL)
		return true;
	/* the database is away: what could not be recorded is sent again
	 * under the same webhook-id (kotad(8)), rather than wait for it */
	if (now >= kd->drain_deadline || !kd->db_up) {
		log_warn(_("%d outcomes could not be recorded before stopping; "
		    "those notifications are sent again"), kd->nresults +
		    (kd->recording != NULL ? kd->recording->n : 0));
		return true;
	}
	return false;
}

/*
 * Stopping: the last outcomes recorded (a few seconds at most, a signal
 * more cuts it short), then the claims not held given back.
 */
static void
kd_db_finish(struct kd *kd, int stops)
{
	int64_t		deadline = kd_now_ms() + KD_STOP_RECORD_MS;
	struct pollfd	pfd;

	while (kd->db_up && (!dba_idle(kd->dba) || kd->nresults > 0) &&
	    kd_now_ms() < deadline && kd_sig_stop <= stops) {
		kd_outbox_flush(kd);
		kd_db_kick(kd);
		if (!kd->db_up || (dba_idle(kd->dba) && kd->nresults == 0))
			break;
		pfd.fd = dba_socket(kd->dba);
		pfd.events = POLLIN;
		if (dba_events(kd->dba) & DBA_WANT_WRITE)
			pfd.events |= POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			break;
		kd_db_input(kd, (pfd.revents & (POLLIN | POLLERR | POLLHUP)) != 0,
		    (pfd.revents & POLLOUT) != 0);
	}
	if (kd->db_up && dba_idle(kd->dba))
		kd_outbox_release(kd);
}

int
kd_run(struct kd *kd)
{
	struct curl_waitfd	 wfd;
	int64_t			 now;
	int			 running, stops = 0, ev;

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
			kd->want_sla = true;
		}
		kd_db_sync(kd, now);
		kd_db_turn(kd, now);
		kd_send_start(kd);
		if (kd_drained(kd, now))
			break;

		memset(&wfd, 0, sizeof wfd);
		wfd.fd = dba_socket(kd->dba);
		ev = dba_events(kd->dba);
		wfd.events = ((ev & DBA_WANT_READ) ? CURL_WAIT_POLLIN : 0) |
		    ((ev & DBA_WANT_WRITE) ? CURL_WAIT_POLLOUT : 0);
		if (curl_multi_poll(kd->multi, &wfd, wfd.fd >= 0 ? 1 : 0,
		    kd_timeout(kd, kd_now_ms()), NULL) != CURLM_OK &&
		    errno != EINTR)
			log_warn("%s", _("curl_multi_poll failed"));
		curl_multi_perform(kd->multi, &running);
		kd_send_done(kd);
		if (wfd.fd < 0)
			continue;
		if (dba_state(kd->dba) == DBA_CONNECTING) {
			if (wfd.revents != 0)
				kd_db_connect(kd, kd_now_ms(), true);
		} else if (kd->db_up)
			kd_db_input(kd, (wfd.revents & CURL_WAIT_POLLIN) != 0,
			    (wfd.revents & CURL_WAIT_POLLOUT) != 0);
	}
	kd_db_finish(kd, stops);
	log_info(_("stopped: %lu sent, %lu not sent"), kd->sent, kd->failed);
	return 0;
}
