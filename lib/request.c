/*
 * request.c: the domain calls, each one SQL API function in schema kota
 *
 * Each call is one statement, prepared once per connection, and so one
 * transaction on the server.  The phone number is checked here first, so a
 * clerk gets the reason before any round trip; the server checks it again.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "phone.h"
#include "request.h"
#include "route_load.h"
#include "xmalloc.h"

/* Every call changes a request: all are writes, never retried (db.h). */
static const struct db_stmt request_stmt_create = {
	"kota_request_create",
	"SELECT id, ticket, department, priority, replayed"
	" FROM kota.request_create("
	"p_service => $1, p_description => $2, p_address => $3,"
	" p_district => $4, p_phone => $5, p_email => $6, p_name => $7,"
	" p_lat => $8::float8, p_lon => $9::float8, p_department => $10,"
	" p_priority => $11::int, p_channel => coalesce($12, 'phone'),"
	" p_lang => coalesce($13, 'id'), p_assignee => $14, p_rule => $15,"
	" p_rules_applied => true, p_idempotency_key => $16,"
	" p_rule_ids => $17::int[])",
	17, DB_WRITE,
};
static const struct db_stmt request_stmt_transition = {
	"kota_request_transition",
	"SELECT kota.request_transition($1::bigint, $2, $3, $4::int)",
	4, DB_WRITE,
};
static const struct db_stmt request_stmt_assign = {
	"kota_request_assign",
	"SELECT kota.request_assign($1::bigint, $2, $3, $4::int)",
	4, DB_WRITE,
};
static const struct db_stmt request_stmt_comment = {
	"kota_request_comment",
	"SELECT kota.request_comment($1::bigint, $2, $3::boolean) IS NOT NULL",
	3, DB_WRITE,
};
static const struct db_stmt request_stmt_mark_duplicate = {
	"kota_request_mark_duplicate",
	"SELECT kota.request_mark_duplicate($1::bigint, $2::bigint, $3::int)",
	3, DB_WRITE,
};
static const struct db_stmt request_stmt_watch = {
	"kota_request_watch",
	"SELECT kota.request_watch($1::bigint, $2, $3, $4)",
	4, DB_WRITE,
};

static const char *
request_blank_to_null(const char *s)
{
	const char	*p;

	if (s == NULL)
		return NULL;
	for (p = s; *p != '\0'; p++)
		if (!isspace((unsigned char)*p))
			return s;
	return NULL;
}

/*
 * Whether an area rule is among the n candidates (ids, in walk order, as
 * the engine keeps its rules): only then do the request's areas matter.
 */
static bool
request_area_candidate(const struct route_engine *e, const int *ids,
    size_t n)
{
	const struct route_rule	*r;
	size_t			 i, j = 0;

	for (i = 0; j < n && (r = route_engine_rule(e, i)) != NULL; i++) {
		if (r->id != ids[j])
			continue;
		if (r->area != 0)
			return true;
		j++;
	}
	return false;
}

/*
 * The candidates as an int[] literal ("{4,9}") when an area rule among
 * them may decide, else NULL.  The caller frees it.
 */
static char *
request_candidates(const struct route_engine *e,
    const struct request_input *in)
{
	size_t	 max = route_engine_count(e), n, i, len = 1;
	int	*ids;
	char	*lit = NULL;

	if (!route_engine_has_areas(e) || (!in->has_location &&
	    request_blank_to_null(in->district) == NULL))
		return NULL;
	ids = xcalloc(max + 1, sizeof *ids);
	n = route_candidates(e, in->service, in->description, in->address,
	    in->district, ids, max);
	if (request_area_candidate(e, ids, n)) {
		lit = xmalloc(n * 12 + 3);
		lit[0] = '{';
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(lit + len, 13, "%s%d",
			    i > 0 ? "," : "", ids[i]);
		snprintf(lit + len, 2, "}");
	}
	free(ids);
	return lit;
}

/*
 * What the rules decide for in, into p[9] (department), p[14] (rule),
 * p[13] (assignee, unless given) and *priority (unless given), or, when
 * an area rule may match, the candidates into p[16] and *ids (to free)
 * for kota.request_create to finish the walk with the new request's
 * areas, which only the database knows once it has placed the point.
 * The strings point into the engine, which must live until the call is
 * sent.
 */
static void
request_route(const struct route_engine *e, const struct request_input *in,
    const char **p, int *priority, char **ids)
{
	struct route_result	rr;

	if ((*ids = request_candidates(e, in)) != NULL) {
		p[16] = *ids;
		return;
	}
	route_decide(e, in->service, in->description, in->address,
	    in->district, &rr);
	if (rr.department != NULL) {
		p[9] = rr.department;
		p[14] = rr.rule;
	}
	if (*priority == 0)
		*priority = rr.priority;
	if (p[13] == NULL)
		p[13] = rr.assignee;
}

