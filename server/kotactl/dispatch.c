/*
 * dispatch.c: kotactl's command table and the one dispatcher that walks it
 *
 * Every command is a ctl_entry (kotactl.h) defined beside its handler in
 * its cmd_*.c file; a command with sub-commands points at their table.
 * The dispatcher finds the entry, answers --help, checks the number of
 * operands against the entry's options, connects when the entry needs the
 * database, and only then runs the handler; a handler's CTL_USAGE becomes
 * the entry's usage on stderr and exit status 2; a command it does not
 * know gets the closest names of the table (suggest.c).  "kotactl --help",
 * "help" and "--dump-usage" are printed from the same table, walked down
 * to every sub-command, so they cannot drift from the handlers or leave
 * one out; tests/cli/12_usage.sh holds kotactl(8)'s SYNOPSIS to
 * --dump-usage, and --help to both.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "print.h"
#include "xmalloc.h"

#define CTL_DEPTH	4	/* kotactl COMMAND SUBCOMMAND: plenty */
#define CTL_HELP_WIDTH	79	/* the help fits a terminal of 80 columns */

static int	ctl_help_exec(struct ctl *, int, char **);

static const struct ctl_entry ctl_help_entry = {
	.name = "help",
	.usage = "[COMMAND [SUBCOMMAND]]",
	.args_min = 0,
	.args_max = 2,
	.help = N_("show the usage of kotactl or of one of its commands"),
	.exec = ctl_help_exec,
};

/* The table: the order of --help, --dump-usage and kotactl(8). */
static const struct ctl_entry *const ctl_commands[] = {
	&ctl_migrate_entry,
	&ctl_seed_entry,
	&ctl_summary_entry,
	&ctl_user_entry,
	&ctl_request_entry,
	&ctl_rules_entry,
	&ctl_sla_entry,
	&ctl_calendar_entry,
	&ctl_department_entry,
	&ctl_report_entry,
	&ctl_notifications_entry,
	&ctl_config_entry,
	&ctl_audit_entry,
	&ctl_tally_entry,
	&ctl_citizen_entry,
	&ctl_privacy_entry,
	&ctl_service_entry,
	&ctl_app_entry,
	&ctl_area_entry,
	&ctl_help_entry,
	NULL,
};

/* Where the walk is: the entries from the top-level command down. */
struct ctl_path {
	const struct ctl_entry	*e[CTL_DEPTH];
	int			 n;
};

static const struct ctl_entry *
ctl_find(const struct ctl_entry *const *list, const char *name)
{
	for (; *list != NULL; list++)
		if (strcmp((*list)->name, name) == 0)
			return *list;
	return NULL;
}

/*
 * After "unknown command": the names of the table closest to word,
 * suggested with the path before them ("request list").
 */
static void
ctl_suggest(const char *path, const struct ctl_entry *const *list,
    const char *word)
{
	struct suggest	*s;
	char		*full;

	s = suggest_new(word);
	for (; *list != NULL; list++) {
		xasprintf(&full, "%s%s%s", path, *path != '\0' ? " " : "",
		    (*list)->name);
		suggest_add(s, (*list)->name, full, NULL);
		free(full);
	}
	suggest_print(s);
	suggest_free(&s);
}

/* "request new": the names on the path, for messages. */
static void
ctl_path_name(const struct ctl_path *p, char *buf, size_t size)
{
	size_t	off = 0;
	int	i;

	buf[0] = '\0';
	for (i = 0; i < p->n && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
		    i > 0 ? " " : "", p->e[i]->name);
}

/*
 * Every synopsis line under the path's last entry, in table order:
 * fn(line, arg) gets "kotactl request new --service CODE ...".
 */
