/*
 * catalog.c: services, departments, agents and statuses, read once
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "data.h"
#include "i18n.h"
#include "tui.h"
#include "xmalloc.h"

/* Through the API's views of the set-up (schema/api/catalog.sql). */
static const struct db_stmt catalog_stmt_services = {
	NULL,
	"SELECT code, name_id, name_en, group_name,"
	" coalesce(department, '') AS department, default_priority"
	" FROM kota.services WHERE active ORDER BY group_name, name_id",
	0, DB_READ,
};
static const struct db_stmt catalog_stmt_departments = {
	NULL,
	"SELECT code, name_id, name_en, is_triage FROM kota.departments"
	" WHERE active ORDER BY is_triage DESC, code",
	0, DB_READ,
};
static const struct db_stmt catalog_stmt_agents = {
	NULL,
	"SELECT role_name, display_name, kind,"
	" coalesce(department, '') AS department"
	" FROM kota.agents WHERE active ORDER BY display_name",
	0, DB_READ,
};
static const struct db_stmt catalog_stmt_statuses = {
	NULL,
	"SELECT code, label_id, label_en, is_open,"
	" code IN (SELECT kota.console_final_statuses()) AS final"
	" FROM kota.statuses ORDER BY position",
	0, DB_READ,
};
static const struct db_stmt catalog_stmt_usage = {
	NULL,
	"SELECT kind, code, uses FROM kota.console_usage()",
	0, DB_READ,
};

