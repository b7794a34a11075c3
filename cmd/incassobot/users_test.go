package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"golang.org/x/crypto/bcrypt"
)

func init() {
	// Production hashes at cost 12; these tests add a dozen users.
	auth.Cost = bcrypt.MinCost
}

// runUsers runs one command with stdin, as main would, and returns what
// it printed.
func (te *testEnv) runUsers(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	out, errb := &syncBuffer{}, &syncBuffer{}
	e := &env{
		getenv: func(k string) string { return te.vars[k] },
		stdin:  strings.NewReader(stdin), stdout: out, stderr: errb,
		now: func() time.Time { return te.now }, logLevel: new(slog.LevelVar),
	}
	e.log = slog.New(slog.NewTextHandler(errb, &slog.HandlerOptions{Level: e.logLevel}))
	err = runEnv(context.Background(), e, append([]string{"incassobot", "users"}, args...))
	return out.String(), errb.String(), err
}

// usersStore opens the test environment's SQLite file, migrated, with the
// creditor ENERGIEDIRECT in it.
func usersStore(t *testing.T, te *testEnv) casestore.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, te.vars["INCASSOBOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.PutCreditor(ctx, &casestore.Creditor{Code: "ENERGIEDIRECT", Name: "Energie Direct B.V."}); err != nil {
		t.Fatal(err)
	}
	return st
}

// canLogIn reports whether the console would let email in with password.
func canLogIn(t *testing.T, st casestore.Store, email, password string) error {
	t.Helper()
	a := &auth.Auth{Store: st, Hot: hotstate.NewMemory()}
	_, _, _, err := a.Login(context.Background(), email, password, "192.0.2.10")
	return err
}

