/*
 * migrate.c: apply the migrations once each, then the API when it changed
 *
 * The bookkeeping lives in public so it exists before schema kota does:
 *   public.kota_migration	one row per migration applied, with the sha256
 *				of its text then;
 *   public.kota_api		one row: the sha256 of the API applied last.
 * Everything runs in one transaction under an advisory lock: pending
 * migrations in version order, then, when a migration ran or the API's
 * hash changed, every API file in its fixed order.  A refusal (a migration
 * edited after it was applied, a gap, a version this program does not
 * carry) changes nothing.  The SQL text is our own, compiled into the
 * program; it is sent with the simple query protocol because a file holds
 * many statements.
 *
 * Kota 0.1 recorded its twelve migrations without checksums; they are the
 * baseline, squashed.  A database they made complete is recorded as
 * having 001_baseline.sql, and goes on from there.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "i18n.h"
#include "migrate.h"

/* pg_advisory_xact_lock key: "KOTA" */
#define MIGRATE_LOCK_KEY	"1263489089"

#define MIGRATE_DIR		"migrations/"
#define MIGRATE_API_DIR		"api/"
#define MIGRATE_BASELINE	"migrations/001_baseline.sql"

/* What Kota 0.1's "kotactl migrate" recorded, in order. */
static const char *const migrate_legacy_names[] = {
	"001_core.sql", "002_api.sql", "003_rules.sql", "004_console.sql",
	"005_outbox.sql", "006_sla.sql", "007_report.sql",
	"008_sla_watch.sql", "009_dashboard.sql", "010_tally.sql",
	"011_escalation.sql", "012_sla_minute.sql",
};
#define MIGRATE_LEGACY_N \
	((int)(sizeof migrate_legacy_names / sizeof migrate_legacy_names[0]))

static const char migrate_tables_sql[] =
    "CREATE TABLE IF NOT EXISTS public.kota_migration ("
    " version int PRIMARY KEY,"
    " name text NOT NULL,"
    " sha256 text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " applied_by name NOT NULL DEFAULT session_user);"
    "CREATE TABLE IF NOT EXISTS public.kota_api ("
    " id boolean PRIMARY KEY DEFAULT true CHECK (id),"
    " sha256 text NOT NULL,"
    " files int NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " applied_by name NOT NULL DEFAULT session_user)";

/* One applied migration, as recorded. */
struct migrate_row {
	int	 version;
	char	 name[128];
	char	 sha256[MIGRATE_SHA256_HEX];	/* "" in a 0.1 database */
};

struct migrate_rows {
	struct migrate_row	*v;
	int			 n;
};

void
migrate_sha256(const void *p, size_t len, char out[MIGRATE_SHA256_HEX])
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0, i;

	EVP_Digest(p, len, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[2 * i] = '\0';
}

