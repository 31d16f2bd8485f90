/*
 * cmd_audit.c: kotactl audit verify|anchor, the sealed request history
 *
 * Each event of a request's history carries a seal chained to the one
 * before it (schema/api/audit.sql).  "verify" recomputes every seal and
 * names each event that does not match; with --anchor it also checks the
 * histories against a digest "anchor" printed earlier and kept outside
 * the database, which catches a rewrite that recomputed the seals too.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"

#define AUDIT_DIGEST_HEX	64

static const struct db_stmt audit_stmt_verify = {
	"ctl_audit_verify",
	"SELECT ticket, event_id, kind, at, problem"
	" FROM kota.audit_verify($1::bigint)",
	1, DB_READ
};

static const struct db_stmt audit_stmt_anchor = {
	"ctl_audit_anchor",
	"SELECT upto, requests, events, digest FROM kota.audit_anchor($1::bigint)",
	1, DB_READ
};

/* "ID:DIGEST", as "audit anchor" prints it */
static int
audit_parse_anchor(const char *arg, char *upto, size_t size, char *digest)
{
	const char	*colon = strchr(arg, ':');
	size_t		 n, i;
	long		 v;

	if (colon == NULL || (n = (size_t)(colon - arg)) == 0 || n >= size ||
	    strlen(colon + 1) != AUDIT_DIGEST_HEX)
		goto bad;
	memcpy(upto, arg, n);
	upto[n] = '\0';
	if (ctl_parse_int("--anchor", upto, 0, LONG_MAX, &v) != EXIT_OK)
		return EXIT_USAGE;
	for (i = 0; i < AUDIT_DIGEST_HEX; i++) {
		char	c = colon[1 + i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto bad;
		digest[i] = c;
	}
	digest[AUDIT_DIGEST_HEX] = '\0';
	return EXIT_OK;
bad:
	return ctl_invalid(_("--anchor: '%s' is not an anchor like 1234:<64 hex digits>, as \"kotactl audit anchor\" prints it"),
	    arg);
}

static int
audit_anchor_run(struct ctl *ctl, const char *upto, PGresult **res)
{
	struct db_error	 err;
	const char	*p[1] = { upto };

	if ((*res = db_run(ctl->db, &audit_stmt_anchor, p, &err)) == NULL)
		return ctl_fail(&err);
	return EXIT_OK;
}

static const struct option audit_verify_options[] = {
	{ "request", required_argument, NULL, 'r' },
	{ "anchor", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

static int
audit_verify(struct ctl *ctl, int argc, char **argv)
{
	struct print_table	*t;
	struct db_error		 err;
	PGresult		*res;
	const char		*p[1] = { NULL };
	char			 idbuf[24], upto[24], digest[AUDIT_DIGEST_HEX + 1];
	int64_t			 id;
	int			 ch, n, rc;
	bool			 anchor = false;

	while ((ch = getopt_long(argc, argv, "", audit_verify_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'r':
			if ((rc = ctl_parse_ref("--request", optarg, &id)) != EXIT_OK)
				return rc;
			snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
			p[0] = idbuf;
			break;
		case 'a':
			if ((rc = audit_parse_anchor(optarg, upto, sizeof upto,
			    digest)) != EXIT_OK)
				return rc;
			anchor = true;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if (anchor && p[0] != NULL)
		return ctl_usage("%s", _("--anchor covers every request: it cannot go with --request"));

	if ((res = db_run(ctl->db, &audit_stmt_verify, p, &err)) == NULL)
		return ctl_fail(&err);
	n = PQntuples(res);
	if (n > 0) {
		t = print_table_new(5);
		print_table_column(t, 0, _("TICKET"), PRINT_LEFT, 12);
		print_table_column(t, 1, _("EVENT"), PRINT_RIGHT, 10);
		print_table_column(t, 2, _("KIND"), PRINT_LEFT, 12);
		print_table_column(t, 3, _("AT"), PRINT_LEFT, 22);
		print_table_column(t, 4, _("PROBLEM"), PRINT_LEFT, 0);
		ctl_table_add_result(t, res);
		print_table_text(stdout, t, ctl->quiet ? PRINT_NO_HEADER : 0);
		print_table_free(&t);
	}
	PQclear(res);
	if (n > 0) {
		fprintf(stderr, _("kotactl: audit: %d events do not match their seals: the history was changed outside the API\n"),
		    n);
		return EXIT_REFUSED;
	}

	/* without an anchor, the counts of every history as it stands */
	if (audit_anchor_run(ctl, anchor ? upto : "9223372036854775807",
	    &res) != EXIT_OK)
		return EXIT_REFUSED;
	if (anchor && strcmp(PQgetvalue(res, 0, 3), digest) != 0) {
		fprintf(stderr, _("kotactl: audit: the histories up to event %s do not give the anchor's digest: they were rewritten, seals and all, after it was taken\n"),
		    upto);
		PQclear(res);
		return EXIT_REFUSED;
	}
	if (p[0] != NULL)
		ctl_say(ctl, _("the history of request %s is intact\n"), idbuf);
	else if (anchor)
		ctl_say(ctl, _("every history is intact, and agrees with the anchor of event %s (%s requests, %s events)\n"),
		    upto, PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	else
		ctl_say(ctl, _("every history is intact (%s requests, %s events)\n"),
		    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
	PQclear(res);
	return EXIT_OK;
}

static const struct option audit_anchor_options[] = {
	{ "upto", required_argument, NULL, 'u' },
	{ NULL, 0, NULL, 0 },
};

static int
audit_anchor(struct ctl *ctl, int argc, char **argv)
{
	PGresult	*res;
	const char	*upto = NULL;
	long		 v;
	int		 ch, rc;

	while ((ch = getopt_long(argc, argv, "", audit_anchor_options,
	    NULL)) != -1) {
		switch (ch) {
		case 'u':
			if ((rc = ctl_parse_int("--upto", optarg, 0, LONG_MAX,
			    &v)) != EXIT_OK)
				return rc;
			upto = optarg;
			break;
		default:
			return CTL_USAGE;
		}
	}
	if ((rc = audit_anchor_run(ctl, upto, &res)) != EXIT_OK)
		return rc;
	printf("%s:%s\n", PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 3));
	ctl_say(ctl, _("the anchor of %s requests and %s events; keep it outside the database, and check it with: kotactl audit verify --anchor %s:%s\n"),
	    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 0),
	    PQgetvalue(res, 0, 3));
	PQclear(res);
	return EXIT_OK;
}

static const struct ctl_entry audit_verify_entry = {
	.name = "verify",
	.usage = "[--request ID|TICKET] [--anchor ID:DIGEST]",
	.flags = CTL_DB | CTL_READ,
	.help = N_("check that no event of the request histories was changed"),
	.options = audit_verify_options,
	.exec = audit_verify,
};

static const struct ctl_entry audit_anchor_entry = {
	.name = "anchor",
	.usage = "[--upto EVENT]",
	.flags = CTL_DB,
	.help = N_("print a digest of every history, to keep outside the database"),
	.options = audit_anchor_options,
	.exec = audit_anchor,
};

static const struct ctl_entry *const audit_subs[] = {
	&audit_verify_entry,
	&audit_anchor_entry,
	NULL,
};

const struct ctl_entry ctl_audit_entry = {
	.name = "audit",
	.help = N_("verify the sealed request histories"),
	.sub = audit_subs,
};
