/*
 * catalog.h: services, departments, agents and statuses, read once
 *
 * The pickers, the live route suggestion and the labels of the queue need
 * these on every keystroke; they change rarely, so they are read at start
 * and after a reconnect, not per screen.  With them: how often each
 * service, department and agent was used lately, which breaks the ties of
 * the pick lists' ranking (kota.console_usage()), and which statuses a
 * clerk cannot take a request out of, which the console asks before
 * (kota.console_final_statuses()).
 */
#ifndef KOTA_TUI_CATALOG_H
#define KOTA_TUI_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

struct tui;

/* uses: how often it was used over the last 90 days, for the pick lists */
struct cat_service {
	char	*code, *name_id, *name_en, *group, *department;
	int	 priority;		/* the default, 1..4 */
	long	 uses;
};

struct cat_department {
	char	*code, *name_id, *name_en;
	bool	 triage;
	long	 uses;
};

struct cat_agent {
	char	*role, *name, *kind, *department;	/* department may be "" */
	long	 uses;
};

struct cat_status {
	char	*code, *label_id, *label_en;
	bool	 open;
	bool	 final;		/* a clerk cannot move a request out of it */
};

struct catalog {
	struct cat_service	*services;
	size_t			 nservices;
	struct cat_department	*departments;
	size_t			 ndepartments;
	struct cat_agent	*agents;
	size_t			 nagents;
	struct cat_status	*statuses;
	size_t			 nstatuses;
};

/* Replace cat's contents; on failure cat keeps what it had. */
int	catalog_load(struct tui *t, struct catalog *cat, struct db_error *err);
void	catalog_release(struct catalog *cat);

const struct cat_service	*catalog_service(const struct catalog *cat,
				    const char *code);
const struct cat_department	*catalog_department(const struct catalog *cat,
				    const char *code);
const struct cat_department	*catalog_triage(const struct catalog *cat);
const struct cat_status		*catalog_status(const struct catalog *cat,
				    const char *code);
const struct cat_agent		*catalog_agent(const struct catalog *cat,
				    const char *role);

#endif
