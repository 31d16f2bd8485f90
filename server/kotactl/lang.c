/*
 * lang.c: which of Kota's two languages kotactl speaks, "id" or "en"
 *
 * The database holds the names of statuses, services and departments in
 * both languages; kotactl shows the one its messages speak, so that one
 * screen does not mix them.  The choice follows the environment as
 * gettext reads it, LANGUAGE first:
 *
 *	unless the locale of the messages is C or POSIX (where gettext
 *	reads no LANGUAGE), the first language LANGUAGE lists that Kota
 *	speaks: --lang sets it (lib/i18n.c);
 *	else the language of the first of LC_ALL, LC_MESSAGES and LANG
 *	that is set, even when that locale was never generated
 *	(LANG=id_ID.UTF-8 on a system with C.UTF-8 only);
 *	else English.
 *
 * It stands in for the i18n_lang() of lib/i18n.c, which is being
 * rewritten beside this to answer the same question for every program:
 * this file goes once that one is in.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kotactl.h"

/* "id" or "en" for "id", "id_ID.UTF-8", "en@euro"...; NULL otherwise. */
static const char *
lang_of(const char *name, size_t len)
{
	static const char *const langs[] = { "id", "en" };
	size_t	i;

	for (i = 0; i < sizeof langs / sizeof langs[0]; i++)
		if (len >= 2 && strncmp(name, langs[i], 2) == 0 &&
		    (len == 2 || strchr("_.@", name[2]) != NULL))
			return langs[i];
	return NULL;
}

const char *
i18n_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*loc = setlocale(LC_MESSAGES, NULL);
	const char	*v, *end, *lang;
	size_t		 i;

	if (loc != NULL && strcmp(loc, "C") != 0 && strcmp(loc, "POSIX") != 0 &&
	    (v = getenv("LANGUAGE")) != NULL) {
		for (; *v != '\0'; v = *end != '\0' ? end + 1 : end) {
			if ((end = strchr(v, ':')) == NULL)
				end = v + strlen(v);
			if ((lang = lang_of(v, (size_t)(end - v))) != NULL)
				return lang;
		}
	}
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		if ((v = getenv(vars[i])) != NULL && *v != '\0') {
			lang = lang_of(v, strlen(v));
			return lang != NULL ? lang : "en";
		}
	}
	return "en";
}
