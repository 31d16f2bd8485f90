/*
 * scrub.h: a password out of a program's command line
 *
 * "kota -d 'user=siti password=...'" puts the password in argv, which
 * every user of the machine reads in ps(1) and /proc/PID/cmdline for as
 * long as the program runs.  Once the program has its own copy of the
 * conninfo, scrub_conninfo() overwrites the password's value in the argv
 * string itself with 'x's, as mysql(1) does: Linux shows the argv memory
 * as it is now.  The length stays (the kernel keeps the area's size);
 * the password does not.  Between exec and the scrub the password is
 * visible for an instant: ~/.pgpass or PGPASSFILE is the way that never
 * shows it.
 */
#ifndef KOTA_SCRUB_H
#define KOTA_SCRUB_H

/*
 * Overwrite every password in a conninfo, in place: the value of a
 * "password" keyword (quoted or not), the password of a URI's user info
 * (postgresql://user:PASSWORD@host) and a "password" URI parameter.
 * Returns how many it overwrote.
 */
int	scrub_conninfo(char *conninfo);

#endif
