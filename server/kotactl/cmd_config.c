/*
 * cmd_config.c: kotactl config check, kotad.conf read as kotad reads it
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "settings.h"

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
static int
config_check(struct ctl *ctl, int argc, char **argv)
{
	const struct conf_key	*k;
	struct settings		 s;
	char			 err[CONF_ERRMAX];
	const char		*path;

	path = argc == 2 ? argv[1] : ctl->config;
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

static const struct ctl_entry config_check_entry = {
	.name = "check",
	.usage = "[FILE]",
	.args_max = 1,
	.flags = CTL_CONFIG,
	.help = N_("read kotad.conf as kotad would and print the settings"),
	.exec = config_check,
};

static const struct ctl_entry *const config_commands[] = {
	&config_check_entry,
	NULL,
};

const struct ctl_entry ctl_config_entry = {
	.name = "config",
	.help = N_("check kotad's configuration file"),
	.sub = config_commands,
};
