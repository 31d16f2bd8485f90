/*
 * cmd_migrate.c: kotactl migrate
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "migrate.h"

static void
migrate_say(enum migrate_step step, int version, const char *name,
    void *arg)
{
	struct ctl	*ctl = arg;

	switch (step) {
	case MIGRATE_STEP_LEGACY:
		ctl_say(ctl, "%s", _("this database was made by Kota 0.1's "
		    "migrations 001 to 012: recording them as the baseline\n"));
		break;
	case MIGRATE_STEP_MIGRATION:
		ctl_say(ctl, _("applying migration %03d (%s)\n"), version,
		    name);
		break;
	case MIGRATE_STEP_API:
		ctl_say(ctl, _("applying the SQL API (sha256 %.12s)\n"), name);
		break;
	}
}

/* kotactl migrate --status: what is applied, what is pending, what is wrong. */
static int
migrate_status(struct ctl *ctl)
{
	struct migrate_state	st;
	struct db_error		err;

	if (migrate_state(ctl->db, &st, &err) != 0)
		return ctl_fail(&err);
	printf(_("schema version %d, newest known %d: %s\n"), st.current,
	    st.latest, st.problem[0] != '\0' ? _("refused") :
	    st.legacy ? _("made by Kota 0.1, upgrade pending") :
	    st.pending > 0 ? _("migrations pending") :
	    _("up to date"));
	if (st.pending > 0)
		printf(_("pending: %d migration(s)\n"), st.pending);
	if (st.changed > 0)
		printf(_("changed since applied: %d migration(s)\n"),
		    st.changed);
	if (st.missing > 0)
		printf(_("missing from the sequence: %d migration(s)\n"),
		    st.missing);
	if (st.unknown > 0)
		printf(_("unknown to this kotactl: %d migration(s)\n"),
		    st.unknown);
	printf(_("SQL API %.12s: %s\n"), st.api_sha256, st.api_current ?
	    _("up to date") : _("to be applied"));
	if (st.problem[0] != '\0') {
		log_error("%s", st.problem);
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

static const struct option migrate_options[] = {
	{ "status", no_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static int
cmd_migrate(struct ctl *ctl, int argc, char **argv)
{
	struct db_error	 err;
	int		 ch, status = 0, applied, current;
	bool		 api;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", migrate_options, NULL)) != -1) {
		if (ch != 's')
			return CTL_USAGE;
		status = 1;
	}

	if (status)
		return migrate_status(ctl);
	if (migrate_run(ctl->db, &applied, &api, &current, migrate_say, ctl,
	    &err) != 0)
		return ctl_fail(&err);
	if (applied == 0 && !api)
		ctl_say(ctl, _("schema is up to date at version %d; nothing changed\n"),
		    current);
	else if (applied == 0)
		ctl_say(ctl, _("applied the SQL API again; schema is at version %d\n"),
		    current);
	else
		ctl_say(ctl, _("applied %d migration(s) and the SQL API; schema is at version %d\n"),
		    applied, current);
	return EXIT_OK;
}

const struct ctl_entry ctl_migrate_entry = {
	.name = "migrate",
	.usage = "[--status]",
	.flags = CTL_DB,
	.help = N_("apply the pending schema migrations, then the SQL API"),
	.options = migrate_options,
	.exec = cmd_migrate,
};
