/*
 * request.h: the domain calls, each one SQL API function in schema kota
 */
#ifndef KOTA_REQUEST_H
#define KOTA_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

struct request_input {
	const char	*service;	/* service code, required */
	const char	*description;	/* required */
	const char	*address;
	const char	*district;
	const char	*phone;		/* as typed; normalised to E.164 here */
	const char	*email;
	const char	*name;
	const char	*department;	/* NULL: routing decides */
	const char	*assignee;	/* agent role name */
	const char	*channel;	/* phone (default), walk_in, web, sms, email, api */
	const char	*lang;		/* citizen's language: id (default) or en */
	const char	*rule;		/* name of the routing rule that chose department */
	/*
	 * NULL, or the client's key for this intake (16 to 128 of
	 * A-Z a-z 0-9 . _ : -): a call with a key already used returns the
	 * request it made (replayed) instead of making a second one.
	 */
	const char	*idempotency_key;
	bool		 has_location;
	double		 lat, lon;
	int		 priority;	/* 1..4; 0: the service's default */
};

struct request_created {
	int64_t	id;
	char	ticket[24];
	char	department[24];
	int	priority;
	bool	replayed;	/* made by an earlier call with the same key */
};

/* A new idempotency key: 32 hex digits, 128 bits from the kernel. */
#define REQUEST_KEY_SIZE	33
int	request_key_new(char *key, size_t keysz);

#define REQUEST_NO_VERSION	0	/* skip the optimistic version check */

struct route_cache;

/*
 * Create a request.  Without in->department the routing rules decide, with
 * the caller's engine: routes is the program's route_cache (route_load.h),
 * which costs no round trip once loaded; NULL loads the rules for this one
 * call (one more query), for a one-shot tool.  When a rule with an area
 * may match a request with a point or a district, the engine cannot know
 * its areas yet: it sends the rules that match on everything else, and
 * kota.request_create() finishes the walk with the new request's areas
 * in the same call (route.h).
 */
int	request_create(struct db *db, struct route_cache *routes,
	    const struct request_input *in, struct request_created *out,
	    struct db_error *err);
int	request_transition(struct db *db, int64_t id, const char *status,
	    const char *note, int version, int *new_version,
	    struct db_error *err);
int	request_assign(struct db *db, int64_t id, const char *department,
	    const char *agent, int version, int *new_version,
	    struct db_error *err);
int	request_comment(struct db *db, int64_t id, const char *body,
	    bool public, struct db_error *err);
int	request_mark_duplicate(struct db *db, int64_t id, int64_t original,
	    int version, int *new_version, struct db_error *err);
int	request_watch(struct db *db, int64_t id, const char *phone,
	    const char *name, const char *email, bool *added,
	    struct db_error *err);

/*
 * A request as people name it: its id ("1234") or its ticket
 * ("KT-001234-5", "kt001234-5", "001234-5").  A ticket's check digit is
 * verified, so a misheard number is caught before any lookup.
 */
int	request_parse_ref(const char *ref, int64_t *id, struct db_error *err);

/* The ticket of an id, as the database computes it: KT-NNNNNN-C. */
void	request_ticket_of(int64_t id, char *out, size_t outsz);

#endif
