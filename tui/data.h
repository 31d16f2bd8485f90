/*
 * data.h: what the console reads, each one SQL call with $n parameters
 *
 * Reads go through the API functions of schema/004_console.sql (queue_page,
 * request_history...) and a few catalogue queries, each declared a DB_READ
 * (db.h); the dashboard's fold of the counters, request_detail and
 * citizen_lookup (they record the read in the access log) and request_seen
 * are DB_WRITEs.  With a standby (kota -r), the dashboard's figures and
 * the queue lists and counts are read where lib/dbread.h sends them; the
 * request screen, the new-request form and the catalogue always read the
 * primary, the one the clerk changes.  A result stays a
 * PGresult; its columns are found by name once (db_column), and rows are
 * read through data_get() with the column's enum, never by position.
 * Changes go through lib/request.h, not here.
 */
#ifndef KOTA_TUI_DATA_H
#define KOTA_TUI_DATA_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "db.h"

struct tui;

#define DATA_MAXCOL	48

struct data_rows {
	PGresult	*res;
	int		 n;
	int		 col[DATA_MAXCOL];
};

/* kota.queue_page() */
enum {
	QC_ID, QC_TICKET, QC_STATUS, QC_PRIORITY, QC_SERVICE,
	QC_SERVICE_NAME_ID, QC_SERVICE_NAME_EN, QC_DEPARTMENT, QC_ASSIGNEE,
	QC_DISTRICT, QC_ADDRESS, QC_SUMMARY, QC_CREATED_AT, QC_UPDATED_AT,
	QC_DUE_AT, QC_VERSION, QC_IS_OPEN, QC_REPORTER_PHONE,
	QC_CITIZEN_SAID, QC_COUNT
};

/* kota.report_queues() (007), for the dashboard */
enum {
	RQ_DEPARTMENT, RQ_NAME_ID, RQ_NAME_EN, RQ_OPEN, RQ_NEW,
	RQ_ACKNOWLEDGED, RQ_IN_PROGRESS, RQ_ON_HOLD, RQ_UNASSIGNED, RQ_OVERDUE,
	RQ_AT_RISK, RQ_AGE_LT_1D, RQ_AGE_1_3D, RQ_AGE_3_7D, RQ_AGE_GT_7D,
	RQ_INTAKE_TODAY, RQ_CLOSED_TODAY, RQ_INTAKE_WEEK, RQ_CLOSED_WEEK,
	RQ_MEDIAN_RESOLVE_HOURS, RQ_SLA_MET_PERCENT, RQ_COUNT
};

/* kota.dashboard_ages(): open requests by hours since they came in */
enum { RG_DEPARTMENT, RG_LT_24H, RG_24_72H, RG_72_168H, RG_GT_168H, RG_COUNT };

/* kota.report_agents() (007) */
enum {
	RA_AGENT, RA_DISPLAY_NAME, RA_DEPARTMENT, RA_OPEN, RA_IN_PROGRESS,
	RA_OVERDUE, RA_RESOLVED, RA_COUNT
};

/* kota.dashboard_daily() (009) */
enum { RD_DEPARTMENT, RD_DAY, RD_INTAKE, RD_CLOSED, RD_COUNT };

/* kota.request_detail() */
enum {
	DC_ID, DC_TICKET, DC_STATUS, DC_STATUS_LABEL_ID, DC_STATUS_LABEL_EN,
	DC_IS_OPEN, DC_PRIORITY, DC_SERVICE, DC_SERVICE_NAME_ID,
	DC_SERVICE_NAME_EN, DC_DEPARTMENT, DC_DEPARTMENT_NAME_ID,
	DC_DEPARTMENT_NAME_EN, DC_ASSIGNEE, DC_ASSIGNEE_NAME, DC_DESCRIPTION,
	DC_ADDRESS, DC_DISTRICT, DC_LAT, DC_LON, DC_CHANNEL, DC_REPORTER_ID,
	DC_REPORTER_NAME, DC_REPORTER_PHONE, DC_REPORTER_EMAIL,
	DC_REPORTER_LANG, DC_WATCHERS, DC_CREATED_AT, DC_UPDATED_AT,
	DC_ACK_AT, DC_RESOLVED_AT, DC_CLOSED_AT, DC_DUE_AT, DC_VERSION,
	DC_DUPLICATE_OF, DC_DUPLICATE_OF_TICKET, DC_SOURCE_APP,
	DC_KECAMATAN, DC_KELURAHAN, DC_AREA_IDS, DC_PLACE_NOTE, DC_COUNT
};

/* kota.request_history() */
enum {
	HC_ID, HC_AT, HC_ACTOR, HC_ACTOR_NAME, HC_KIND, HC_OLD_VALUE,
	HC_NEW_VALUE, HC_NOTE, HC_PUBLIC, HC_COUNT
};

/* kota.request_notifications() */
enum {
	NC_ID, NC_CREATED_AT, NC_EVENT, NC_CHANNEL, NC_RECIPIENT, NC_STATE,
	NC_ATTEMPTS, NC_LAST_ERROR, NC_SENT_AT, NC_COUNT
};

/*
 * kota.request_conversation(): the citizen's messages (in) and what was
 * sent to the citizen (out), in time order
 */
enum {
	VC_AT, VC_DIRECTION, VC_CHANNEL, VC_PARTY, VC_BODY, VC_STATE,
	VC_ACTION, VC_COUNT
};