int
request_create(struct db *db, struct route_cache *routes,
    const struct request_input *in, struct request_created *out,
    struct db_error *err)
{
	char		 e164[PHONE_E164_MAX], lat[32], lon[32], prio[8];
	const char	*p[17];
	const char	*phone = request_blank_to_null(in->phone);
	const struct route_engine *engine = NULL;
	struct route_engine *once = NULL;
	char		*ids = NULL;
	int		 priority = in->priority, rc = -1;
	PGresult	*res;
	enum phone_status st;

	if (phone != NULL) {
		st = phone_normalise(phone, e164, sizeof e164);
		if (st != PHONE_OK) {
			db_error_printf(err, DB_REFUSED, _("phone \"%s\": %s"),
			    phone, phone_strerror(st));
			snprintf(err->sqlstate, sizeof err->sqlstate, "%s",
			    KOTA_SQLSTATE_INVALID);
			snprintf(err->field, sizeof err->field, "phone");
			return -1;
		}
		phone = e164;
	}
	p[0] = in->service;
	p[1] = in->description;
	p[2] = request_blank_to_null(in->address);
	p[3] = request_blank_to_null(in->district);
	p[4] = phone;
	p[5] = request_blank_to_null(in->email);
	p[6] = request_blank_to_null(in->name);
	p[7] = p[8] = NULL;
	if (in->has_location) {
		snprintf(lat, sizeof lat, "%.7f", in->lat);
		snprintf(lon, sizeof lon, "%.7f", in->lon);
		p[7] = lat;
		p[8] = lon;
	}
	p[9] = request_blank_to_null(in->department);
	p[13] = request_blank_to_null(in->assignee);
	p[14] = request_blank_to_null(in->rule);
	p[16] = NULL;
	/*
	 * No department given: the routing rules decide (the caller's
	 * engine, no round trip once loaded), else the SQL falls back to the
	 * service's default department, then triage.
	 */
	if (p[9] == NULL) {
		if (routes != NULL)
			engine = route_cache_engine(routes, db, err);
		else
			engine = once = route_engine_load(db, err);
		if (engine == NULL)
			return -1;
		request_route(engine, in, p, &priority, &ids);
	}
	p[10] = NULL;
	if (priority != 0) {
		snprintf(prio, sizeof prio, "%d", priority);
		p[10] = prio;
	}
	p[11] = request_blank_to_null(in->channel);
	p[12] = request_blank_to_null(in->lang);
	p[15] = request_blank_to_null(in->idempotency_key);

	res = db_run(db, &request_stmt_create, p, err);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		db_error_printf(err, DB_BUG, "request_create returned %d rows",
		    PQntuples(res));
		PQclear(res);
		goto out;
	}
	out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	snprintf(out->ticket, sizeof out->ticket, "%s", PQgetvalue(res, 0, 1));
	snprintf(out->department, sizeof out->department, "%s",
	    PQgetvalue(res, 0, 2));
	out->priority = atoi(PQgetvalue(res, 0, 3));
	out->replayed = PQgetvalue(res, 0, 4)[0] == 't';
	PQclear(res);
	rc = 0;
out:
	free(ids);
	route_engine_free(&once);
	return rc;
}

int
request_key_new(char *key, size_t keysz)
{
	unsigned char	b[16];
	size_t		i;

	if (keysz < REQUEST_KEY_SIZE || getentropy(b, sizeof b) != 0)
		return -1;
	for (i = 0; i < sizeof b; i++)
		snprintf(key + 2 * i, 3, "%02x", b[i]);
	explicit_bzero(b, sizeof b);
	return 0;
}

/* Run a one-row, one-column API call and hand back the value as an int. */
static int
request_call_int(struct db *db, const struct db_stmt *st,
    const char *const *p, int *value, struct db_error *err)
{
	PGresult	*res;

	res = db_run(db, st, p, err);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		db_error_printf(err, DB_BUG, "%s returned %d rows", st->name,
		    PQntuples(res));
		PQclear(res);
		return -1;
	}
	if (value != NULL)
		*value = PQgetisnull(res, 0, 0) ? 0 :
		    PQgetvalue(res, 0, 0)[0] == 't' ? 1 :
		    PQgetvalue(res, 0, 0)[0] == 'f' ? 0 :
		    atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static const char *
request_version_param(int version, char *buf, size_t size)
{
	if (version == REQUEST_NO_VERSION)
		return NULL;
	snprintf(buf, size, "%d", version);
	return buf;
}