/* Run one catalogue query; columns by name. */
static PGresult *
catalog_query(struct tui *t, const struct db_stmt *st,
    const char *const *names, int n, int *cols, struct db_error *err)
{
	PGresult	*res;
	int		 i;

	if (tui_online(t, err) != 0)
		return NULL;
	if ((res = db_run(t->db, st, NULL, err)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if ((cols[i] = db_column(res, names[i])) < 0) {
			db_error_printf(err, DB_BUG,
			    _("the catalogue has no column \"%s\""), names[i]);
			PQclear(res);
			return NULL;
		}
	return res;
}

static char *
catalog_dup(const PGresult *res, int row, int col)
{
	return xstrdup(PQgetvalue(res, row, col));
}

static int
catalog_load_services(struct tui *t, struct catalog *c, struct db_error *err)
{
	static const char *const names[] = {
		"code", "name_id", "name_en", "group_name", "department",
		"default_priority",
	};
	PGresult	*res;
	int		 cols[6], i, n;

	if ((res = catalog_query(t, &catalog_stmt_services, names, 6, cols,
	    err)) == NULL)
		return -1;
	n = PQntuples(res);
	c->services = xcalloc((size_t)n, sizeof *c->services);
	for (i = 0; i < n; i++) {
		struct cat_service	*s = &c->services[i];

		s->code = catalog_dup(res, i, cols[0]);
		s->name_id = catalog_dup(res, i, cols[1]);
		s->name_en = catalog_dup(res, i, cols[2]);
		s->group = catalog_dup(res, i, cols[3]);
		s->department = catalog_dup(res, i, cols[4]);
		s->priority = atoi(PQgetvalue(res, i, cols[5]));
	}
	c->nservices = (size_t)n;
	PQclear(res);
	return 0;
}

static int
catalog_load_departments(struct tui *t, struct catalog *c,
    struct db_error *err)
{
	static const char *const names[] = {
		"code", "name_id", "name_en", "is_triage",
	};
	PGresult	*res;
	int		 cols[4], i, n;

	if ((res = catalog_query(t, &catalog_stmt_departments, names, 4, cols,
	    err)) == NULL)
		return -1;
	n = PQntuples(res);
	c->departments = xcalloc((size_t)n, sizeof *c->departments);
	for (i = 0; i < n; i++) {
		struct cat_department	*d = &c->departments[i];

		d->code = catalog_dup(res, i, cols[0]);
		d->name_id = catalog_dup(res, i, cols[1]);
		d->name_en = catalog_dup(res, i, cols[2]);
		d->triage = PQgetvalue(res, i, cols[3])[0] == 't';
	}
	c->ndepartments = (size_t)n;
	PQclear(res);
	return 0;
}

static int
catalog_load_agents(struct tui *t, struct catalog *c, struct db_error *err)
{
	static const char *const names[] = {
		"role_name", "display_name", "kind", "department",
	};
	PGresult	*res;
	int		 cols[4], i, n;

	if ((res = catalog_query(t, &catalog_stmt_agents, names, 4, cols,
	    err)) == NULL)
		return -1;
	n = PQntuples(res);
	c->agents = xcalloc((size_t)n, sizeof *c->agents);
	for (i = 0; i < n; i++) {
		struct cat_agent	*a = &c->agents[i];

		a->role = catalog_dup(res, i, cols[0]);
		a->name = catalog_dup(res, i, cols[1]);
		a->kind = catalog_dup(res, i, cols[2]);
		a->department = catalog_dup(res, i, cols[3]);
	}
	c->nagents = (size_t)n;
	PQclear(res);
	return 0;
}

static int
catalog_load_statuses(struct tui *t, struct catalog *c, struct db_error *err)
{
	static const char *const names[] = {
		"code", "label_id", "label_en", "is_open", "final",
	};
	PGresult	*res;
	int		 cols[5], i, n;

	if ((res = catalog_query(t, &catalog_stmt_statuses, names, 5, cols,
	    err)) == NULL)
		return -1;
	n = PQntuples(res);
	c->statuses = xcalloc((size_t)n, sizeof *c->statuses);
	for (i = 0; i < n; i++) {
		struct cat_status	*s = &c->statuses[i];

		s->code = catalog_dup(res, i, cols[0]);
		s->label_id = catalog_dup(res, i, cols[1]);
		s->label_en = catalog_dup(res, i, cols[2]);
		s->open = PQgetvalue(res, i, cols[3])[0] == 't';
		s->final = PQgetvalue(res, i, cols[4])[0] == 't';
	}
	c->nstatuses = (size_t)n;
	PQclear(res);
	return 0;
}

/* The uses of each service, department and agent (kota.console_usage()). */
static int
catalog_load_usage(struct tui *t, struct catalog *c, struct db_error *err)
{
	static const char *const names[] = { "kind", "code", "uses" };
	PGresult	*res;
	int		 cols[3], i, n;
	const char	*kind, *code;
	long		 uses;
	size_t		 j;

	if ((res = catalog_query(t, &catalog_stmt_usage, names, 3, cols,
	    err)) == NULL)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		kind = PQgetvalue(res, i, cols[0]);
		code = PQgetvalue(res, i, cols[1]);
		uses = atol(PQgetvalue(res, i, cols[2]));
		if (strcmp(kind, "service") == 0) {
			for (j = 0; j < c->nservices; j++)
				if (strcmp(c->services[j].code, code) == 0)
					c->services[j].uses = uses;
		} else if (strcmp(kind, "department") == 0) {
			for (j = 0; j < c->ndepartments; j++)
				if (strcmp(c->departments[j].code, code) == 0)
					c->departments[j].uses = uses;
		} else if (strcmp(kind, "agent") == 0) {
			for (j = 0; j < c->nagents; j++)
				if (strcmp(c->agents[j].role, code) == 0)
					c->agents[j].uses = uses;
		}
	}
	PQclear(res);
	return 0;
}

int
catalog_load(struct tui *t, struct catalog *cat, struct db_error *err)
{
	struct catalog	c;

	memset(&c, 0, sizeof c);
	if (catalog_load_services(t, &c, err) != 0 ||
	    catalog_load_departments(t, &c, err) != 0 ||
	    catalog_load_agents(t, &c, err) != 0 ||
	    catalog_load_statuses(t, &c, err) != 0 ||
	    catalog_load_usage(t, &c, err) != 0) {
		catalog_release(&c);
		return -1;
	}
	catalog_release(cat);
	*cat = c;
	return 0;
}

void
catalog_release(struct catalog *cat)
{
	size_t	i;

	for (i = 0; i < cat->nservices; i++) {
		free(cat->services[i].code);
		free(cat->services[i].name_id);
		free(cat->services[i].name_en);
		free(cat->services[i].group);
		free(cat->services[i].department);
	}
	for (i = 0; i < cat->ndepartments; i++) {
		free(cat->departments[i].code);
		free(cat->departments[i].name_id);
		free(cat->departments[i].name_en);
	}
	for (i = 0; i < cat->nagents; i++) {
		free(cat->agents[i].role);
		free(cat->agents[i].name);
		free(cat->agents[i].kind);
		free(cat->agents[i].department);
	}
	for (i = 0; i < cat->nstatuses; i++) {
		free(cat->statuses[i].code);
		free(cat->statuses[i].label_id);
		free(cat->statuses[i].label_en);
	}
	free(cat->services);
	free(cat->departments);
	free(cat->agents);
	free(cat->statuses);
	memset(cat, 0, sizeof *cat);
}

const struct cat_service *
catalog_service(const struct catalog *cat, const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < cat->nservices; i++)
		if (strcmp(cat->services[i].code, code) == 0)
			return &cat->services[i];
	return NULL;
}

const struct cat_department *
catalog_department(const struct catalog *cat, const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < cat->ndepartments; i++)
		if (strcmp(cat->departments[i].code, code) == 0)
			return &cat->departments[i];
	return NULL;
}

const struct cat_department *
catalog_triage(const struct catalog *cat)
{
	size_t	i;

	for (i = 0; i < cat->ndepartments; i++)
		if (cat->departments[i].triage)
			return &cat->departments[i];
	return NULL;
}

const struct cat_status *
catalog_status(const struct catalog *cat, const char *code)
{
	size_t	i;

	for (i = 0; code != NULL && i < cat->nstatuses; i++)
		if (strcmp(cat->statuses[i].code, code) == 0)
			return &cat->statuses[i];
	return NULL;
}

const struct cat_agent *
catalog_agent(const struct catalog *cat, const char *role)
{
	size_t	i;

	for (i = 0; role != NULL && i < cat->nagents; i++)
		if (strcmp(cat->agents[i].role, role) == 0)
			return &cat->agents[i];
	return NULL;
}
