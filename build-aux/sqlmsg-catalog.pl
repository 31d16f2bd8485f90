#!/usr/bin/perl
# sqlmsg-catalog.pl FILE...: the messages with which the SQL API refuses a
# call, as lib/sqlmsg_catalog.c, so that libkota can show them in the
# user's language (lib/sqlmsg.c).
#
# Every kota.refuse(code, field, message [, detail]) and every RAISE
# EXCEPTION ... USING ERRCODE = 'KTnnn' of the files becomes a template:
# the SQLSTATE and the English text with %s where the database fills in a
# value.  A message is a string literal, format('...', ...), or a
# concatenation of literals and expressions with || (each expression a
# %s); anything else is an error, so that no refusal escapes the
# catalogue.  The templates are N_() strings: xgettext extracts them, the
# translator translates them in po/id.po.
#
# The output is committed; tests/cli/15_lang.sh fails when it differs from
# what this script makes of schema/api/*.sql.  Perl because the SQL has to
# be tokenised (quotes, '' escapes, comments); only perl-base is needed.
use strict;
use warnings;

my %seen;
my $err = 0;

sub fail {
	my ($where, $what) = @_;
	print STDERR "sqlmsg-catalog.pl: $where: $what\n";
	$err = 1;
}

# Tokens: [kind, value, line]; kinds: str, word, punct.
sub tokenise {
	my ($text) = @_;
	my @t;
	my $line = 1;
	pos($text) = 0;
	while (pos($text) < length $text) {
		if ($text =~ /\G(\s+)/gc) {
			$line += ($1 =~ tr/\n//);
		} elsif ($text =~ /\G--[^\n]*/gc) {
		} elsif ($text =~ /\G\/\*(.*?)\*\//gcs) {
			$line += ($1 =~ tr/\n//);
		} elsif ($text =~ /\G\$[A-Za-z_]*\$/gc) {
			# a function body: its tokens are what we want
		} elsif ($text =~ /\G[Ee]'((?:[^'\\]|\\.|'')*)'/gcs) {
			my $s = $1;
			$line += ($s =~ tr/\n//);
			$s =~ s/''/'/g;
			$s =~ s/\\(.)/$1 eq 'n' ? "\n" : $1 eq 't' ? "\t" : $1/ge;
			push @t, ['str', $s, $line];
		} elsif ($text =~ /\G'((?:[^']|'')*)'/gcs) {
			my $s = $1;
			$line += ($s =~ tr/\n//);
			$s =~ s/''/'/g;
			push @t, ['str', $s, $line];
		} elsif ($text =~ /\G([A-Za-z_][A-Za-z_0-9.]*)/gc) {
			push @t, ['word', $1, $line];
		} elsif ($text =~ /\G(\|\||::|[(),;=])/gc) {
			push @t, ['punct', $1, $line];
		} elsif ($text =~ /\G(.)/gcs) {
			push @t, ['punct', $1, $line];
		}
	}
	return @t;
}

# The arguments of the call whose "(" is at $i: lists of tokens, and the
# index after the ")".
sub arguments {
	my ($t, $i) = @_;
	my (@args, @cur);
	my $depth = 0;
	for ($i++; $i < @$t; $i++) {
		my ($k, $v) = @{$t->[$i]};
		if ($k eq 'punct' && $v eq '(') {
			$depth++;
		} elsif ($k eq 'punct' && $v eq ')') {
			if ($depth == 0) {
				push @args, [@cur];
				return (\@args, $i + 1);
			}
			$depth--;
		} elsif ($k eq 'punct' && $v eq ',' && $depth == 0) {
			push @args, [@cur];
			@cur = ();
			next;
		}
		push @cur, $t->[$i];
	}
	return (\@args, $i);
}

sub literal_template {
	my ($s) = @_;
	$s =~ s/%/%%/g;
	return $s;
}

