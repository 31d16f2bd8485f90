#!/usr/bin/perl
# proxy.pl LISTEN-SOCKET TARGET-SOCKET ARM-FILE: a PostgreSQL connection
# that is lost after the commit, for tests/tui/25_harden.sh
#
# Forwards every connection made to the unix socket LISTEN-SOCKET to
# TARGET-SOCKET, both ways, byte for byte.  Once ARM-FILE exists, the
# first Bind of the prepared statement kota_request_create is sent on to
# the server, which runs and commits it; then the proxy waits a second
# and closes both sides without passing the answer on, as a network that
# fails at the worst moment would, and creates ARM-FILE.done.  Every
# other connection, before and after, goes through untouched.
use strict;
use warnings;
use IO::Select;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);

my ($listen, $target, $arm) = @ARGV;
unlink $listen;
my $l = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $listen,
    Listen => 16) or die "proxy.pl: $listen: $!\n";
my $sel = IO::Select->new($l);
my (%peer, %client);
my $cut = 0;

sub drop {
	my ($fh) = @_;
	my $other = delete $peer{$fh};
	for my $s ($fh, $other) {
		next unless defined $s;
		$sel->remove($s);
		delete $peer{$s};
		delete $client{$s};
		close $s;
	}
}

for (;;) {
	for my $fh ($sel->can_read(0.5)) {
		if ($fh == $l) {
			my $c = $l->accept or next;
			my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM,
			    Peer => $target);
			if (!$s) { close $c; next; }
			$peer{$c} = $s;
			$peer{$s} = $c;
			$client{$c} = 1;
			$sel->add($c, $s);
			next;
		}
		next unless exists $peer{$fh};
		my $buf;
		my $n = sysread($fh, $buf, 65536);
		if (!$n) { drop($fh); next; }
		my $other = $peer{$fh};
		syswrite($other, $buf);
		if ($client{$fh} && !$cut && -e $arm &&
		    $buf =~ /B.{4}\x00kota_request_create\x00/s) {
			$cut = 1;
			sleep 1;	# the server commits; its answer waits
			drop($fh);
			if (open(my $done, '>', "$arm.done")) {
				close $done;
			}
		}
	}
}
