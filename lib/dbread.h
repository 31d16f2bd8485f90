/*
 * dbread.h: reads on a streaming standby, beside the primary's struct db
 *
 * A program that may read from a standby keeps its struct db for the
 * primary, as always, and a struct dbread beside it.  Before a DB_READ it
 * asks dbread_db() which connection to use: the standby when one is
 * configured, reachable, in recovery, no further behind than max_lag and
 * past this session's last write; the primary otherwise.  Nothing but a
 * DB_READ may go there: a standby refuses writes, LISTEN, NOTIFY and
 * SELECT ... FOR UPDATE (SKIP LOCKED), and an advisory lock taken there
 * coordinates nothing.
 *
 * The lag is measured cheaply, one query on the standby at most once a
 * second (DBREAD_CHECK_MS), from two positions the standby knows: the WAL
 * it received and the WAL it replayed.  When it has replayed all it
 * received it is not behind, however long ago the last commit was (an
 * idle primary is no lag).  When it is behind, the lag is how long ago
 * the oldest WAL it has not replayed yet was first seen received, from
 * the samples of this connection (struct dbread_track); on the first
 * sample of a connection, which has no history, the age of the last
 * transaction it replayed (pg_last_xact_replay_timestamp()), an upper
 * bound.  The last commit's age alone would make every write after a
 * quiet spell look like a lag as long as the quiet.  What the standby has
 * not received at all it cannot know: a standby cut off from a live
 * primary looks idle (pg_stat_replication on the primary shows it).
 *
 * Read-your-writes: after a write on the primary the program calls
 * dbread_wrote(), which asks the primary where its WAL ends
 * (pg_current_wal_insert_lsn(), one round trip); until the standby has
 * replayed that far the reads stay on the primary.
 *
 * A standby that is gone is tried again later, after 1 s, doubling to
 * 10 s, and never blocks the caller longer than its connect_timeout
 * (2 s when the conninfo names none); with dbread_set_async() it never
 * blocks at all.
 */
#ifndef KOTA_DBREAD_H
#define KOTA_DBREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

#define DBREAD_MAX_LAG_DEFAULT	30.0	/* seconds: [database] max_lag */
#define DBREAD_CHECK_MS		1000	/* lag measured at most this often */
#define DBREAD_RETRY_MIN_MS	1000	/* a gone standby tried again after */
#define DBREAD_RETRY_MAX_MS	10000
#define DBREAD_CONNECT_TIMEOUT	"2"	/* seconds, unless the conninfo says */

struct dbread;

/* Where the reads go, and why. */
enum dbread_why {
	DBREAD_STANDBY,		/* the standby */
	DBREAD_NONE,		/* no read_conninfo: the primary, as always */
	DBREAD_GONE,		/* the standby cannot be reached */
	DBREAD_BEHIND,		/* further behind than max_lag (or unknown) */
	DBREAD_NOT_STANDBY,	/* the server is not in recovery (promoted?) */
	DBREAD_OWN_WRITE,	/* it has not replayed this session's write */
};

/*
 * Reads go to read_conninfo (may be NULL or "": none) when it is usable,
 * else to primary, which the caller keeps owning and connecting.  appname
 * is the standby connection's fallback_application_name.  max_lag <= 0
 * takes the default.  Nothing is connected until the first dbread_db().
 */
struct dbread	*dbread_new(struct db *primary, const char *read_conninfo,
		    double max_lag);
void		 dbread_free(struct dbread **);
/* The standby's application name (default "kota-read"); before use. */
void		 dbread_set_appname(struct dbread *, const char *appname);
/*
 * What each new standby session needs before its first read, as the
 * primary's has it (DateStyle, TimeZone): fn runs on the standby's struct
 * db after every connect; nonzero fails the connect.
 */
typedef int	(*dbread_setup_fn)(struct db *standby, void *arg,
		    struct db_error *err);
/*
 * A program with a loop to keep going (the console): connects to the
 * standby are started by dbread_db() and moved on by its later calls,
 * never waited for; until one is done the reads go to the primary, and
 * connect_timeout gives one up.  A lost standby is not reset in place
 * either.  Without it (kotactl, which reads once) dbread_db() waits for
 * the connect, as long as connect_timeout at most.
 */
void		 dbread_set_async(struct dbread *r, bool async);
/*
 * The socket of an async connect under way, and what to poll() it for
 * (-1: none): when it is ready, call dbread_db() to move the connect on.
 */
