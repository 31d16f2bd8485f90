/*
 * cmd_migrate.c: kotactl migrate, kotactl config check
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "migrate.h"
#include "settings.h"

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

int
cmd_migrate(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "status", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct db_error	 err;
	int		 ch, rc, status = 0, applied, current;
	bool		 api;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 's')
			return ctl_usage(_("usage: kotactl migrate [--status]"));
		status = 1;
	}
	if (optind != argc)
		return ctl_usage(_("usage: kotactl migrate [--status]"));
	if ((rc = ctl_connect(ctl)) != EXIT_OK)
		return rc;

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

static void
config_print(const struct conf_key *k, const void *settings)
{
	const char	*base = settings;
	const void	*p = base + k->offset;
	int		 i;

	printf("%s.%s = ", k->section, k->name);
	switch (k->type) {
	case CONF_STRING: {
		const char *s = *(char *const *)p;

		/* secrets are in files; never print a file's content */
		printf("%s\n", s != NULL ? s : "");
		break;
	}
	case CONF_INT:
	case CONF_DURATION:
		printf("%d%s\n", *(const int *)p,
		    k->type == CONF_DURATION ? "ms" : "");
		break;
	case CONF_BOOL:
		printf("%s\n", *(const bool *)p ? "true" : "false");
		break;
	case CONF_ENUM:
		printf("%s\n", k->choices[*(const int *)p]);
		break;
	case CONF_TIMERANGE: {
		const struct conf_timerange *t = p;

		if (t->set)
			printf("%02d:%02d-%02d:%02d\n", t->start / 60,
			    t->start % 60, t->end / 60, t->end % 60);
		else
			printf("\n");
		break;
	}
	case CONF_LIST: {
		const struct conf_list *l = p;

		for (i = 0; i < l->n; i++)
			printf("%s%s", i > 0 ? " | " : "", l->items[i]);
		printf("\n");
		break;
	}
	}
}

/* kotactl config check [FILE]: read kotad.conf as kotad would. */
int
cmd_config(struct ctl *ctl, int argc, char **argv)
{
	const struct conf_key	*k;
	struct settings		 s;
	char			 err[CONF_ERRMAX];
	const char		*path;

	if (argc < 2 || strcmp(argv[1], "check") != 0 || argc > 3)
		return ctl_usage(_("usage: kotactl config check [FILE]"));
	path = argc == 3 ? argv[2] : ctl->config;
	if (path == NULL)
		path = SYSCONFDIR "/kota/kotad.conf";
	memset(&s, 0, sizeof s);
	if (conf_load(settings_table, &s, path, err, sizeof err) != 0) {
		log_error("%s", err);
		conf_free(settings_table, &s);
		return EXIT_REFUSED;
	}
	if (!ctl->quiet)
		for (k = settings_table; k->name != NULL; k++)
			config_print(k, &s);
	conf_free(settings_table, &s);
	ctl_say(ctl, _("%s: ok\n"), path);
	return EXIT_OK;
}
