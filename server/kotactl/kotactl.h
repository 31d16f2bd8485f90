/*
 * kotactl.h: the administration and scripting tool, shared by its commands
 *
 * kotactl.c holds main(), the global options, connecting and the error
 * messages; dispatch.c the command table, its one dispatcher, help and
 * --dump-usage; parse.c the parsers of numbers, dates, durations and
 * request references every command uses.  Each top-level command is a
 * cmd_*.c file that defines its ctl_entry (tmux's cmd_entry, git's
 * cmd_struct): name, synopsis, argument counts, needs, help and handler,
 * or a table of sub-commands.  seed --bulk's loader is seed_bulk.c and
 * seed_rows.c.  vocab.c checks the statuses, services and departments
 * commands take, suggest.c says "did you mean" for them and for commands,
 * lang.c tells which language the messages speak, list.c says when a list
 * stops at its limit.
 */
#ifndef KOTACTL_H
#define KOTACTL_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "exitcode.h"
#include "print.h"

struct ctl {
	const char	*conninfo;	/* -d */
	const char	*config;	/* -c, or the default for CTL_CONFIG */
	bool		 quiet;		/* -q */
	struct db	*db;		/* connected for CTL_DB */
};

/* What an entry needs before its handler runs */
#define CTL_DB		0x1	/* the database: ctl->db is connected */
#define CTL_CONFIG	0x2	/* kotad.conf: ctl->config is -c FILE or the default */

/* A handler's return for a usage error: the dispatcher prints the usage. */
#define CTL_USAGE	(-1)

struct ctl_entry {
	const char	*name;
	/*
	 * The synopsis after "kotactl COMMAND [SUBCOMMAND]", one line per
	 * form, lines separated by '\n'; "" when there are no arguments.
	 * NULL for a command with sub-commands.
	 */
	const char	*usage;
	int		 args_min;	/* operands, options aside */
	int		 args_max;	/* -1: any number */
	int		 flags;		/* CTL_DB, CTL_CONFIG */
	const char	*help;		/* one line, marked N_() */
	/* The handler's long options: the dispatcher counts operands with them. */
	const struct option *options;
	/*
	 * Runs with argv[0] the entry's name and what the entry needs ready;
	 * parses its options with getopt_long(argc, argv, "", options, NULL).
	 * Returns an exit code, or CTL_USAGE.
	 */
	int		(*exec)(struct ctl *ctl, int argc, char **argv);
	const struct ctl_entry *const *sub;	/* sub-commands, NULL-ended */
};

/* The top-level commands, in dispatch.c's table order */
extern const struct ctl_entry ctl_migrate_entry;
extern const struct ctl_entry ctl_seed_entry;
extern const struct ctl_entry ctl_summary_entry;
extern const struct ctl_entry ctl_user_entry;
extern const struct ctl_entry ctl_request_entry;
extern const struct ctl_entry ctl_rules_entry;
extern const struct ctl_entry ctl_sla_entry;
extern const struct ctl_entry ctl_calendar_entry;
extern const struct ctl_entry ctl_department_entry;
extern const struct ctl_entry ctl_report_entry;
extern const struct ctl_entry ctl_notifications_entry;
extern const struct ctl_entry ctl_config_entry;
extern const struct ctl_entry ctl_audit_entry;
extern const struct ctl_entry ctl_citizen_entry;
extern const struct ctl_entry ctl_privacy_entry;
extern const struct ctl_entry ctl_app_entry;
extern const struct ctl_entry ctl_service_entry;
extern const struct ctl_entry ctl_area_entry;
extern const struct ctl_entry ctl_tally_entry;

/* dispatch.c */
int	ctl_dispatch(struct ctl *ctl, int argc, char **argv);
void	ctl_help(FILE *fp);
void	ctl_dump_usage(FILE *fp);

/* kotactl.c */
int	ctl_connect(struct ctl *ctl);
int	ctl_fail(const struct db_error *err);
int	ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	ctl_invalid(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	ctl_say(struct ctl *ctl, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	ctl_count(struct ctl *ctl, const char *sql, long *n,
	    struct db_error *err);
void	ctl_table_add_result(struct print_table *t, const PGresult *res);

/* parse.c: EXIT_OK, or EXIT_USAGE once the message is out */
int	ctl_parse_int(const char *opt, const char *arg, long min, long max,
	    long *out);
int	ctl_parse_real(const char *opt, const char *arg, double min,
	    double max, double *out);
int	ctl_parse_date(const char *opt, const char *arg);
int	ctl_parse_duration(const char *opt, const char *arg, int *minutes);
int	ctl_parse_ref(const char *opt, const char *arg, int64_t *id);

/* vocab.c: EXIT_OK, or the message is out and the exit code returned */
int	ctl_status_resolve(struct ctl *ctl, const char *arg, int filter,
	    char *code, size_t size);
int	ctl_service_check(struct ctl *ctl, const char *arg);
int	ctl_department_check(struct ctl *ctl, const char *arg);

/*
 * The SQL of a status's name in the language of the messages, for a
 * query whose parameter $n is i18n_lang(): the name of code "st.code"
 * in kota.statuses st.
 */
#define CTL_STATUS_LABEL(n)						\
	"CASE $" #n " WHEN 'id' THEN st.label_id ELSE st.label_en END"

/* list.c: on stderr, "50 of 52 shown; use --limit or --offset ..." */
void	ctl_list_more(long offset, long shown, long total);

/* suggest.c: "did you mean" */
struct suggest {
	char			*word;		/* what was typed */
	struct suggest_item	*items;		/* the candidates, scored */
	size_t			 n, cap;
};
int	suggest_distance(const char *a, const char *b);
struct suggest *suggest_new(const char *word);
void	suggest_free(struct suggest **sp);
void	suggest_add(struct suggest *s, const char *text, const char *word,
	    const char *note);
int	suggest_count(const struct suggest *s);
int	suggest_print(const struct suggest *s);

/* words.c: the word people read for a column name or kind code */
const char *ctl_word(const char *code);

/* cmd_summary.c: also the end of seed --demo */
int	summary_print(struct ctl *ctl);

#endif
