/*
 * audit.h: the seal of a request's history, as kota.event_seal computes it
 *
 * Each event of kota.request_event carries the sha256 of the previous
 * event's seal (nothing for a request's first event) followed by its own
 * content as text: see schema/api/audit.sql for the formula, which this
 * file must follow byte for byte.  The database seals what the API writes;
 * this is for a loader that writes histories itself (kotactl seed --bulk
 * COPYs them with triggers off), and tests/unit/test_audit.c checks both
 * against the same vectors.
 */
#ifndef KOTA_AUDIT_H
#define KOTA_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#define AUDIT_SEAL_LEN	32

struct audit_event {
	int64_t		 request_id;
	int64_t		 at_us;		/* microseconds since 1970-01-01 UTC */
	const char	*actor;		/* NULL is SQL NULL, for each string */
	const char	*kind;
	const char	*old_value;
	const char	*new_value;
	const char	*note;
	bool		 public;
};

/* out = sha256(prev || content); prev NULL for a request's first event. */
void	audit_seal(const unsigned char *prev, const struct audit_event *e,
	    unsigned char out[AUDIT_SEAL_LEN]);

#endif
