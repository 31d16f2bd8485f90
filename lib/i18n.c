/*
 * i18n.c: choose the language of the messages
 *
 * LANG, LC_ALL and LC_MESSAGES pick the language as usual; --lang id|en
 * overrides them by setting LANGUAGE, which GNU gettext reads first.
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

void
i18n_init(const char *lang)
{
	if (lang != NULL)
		setenv("LANGUAGE", lang, 1);
	/*
	 * gettext ignores LANGUAGE in the C locale; a C.UTF-8 locale always
	 * exists on glibc, so fall back to it when the user's is unset.
	 */
	if (setlocale(LC_ALL, "") == NULL || lang != NULL) {
		const char *cur = setlocale(LC_MESSAGES, NULL);

		if (cur == NULL || cur[0] == 'C' || cur[0] == 'P')
			setlocale(LC_ALL, "C.UTF-8");
	}
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
}
