/*
 * seed_rows.c: the rows of kotactl seed --bulk, made from random streams
 *
 * A request's service, text and place come from one stream of its index,
 * its fate and history from another; so a duplicate can copy what its
 * original was about without keeping it, and the histories can be made
 * in a second pass.  Times are microseconds since the Unix epoch.
 *
 * The SLA state is what kotad's sweep (kota.sla_sweep(), 008) would have
 * left had it been running all along: a request still running at its
 * warning point was warned then, one still running at its deadline was
 * escalated then (its priority raised by its policy's escalate_raise,
 * with the events the sweep writes), and one on hold is paused.  So the
 * sweep's partial indexes hold only what is due in the last minute, as
 * on a server in use.  The deadline itself is a simplification: days by
 * priority, not business time.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "db.h"
#include "request.h"
#include "seed_bulk.h"

const char *const bulk_statuses[8] = {
	"new", "acknowledged", "in_progress", "on_hold",
	"resolved", "closed", "rejected", "duplicate",
};
static const char *const bulk_names[] = {
	"Agus", "Budi", "Dewi", "Eka", "Fitri", "Gilang", "Hendra", "Indah",
	"Joko", "Kartika", "Lestari", "Maya", "Nanda", "Putri", "Rahmat",
	"Siti", "Taufik", "Usman", "Wulan", "Yanti", "Asep", "Euis", "Ujang",
	"Neneng", "Dadang", "Cucu", "Iwan", "Rina",
};
static const char *const bulk_places[][2] = {
	{ "Jl. Asia Afrika", "Sumur Bandung" }, { "Jl. Braga", "Sumur Bandung" },
	{ "Jl. Dago", "Coblong" }, { "Jl. Cihampelas", "Cidadap" },
	{ "Jl. Pasteur", "Sukajadi" }, { "Jl. Soekarno-Hatta", "Buahbatu" },
	{ "Jl. Kiaracondong", "Kiaracondong" }, { "Jl. Setiabudi", "Sukasari" },
};
static const char *const bulk_suffix[] = {
	"", "", " Mohon segera ditindaklanjuti.", " Sudah lapor ke RT.",
	" Please fix this soon.", " Sudah lebih dari seminggu.",
};

/* splitmix64: one stream per (request, purpose), so a row can be remade */
static uint64_t
bulk_next(uint64_t *s)
{
	uint64_t	z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double
bulk_unif(uint64_t *s)
{
	return (double)(bulk_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int
bulk_pick(uint64_t *s, int n)
{
	return (int)(bulk_next(s) % (uint64_t)n);
}

/* an exponential wait, in microseconds */
static int64_t
bulk_wait(uint64_t *s, double mean_hours)
{
	return (int64_t)(-mean_hours * log(1.0 - bulk_unif(s)) * US_HOUR) +
	    10 * 60 * INT64_C(1000000);
}

/* What a request is about: service, text, place, caller. */
static void
bulk_identity(const struct bulk *b, int64_t i, struct bulk_row *r)
{
	uint64_t	s = b->seed ^ ((uint64_t)i * 2 + 1) * UINT64_C(0x2545f4914f6cdd1d);
	double		u = bulk_unif(&s) * b->svc_cum[b->nsvc - 1];
	int		lo = 0, hi = b->nsvc - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (b->svc_cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	r->svc = lo;
	r->desc = b->desc_n[lo] > 0 ?
	    b->desc_first[lo] + bulk_pick(&s, b->desc_n[lo]) : -1;
	r->addr = bulk_pick(&s, b->naddr > 0 ? b->naddr : 8);
	r->has_geo = bulk_unif(&s) < 0.7;
	r->lat = -6.95 + bulk_unif(&s) * 0.10;
	r->lon = 107.55 + bulk_unif(&s) * 0.15;
	u = bulk_unif(&s);
	r->reporter = u < 0.85 ? b->base_cit + (int64_t)((double)b->ncit *
	    bulk_unif(&s) * bulk_unif(&s)) : 0;
	r->prio = atoi(PQgetvalue(b->svc, lo, 3));
	if (bulk_unif(&s) < 0.15)
		r->prio = r->prio > 1 && bulk_unif(&s) < 0.5 ? r->prio - 1 :
		    (r->prio < 4 ? r->prio + 1 : r->prio);
	u = bulk_unif(&s);
	r->channel = u < 0.5 ? "phone" : u < 0.65 ? "walk_in" : u < 0.8 ?
	    "web" : u < 0.9 ? "sms" : u < 0.95 ? "api" : "email";
}

static int
bulk_agent(const struct bulk *b, uint64_t *s, int svc)
{
	if (b->agent_n[svc] > 0)
		return b->agent_first[svc] + bulk_pick(s, b->agent_n[svc]);
	return b->nagent > 0 ? bulk_pick(s, b->nagent) : -1;
}

static void
bulk_event(struct bulk_row *r, int64_t at, const char *kind,
    const char *from, const char *to, const char *note, int actor)
{
	struct bulk_event	*e = &r->ev[r->nev++];

	e->at = at;
	e->kind = kind;
	e->from = from;
	e->to = to;
	e->note = note;
	e->actor = actor;
	e->public = strcmp(kind, "status") == 0 || strcmp(kind, "created") == 0;
	r->updated = at;
	if (strcmp(kind, "created") != 0 && strcmp(kind, "duplicate") != 0)
		r->version++;
}

/*
 * An event of the sweep's, put among the others in time order (after
 * those at the same time).  A warning changes neither the version nor
 * updated_at (the sweep's UPDATE sets only sla_warned_at); an escalation
 * changes both.
 */
static void
bulk_event_at(struct bulk_row *r, int64_t at, const char *kind,
    const char *from, const char *to, const char *note)
{
	struct bulk_event	e;
	int			k;

	if (r->nev >= BULK_MAXEV)
		return;
	memset(&e, 0, sizeof e);
	e.at = at;
	e.kind = kind;
	e.from = from;
	e.to = to;
	e.note = note;
	e.actor = -1;
	for (k = r->nev; k > 0 && r->ev[k - 1].at > at; k--)
		r->ev[k] = r->ev[k - 1];
	r->ev[k] = e;
	r->nev++;
	if (strcmp(kind, "escalated") == 0) {
		r->version++;
		if (at > r->updated)
			r->updated = at;
	}
}

/*
 * The SLA stamps of a request that ran (was new, acknowledged or in
 * progress) from its creation until stop: see the top of this file.
 * The sweep comes within a minute of the time.
 */
static void
bulk_sla(const struct bulk *b, uint64_t *s, struct bulk_row *r, int64_t stop,
    int on_hold)
{
	const PGresult	*svc = b->svc;
	int64_t		 span = r->due - r->created, w, e;
	int		 raise = 0, was = r->prio;
	time_t		 due;
	struct tm	 tm;

	r->resolve_left = -1;
	if (!PQgetisnull(svc, r->svc, 7)) {
		r->ack_due = r->created + span * atoi(PQgetvalue(svc, r->svc, 8)) /
		    atoi(PQgetvalue(svc, r->svc, 9));
		/* as the trigger: not before the acknowledgement is due */
		r->warn_at = r->created + span * atoi(PQgetvalue(svc, r->svc, 10)) /
		    100;
		if (r->warn_at < r->ack_due)
			r->warn_at = r->ack_due;
		raise = atoi(PQgetvalue(svc, r->svc, 11));
	}
	/* the deadline in the city's time (UTC+7), as the sweep writes it */
	due = (time_t)((r->due + 7 * US_HOUR) / 1000000);
	gmtime_r(&due, &tm);
	strftime(r->due_text, sizeof r->due_text, "%Y-%m-%d %H:%M", &tm);

	w = r->warn_at + (int64_t)bulk_pick(s, 60) * INT64_C(1000000);
	e = r->due + (int64_t)bulk_pick(s, 60) * INT64_C(1000000);
	if (r->warn_at != 0 && w < stop && w < r->due && w <= b->now) {
		r->warned = w;
		bulk_event_at(r, w, "sla_warning", NULL, r->due_text,
		    "the resolve target is close");
	}
	if (e < stop && e <= b->now) {
		r->escalated = e;
		if (r->warned == 0)
			r->warned = e;
		r->prio = r->prio - raise < 1 ? 1 : r->prio - raise;
		snprintf(r->esc_from, sizeof r->esc_from, "%d", was);
		snprintf(r->esc_to, sizeof r->esc_to, "%d", r->prio);
		snprintf(r->esc_note, sizeof r->esc_note,
		    "the resolve target passed at %s", r->due_text);
		bulk_event_at(r, e, "escalated", r->esc_from, r->esc_to,
		    r->esc_note);
	}
	if (on_hold) {
		r->paused = stop;
		r->resolve_left = r->due > stop ?
		    (int)((r->due - stop) / (60 * INT64_C(1000000))) : 0;
	}
}

/*
 * Whether request i, if it ends closed, is a duplicate: from its own
 * stream, so that a duplicate's original can be chosen among requests
 * that are not duplicates themselves without making them.
 */
static int
bulk_dupmark(const struct bulk *b, int64_t i)
{
	uint64_t	s = b->seed ^ ((uint64_t)i * 2 + 3) * UINT64_C(0xd6e8feb86659fd93);

	return i > 0 && bulk_next(&s) % 100 < 6;
}

/* Which status a request ends in: open ones are mostly recent. */
static int
bulk_fate(const struct bulk *b, uint64_t *s, int64_t i, double age_days)
{
	double	w = exp(-age_days / 90.0) + 0.05, p, u;

	p = b->open_fraction * w / b->mean_w;
	u = bulk_unif(s);
	if (u < (p > 0.95 ? 0.95 : p)) {
		u = bulk_unif(s);
		return u < 0.25 ? 0 : u < 0.55 ? 1 : u < 0.9 ? 2 : 3;
	}
	if (bulk_dupmark(b, i))
		return 7;
	if (bulk_unif(s) < 0.12)
		return 6;
	return bulk_unif(s) < (age_days < 14 ? 0.5 : 0.02) ? 4 : 5;
}

/* An earlier request, not a duplicate, for request i to duplicate; or -1. */
static int64_t
bulk_original(const struct bulk *b, uint64_t *s, int64_t i)
{
	int64_t	j;
	int	tries;

	for (tries = 0; tries < 8; tries++) {
		j = i - 1 - bulk_pick(s, i < 200 ? (int)i : 200);
		if (!bulk_dupmark(b, j))
			return j;
	}
	return -1;
}

void
bulk_make(const struct bulk *b, int64_t i, struct bulk_row *r)
{
	uint64_t	 s = b->seed ^ ((uint64_t)i * 2 + 2) * UINT64_C(0x9e3779b97f4a7c15);
	int64_t		 t, w[4], room, sum, j;
	int		 fate, k, who;
	const char	*dept;
	double		 day;

	memset(r, 0, sizeof *r);
	r->id = b->base_id + i;
	bulk_identity(b, i, r);
	day = floor(b->days * ((double)i + bulk_unif(&s)) / (double)b->n);
	r->created = b->start + (int64_t)(day * US_DAY) +
	    (int64_t)((7.0 + 7.0 * (bulk_unif(&s) + bulk_unif(&s))) * US_HOUR);
	if (r->created >= b->now)
		r->created = b->now - (int64_t)(bulk_unif(&s) * US_HOUR) - 1;
	fate = bulk_fate(b, &s, i, (double)(b->now - r->created) / US_DAY);
	if (fate == 7 && (j = bulk_original(b, &s, i)) < 0)
		fate = 6;
	if (fate == 7) {
		/* the same trouble, reported again by someone else */
		int64_t	 rep = r->reporter;
		const char *ch = r->channel;

		bulk_identity(b, j, r);
		r->reporter = rep;
		r->channel = ch;
		r->dup_of = b->base_id + j;
		request_ticket_of(r->dup_of, r->dup_ticket, sizeof r->dup_ticket);
	}
	request_ticket_of(r->id, r->ticket, sizeof r->ticket);
	r->status = bulk_statuses[fate];
	r->version = 1;
	r->due = r->created + (int64_t)(r->prio == 1 ? 1 : r->prio == 2 ? 3 :
	    r->prio == 3 ? 7 : 14) * US_DAY;
	dept = PQgetvalue(b->svc, r->svc, 2);
	r->asg = -1;
	if (b->agent_n[r->svc] > 0 && bulk_unif(&s) < (fate == 0 ? 0.1 : 0.7))
		r->asg = b->agent_first[r->svc] + bulk_pick(&s, b->agent_n[r->svc]);
	bulk_event(r, r->created, "created", NULL, "new", NULL,
	    b->nagent > 0 ? bulk_pick(&s, b->nagent) : -1);

	/* the waits between steps, squeezed to fit before now */
	w[0] = bulk_wait(&s, 8);
	w[1] = bulk_wait(&s, 24);
	w[2] = bulk_wait(&s, 120);
	w[3] = bulk_wait(&s, 48);
	room = b->now - r->created - 60 * INT64_C(1000000);
	if (room < 0)
		room = 0;
	sum = w[0] + w[1] + w[2] + w[3];
	if (sum > room)
		for (k = 0; k < 4; k++)
			w[k] = (int64_t)((double)w[k] * (double)room / (double)sum * 0.95);
	t = r->created;
	who = r->asg >= 0 ? r->asg : bulk_agent(b, &s, r->svc);
	if (r->asg >= 0) {
		snprintf(r->assigned, sizeof r->assigned, "%s/%s", dept,
		    PQgetvalue(b->agents, r->asg, 1));
		bulk_event(r, t + w[0] / 2, "assigned", NULL, r->assigned, NULL, who);
		r->ev[r->nev - 1].from = dept;
	}
	switch (fate) {
	case 0:
		break;
	case 6:
		r->closed = t + w[0];
		bulk_event(r, r->closed, "status", "new", "rejected",
		    "bukan kewenangan Pemkot / not a city matter", who);
		break;
	case 7:
		r->closed = t + w[0];
		bulk_event(r, r->closed, "status", "new", "duplicate",
		    NULL, who);
		bulk_event(r, r->closed, "duplicate", NULL, r->dup_ticket,
		    NULL, who);
		break;
	default:
		r->ack = t += w[0];
		bulk_event(r, t, "status", "new", "acknowledged", NULL, who);
		if (fate == 1)
			break;
		if (fate == 3) {
			bulk_event(r, t += w[1], "status", "acknowledged",
			    "on_hold", "menunggu material / waiting for parts", who);
			break;
		}
		bulk_event(r, t += w[1], "status", "acknowledged",
		    "in_progress", NULL, who);
		if (fate == 2)
			break;
		r->resolved = t += w[2];
		bulk_event(r, t, "status", "in_progress", "resolved", NULL, who);
		if (fate == 5) {
			r->closed = t += w[3];
			bulk_event(r, t, "status", "resolved", "closed", NULL, who);
		}
	}
	/* it ran until it was resolved, closed or put on hold, or runs */
	bulk_sla(b, &s, r, fate <= 2 ? b->now + 1 : fate == 3 ? t :
	    r->resolved != 0 ? r->resolved : r->closed, fate == 3);
}

void
bulk_put_request(struct copybuf *cb, const struct bulk *b,
    const struct bulk_row *r, char *desc, size_t descsz)
{
	uint64_t	s = b->seed ^ (uint64_t)r->id * UINT64_C(0xd1b54a32d192ed03);
	const char	*addr, *dist;

	/*
	 * A sample with a closing remark, within the 4,000 characters; a
	 * sample from an earlier bulk load may have one already.
	 */
	if (r->desc >= 0) {
		const char	*sample = PQgetvalue(b->descs, r->desc, 1);
		size_t		 n = strlen(sample), m;
		int		 k, remark = n < 3900;

		for (k = 2; k < 6 && remark; k++) {
			m = strlen(bulk_suffix[k]);
			remark = n < m || strcmp(sample + n - m, bulk_suffix[k]) != 0;
		}
		snprintf(desc, descsz, "%s%s", sample,
		    remark ? bulk_suffix[bulk_pick(&s, 6)] : "");
	} else {
		snprintf(desc, descsz, "%s: laporan warga%s",
		    PQgetvalue(b->svc, r->svc, 5), bulk_suffix[bulk_pick(&s, 6)]);
	}
	if (b->naddr > 0) {
		addr = PQgetvalue(b->addrs, r->addr, 0);
		dist = PQgetisnull(b->addrs, r->addr, 1) ? NULL :
		    PQgetvalue(b->addrs, r->addr, 1);
	} else {
		addr = bulk_places[r->addr][0];
		dist = bulk_places[r->addr][1];
	}
	copy_be(cb, 28, 2);
	copy_int(cb, r->id, 8);
	copy_text(cb, r->ticket);
	copy_int(cb, atoi(PQgetvalue(b->svc, r->svc, 0)), 4);
	copy_int(cb, atoi(PQgetvalue(b->svc, r->svc, 1)), 4);
	if (r->asg >= 0)
		copy_int(cb, atoi(PQgetvalue(b->agents, r->asg, 0)), 4);
	else
		copy_null(cb);
	copy_text(cb, r->status);
	copy_int(cb, r->prio, 2);
	copy_text(cb, desc);
	copy_text(cb, addr);
	copy_text(cb, dist);
	if (r->has_geo)
		copy_point(cb, r->lat, r->lon);
	else
		copy_null(cb);
	copy_text(cb, r->channel);
	if (r->reporter > 0)
		copy_int(cb, r->reporter, 8);
	else
		copy_null(cb);
	copy_time(cb, r->created);
	copy_time(cb, r->updated);
	copy_time(cb, r->ack);
	copy_time(cb, r->resolved);
	copy_time(cb, r->closed);
	copy_time(cb, r->due);
	copy_int(cb, r->version, 4);
	if (r->dup_of > 0)
		copy_int(cb, r->dup_of, 8);
	else
		copy_null(cb);
	if (PQgetisnull(b->svc, r->svc, 7))
		copy_null(cb);
	else
		copy_int(cb, atoi(PQgetvalue(b->svc, r->svc, 7)), 4);
	copy_time(cb, r->ack_due);
	copy_time(cb, r->warn_at);
	copy_time(cb, r->warned);
	copy_time(cb, r->escalated);
	copy_time(cb, r->paused);
	if (r->resolve_left >= 0)
		copy_int(cb, r->resolve_left, 4);
	else
		copy_null(cb);
}

void
bulk_put_events(struct copybuf *cb, const struct bulk *b,
    const struct bulk_row *r)
{
	const struct bulk_event	*e;
	struct audit_event	 a;
	unsigned char		 seal[AUDIT_SEAL_LEN];
	int			 k;

	/* sealed as kota.event_seal would: the triggers are off (audit.h) */
	for (k = 0; k < r->nev; k++) {
		e = &r->ev[k];
		a.request_id = r->id;
		a.at_us = e->at;
		a.actor = e->actor >= 0 ? PQgetvalue(b->agents, e->actor, 1) :
		    b->loader;
		a.kind = e->kind;
		a.old_value = e->from;
		a.new_value = e->to;
		a.note = e->note;
		a.public = e->public != 0;
		audit_seal(k == 0 ? NULL : seal, &a, seal);
		copy_be(cb, 9, 2);
		copy_int(cb, r->id, 8);
		copy_time(cb, e->at);
		copy_text(cb, a.actor);
		copy_text(cb, e->kind);
		copy_text(cb, e->from);
		copy_text(cb, e->to);
		copy_text(cb, e->note);
		copy_int(cb, e->public, 1);
		copy_bytes(cb, seal, sizeof seal);
	}
}

void
bulk_put_citizen(struct copybuf *cb, const struct bulk *b, int64_t id)
{
	uint64_t	s = b->seed ^ (uint64_t)id * UINT64_C(0x8cb92ba72f3d8dd7);
	char		name[64], phone[24];
	int		has_name = bulk_unif(&s) < 0.65;

	snprintf(name, sizeof name, "%s%s%s", bulk_names[bulk_pick(&s, 28)],
	    bulk_unif(&s) < 0.5 ? " " : "",
	    bulk_unif(&s) < 0.5 ? bulk_names[bulk_pick(&s, 28)] : "");
	/* a bijection of the id onto 8 digits: numbers never collide */
	snprintf(phone, sizeof phone, "+62859%08" PRIu64,
	    ((uint64_t)id * UINT64_C(48271) + UINT64_C(12345)) % UINT64_C(100000000));
	copy_be(cb, 6, 2);
	copy_int(cb, id, 8);
	copy_text(cb, has_name ? name : NULL);
	copy_text(cb, phone);
	copy_text(cb, bulk_unif(&s) < 0.9 ? "id" : "en");
	copy_text(cb, "sms");
	copy_time(cb, b->start);
}