static void
ctl_walk_usage(struct ctl_path *p, void (*fn)(const char *, void *),
    void *arg)
{
	const struct ctl_entry		*e = p->e[p->n - 1];
	const struct ctl_entry *const	*sub;
	const char			*u, *nl;
	char				 name[128];
	char				*line;
	int				 len;

	if (e->sub != NULL) {
		for (sub = e->sub; *sub != NULL && p->n < CTL_DEPTH; sub++) {
			p->e[p->n++] = *sub;
			ctl_walk_usage(p, fn, arg);
			p->n--;
		}
		return;
	}
	ctl_path_name(p, name, sizeof name);
	for (u = e->usage != NULL ? e->usage : ""; u != NULL;
	    u = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(u, '\n');
		len = nl != NULL ? (int)(nl - u) : (int)strlen(u);
		xasprintf(&line, "kotactl %s%s%.*s", name, len > 0 ? " " : "",
		    len, u);
		fn(line, arg);
		free(line);
	}
}

static void
ctl_put_line(const char *line, void *arg)
{
	fprintf(arg, "%s\n", line);
}

struct ctl_usage_out {
	FILE	*fp;
	int	 n;
};

/*
 * git's form: the first "usage:", the others "or:" beneath it.  A line
 * longer than the help's width goes on beneath the command's name, broken
 * between its options: at a space outside brackets, so "[--lat X --lon
 * Y]" stays whole.
 */
static void
ctl_put_usage(const char *line, void *arg)
{
	struct ctl_usage_out	*u = arg;
	const char		*word, *s, *end;
	int			 col, indent, depth, n;

	fprintf(u->fp, "%s ", u->n++ == 0 ? _("usage:") : _("   or:"));
	/* "kotactl NAME": up to its first option or operand */
	for (s = strchr(line, ' '); s != NULL && s[1] != '\0' &&
	    s[1] != '[' && s[1] != '-' && !(s[1] >= 'A' && s[1] <= 'Z');
	    s = strchr(s + 1, ' '))
		;
	if (s == NULL)
		s = line + strlen(line);
	col = print_width(_("usage:")) + 1 + (int)(s - line);
	indent = col + 1;
	fprintf(u->fp, "%.*s", (int)(s - line), line);
	while (*s == ' ')
		s++;
	for (word = s; *word != '\0'; word = end) {
		for (end = word, depth = 0; *end != '\0'; end++) {
			if (*end == '[' || *end == '(')
				depth++;
			else if ((*end == ']' || *end == ')') && depth > 0)
				depth--;
			else if (*end == ' ' && depth == 0)
				break;
		}
		n = (int)(end - word);	/* options are ASCII */
		if (col + 1 + n > CTL_HELP_WIDTH && col >= indent) {
			fprintf(u->fp, "\n%*s", indent - 1, "");
			col = indent - 1;
		}
		fprintf(u->fp, " %.*s", (int)(end - word), word);
		col += 1 + n;
		while (*end == ' ')
			end++;
	}
	putc('\n', u->fp);
}

static void
ctl_print_usage(FILE *fp, const struct ctl_path *p)
{
	struct ctl_usage_out	u = { fp, 0 };
	struct ctl_path		walk = *p;

	ctl_walk_usage(&walk, ctl_put_usage, &u);
}

/* The names and one-line helps of a table, two columns. */
static void
ctl_print_list(FILE *fp, const struct ctl_entry *const *list)
{
	struct print_table	*t;

	t = print_table_new(2);
	print_table_gap(t, 0, "  ");
	print_table_gap(t, 1, "  ");
	print_table_wrap(t, CTL_HELP_WIDTH);
	for (; *list != NULL; list++) {
		print_table_add(t, (*list)->name);
		print_table_add(t, _((*list)->help));
	}
	print_table_text(fp, t, 0);
	print_table_free(&t);
}

/*
 * Every command that runs (an entry without sub-commands) under the
 * path's last entry, its names and its help, a row each, in table order.
 */
static void
ctl_list_leaves(struct print_table *t, struct ctl_path *p)
{
	const struct ctl_entry		*e = p->e[p->n - 1];
	const struct ctl_entry *const	*sub;
	char				 name[128];

	if (e->sub == NULL) {
		ctl_path_name(p, name, sizeof name);
		print_table_add(t, name);
		print_table_add(t, _(e->help));
		return;
	}
	for (sub = e->sub; *sub != NULL && p->n < CTL_DEPTH; sub++) {
		p->e[p->n++] = *sub;
		ctl_list_leaves(t, p);
		p->n--;
	}
}

