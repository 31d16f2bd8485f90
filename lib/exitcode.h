/*
 * exitcode.h: the exit codes every Kota program uses
 *
 * kota(1), kotactl(8) and kotad(8) document them; scripts tell a refusal
 * from an unreachable database by them.
 */
#ifndef KOTA_EXITCODE_H
#define KOTA_EXITCODE_H

enum {
	EXIT_OK = 0,
	EXIT_REFUSED = 1,	/* a rule refused, or not allowed: nothing changed */
	EXIT_USAGE = 2,		/* bad arguments or configuration */
	EXIT_UNREACHABLE = 3,	/* the database could not be reached */
	EXIT_BUG = 4,		/* anything else: a bug worth reporting */
};

#endif
