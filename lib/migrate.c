/*
 * migrate.c: apply the schema migrations, in order, once
 *
 * The version table lives in public so it exists before schema kota does.
 * Each migration runs in its own transaction together with the row that
 * records it, so a failed migration leaves nothing behind.  The SQL text is
 * our own, compiled into the program; it is sent with the simple query
 * protocol because a migration holds many statements.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "migrate.h"

/* pg_advisory_lock key: "KOTA" */
#define MIGRATE_LOCK_KEY	"1263489089"

static const char migrate_table_sql[] =
    "CREATE TABLE IF NOT EXISTS public.kota_migration ("
    " version int PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now(),"
    " applied_by name NOT NULL DEFAULT session_user)";

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

	for (i = 0; i < 3; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return name[3] == '_' && v > 0 ? v : -1;
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

static int
migrate_read_current(struct db *db, int *current, struct db_error *err)
{
	PGresult	*res;

	res = db_query(db, NULL,
	    "SELECT coalesce(max(version), 0) FROM public.kota_migration",
	    0, NULL, err);
	if (res == NULL)
		return -1;
	*current = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

int
migrate_current(struct db *db, int *current, int *latest,
    struct db_error *err)
{
	PGresult	*res;
	int		 exists;

	*latest = migrate_latest();
	*current = 0;
	res = db_query(db, NULL,
	    "SELECT to_regclass('public.kota_migration') IS NOT NULL",
	    0, NULL, err);
	if (res == NULL)
		return -1;
	exists = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return exists ? migrate_read_current(db, current, err) : 0;
}

/* Run our own multi-statement SQL text inside the open transaction. */
static int
migrate_exec_text(struct db *db, const char *name, const char *text,
    struct db_error *err)
{
	PGresult	*res;

	res = PQexec(db_conn(db), text);
	if (res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		return 0;
	}
	db_error_set(err, db_conn(db), res);
	PQclear(res);
	/* say which file failed, keeping the server's words */
	if (err != NULL) {
		char	msg[sizeof err->message + 64];

		snprintf(msg, sizeof msg, "%s: %s", name, err->message);
		memcpy(err->message, msg, sizeof err->message - 1);
		err->message[sizeof err->message - 1] = '\0';
	}
	return -1;
}

static int
migrate_apply(struct db *db, const struct schema_file *f, int version,
    struct db_error *err)
{
	PGresult	*res;
	char		 vbuf[16];
	const char	*params[2];

	if (db_command(db, "BEGIN", err) != 0)
		return -1;
	if (migrate_exec_text(db, f->name, f->sql, err) != 0)
		goto fail;
	if (db_command(db, "RESET ROLE", err) != 0)
		goto fail;
	snprintf(vbuf, sizeof vbuf, "%d", version);
	params[0] = vbuf;
	params[1] = f->name;
	res = db_exec(db, NULL,
	    "INSERT INTO public.kota_migration (version, name) VALUES ($1, $2)",
	    2, params, PGRES_COMMAND_OK, err);
	if (res == NULL)
		goto fail;
	PQclear(res);
	if (db_command(db, "COMMIT", err) != 0)
		goto fail;
	return 0;
fail:
	if (db_is_connected(db))
		db_command(db, "ROLLBACK", NULL);
	return -1;
}

int
migrate_run(struct db *db, int *applied, int *current,
    migrate_progress progress, void *arg, struct db_error *err)
{
	const struct schema_file	*f;
	int				 have, v, next, rc = -1;
	PGresult			*res;

	*applied = 0;
	have = 0;
	res = db_query(db, NULL, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")",
	    0, NULL, err);
	if (res == NULL)
		return -1;
	PQclear(res);
	if (db_command(db, migrate_table_sql, err) != 0)
		goto out;
	if (migrate_read_current(db, &have, err) != 0)
		goto out;

	/* apply in version order, whatever the order of the array */
	for (;;) {
		const struct schema_file *best = NULL;
		int bestv = 0;

		for (f = schema_files; f->name != NULL; f++) {
			v = migrate_version_of(f->name);
			if (v > have && (best == NULL || v < bestv)) {
				best = f;
				bestv = v;
			}
		}
		if (best == NULL)
			break;
		next = bestv;
		if (progress != NULL)
			progress(next, best->name, arg);
		if (migrate_apply(db, best, next, err) != 0)
			goto out;
		have = next;
		(*applied)++;
	}
	rc = 0;
out:
	if (current != NULL)
		*current = have;
	if (db_is_connected(db)) {
		res = db_query(db, NULL,
		    "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", 0, NULL,
		    NULL);
		PQclear(res);
	}
	return rc;
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