/*
 * kotactl --help and kotactl help: the form, then every command down to
 * its sub-commands, walked from the table as --dump-usage is, so that a
 * command added to the table cannot be left out.
 */
void
ctl_help(FILE *fp)
{
	const struct ctl_entry *const	*c;
	struct print_table		*t;
	struct ctl_path			 p;

	fprintf(fp, "%s kotactl [-d CONNINFO] [-r CONNINFO] [-c FILE] [-q] [-v]\n",
	    _("usage:"));
	fprintf(fp, "%*s [--lang id|en] COMMAND [ARGS]\n",
	    print_width(_("usage:")) + (int)strlen(" kotactl"), "");
	fprintf(fp, "%s kotactl --help | --version | --dump-usage\n",
	    _("   or:"));
	fprintf(fp, "\n%s", _("commands:\n"));
	t = print_table_new(2);
	print_table_gap(t, 0, "  ");
	print_table_gap(t, 1, "  ");
	print_table_wrap(t, CTL_HELP_WIDTH);
	for (c = ctl_commands; *c != NULL; c++) {
		p.e[0] = *c;
		p.n = 1;
		ctl_list_leaves(t, &p);
	}
	print_table_text(fp, t, 0);
	print_table_free(&t);
	fprintf(fp, "\n%s\n%s", _("'kotactl help COMMAND' shows a command's usage."),
	    _("See kotactl(8).\n"));
}

/* kotactl help request, kotactl request --help: usage, then the help. */
static void
ctl_help_entry_print(FILE *fp, const struct ctl_path *p)
{
	const struct ctl_entry	*e = p->e[p->n - 1];

	ctl_print_usage(fp, p);
	fprintf(fp, "\n%s\n", _(e->help));
	if (e->sub != NULL) {
		fprintf(fp, "\n%s", _("commands:\n"));
		ctl_print_list(fp, e->sub);
	}
}

void
ctl_dump_usage(FILE *fp)
{
	const struct ctl_entry *const	*c;
	struct ctl_path			 p;

	for (c = ctl_commands; *c != NULL; c++) {
		p.e[0] = *c;
		p.n = 1;
		ctl_walk_usage(&p, ctl_put_line, fp);
	}
}

/*
 * Whether the arguments (argv[0] the command's name) ask for help:
 * --help before any "--", or -h alone, which could be a value otherwise.
 */
static int
ctl_wants_help(int argc, char **argv)
{
	int	i;

	if (argc == 2 && strcmp(argv[1], "-h") == 0)
		return 1;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

/*
 * The options must be the entry's and the operands as many as it takes.
 * Parsed on a copy, since getopt_long() moves the operands to the end and
 * the handler parses the arguments again.
 */
static int
ctl_check_args(const struct ctl_path *p, int argc, char **argv)
{
	static const struct option	 none[] = { { NULL, 0, NULL, 0 } };
	const struct ctl_entry		*e = p->e[p->n - 1];
	char				 name[128];
	char				**copy;
	int				 ch, n, rc = EXIT_OK;

	ctl_path_name(p, name, sizeof name);
	copy = xreallocarray(NULL, (size_t)argc + 1, sizeof *copy);
	memcpy(copy, argv, ((size_t)argc + 1) * sizeof *copy);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, copy, ":", e->options != NULL ?
	    e->options : none, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			/* an unknown short option is optopt; the rest, a word */
			char	opt[3] = { '-', (char)optopt, '\0' };
			const char *word = ch == '?' && optopt != 0 ? opt :
			    copy[optind - 1];

			rc = ch == '?' ?
			    ctl_usage(_("%s: unknown option '%s'"), name, word) :
			    ctl_usage(_("%s: option '%s' needs a value"), name,
			    word);
			break;
		}
	}
	n = argc - optind;
	if (rc == EXIT_OK && n < e->args_min)
		rc = ctl_usage(_("%s: too few arguments"), name);
	else if (rc == EXIT_OK && e->args_max >= 0 && n > e->args_max)
		rc = ctl_usage(_("%s: unexpected argument '%s'"), name,
		    copy[optind + e->args_max]);
	opterr = 1;
	optind = 0;
	free(copy);
	return rc;
}