/* The API's hash: each file's name and text, in apply order. */
static int
migrate_api_sha256(char out[MIGRATE_SHA256_HEX])
{
	const struct schema_file	*f;
	unsigned char			 md[EVP_MAX_MD_SIZE];
	unsigned int			 mdlen = 0, i;
	EVP_MD_CTX			*ctx;
	int				 n = 0;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (f = schema_files; f->name != NULL; f++) {
		if (strncmp(f->name, MIGRATE_API_DIR,
		    strlen(MIGRATE_API_DIR)) != 0)
			continue;
		EVP_DigestUpdate(ctx, f->name, strlen(f->name) + 1);
		EVP_DigestUpdate(ctx, f->sql, strlen(f->sql) + 1);
		n++;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[2 * i] = '\0';
	return n;
}

const struct schema_file *
schema_file_find(const char *name)
{
	const struct schema_file	*f;

	for (f = schema_files; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

int
migrate_version_of(const char *name)
{
	int	v = 0, i;

	if (strncmp(name, MIGRATE_DIR, strlen(MIGRATE_DIR)) != 0)
		return -1;
	name += strlen(MIGRATE_DIR);
	for (i = 0; i < 3; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return name[3] == '_' && v > 0 ? v : -1;
}

static const struct schema_file *
migrate_file_of(int version)
{
	const struct schema_file	*f;

	for (f = schema_files; f->name != NULL; f++)
		if (migrate_version_of(f->name) == version)
			return f;
	return NULL;
}

static int
migrate_latest(void)
{
	const struct schema_file	*f;
	int				 v, latest = 0;

	for (f = schema_files; f->name != NULL; f++)
		if ((v = migrate_version_of(f->name)) > latest)
			latest = v;
	return latest;
}

/*
 * Migration 011 creates PostGIS, which only a superuser may: kotactl
 * migrate run by the database's owner fails there (42501, "permission
 * denied to create extension").  The name of the extension is not
 * translated, whatever the server's lc_messages.
 */
static bool
migrate_needs_superuser(const struct db_error *err)
{
	return strcmp(err->sqlstate, "42501") == 0 &&
	    strstr(err->message_en, "\"postgis\"") != NULL;
}

/* Our own multi-statement SQL text, inside the open transaction. */
static int
migrate_exec_text(struct db *db, const char *name, const char *text,
    struct db_error *err)
{
	PGresult	*res;
	char		 msg[sizeof err->message + 128];

	res = PQexec(db_conn(db), text);
	if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		return 0;
	}
	db_error_set(err, db_conn(db), res);
	PQclear(res);
	if (migrate_needs_superuser(err)) {
		/* the server's "Must be superuser" hint names no way out */
		snprintf(msg, sizeof msg, _("%s: PostGIS must be created by a superuser: CREATE EXTENSION postgis; in this database as one (psql -U postgres), then migrate again"),
		    name);
		memcpy(err->message, msg, sizeof err->message - 1);
		err->message[sizeof err->message - 1] = '\0';
		err->hint[0] = '\0';
		return -1;
	}
	/* say which file failed, keeping the server's words */
	snprintf(msg, sizeof msg, "%s: %s", name, err->message);
	memcpy(err->message, msg, sizeof err->message - 1);
	err->message[sizeof err->message - 1] = '\0';
	return -1;
}

static void
migrate_rows_free(struct migrate_rows *rows)
{
	free(rows->v);
	rows->v = NULL;
	rows->n = 0;
}

/*
 * Read what the database recorded.  *have_table: the table exists;
 * *legacy: it is 0.1's, without checksums.
 */
static int
migrate_read(struct db *db, struct migrate_rows *rows, bool *have_table,
    bool *legacy, char api[MIGRATE_SHA256_HEX], struct db_error *err)
{
	PGresult	*res;
	bool		 have_api;
	int		 i;

	rows->v = NULL;
	rows->n = 0;
	api[0] = '\0';
	res = db_exec(db, NULL,
	    "SELECT to_regclass('public.kota_migration') IS NOT NULL,"
	    " EXISTS (SELECT 1 FROM pg_attribute"
	    "  WHERE attrelid = to_regclass('public.kota_migration')"
	    "  AND attname = 'sha256' AND NOT attisdropped),"
	    " to_regclass('public.kota_api') IS NOT NULL",
	    0, NULL, PGRES_TUPLES_OK, err);
	if (res == NULL)
		return -1;
	*have_table = PQgetvalue(res, 0, 0)[0] == 't';
	*legacy = *have_table && PQgetvalue(res, 0, 1)[0] != 't';
	have_api = PQgetvalue(res, 0, 2)[0] == 't';
	PQclear(res);
	if (!*have_table)
		return 0;

	res = db_exec(db, NULL, *legacy ?
	    "SELECT version, name, '' FROM public.kota_migration ORDER BY 1" :
	    "SELECT version, name, sha256 FROM public.kota_migration ORDER BY 1",
	    0, NULL, PGRES_TUPLES_OK, err);
	if (res == NULL)
		return -1;
	rows->n = PQntuples(res);
	rows->v = calloc(rows->n + 1, sizeof *rows->v);
	if (rows->v == NULL) {
		PQclear(res);
		db_error_printf(err, DB_BUG, "%s", _("out of memory"));
		return -1;
	}
	for (i = 0; i < rows->n; i++) {
		rows->v[i].version = atoi(PQgetvalue(res, i, 0));
		snprintf(rows->v[i].name, sizeof rows->v[i].name, "%s",
		    PQgetvalue(res, i, 1));
		snprintf(rows->v[i].sha256, sizeof rows->v[i].sha256, "%s",
		    PQgetvalue(res, i, 2));
	}
	PQclear(res);

	if (have_api) {
		res = db_exec(db, NULL, "SELECT sha256 FROM public.kota_api",
		    0, NULL, PGRES_TUPLES_OK, err);
		if (res == NULL) {
			migrate_rows_free(rows);
			return -1;
		}
		if (PQntuples(res) == 1)
			snprintf(api, MIGRATE_SHA256_HEX, "%s",
			    PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return 0;
}

/* Is this exactly what 0.1 left at its newest schema? */
static bool
migrate_legacy_complete(const struct migrate_rows *rows)
{
	int	i;

	if (rows->n != MIGRATE_LEGACY_N)
		return false;
	for (i = 0; i < rows->n; i++)
		if (rows->v[i].version != i + 1 ||
		    strcmp(rows->v[i].name, migrate_legacy_names[i]) != 0)
			return false;
	return true;
}

/* Compare the rows with the files carried; fill st, the problem first. */
static void
migrate_judge(const struct migrate_rows *rows, bool legacy,
    const char *api, struct migrate_state *st)
{
	const struct schema_file	*f;
	char				 sha[MIGRATE_SHA256_HEX];
	int				 i, v;

	st->latest = migrate_latest();
	st->legacy = legacy;
	migrate_api_sha256(st->api_sha256);
	st->api_current = strcmp(api, st->api_sha256) == 0;

	if (legacy) {
		/* recorded as the baseline once converted */
		if (!migrate_legacy_complete(rows)) {
			snprintf(st->problem, sizeof st->problem,
			    _("this database was migrated by Kota 0.1 to "
			    "version %d, but only a complete 0.1 schema "
			    "(migrations 001 to 012) can be upgraded: apply "
			    "0.1's remaining migrations with its kotactl "
			    "first"), rows->n > 0 ? rows->v[rows->n - 1].version :
			    0);
			return;
		}
		st->current = 1;
		st->pending = st->latest - 1;
		st->api_current = false;
		return;
	}

	for (i = 0; i < rows->n; i++) {
		v = rows->v[i].version;
		if (v > st->current)
			st->current = v;
		if ((f = migrate_file_of(v)) == NULL) {
			if (st->unknown++ == 0 && st->problem[0] == '\0')
				snprintf(st->problem, sizeof st->problem,
				    _("the database has migration %03d (%s), "
				    "which this program does not carry: it was "
				    "migrated by a newer Kota; use that "
				    "version's kotactl"), v, rows->v[i].name);
			continue;
		}
		migrate_sha256(f->sql, strlen(f->sql), sha);
		if (strcmp(sha, rows->v[i].sha256) != 0 &&
		    st->changed++ == 0)
			snprintf(st->problem, sizeof st->problem,
			    _("migration %03d (%s) changed after it was "
			    "applied (sha256 then %.12s, now %.12s): a "
			    "migration never changes once applied; undo the "
			    "edit and put the change in a new migration"),
			    v, f->name, rows->v[i].sha256, sha);
	}
	/* versions below the newest applied one that never were */
	for (v = 1; v <= st->current; v++) {
		for (i = 0; i < rows->n && rows->v[i].version != v; i++)
			;
		if (i < rows->n)
			continue;
		if (st->missing++ == 0 && st->problem[0] == '\0')
			snprintf(st->problem, sizeof st->problem,
			    _("migration %03d was never applied, but %03d "
			    "was: the sequence has a gap; restore the "
			    "database from a backup or apply %03d by hand"),
			    v, st->current, v);
	}
	for (v = st->current + 1; v <= st->latest; v++)
		if (migrate_file_of(v) != NULL)
			st->pending++;
}

int
migrate_state(struct db *db, struct migrate_state *st, struct db_error *err)
{
	struct migrate_rows	rows;
	char			api[MIGRATE_SHA256_HEX];
	bool			have_table, legacy;

	memset(st, 0, sizeof *st);
	if (migrate_read(db, &rows, &have_table, &legacy, api, err) != 0)
		return -1;
	migrate_judge(&rows, legacy, api, st);
	migrate_rows_free(&rows);
	return 0;
}

/*
 * Record a complete 0.1 database as one that has the baseline: its table
 * is made again in today's shape (as a new database has it, column for
 * column), with one row, when 0.1 finished.
 */
static int
migrate_convert_legacy(struct db *db, struct db_error *err)
{
	const struct schema_file	*f;
	const char			*params[1];
	char				 sha[MIGRATE_SHA256_HEX];
	PGresult			*res;

	if ((f = schema_file_find(MIGRATE_BASELINE)) == NULL) {
		db_error_printf(err, DB_BUG, "%s is not built in",
		    MIGRATE_BASELINE);
		return -1;
	}
	migrate_sha256(f->sql, strlen(f->sql), sha);
	if (db_command(db, "CREATE TEMP TABLE kota_migration_0_1"
	    " ON COMMIT DROP AS SELECT * FROM public.kota_migration",
	    err) != 0 ||
	    db_command(db, "DROP TABLE public.kota_migration", err) != 0 ||
	    migrate_exec_text(db, "public.kota_migration", migrate_tables_sql,
	    err) != 0)
		return -1;
	params[0] = sha;
	res = db_exec(db, NULL,
	    "INSERT INTO public.kota_migration"
	    " (version, name, sha256, applied_at, applied_by)"
	    " SELECT 1, '001_baseline.sql', $1, m.applied_at, m.applied_by"
	    " FROM kota_migration_0_1 m ORDER BY m.version DESC LIMIT 1",
	    1, params, PGRES_COMMAND_OK, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static int
migrate_apply(struct db *db, const struct schema_file *f, int version,
    struct db_error *err)
{
	PGresult	*res;
	char		 vbuf[16], sha[MIGRATE_SHA256_HEX];
	const char	*params[3];

	if (migrate_exec_text(db, f->name, f->sql, err) != 0 ||
	    db_command(db, "RESET ROLE", err) != 0)
		return -1;
	migrate_sha256(f->sql, strlen(f->sql), sha);
	snprintf(vbuf, sizeof vbuf, "%d", version);
	params[0] = vbuf;
	params[1] = f->name + strlen(MIGRATE_DIR);
	params[2] = sha;
	res = db_exec(db, NULL,
	    "INSERT INTO public.kota_migration (version, name, sha256)"
	    " VALUES ($1, $2, $3)", 3, params, PGRES_COMMAND_OK, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

static int
migrate_apply_api(struct db *db, const char *sha, struct db_error *err)
{
	const struct schema_file	*f;
	const char			*params[2];
	char				 nbuf[16];
	PGresult			*res;
	int				 n = 0;

	for (f = schema_files; f->name != NULL; f++) {
		if (strncmp(f->name, MIGRATE_API_DIR,
		    strlen(MIGRATE_API_DIR)) != 0)
			continue;
		if (migrate_exec_text(db, f->name, f->sql, err) != 0 ||
		    db_command(db, "RESET ROLE", err) != 0)
			return -1;
		n++;
	}
	snprintf(nbuf, sizeof nbuf, "%d", n);
	params[0] = sha;
	params[1] = nbuf;
	res = db_exec(db, NULL,
	    "INSERT INTO public.kota_api (sha256, files) VALUES ($1, $2)"
	    " ON CONFLICT (id) DO UPDATE SET sha256 = excluded.sha256,"
	    " files = excluded.files, applied_at = now(),"
	    " applied_by = session_user", 2, params, PGRES_COMMAND_OK, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
migrate_run(struct db *db, int *applied, bool *api_applied, int *current,
    migrate_progress progress, void *arg, struct db_error *err)
{
	struct migrate_rows		 rows = { NULL, 0 };
	struct migrate_state		 st;
	const struct schema_file	*f;
	PGresult			*res;
	char				 api[MIGRATE_SHA256_HEX];
	bool				 have_table, legacy;
	int				 v;

	*applied = 0;
	*api_applied = false;
	*current = 0;
	memset(&st, 0, sizeof st);
	if (db_command(db, "BEGIN", err) != 0)
		return -1;
	res = db_exec(db, NULL,
	    "SELECT pg_advisory_xact_lock(" MIGRATE_LOCK_KEY ")", 0, NULL,
	    PGRES_TUPLES_OK, err);
	if (res == NULL)
		goto fail;
	PQclear(res);
	if (migrate_read(db, &rows, &have_table, &legacy, api, err) != 0)
		goto fail;
	migrate_judge(&rows, legacy, api, &st);
	migrate_rows_free(&rows);
	if (st.problem[0] != '\0') {
		db_error_printf(err, DB_REFUSED, "%s", st.problem);
		goto fail;
	}
	if (legacy) {
		if (progress != NULL)
			progress(MIGRATE_STEP_LEGACY, 1, MIGRATE_BASELINE, arg);
		if (migrate_convert_legacy(db, err) != 0)
			goto fail;
	}
	if (migrate_exec_text(db, "public.kota_migration", migrate_tables_sql,
	    err) != 0)
		goto fail;

	*current = st.current;
	for (v = st.current + 1; v <= st.latest; v++) {
		if ((f = migrate_file_of(v)) == NULL) {
			db_error_printf(err, DB_BUG,
			    "migration %03d is not built in, but %03d is", v,
			    st.latest);
			goto fail;
		}
		if (progress != NULL)
			progress(MIGRATE_STEP_MIGRATION, v, f->name, arg);
		if (migrate_apply(db, f, v, err) != 0)
			goto fail;
		*current = v;
		(*applied)++;
	}
	if (*applied > 0 || !st.api_current) {
		if (progress != NULL)
			progress(MIGRATE_STEP_API, 0, st.api_sha256, arg);
		if (migrate_apply_api(db, st.api_sha256, err) != 0)
			goto fail;
		*api_applied = true;
	}
	if (db_command(db, "COMMIT", err) != 0)
		goto fail;
	return 0;
fail:
	if (db_is_connected(db))
		db_command(db, "ROLLBACK", NULL);
	*applied = 0;
	*api_applied = false;
	*current = st.current;
	return -1;
}

int
migrate_run_file(struct db *db, const struct schema_file *f,
    struct db_error *err)
{
	if (db_command(db, "BEGIN", err) != 0)
		return -1;
	if (migrate_exec_text(db, f->name, f->sql, err) != 0 ||
	    db_command(db, "COMMIT", err) != 0) {
		if (db_is_connected(db))
			db_command(db, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}
