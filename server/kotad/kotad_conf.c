/*
 * kotad_conf.c: matching the patterns of kotad.conf
 *
 * The configuration itself is read and checked by lib/kdconf.c, which
 * kotactl config check shares; what stays here is kotad's use of the
 * compiled patterns on gateways' answers.
 */
#include "config.h"

#include "kotad.h"

int
kd_conf_match(struct kd_conf *c, pcre2_code *re, const char *s, size_t len,
    char *group, size_t groupsz)
{
	PCRE2_SIZE	*ov;
	int		 rc;

	if (groupsz > 0)
		group[0] = '\0';
	rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, c->match, NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return -1;
	ov = pcre2_get_ovector_pointer(c->match);
	if (rc >= 2 && ov[2] != PCRE2_UNSET && groupsz > 0)
		kd_excerpt(group, groupsz, s + ov[2], ov[3] - ov[2]);
	return 1;
}
