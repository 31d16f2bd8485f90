/*
 * seed_bulk.h: kotactl seed --bulk, a large data set for tests and benchmarks
 *
 * seed_bulk.c streams the tables with binary COPY over parallel
 * connections; seed_rows.c makes the rows.  Each request is made from
 * random streams of its own index, so any part can be made again, in any
 * order, by any stream.
 */
#ifndef KOTA_SEED_BULK_H
#define KOTA_SEED_BULK_H

#include <stdint.h>
#include <libpq-fe.h>

#include "kotactl.h"

#define SEED_BULK_MAX	100000000LL	/* requests in one run */

/* Refuse (and say why) unless the connected role may bulk-load: a superuser. */
int	seed_bulk_allowed(struct ctl *ctl);

/*
 * Add n requests over the last years, about open_fraction of them open,
 * with their citizens and histories, to a database that has services and
 * departments; the caller checked seed_bulk_allowed().  Returns an exit
 * code.
 */
int	seed_bulk(struct ctl *ctl, long long n, double years,
	    double open_fraction);

/* Internals shared by seed_bulk.c and seed_rows.c ------------------------ */

#define BULK_BUFSZ	(1 << 20)
#define US_HOUR		INT64_C(3600000000)
#define US_DAY		(24 * US_HOUR)
#define PG_EPOCH_US	INT64_C(946684800000000)	/* 2000-01-01 in Unix time */
#define BULK_MAXEV	10	/* 6 steps, a warning and an escalation */

/* One binary COPY ... FROM STDIN in progress. */
struct copybuf {
	PGconn		*conn;
	size_t		 len;
	int		 failed;
	char		 data[BULK_BUFSZ];
};

struct bulk_event {
	int64_t		 at;
	const char	*kind, *from, *to, *note;
	int		 actor;			/* agent row, -1: the loader */
	int		 public;
};

struct bulk_row {
	int64_t		 id, reporter, dup_of;
	int64_t		 created, updated, ack, resolved, closed, due;
	int64_t		 ack_due, warn_at, warned, escalated, paused;
	int		 svc, desc, addr, asg, prio, version, has_geo, nev;
	int		 resolve_left;	/* minutes, when paused; -1: NULL */
	double		 lat, lon;
	const char	*status, *channel;
	char		 ticket[24], dup_ticket[24], assigned[96];
	char		 esc_from[8], esc_to[8], due_text[24], esc_note[64];
	struct bulk_event ev[BULK_MAXEV];
};

/* A whole run: what the database holds, and what to make. */
struct bulk {
	struct ctl	*ctl;
	PGresult	*svc, *agents, *descs, *addrs;	/* read at the start */
	/*
	 * svc columns: id, department id, department code, default
	 * priority, code, name_id, requests seen; then the service's SLA
	 * policy: id (empty: none), ack and resolve minutes, warn percent,
	 * escalate raise
	 */
	int		 nsvc, nagent, ndesc, naddr;
	double		*svc_cum;	/* cumulative weight per service */
	int		*desc_first, *desc_n;	/* sample texts per service */
	int		*agent_first, *agent_n;	/* agents per service's dept */
	long long	 n;
	int64_t		 base_id, base_cit, ncit;	/* reserved id blocks */
	int64_t		 now, start;	/* microseconds, Unix epoch */
	double		 open_fraction, mean_w, days;
	uint64_t	 seed;
	char		 loader[64];	/* the actor of events with no agent */
};

extern const char *const bulk_statuses[8];

int	copy_begin(struct copybuf *cb, PGconn *conn, const char *sql,
	    struct db_error *err);
int	copy_end(struct copybuf *cb, struct db_error *err);
void	copy_be(struct copybuf *cb, uint64_t v, int bytes);
void	copy_int(struct copybuf *cb, int64_t v, int bytes);
void	copy_null(struct copybuf *cb);
void	copy_text(struct copybuf *cb, const char *s);
void	copy_bytes(struct copybuf *cb, const void *p, size_t n);
void	copy_time(struct copybuf *cb, int64_t us);
void	copy_point(struct copybuf *cb, double lat, double lon);

void	bulk_make(const struct bulk *b, int64_t i, struct bulk_row *r);
void	bulk_put_request(struct copybuf *cb, const struct bulk *b,
	    const struct bulk_row *r, char *desc, size_t descsz);
void	bulk_put_events(struct copybuf *cb, const struct bulk *b,
	    const struct bulk_row *r);
void	bulk_put_citizen(struct copybuf *cb, const struct bulk *b,
	    int64_t id);

#endif