/*
 * The entry the words of argv name, argv moved on to it; NULL when there
 * is none (said why, *rc set) or when help was asked of a command with
 * sub-commands (printed, *rc EXIT_OK).
 */
static const struct ctl_entry *
ctl_lookup(struct ctl_path *p, int *argcp, char ***argvp, int *rc)
{
	const struct ctl_entry *const	*list = ctl_commands;
	const struct ctl_entry		*e;
	char				 name[128];

	p->n = 0;
	for (;;) {
		ctl_path_name(p, name, sizeof name);
		if (p->n > 0 && *argcp > 0 &&
		    (strcmp((*argvp)[0], "--help") == 0 ||
		    strcmp((*argvp)[0], "-h") == 0)) {
			ctl_help_entry_print(stdout, p);
			*rc = EXIT_OK;
			return NULL;
		}
		if (*argcp == 0) {
			ctl_usage(_("%s needs a command"), name);
			ctl_print_usage(stderr, p);
			*rc = EXIT_USAGE;
			return NULL;
		}
		if (p->n == CTL_DEPTH ||
		    (e = ctl_find(list, (*argvp)[0])) == NULL) {
			ctl_usage(_("unknown command '%s%s%s'; try kotactl --help"),
			    name, p->n > 0 ? " " : "", (*argvp)[0]);
			if (p->n < CTL_DEPTH)
				ctl_suggest(name, list, (*argvp)[0]);
			if (p->n > 0)
				ctl_print_usage(stderr, p);
			*rc = EXIT_USAGE;
			return NULL;
		}
		p->e[p->n++] = e;
		if (e->sub == NULL)
			return e;
		list = e->sub;
		(*argcp)--;
		(*argvp)++;
	}
}

int
ctl_dispatch(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_entry	*e;
	struct ctl_path		 p;
	int			 rc;

	if ((e = ctl_lookup(&p, &argc, &argv, &rc)) == NULL)
		return rc;
	if (ctl_wants_help(argc, argv)) {
		ctl_help_entry_print(stdout, &p);
		return EXIT_OK;
	}
	if ((rc = ctl_check_args(&p, argc, argv)) != EXIT_OK) {
		ctl_print_usage(stderr, &p);
		return EXIT_USAGE;
	}
	if ((e->flags & CTL_CONFIG) && ctl->config == NULL)
		ctl->config = SYSCONFDIR "/kota/kotad.conf";
	if ((e->flags & CTL_DB) && (rc = ctl_connect(ctl)) != EXIT_OK)
		return rc;
	if ((e->flags & (CTL_DB | CTL_READ)) == (CTL_DB | CTL_READ))
		ctl_read_from_standby(ctl);
	rc = e->exec(ctl, argc, argv);
	if (rc == CTL_USAGE) {
		ctl_print_usage(stderr, &p);
		rc = EXIT_USAGE;
	}
	return rc;
}

/* kotactl help [COMMAND [SUBCOMMAND]] */
static int
ctl_help_exec(struct ctl *ctl, int argc, char **argv)
{
	const struct ctl_entry *const	*list = ctl_commands;
	const struct ctl_entry		*e;
	struct ctl_path			 p;
	char				 name[128];
	int				 i;

	(void)ctl;
	if (argc == 1) {
		ctl_help(stdout);
		return EXIT_OK;
	}
	p.n = 0;
	for (i = 1; i < argc; i++) {
		if (list == NULL || (e = ctl_find(list, argv[i])) == NULL) {
			ctl_path_name(&p, name, sizeof name);
			ctl_invalid(_("unknown command '%s%s%s'; try kotactl --help"),
			    name, p.n > 0 ? " " : "", argv[i]);
			if (list != NULL)
				ctl_suggest(name, list, argv[i]);
			return EXIT_USAGE;
		}
		p.e[p.n++] = e;
		list = e->sub;
	}
	ctl_help_entry_print(stdout, &p);
	return EXIT_OK;
}
