/*
 * migrate.h: the schema, its migrations and its API, as kotactl carries them
 *
 * The migrations (schema/migrations/NNN_name.sql) run once each, in order,
 * and are recorded with the sha256 of their text in public.kota_migration;
 * the API files (schema/api/) hold every function, view and trigger, and are applied again, whole and
 * in their fixed order, whenever the sha256 of their concatenation differs
 * from the one recorded in public.kota_api (or a migration was applied).
 * Both happen in one transaction.  doc/HACKING.md says which file a change
 * goes to.
 */
#ifndef KOTA_MIGRATE_H
#define KOTA_MIGRATE_H

#include <stdbool.h>

#include "db.h"

#define MIGRATE_SHA256_HEX	65	/* 64 hex digits and the NUL */

struct schema_file {
	const char	*name;		/* relative to schema/: "api/request.sql" */
	const char	*sql;
};

/*
 * Generated from schema/ by build-aux/embed-sql.sh, in the order
 * Makefile.am lists the files (the API's order is its apply order);
 * NULL-terminated.
 */
extern const struct schema_file schema_files[];

const struct schema_file *schema_file_find(const char *name);

/* "migrations/NNN_name.sql" has version NNN; anything else -1. */
int	migrate_version_of(const char *name);

/* What a database holds against what this program carries. */
struct migrate_state {
	int	current;	/* highest migration applied, 0 for none */
	int	latest;		/* highest migration this program knows */
	int	pending;	/* known migrations not applied */
	int	changed;	/* applied migrations whose file changed since */
	int	missing;	/* versions below current never applied (gaps) */
	int	unknown;	/* applied versions this program does not carry */
	bool	legacy;		/* migrated by Kota 0.1 (001-012, no checksums) */
	bool	api_current;	/* the API applied is the API carried */
	char	api_sha256[MIGRATE_SHA256_HEX];	/* the API carried */
	char	problem[512];	/* the first refusal, in words; "" if none */
};

/* Read the state; 0, or -1 with err filled. */
int	migrate_state(struct db *db, struct migrate_state *st,
	    struct db_error *err);

enum migrate_step {
	MIGRATE_STEP_LEGACY,	/* a 0.1 database recorded as the baseline */
	MIGRATE_STEP_MIGRATION,	/* one migration applied */
	MIGRATE_STEP_API,	/* the API applied again */
};
typedef void (*migrate_progress)(enum migrate_step step, int version,
	    const char *name, void *arg);

/*
 * Bring the database to this program's schema, in one transaction under
 * an advisory lock, so two runs cannot race and a failure leaves nothing
 * behind.  Refuses (DB_REFUSED in err, nothing changed) an applied
 * migration whose file has changed, a gap in the applied versions, and a
 * version this program does not carry.  *applied counts the migrations
 * applied now, *api_applied whether the API was (re)applied; both 0: the
 * schema was up to date.  Returns 0, or -1 with err filled.
 */
int	migrate_run(struct db *db, int *applied, bool *api_applied,
	    int *current, migrate_progress progress, void *arg,
	    struct db_error *err);

/* Run a schema file that is neither (the demo data) in one transaction. */
int	migrate_run_file(struct db *db, const struct schema_file *f,
	    struct db_error *err);

/* sha256 of len bytes at p, as 64 lowercase hex digits. */
void	migrate_sha256(const void *p, size_t len,
	    char out[MIGRATE_SHA256_HEX]);

#endif