int
request_transition(struct db *db, int64_t id, const char *status,
    const char *note, int version, int *new_version, struct db_error *err)
{
	char		 idbuf[24], vbuf[16];
	const char	*p[4];

	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	p[0] = idbuf;
	p[1] = status;
	p[2] = request_blank_to_null(note);
	p[3] = request_version_param(version, vbuf, sizeof vbuf);
	return request_call_int(db, &request_stmt_transition, p, new_version,
	    err);
}

int
request_assign(struct db *db, int64_t id, const char *department,
    const char *agent, int version, int *new_version, struct db_error *err)
{
	char		 idbuf[24], vbuf[16];
	const char	*p[4];

	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	p[0] = idbuf;
	p[1] = request_blank_to_null(department);
	p[2] = request_blank_to_null(agent);
	p[3] = request_version_param(version, vbuf, sizeof vbuf);
	return request_call_int(db, &request_stmt_assign, p, new_version, err);
}

int
request_comment(struct db *db, int64_t id, const char *body, bool public,
    struct db_error *err)
{
	char		 idbuf[24];
	const char	*p[3];

	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	p[0] = idbuf;
	p[1] = body;
	p[2] = public ? "true" : "false";
	return request_call_int(db, &request_stmt_comment, p, NULL, err);
}

int
request_mark_duplicate(struct db *db, int64_t id, int64_t original,
    int version, int *new_version, struct db_error *err)
{
	char		 idbuf[24], obuf[24], vbuf[16];
	const char	*p[3];

	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	snprintf(obuf, sizeof obuf, "%" PRId64, original);
	p[0] = idbuf;
	p[1] = obuf;
	p[2] = request_version_param(version, vbuf, sizeof vbuf);
	return request_call_int(db, &request_stmt_mark_duplicate, p,
	    new_version, err);
}

int
request_watch(struct db *db, int64_t id, const char *phone, const char *name,
    const char *email, bool *added, struct db_error *err)
{
	char		 idbuf[24], e164[PHONE_E164_MAX];
	const char	*p[4];
	int		 v = 0;
	enum phone_status st;

	phone = request_blank_to_null(phone);
	if (phone != NULL) {
		st = phone_normalise(phone, e164, sizeof e164);
		if (st != PHONE_OK) {
			db_error_printf(err, DB_REFUSED, _("phone \"%s\": %s"),
			    phone, phone_strerror(st));
			snprintf(err->field, sizeof err->field, "phone");
			return -1;
		}
		phone = e164;
	}
	snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
	p[0] = idbuf;
	p[1] = phone;
	p[2] = request_blank_to_null(name);
	p[3] = request_blank_to_null(email);
	if (request_call_int(db, &request_stmt_watch, p, &v, err) != 0)
		return -1;
	if (added != NULL)
		*added = v != 0;
	return 0;
}

static int
request_luhn(const char *digits)
{
	size_t	len = strlen(digits), i;
	int	sum = 0, d;

	for (i = 0; i < len; i++) {
		d = digits[i] - '0';
		if ((len - 1 - i) % 2 == 0) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (10 - sum % 10) % 10;
}

void
request_ticket_of(int64_t id, char *out, size_t outsz)
{
	char	digits[24];

	snprintf(digits, sizeof digits, "%06" PRId64, id);
	snprintf(out, outsz, "KT-%s-%d", digits, request_luhn(digits));
}

int
request_parse_ref(const char *ref, int64_t *id, struct db_error *err)
{
	char		 digits[24];
	const char	*p = ref;
	size_t		 n = 0;
	int		 check = -1;

	while (isspace((unsigned char)*p))
		p++;
	if ((p[0] == 'K' || p[0] == 'k') && (p[1] == 'T' || p[1] == 't')) {
		p += 2;
		if (*p == '-')
			p++;
	}
	while (isdigit((unsigned char)*p) && n < sizeof digits - 1)
		digits[n++] = *p++;
	digits[n] = '\0';
	if (*p == '-' && isdigit((unsigned char)p[1])) {
		check = p[1] - '0';
		p += 2;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (n == 0 || n > 18 || *p != '\0') {
		db_error_printf(err, DB_REFUSED,
		    _("request \"%s\" is neither a number nor a ticket like KT-001234-5"),
		    ref);
		snprintf(err->field, sizeof err->field, "request");
		return -1;
	}
	if (check >= 0 && request_luhn(digits) != check) {
		db_error_printf(err, DB_REFUSED,
		    _("ticket \"%s\" has a wrong check digit: check the number with the caller"),
		    ref);
		snprintf(err->field, sizeof err->field, "request");
		return -1;
	}
	*id = strtoll(digits, NULL, 10);
	return 0;
}
