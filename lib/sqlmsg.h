/*
 * sqlmsg.h: the SQL API's refusals in the user's language
 *
 * The API refuses a call with kota.refuse(code, field, message), message
 * an English text often made by format('... %s ...', value).  The
 * database speaks one language to every client, so the client translates:
 * lib/sqlmsg_catalog.c (generated from the files of schema/api by
 * build-aux/sqlmsg-catalog.pl) holds every such text as a template, an
 * N_() string for the translators.  A message is matched against the
 * templates of its SQLSTATE (a %s matches any value), the template
 * translated by gettext and the values put back in; a value that is a
 * word of the database's vocabulary (a status code, a field name, a
 * role) is shown as the program calls it, through a hook.  A message no
 * template matches is left as it is.
 */
#ifndef KOTA_SQLMSG_H
#define KOTA_SQLMSG_H

#include <stdbool.h>
#include <stddef.h>

struct sqlmsg_template {
	const char	*sqlstate;
	const char	*text;		/* %s a value, %% a per cent sign */
};

/* The API's, ending with { NULL, NULL }. */
extern const struct sqlmsg_template sqlmsg_templates[];

/* A word of the database (a status code) as the program shows it, or NULL. */
typedef const char *(*sqlmsg_vocab_fn)(const char *word, void *arg);

#define SQLMSG_MAXARGS	8

struct sqlmsg_args {
	int		 n;
	const char	*arg[SQLMSG_MAXARGS];
	bool		 quoted[SQLMSG_MAXARGS];	/* "%s": as typed */
	char		 buf[1024];
};

/* Does msg come from template tpl?  Fills args with its values. */
bool	sqlmsg_match(const char *tpl, const char *msg,
	    struct sqlmsg_args *args);

/*
 * fmt (a template or its translation: %s, %N$s, %%) with the values of
 * args; 0, or -1 when fmt asks for a value args do not have.
 */
int	sqlmsg_format(const char *fmt, const char *const *values, int n,
	    char *out, size_t size);

/*
 * msg, a refusal of SQLSTATE sqlstate, in the language gettext speaks,
 * into out: 0, or -1 when no template of tpls matches (out untouched).
 * vocab may be NULL; the field names and roles of the API are known here.
 */
int	sqlmsg_translate(const struct sqlmsg_template *tpls,
	    const char *sqlstate, const char *msg, sqlmsg_vocab_fn vocab,
	    void *arg, char *out, size_t size);

/* A field name or role of the API in the current language, or NULL. */
const char *sqlmsg_word(const char *word);

#endif
