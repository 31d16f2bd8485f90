/*
 * i18n.c: choose the language of the messages, and find its catalogue
 *
 * Kota speaks Indonesian or English, and one program speaks one of them
 * at a time: gettext's messages and the names the database holds in both
 * (name_id, name_en) must agree, or one screen mixes languages.  So the
 * language is decided here, once, as "id" or "en", and gettext is made to
 * speak it through LANGUAGE, which it reads before the locale:
 *
 *	--lang id|en, when given;
 *	else the environment as gettext reads it: the first of LC_ALL,
 *	LC_MESSAGES and LANG that is set names the locale; unless that is
 *	C or POSIX (C.UTF-8 too), the first of the languages LANGUAGE lists
 *	that Kota speaks, else the locale's own language, if Kota speaks it;
 *	else nothing is asked for: English until the program knows better
 *	(the console and kotactl then take the agent's own language).
 *
 * LANG=id_ID.UTF-8 must work where that locale was never generated
 * (Debian's minimal images have C.UTF-8 only): the language comes from
 * the variable itself, and C.UTF-8 stands in for the missing locale.
 *
 * The catalogue: KOTA_LOCALEDIR when set; else, when the program runs
 * from a build tree (an uninstalled ./tui/kota, the demo, make check,
 * a VPATH build), the tree the build makes in po/locale; else LOCALEDIR,
 * where make install puts it.
 */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#ifndef PATH_MAX
#define PATH_MAX	4096
#endif
#define I18N_MAX_UP	4	/* server/kotactl/kotactl: two levels */

static char	i18n_current[4] = "en";

/* "id" or "en" for a locale or language name ("id_ID.UTF-8"), or NULL. */
static const char *
i18n_lang_of(const char *name)
{
	static const char *const langs[] = { "id", "en" };
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof langs / sizeof langs[0]; i++)
		if (strncmp(name, langs[i], 2) == 0 &&
		    strchr("_.@", name[2]) != NULL)	/* NUL is in too */
			return langs[i];
	return NULL;
}

static bool
i18n_is_c(const char *locale)
{
	return strcmp(locale, "C") == 0 || strcmp(locale, "POSIX") == 0 ||
	    strncmp(locale, "C.", 2) == 0;
}

const char *
i18n_env_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*locale = NULL, *v, *lang;
	char		 list[256], *item, *save;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0] && locale == NULL; i++)
		if ((v = getenv(vars[i])) != NULL && *v != '\0')
			locale = v;
	if (locale == NULL || i18n_is_c(locale))
		return NULL;
	if ((v = getenv("LANGUAGE")) != NULL &&
	    (size_t)snprintf(list, sizeof list, "%s", v) < sizeof list) {
		for (item = strtok_r(list, ":", &save); item != NULL;
		    item = strtok_r(NULL, ":", &save))
			if ((lang = i18n_lang_of(item)) != NULL)
				return lang;
	}
	return i18n_lang_of(locale);
}

static bool
i18n_is_dir(const char *path)
{
	struct stat	st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The build tree's catalogues, when the program runs from one: a
 * directory above the executable with config.status and po/locale.
 */
static const char *
i18n_build_tree(void)
{
	static char	 dir[PATH_MAX];
	char		 probe[PATH_MAX + 32];
	char		*slash;
	ssize_t		 n;
	int		 up;

	n = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (n <= 0)
		return NULL;
	dir[n] = '\0';
	for (up = 0; up < I18N_MAX_UP; up++) {
		if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
			return NULL;
		*slash = '\0';
		snprintf(probe, sizeof probe, "%s/config.status", dir);
		if (access(probe, F_OK) != 0)
			continue;
		snprintf(probe, sizeof probe, "%s/po/locale", dir);
		if (!i18n_is_dir(probe))
			return NULL;
		/* dir with "/po/locale", if it still fits */
		if ((size_t)snprintf(dir, sizeof dir, "%s", probe) >= sizeof dir)
			return NULL;
		return dir;
	}
	return NULL;
}

const char *
i18n_localedir(void)
{
	const char	*dir;

	if ((dir = getenv("KOTA_LOCALEDIR")) != NULL && *dir != '\0')
		return dir;
	if ((dir = i18n_build_tree()) != NULL)
		return dir;
	return LOCALEDIR;
}

const char *
i18n_init(const char *lang)
{
	const char	*asked, *cur;

	asked = lang != NULL ? i18n_lang_of(lang) : i18n_env_lang();
	/* a locale that is not there (id_ID on a minimal system) */
	if (setlocale(LC_ALL, "") == NULL)
		setlocale(LC_ALL, "C.UTF-8");
	/*
	 * Numbers stay C's, as in PostgreSQL's own programs: they travel to
	 * the server, into CSV and JSON, and are parsed from the command
	 * line, where id_ID's decimal comma ("-6,887") would be refused or
	 * misread.
	 */
	setlocale(LC_NUMERIC, "C");
	/* gettext ignores LANGUAGE in the C locale; glibc always has C.UTF-8 */
	cur = setlocale(LC_MESSAGES, NULL);
	if (cur == NULL || strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0)
		setlocale(LC_MESSAGES, "C.UTF-8");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, i18n_localedir());
	bind_textdomain_codeset(PACKAGE, "UTF-8");
#endif
	i18n_set_lang(asked != NULL ? asked : "en");
	return asked;
}

void
i18n_set_lang(const char *lang)
{
	snprintf(i18n_current, sizeof i18n_current, "%s",
	    i18n_lang_of(lang) != NULL ? i18n_lang_of(lang) : "en");
	setenv("LANGUAGE", i18n_current, 1);
#ifdef ENABLE_NLS
	/* textdomain() tells gettext to forget what it looked up before */
	textdomain(PACKAGE);
#endif
}

const char *
i18n_lang(void)
{
	return i18n_current;
}
