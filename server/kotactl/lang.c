/*
 * lang.c: which of Kota's two languages the messages are in, "id" or "en"
 *
 * The database holds the names of statuses, services and departments in
 * both languages; kotactl shows the one its messages speak, so that one
 * screen does not mix them.  This follows gettext's choice: in the C
 * locale it reads no LANGUAGE and speaks English; otherwise the first of
 * LANGUAGE (which --lang sets, lib/i18n.c) that is Indonesian or English
 * decides, then the locale of LC_MESSAGES.
 *
 * It stands in for the i18n_lang() of lib/i18n.c, which is being
 * rewritten beside this: the two answer the same question, and this file
 * goes once that one is in.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "kotactl.h"

/* "id", "id_ID", "id_ID.UTF-8", "id@euro": 1; "idx", "en": 0. */
static int
lang_is(const char *name, size_t len, const char *lang)
{
	size_t	n = strlen(lang);

	return len >= n && strncmp(name, lang, n) == 0 &&
	    (len == n || name[n] == '_' || name[n] == '.' || name[n] == '@');
}

const char *
i18n_lang(void)
{
	const char	*loc = setlocale(LC_MESSAGES, NULL);
	const char	*list, *end;
	size_t		 len;

	if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		return "en";
	if ((list = getenv("LANGUAGE")) != NULL) {
		for (; *list != '\0'; list = *end != '\0' ? end + 1 : end) {
			if ((end = strchr(list, ':')) == NULL)
				end = list + strlen(list);
			len = (size_t)(end - list);
			if (lang_is(list, len, "id"))
				return "id";
			if (lang_is(list, len, "en"))
				return "en";
		}
	}
	return lang_is(loc, strlen(loc), "id") ? "id" : "en";
}
