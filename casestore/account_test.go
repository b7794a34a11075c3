package casestore

import (
	"strings"
	"testing"
)

// The store refuses anything that is not a password hash, so that a
// console bug can never write a password in the clear.
func TestPasswordHashValid(t *testing.T) {
	// Formats: bcrypt as OpenBSD and golang.org/x/crypto/bcrypt write it
	// ($2a$/$2b$/$2y$, two-digit cost 04–31, 22 characters of salt and 31
	// of hash); argon2id in the PHC string format.
	const bcrypt = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
	const argon = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
	cases := []struct {
		hash string
		ok   bool
	}{
		{bcrypt, true},
		{strings.Replace(bcrypt, "$2a$", "$2b$", 1), true},
		{strings.Replace(bcrypt, "$2a$", "$2y$", 1), true},
		{strings.Replace(bcrypt, "$10$", "$04$", 1), true},
		{strings.Replace(bcrypt, "$10$", "$31$", 1), true},
		{strings.Replace(bcrypt, "$10$", "$03$", 1), false}, // below bcrypt's minimum cost
		{strings.Replace(bcrypt, "$10$", "$32$", 1), false},
		{strings.Replace(bcrypt, "$2a$", "$2x$", 1), false},
		{bcrypt[:59], false},
		{bcrypt + "x", false},
		{argon, true},
		{strings.Replace(argon, "$argon2id$", "$argon2i$", 1), false},
		{strings.TrimSuffix(argon, "$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"), false},
		{"Welkom01!", false},
		{"$2a$10$Welkom01!", false},
		{HashSecret("Welkom01!"), false},
		{"", false},
	}
	for _, tc := range cases {
		if got := PasswordHashValid(tc.hash); got != tc.ok {
			t.Errorf("PasswordHashValid(%q) = %t, want %t", tc.hash, got, tc.ok)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		" Anna.Jansen@Incasso.Example ": "anna.jansen@incasso.example",
		"ÉLODIE@exemple.BE":             "élodie@exemple.be",
	} {
		if got := NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}