# The template of an expression, or undef.
sub template {
	my ($e, $where) = @_;
	my @e = @$e;

	# ( SELECT expr FROM ... ): the expression
	if (@e >= 3 && $e[0][1] eq '(' && $e[-1][1] eq ')' &&
	    lc $e[1][1] eq 'select') {
		my ($depth, @x) = (0);
		for my $tok (@e[2 .. $#e - 1]) {
			$depth++ if $tok->[1] eq '(';
			$depth-- if $tok->[1] eq ')';
			last if $depth == 0 && $tok->[0] eq 'word' &&
			    lc $tok->[1] eq 'from';
			push @x, $tok;
		}
		@e = @x;
	}
	return literal_template($e[0][1]) if @e == 1 && $e[0][0] eq 'str';
	if (@e >= 3 && lc $e[0][1] eq 'format' && $e[1][1] eq '(') {
		my ($args) = arguments(\@e, 1);
		my $f = $args->[0];
		unless (@$f == 1 && $f->[0][0] eq 'str') {
			fail($where, 'format() without a literal format');
			return undef;
		}
		my $s = $f->[0][1];
		(my $rest = $s) =~ s/%[s%]//g;
		if ($rest =~ /%/) {
			fail($where, "format '$s' uses more than %s and %%");
			return undef;
		}
		return $s;
	}
	# a || b || c: literals as they are, anything else a %s
	my ($depth, @parts, @cur) = (0);
	for my $tok (@e) {
		$depth++ if $tok->[1] eq '(';
		$depth-- if $tok->[1] eq ')';
		if ($depth == 0 && $tok->[1] eq '||') {
			push @parts, [@cur];
			@cur = ();
			next;
		}
		push @cur, $tok;
	}
	push @parts, [@cur];
	if (@parts > 1) {
		my $s = '';
		for my $p (@parts) {
			$s .= @$p == 1 && $p->[0][0] eq 'str' ?
			    literal_template($p->[0][1]) : '%s';
		}
		return $s;
	}
	fail($where, 'a message that is no literal, format() or concatenation');
	return undef;
}

sub add {
	my ($code, $tpl) = @_;
	$seen{"$code\t$tpl"} = [$code, $tpl];
}

for my $file (@ARGV) {
	open my $fh, '<', $file or die "sqlmsg-catalog.pl: $file: $!\n";
	local $/;
	my $text = <$fh>;
	close $fh;
	my @t = tokenise($text);
	for (my $i = 0; $i < @t; $i++) {
		my ($k, $v, $line) = @{$t[$i]};
		next unless $k eq 'word';
		my $where = "$file:$line";
		if ($v eq 'kota.refuse' && $i + 1 < @t && $t[$i + 1][1] eq '(') {
			my ($args, $next) = arguments(\@t, $i + 1);
			next if @$args >= 1 && $args->[0][0][0] eq 'word';	# the definition
			unless (@$args >= 3 && @{$args->[0]} == 1 &&
			    $args->[0][0][0] eq 'str') {
				fail($where, 'kota.refuse() without a literal SQLSTATE');
				next;
			}
			my $code = $args->[0][0][1];
			for my $a (@$args[2 .. $#$args]) {
				my $tpl = template($a, $where);
				add($code, $tpl) if defined $tpl;
			}
			$i = $next - 1;
		} elsif (uc $v eq 'RAISE' && $i + 2 < @t &&
		    uc $t[$i + 1][1] eq 'EXCEPTION' && $t[$i + 2][0] eq 'str') {
			my $s = $t[$i + 2][1];
			my $code;
			for (my $j = $i + 3; $j < @t && $t[$j][1] ne ';'; $j++) {
				$code = $t[$j + 2][1] if uc $t[$j][1] eq 'ERRCODE' &&
				    $t[$j + 1][1] eq '=' && $t[$j + 2][0] eq 'str';
			}
			next unless defined $code && $code =~ /^KT/;
			# RAISE's placeholder is %, its literal per cent %%
			$s =~ s/(%%|%)/$1 eq '%%' ? '%%' : '%s'/ge;
			add($code, $s);
		}
	}
}
exit 1 if $err;

sub c_string {
	my ($s) = @_;
	$s =~ s/\\/\\\\/g;
	$s =~ s/"/\\"/g;
	$s =~ s/\n/\\n/g;
	$s =~ s/\t/\\t/g;
	$s =~ s/\?\?/?\\?/g;
	return "\"$s\"";
}

print <<'EOT';
/*
 * sqlmsg_catalog.c: the SQL API's refusals, by SQLSTATE, as templates
 *
 * Generated by build-aux/sqlmsg-catalog.pl from the files of schema/api:
 * do not edit.  Run "make sqlmsg-catalog" after changing a refusal; the
 * tests fail while this file is out of date.
 */
#include "config.h"

#include <stddef.h>

#include "i18n.h"
#include "sqlmsg.h"

const struct sqlmsg_template sqlmsg_templates[] = {
EOT
for my $k (sort keys %seen) {
	my ($code, $tpl) = @{$seen{$k}};
	print "\t{ \"$code\", N_(", c_string($tpl), ") },\n";
}
print "\t{ NULL, NULL },\n};\n";
