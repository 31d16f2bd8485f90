/*
 * kotactl.h: the administration and scripting tool, shared by its commands
 */
#ifndef KOTACTL_H
#define KOTACTL_H

#include <stdbool.h>

#include "db.h"
#include "exitcode.h"


struct ctl {
	const char	*conninfo;
	const char	*config;
	bool		 quiet;
	struct db	*db;
};

struct ctl_command {
	const char	*name;
	int		(*fn)(struct ctl *, int, char **);
	const char	*usage;
};

int	ctl_connect(struct ctl *ctl);
int	ctl_fail(const struct db_error *err);
int	ctl_count(struct ctl *ctl, const char *sql, long *n,
	    struct db_error *err);
int	ctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int	ctl_dispatch(struct ctl *ctl, const struct ctl_command *cmds,
	    const char *what, int argc, char **argv);
void	ctl_say(struct ctl *ctl, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

int	cmd_migrate(struct ctl *, int, char **);
int	cmd_seed(struct ctl *, int, char **);
int	cmd_summary(struct ctl *, int, char **);
int	cmd_user(struct ctl *, int, char **);
int	cmd_request(struct ctl *, int, char **);
int	cmd_rules(struct ctl *, int, char **);
int	cmd_config(struct ctl *, int, char **);
int	cmd_sla(struct ctl *, int, char **);
int	cmd_calendar(struct ctl *, int, char **);
int	cmd_report(struct ctl *, int, char **);
int	cmd_notify(struct ctl *, int, char **);
int	cmd_department(struct ctl *, int, char **);

#endif