int		 dbread_connect_fd(const struct dbread *r, short *events);
void		 dbread_set_setup(struct dbread *, dbread_setup_fn fn,
		    void *arg);

/*
 * The connection for the next DB_READ: the standby when it is up, within
 * max_lag and has replayed this session's last write; else the primary.
 * Never NULL.  May connect to the standby (bounded by connect_timeout)
 * and run the lag query on it.
 */
struct db	*dbread_db(struct dbread *);

/*
 * Run a statement where it belongs: a DB_READ through dbread_db(), and on
 * the primary when the standby fails it with a lost connection (a read
 * may be retried; the standby is then marked gone); anything else on the
 * primary.  As db_run().
 */
PGresult	*dbread_run(struct dbread *, const struct db_stmt *st,
		    const char *const *params, struct db_error *err);
/* db_query() through dbread_run(): SQL built at run time, as a DB_READ. */
PGresult	*dbread_query(struct dbread *, const char *name,
		    const char *sql, int n, const char *const *params,
		    struct db_error *err);

/*
 * After a write on the primary: read-your-writes.  Asks the primary where
 * its WAL ends; reads stay there until the standby has replayed that far.
 * Without a standby it costs nothing.
 */
void		 dbread_wrote(struct dbread *);

/*
 * What the status line shows: the lag in seconds of the standby the last
 * dbread_db() chose, or -1 when the reads go to the primary; why, as an
 * enum and as a short phrase in the user's language ("standby gone",
 * "standby too far behind"...; "" for DBREAD_STANDBY and DBREAD_NONE).
 */
double		 dbread_lag(const struct dbread *);
enum dbread_why	 dbread_why(const struct dbread *);
const char	*dbread_state(const struct dbread *);
/* A read_conninfo is set (whether or not the standby is usable now). */
bool		 dbread_configured(const struct dbread *);
/*
 * The server of db is a hot standby (it says so itself: in_hot_standby,
 * PostgreSQL 14 and later).  For the message of a write it refused.
 */
bool		 dbread_is_standby(struct db *db);
/* The standby's connection, or NULL: for a test or a log line. */
struct db	*dbread_standby(struct dbread *);

/* The pure parts, for the unit tests ------------------------------------ */

/* "16/B374D848" into *lsn; -1 when it is not an LSN. */
int		 dbread_lsn_parse(const char *text, uint64_t *lsn);

/* One look at the standby, as its lag query answered. */
struct dbread_sample {
	bool		recovery;	/* pg_is_in_recovery() */
	bool		have_receive;	/* pg_last_wal_receive_lsn() not NULL */
	uint64_t	receive;
	uint64_t	replay;		/* pg_last_wal_replay_lsn() */
	bool		have_age;	/* a transaction was replayed */
	double		age;		/* seconds since it committed */
};

/*
 * The lag of a sample alone: 0 when everything received is replayed, else
 * the age of the last replayed transaction; -1 when unknown (behind, and
 * nothing replayed yet).
 */
double		 dbread_sample_lag(const struct dbread_sample *s);

/* What the samples of one connection saw received, and when. */
#define DBREAD_TRACK	32
struct dbread_track {
	bool		started;	/* a sample was taken */
	int		n;
	uint64_t	lsn[DBREAD_TRACK];	/* ascending */
	int64_t		seen[DBREAD_TRACK];	/* ms, when first received */
};
/*
 * Add a sample taken at now_ms (a monotonic clock) and return the lag in
 * seconds: 0 when all received is replayed; else since the oldest
 * received position not yet replayed was first seen; -1 when unknown.
 * A zeroed struct starts a connection's history.
 */
double		 dbread_track_lag(struct dbread_track *tr,
		    const struct dbread_sample *s, int64_t now_ms);
/*
 * Where a read goes, from a sample and its lag: wrote is the primary's
 * WAL position after this session's last write not yet seen replayed
 * (0: none).
 */
enum dbread_why	 dbread_decide(const struct dbread_sample *s, double lag,
		    double max_lag, uint64_t wrote);
/*
 * conninfo with key=val added when it names no key: a keyword=value
 * string gets " key='val'" (quoted as libpq reads it), a URI "?key=val"
 * (or "&...", val percent-encoded); a copy when it names key already;
 * NULL when conninfo cannot be parsed.  To be freed.  The standby gets
 * connect_timeout this way, and the primary's user and database when
 * read_conninfo names none ("-r host=standby").
 */
char		*dbread_conninfo_with(const char *conninfo, const char *key,
		    const char *val);

#endif
