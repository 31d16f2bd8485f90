#!/usr/bin/perl
# mute.pl SOCKET LOG: a server that takes connections and never answers,
# as a standby behind a dead network link or a hung host would
#
# Listens on the unix socket SOCKET, accepts every connection, reads what
# the client sends and writes nothing back.  Each connection accepted
# appends a line to LOG.  Runs until killed.
use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);

my ($path, $log) = @ARGV;
unlink $path;
my $l = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $path,
    Listen => 16) or die "mute.pl: $path: $!\n";
my $sel = IO::Select->new($l);
$| = 1;
for (;;) {
	for my $fh ($sel->can_read) {
		if ($fh == $l) {
			my $c = $l->accept or next;
			$sel->add($c);
			open(my $f, '>>', $log) or die "mute.pl: $log: $!\n";
			print $f "accepted\n";
			close $f;
			next;
		}
		my $buf;
		my $n = sysread($fh, $buf, 8192);
		if (!defined $n || $n == 0) {
			$sel->remove($fh);
			close $fh;
		}
	}
}
