/*
 * cmd_config.c: kotactl config check, kotad.conf read as kotad reads it
 *
 * The check is kd_conf_load() of lib/kdconf.c, the function kotad itself
 * starts with: the syntax, the lease against the timeout, the time zone,
 * the gateways, the patterns and the secret files (regular, owner-only,
 * parsable).  What it prints never holds a password: secrets stay in
 * their files, and a password in [database] conninfo or in a URL is
 * shown as "****".
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "i18n.h"
#include "kdconf.h"
#include "kotactl.h"
#include "log.h"
#include "settings.h"
#include "strbuf.h"

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

		struct strbuf sb = STRBUF_INIT;

		/* secrets are in files; never print a file's content, nor a
		 * password written in a setting */
		if (s != NULL)
			kd_conf_mask(&sb, s);
		printf("%s\n", strbuf_str(&sb));
		strbuf_release(&sb);
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
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < l->n; i++) {
			strbuf_adds(&sb, i > 0 ? " | " : "");
			kd_conf_mask(&sb, l->items[i]);
		}
		printf("%s\n", strbuf_str(&sb));
		strbuf_release(&sb);
		break;
	}
	}
}

/*
 * kotactl config check [FILE]: kotad's own loader, so the answer and the
 * exit status are kotad's (kotad -t stops at the same first problem).
 */
static int
config_check(struct ctl *ctl, int argc, char **argv)
{
	const struct conf_key	*k;
	struct kd_conf		*c;
	char			 err[CONF_ERRMAX];
	const char		*path;

	path = argc == 2 ? argv[1] : ctl->config;
	if (kd_conf_load(path, &c, err, sizeof err) != 0) {
		log_error("%s", err);
		return EXIT_REFUSED;
	}
	if (!ctl->quiet)
		for (k = settings_table; k->name != NULL; k++)
			config_print(k, &c->s);
	kd_conf_unref(&c);
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
