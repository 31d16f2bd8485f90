/*
 * sqlstate.c: how a caller must react to an SQLSTATE
 */
#include "config.h"

#include <string.h>

#include "db.h"

enum db_status
db_classify(const char *s)
{
	if (s == NULL)
		return DB_LOST;
	if (strlen(s) != 5)
		return DB_BUG;

	if (strcmp(s, KOTA_SQLSTATE_STALE) == 0 ||
	    strcmp(s, "40001") == 0 ||		/* serialization_failure */
	    strcmp(s, "40P01") == 0)		/* deadlock_detected */
		return DB_CONFLICT;
	if (strncmp(s, "KT", 2) == 0)
		return DB_REFUSED;
	if (strncmp(s, "22", 2) == 0 ||		/* data_exception */
	    strncmp(s, "23", 2) == 0 ||		/* integrity_constraint_violation */
	    strncmp(s, "28", 2) == 0 ||		/* invalid_authorization_specification */
	    strcmp(s, "42501") == 0 ||		/* insufficient_privilege */
	    strcmp(s, "P0001") == 0)		/* raise_exception */
		return DB_REFUSED;
	if (strncmp(s, "08", 2) == 0 ||		/* connection_exception */
	    strcmp(s, "57P01") == 0 ||		/* admin_shutdown */
	    strcmp(s, "57P02") == 0 ||		/* crash_shutdown */
	    strcmp(s, "57P03") == 0 ||		/* cannot_connect_now */
	    strcmp(s, "53300") == 0)		/* too_many_connections */
		return DB_LOST;
	return DB_BUG;
}

const char *
db_status_name(enum db_status st)
{
	switch (st) {
	case DB_OK:
		return "ok";
	case DB_REFUSED:
		return "refused";
	case DB_CONFLICT:
		return "conflict";
	case DB_LOST:
		return "lost";
	case DB_BUG:
		return "bug";
	}
	return "bug";
}
