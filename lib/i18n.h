/*
 * i18n.h: gettext glue shared by every Kota program and libkota
 *
 * i18n.c says how the language is chosen and where its catalogue is found.
 */
#ifndef KOTA_I18N_H
#define KOTA_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)	dgettext(PACKAGE, s)
#else
#define _(s)	(s)
#endif
#define N_(s)	(s)

/*
 * Set up the locale and gettext.  lang is --lang ("id" or "en"), or NULL
 * to read the environment.  Returns the language asked for, "id" or "en",
 * or NULL when none was (the program speaks English until it calls
 * i18n_set_lang(), for instance with the agent's own language).
 */
const char	*i18n_init(const char *lang);

/* The language the environment asks for, "id", "en" or NULL. */
const char	*i18n_env_lang(void);

/* Speak lang ("id" or "en"; anything else is "en") from now on. */
void		 i18n_set_lang(const char *lang);

/* The language spoken: "id" or "en". */
const char	*i18n_lang(void);

/* Where the catalogues are read from. */
const char	*i18n_localedir(void);

#endif
