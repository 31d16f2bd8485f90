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
migrate_say(int version, const char *name, void *arg)
{
	struct ctl	*ctl = arg;

	ctl_say(ctl, _("applying migration %03d (%s)\n"), version, name);
}

int
cmd_migrate(struct ctl *ctl, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "status", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct db_error	 err;
	int		 ch, rc, status = 0, applied, current, latest;

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

	if (status) {
		if (migrate_current(ctl->db, &current, &latest, &err) != 0)
			return ctl_fail(&err);
		printf(_("schema version %d, newest known %d: %s\n"), current,
		    latest, current == latest ? _("up to date") :
		    current > latest ? _("newer than this kotactl") :
		    _("migrations pending"));
		return EXIT_OK;
	}
	if (migrate_run(ctl->db, &applied, &current, migrate_say, ctl,
	    &err) != 0)
		return ctl_fail(&err);
	if (applied == 0)
		ctl_say(ctl, _("schema is up to date at version %d; nothing changed\n"),
		    current);
	else
		ctl_say(ctl, _("applied %d migration(s); schema is at version %d\n"),
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
