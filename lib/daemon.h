/*
 * daemon.h: what kotad and kotaweb share to run as a service
 */
#ifndef KOTA_DAEMON_H
#define KOTA_DAEMON_H

int	 daemon_detach(const char *ident);
void	 daemon_notify(const char *state);

#endif