/* kota.request_allowed() */
enum { AC_TO_STATUS, AC_LABEL_ID, AC_LABEL_EN, AC_NOTE_REQUIRED, AC_COUNT };

/* kota.duplicate_candidates() */
enum {
	UC_ID, UC_TICKET, UC_STATUS, UC_SUMMARY, UC_ADDRESS, UC_CREATED_AT,
	UC_SIMILARITY, UC_DISTANCE_M, UC_COUNT
};

/* kota.areas_at(): the areas around a point, or named by a district */
enum { AR_ID, AR_LAYER, AR_KIND, AR_CODE, AR_NAME, AR_COUNT };

/* kota.dashboard_hotspots(): this week against the 8 weeks before */
enum {
	HS_AREA, HS_AREA_NAME, HS_SERVICE, HS_SERVICE_NAME, HS_THIS_WEEK,
	HS_OPEN_NOW, HS_AVG_8W, HS_RATIO, HS_COUNT
};

/* kota.citizen_lookup() */
enum {
	CC_ID, CC_NAME, CC_PHONE, CC_EMAIL, CC_LANG, CC_CHANNEL, CC_OPTED_OUT,
	CC_REQUESTS, CC_OPEN_REQUESTS, CC_COUNT
};

/* A value; "" for SQL NULL.  Valid until data_rows_release(). */
const char	*data_get(const struct data_rows *r, int row, int col);
bool		 data_null(const struct data_rows *r, int row, int col);
long long	 data_int(const struct data_rows *r, int row, int col);
bool		 data_bool(const struct data_rows *r, int row, int col);
void		 data_rows_release(struct data_rows *r);

/* A timestamptz as PostgreSQL writes it (DateStyle ISO); 0 if NULL/bad. */
time_t		 data_time(const char *text);

/* The queue list. */
enum queue_sort { QUEUE_SORT_PRIORITY, QUEUE_SORT_AGE, QUEUE_SORT_UPDATED };

struct queue_filter {
	char		department[24];	/* "" any */
	bool		mine;		/* assigned to the logged-in agent */
	char		assignee[64];	/* "" any (mine wins); an agent's role */
	char		status[24];	/* "" open; open, closed, all, a code */
	char		service[40];	/* "" any */
	char		search[256];	/* "" none */
	char		slice[24];	/* "" none; a dashboard number's requests */
	enum queue_sort	sort;
};

/* The sort key of a row: where the next page starts. */
struct queue_key {
	bool		set;
	int		priority;
	char		ts[48];
	long long	id;
};

const char	*data_sort_name(enum queue_sort sort);
int	data_queue_page(struct tui *t, const struct queue_filter *f,
	    const struct queue_key *after, int limit, struct data_rows *out,
	    struct db_error *err);
void	data_queue_key(const struct data_rows *r, int row,
	    enum queue_sort sort, struct queue_key *key);
/* How many requests f finds, counted up to max (1000 at most). */
int	data_queue_count(struct tui *t, const struct queue_filter *f, int max,
	    long *found, struct db_error *err);
/* Counts for the status line: department "" is the whole city. */
int	data_queue_counts(struct tui *t, const char *department,
	    long counts[5], struct db_error *err);

/* The dashboard: figures over the last days, for supervisors. */
int	data_dash_queues(struct tui *t, int days, struct data_rows *out,
	    struct db_error *err);
int	data_dash_agents(struct tui *t, int days, struct data_rows *out,
	    struct db_error *err);
int	data_dash_ages(struct tui *t, struct data_rows *out,
	    struct db_error *err);
int	data_tally_fold(struct tui *t, struct db_error *err);
int	data_dash_daily(struct tui *t, int days, struct data_rows *out,
	    struct db_error *err);
int	data_dash_hotspots(struct tui *t, int limit, struct data_rows *out,
	    struct db_error *err);

int	data_request_detail(struct tui *t, int64_t id, struct data_rows *out,
	    struct db_error *err);
int	data_request_history(struct tui *t, int64_t id, struct data_rows *out,
	    struct db_error *err);
int	data_request_notifications(struct tui *t, int64_t id,
	    struct data_rows *out, struct db_error *err);
int	data_request_conversation(struct tui *t, int64_t id,
	    struct data_rows *out, struct db_error *err);
/*
 * The agent has seen what the citizen wrote (kota.request_seen()): *seen
 * says whether the request was marked in the queue until now.
 */
int	data_request_seen(struct tui *t, int64_t id, bool *seen,
	    struct db_error *err);
int	data_request_allowed(struct tui *t, int64_t id, struct data_rows *out,
	    struct db_error *err);
/* lat and lon NULL: no point; else strings of decimal degrees */
int	data_duplicates(struct tui *t, const char *service,
	    const char *description, const char *address, const char *lat,
	    const char *lon, int limit, struct data_rows *out,
	    struct db_error *err);
/* The areas at lat, lon (both NULL: none), else named by district. */
int	data_areas_at(struct tui *t, const char *lat, const char *lon,
	    const char *district, struct data_rows *out, struct db_error *err);
int	data_citizen_lookup(struct tui *t, const char *phone,
	    struct data_rows *out, struct db_error *err);

/* kota.whoami() into t->who; -1 with DB_REFUSED when not an agent. */
int	data_whoami(struct tui *t, struct db_error *err);
/* A standby's session settings, as dbread_set_setup() calls them. */
int	data_standby_setup(struct db *db, void *arg, struct db_error *err);
/* After each (re)connect: LISTEN and session settings. */
int	data_session_setup(struct tui *t, struct db_error *err);

#endif