func TestUsersAddListDisableEnable(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	st := usersStore(t, te)
	const pw = "Welkom bij het incassobureau"

	out, _, err := te.runUsers(t, pw+"\n", "add", "--email", "Anna@Incasso.Example", "--name", "Anna de Vries", "--role", "collector")
	if err != nil {
		t.Fatalf("add collector: %v", err)
	}
	if !strings.Contains(out, "added collector anna@incasso.example") {
		t.Errorf("add says %q", out)
	}
	if err := canLogIn(t, st, "anna@incasso.example", pw); err != nil {
		t.Errorf("the password read from stdin does not log in: %v", err)
	}
	// A password with a Windows line ending is the line without it.
	if _, _, err := te.runUsers(t, pw+"\r\n", "add", "--email", "sven@incasso.example", "--name", "Sven Peeters", "--role", "supervisor"); err != nil {
		t.Fatalf("add supervisor: %v", err)
	}
	if err := canLogIn(t, st, "sven@incasso.example", pw); err != nil {
		t.Errorf("CRLF password: %v", err)
	}

	out, _, err = te.runUsers(t, "", "add", "--email", "boekhouding@energiedirect.example", "--name", "Energie Direct",
		"--role", "creditor", "--creditor", "ENERGIEDIRECT", "--generate-password")
	if err != nil {
		t.Fatalf("add creditor: %v", err)
	}
	m := regexp.MustCompile(`password \(shown once[^)]*\): (\S+)\n`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < auth.MinPasswordLen {
		t.Fatalf("no generated password in %q", out)
	}
	if err := canLogIn(t, st, "boekhouding@energiedirect.example", m[1]); err != nil {
		t.Errorf("the generated password does not log in: %v", err)
	}

	out, _, err = te.runUsers(t, "", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		`1\s+anna@incasso.example\s+Anna de Vries\s+collector\s+-\s+no`,
		`2\s+sven@incasso.example\s+Sven Peeters\s+supervisor\s+-\s+no`,
		`3\s+boekhouding@energiedirect.example\s+Energie Direct\s+creditor\s+ENERGIEDIRECT\s+no`,
	} {
		if !regexp.MustCompile(row).MatchString(out) {
			t.Errorf("list lacks a row like %s:\n%s", row, out)
		}
	}
	if strings.Contains(out, "$2a$") || strings.Contains(out, pw) {
		t.Errorf("list shows a password or its hash:\n%s", out)
	}

	if out, _, err = te.runUsers(t, "", "disable", "--email", "ANNA@incasso.example"); err != nil || !strings.Contains(out, "disabled anna@incasso.example") {
		t.Fatalf("disable: %q, %v", out, err)
	}
	if err := canLogIn(t, st, "anna@incasso.example", pw); !errors.Is(err, auth.ErrDisabled) {
		t.Errorf("login after disable: %v, want ErrDisabled", err)
	}
	out, _, _ = te.runUsers(t, "", "list")
	if !regexp.MustCompile(`anna@incasso.example\s+Anna de Vries\s+collector\s+-\s+yes`).MatchString(out) {
		t.Errorf("list does not show Anna disabled:\n%s", out)
	}
	if out, _, err = te.runUsers(t, "", "enable", "--email", "anna@incasso.example"); err != nil || !strings.Contains(out, "enabled anna@incasso.example") {
		t.Fatalf("enable: %q, %v", out, err)
	}
	if err := canLogIn(t, st, "anna@incasso.example", pw); err != nil {
		t.Errorf("login after enable: %v", err)
	}
}

func TestUsersToken(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	st := usersStore(t, te)
	st.(*sqlite.Store).Now = func() time.Time { return te.now } // expiry is judged by the store's clock
	ctx := context.Background()
	if _, _, err := te.runUsers(t, "", "add", "--email", "boekhouding@energiedirect.example", "--name", "Energie Direct",
		"--role", "creditor", "--creditor", "ENERGIEDIRECT", "--generate-password"); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := te.runUsers(t, "", "token", "--email", "boekhouding@energiedirect.example", "--name", "boekhouding export")
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	secret := strings.TrimSpace(out)
	if !regexp.MustCompile(`^ib_[A-Za-z0-9_-]{43}$`).MatchString(secret) {
		t.Fatalf("stdout %q is not the secret alone", out)
	}
	if !strings.Contains(errOut, "shown once") {
		t.Errorf("stderr %q does not say the secret is shown once", errOut)
	}
	k, u, err := st.APITokenByHash(ctx, casestore.HashSecret(secret))
	if err != nil || u.Email != "boekhouding@energiedirect.example" || k.Name != "boekhouding export" {
		t.Fatalf("the printed secret is not a stored token: %+v %+v %v", k, u, err)
	}
	if k.Hash == secret {
		t.Error("the secret itself is stored")
	}
}

func TestUsersMistakes(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	usersStore(t, te)
	const pw = "Welkom bij het incassobureau\n"
	if _, _, err := te.runUsers(t, pw, "add", "--email", "anna@incasso.example", "--name", "Anna", "--role", "collector"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := te.runUsers(t, pw, "add", "--email", "oud@incasso.example", "--name", "Oud", "--role", "collector"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := te.runUsers(t, "", "disable", "--email", "oud@incasso.example"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		label, stdin string
		args         []string
		want         string // in the error
	}{
		{"no subcommand", "", nil, "want add, list"},
		{"unknown subcommand", "", []string{"remove"}, `"remove"`},
		{"bad role", pw, []string{"add", "--email", "x@incasso.example", "--name", "X", "--role", "admin"}, `--role "admin": want collector, supervisor or creditor`},
		{"creditor without code", pw, []string{"add", "--email", "x@energiedirect.example", "--name", "X", "--role", "creditor"}, "give --creditor CODE"},
		{"unknown creditor code", pw, []string{"add", "--email", "x@energiedirect.example", "--name", "X", "--role", "creditor", "--creditor", "NOPE"}, `no creditor with code "NOPE"; no creditor has cases yet`},
		{"creditor code for a collector", pw, []string{"add", "--email", "x@incasso.example", "--name", "X", "--role", "collector", "--creditor", "ENERGIEDIRECT"}, "only for --role creditor"},
		{"short password", "kort\n", []string{"add", "--email", "x@incasso.example", "--name", "X", "--role", "collector"}, "shorter than 12 characters"},
		{"password too long for bcrypt", strings.Repeat("a", 73) + "\n", []string{"add", "--email", "x@incasso.example", "--name", "X", "--role", "collector"}, "longer than 72 bytes"},
		{"no password", "", []string{"add", "--email", "x@incasso.example", "--name", "X", "--role", "collector"}, "no password on stdin"},
		{"duplicate e-mail in other letters", pw, []string{"add", "--email", "ANNA@incasso.example", "--name", "Anna 2", "--role", "collector"}, "anna@incasso.example exists already"},
		{"bad e-mail", pw, []string{"add", "--email", "anna-at-incasso", "--name", "Anna", "--role", "collector"}, "not valid"},
		{"no e-mail", pw, []string{"add", "--name", "Anna", "--role", "collector"}, "--email is required"},
		{"stray argument", "", []string{"list", "everyone"}, `unexpected argument "everyone"`},
		{"disable unknown user", "", []string{"disable", "--email", "niemand@incasso.example"}, "no user with e-mail address niemand@incasso.example"},
		{"token without name", "", []string{"token", "--email", "anna@incasso.example"}, "--name is required"},
		{"token for a disabled user", "", []string{"token", "--email", "oud@incasso.example", "--name", "script"}, "is disabled"},
		{"unknown flag", "", []string{"add", "--wachtwoord", "x"}, "wachtwoord"},
	} {
		t.Run(tc.label, func(t *testing.T) {
			out, errOut, err := te.runUsers(t, tc.stdin, tc.args...)
			if err == nil || exitCode(err) != 2 {
				t.Fatalf("err %v (exit %d), want a usage error (exit 2)", err, exitCode(err))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if strings.Contains(out+errOut+err.Error(), "$2a$") || strings.Contains(out+errOut+err.Error(), "Welkom") {
				t.Errorf("a password or hash is shown: %q %q %v", out, errOut, err)
			}
		})
	}
	out, _, _ := te.runUsers(t, "", "list")
	if n := strings.Count(out, "@"); n != 2 {
		t.Errorf("after the mistakes the list has %d users, want the 2 added:\n%s", n, out)
	}
}

// A mistyped creditor code is answered with the codes there are.
func TestUsersAddUnknownCreditorListsTheCodes(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	seedDemo(t, te)
	_, _, err := te.runUsers(t, "", "add", "--email", "x@energiedirect.example", "--name", "X",
		"--role", "creditor", "--creditor", "XX", "--generate-password")
	if exitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), "AZSINTELOOI, DRANKCENTRALE, ENERGIEDIRECT, FITPLAZA, SHOPWIJS, TELEFONIKA, VANDIJK") {
		t.Errorf("unknown code: %v; want exit 2 and the demo creditors' codes", err)
	}
}

// Issue 13: there was no way to change a password, and "password1234"
// was a good enough one.
func TestUsersPasswordChangesItAndEndsSessions(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	st := usersStore(t, te)
	const old, fresh = "Welkom bij het incassobureau", "Zeven zwanen zwemmen zuidwaarts"
	if _, _, err := te.runUsers(t, old+"\n", "add", "--email", "anna@incasso.example", "--name", "Anna", "--role", "collector"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := te.runUsers(t, "password1234\n", "add", "--email", "bob@incasso.example", "--name", "Bob", "--role", "collector"); err == nil ||
		!strings.Contains(err.Error(), "too easy to guess") {
		t.Errorf("add with password1234: %v, want refused as too easy to guess", err)
	}
	if err := canLogIn(t, st, "anna@incasso.example", old); err != nil {
		t.Fatalf("old password before the change: %v", err)
	}
	if _, _, err := te.runUsers(t, "password1234\n", "password", "--email", "anna@incasso.example"); err == nil ||
		!strings.Contains(err.Error(), "too easy to guess") {
		t.Errorf("change to password1234: %v, want refused", err)
	}
	out, _, err := te.runUsers(t, fresh+"\n", "password", "--email", "ANNA@incasso.example")
	if err != nil || !strings.Contains(out, "password of anna@incasso.example changed; 1 sessions ended") {
		t.Fatalf("users password: %q %v", out, err)
	}
	if err := canLogIn(t, st, "anna@incasso.example", old); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("old password after the change: %v, want refused", err)
	}
	if err := canLogIn(t, st, "anna@incasso.example", fresh); err != nil {
		t.Errorf("new password: %v", err)
	}
}

// Issue 13: API tokens never expired and could not be listed or revoked.
func TestUsersTokenScopeExpiryListRevoke(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	st := usersStore(t, te)
	st.(*sqlite.Store).Now = func() time.Time { return te.now } // expiry is judged by the store's clock
	ctx := context.Background()
	if _, _, err := te.runUsers(t, "Welkom bij het incassobureau\n", "add", "--email", "kim@incasso.example", "--name", "Kim", "--role", "collector"); err != nil {
		t.Fatal(err)
	}
	read, _, err := te.runUsers(t, "", "token", "--email", "kim@incasso.example", "--name", "rapport")
	if err != nil {
		t.Fatal(err)
	}
	console, errOut, err := te.runUsers(t, "", "token", "--email", "kim@incasso.example", "--name", "script", "--scope", "console", "--days", "7")
	if err != nil || !strings.Contains(errOut, "scope console, until 2026-03-21 10:00 UTC") {
		t.Fatalf("console token: %v %q", err, errOut)
	}
	k, _, err := st.APITokenByHash(ctx, casestore.HashSecret(strings.TrimSpace(read)))
	if err != nil || k.Scope != casestore.ScopeRead || k.ExpiresAt == nil || !k.ExpiresAt.Equal(te.now.AddDate(0, 0, 90)) {
		t.Fatalf("default token: %+v %v; want read, 90 days", k, err)
	}
	kc, _, err := st.APITokenByHash(ctx, casestore.HashSecret(strings.TrimSpace(console)))
	if err != nil || kc.Scope != casestore.ScopeConsole {
		t.Fatalf("console token: %+v %v", kc, err)
	}
	out, _, err := te.runUsers(t, "", "token", "revoke", "--id", fmt.Sprint(kc.ID))
	if err != nil || !strings.Contains(out, fmt.Sprintf("revoked API token %d", kc.ID)) {
		t.Fatalf("revoke: %q %v", out, err)
	}
	if _, _, err := st.APITokenByHash(ctx, kc.Hash); !errors.Is(err, casestore.ErrNotFound) {
		t.Errorf("a revoked token still works: %v", err)
	}
	out, _, err = te.runUsers(t, "", "token", "list", "--email", "kim@incasso.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"rapport", "read", "works until 2026-06-12", "script", "console", "revoked 2026-03-14"} {
		if !strings.Contains(out, want) {
			t.Errorf("token list lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, strings.TrimSpace(read)) || strings.Contains(out, k.Hash) {
		t.Error("token list shows a secret or a hash")
	}
	for _, args := range [][]string{
		{"token", "--email", "kim@incasso.example", "--name", "x", "--scope", "admin"},
		{"token", "--email", "kim@incasso.example", "--name", "x", "--days", "-1"},
		{"token", "revoke", "--id", "999"},
	} {
		if _, _, err := te.runUsers(t, "", args...); exitCode(err) != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, exitCode(err), err)
		}
	}
}
