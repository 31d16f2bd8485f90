/*
 * i18n.h: gettext glue shared by every Kota program and libkota
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

void	i18n_init(const char *lang);

#endif
