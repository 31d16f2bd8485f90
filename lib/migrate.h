/*
 * migrate.h: schema migrations and the SQL files kotactl carries
 */
#ifndef KOTA_MIGRATE_H
#define KOTA_MIGRATE_H

#include "db.h"

struct schema_file {
	const char	*name;		/* "001_core.sql" */
	const char	*sql;
};

/* Generated from the schema directory by build-aux/embed-sql.sh; NULL-terminated. */
extern const struct schema_file schema_files[];

const struct schema_file *schema_file_find(const char *name);

/* A migration is a schema file named NNN_*.sql; its version is NNN. */
int	migrate_version_of(const char *name);

typedef void (*migrate_progress)(int version, const char *name, void *arg);

/*
 * Apply every migration newer than the database's, each in its own
 * transaction, under an advisory lock so two runs cannot race.  *applied
 * counts those applied now (0: the schema was up to date).  Returns 0, or -1
 * with err filled and the failing migration rolled back.
 */
int	migrate_run(struct db *db, int *applied, int *current,
	    migrate_progress progress, void *arg, struct db_error *err);

/* The newest applied version (0 for none) and the newest known one. */
int	migrate_current(struct db *db, int *current, int *latest,
	    struct db_error *err);

/* Run a non-migration schema file (demo data) in one transaction. */
int	migrate_run_file(struct db *db, const struct schema_file *f,
	    struct db_error *err);

#endif
