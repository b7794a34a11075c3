package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/casestore"
	"golang.org/x/term"
)

func init() {
	register(command{
		name:    "users",
		args:    "add|list|disable|enable|token …",
		summary: "manage console accounts: collectors, supervisors, creditors and their API tokens",
		run:     runUsers,
	})
}

const usersSynopsis = `add --email E --name N --role collector|supervisor|creditor [--creditor CODE] [--generate-password]
       incassobot users list
       incassobot users disable --email E
       incassobot users enable --email E
       incassobot users token --email E --name N [--scope read|console] [--days N]
       incassobot users token list --email E
       incassobot users token revoke --id ID
       incassobot users password --email E

add reads the password from stdin (one line; asked twice, unechoed, on a
terminal), or makes one with --generate-password and prints it once.
token prints the new API token's secret alone on stdout, once: only its
hash is kept. A token reads only (scope read) unless made with --scope
console, which also allows the console's actions; it works for --days
(default 90; 0: until revoked). token list shows a user's tokens, token
revoke stops one for good. password sets a new password, read like add's, and logs the
user out everywhere. A password must resist guessing (zxcvbn score 3 of
4: no common password, word pattern or the user's own name). Password
hashes are never printed.`

// runUsers dispatches to a users subcommand.
func runUsers(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "Usage: incassobot users %s\n", usersSynopsis)
		return usageErrorf("users: want add, list, disable, enable or token")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add":
		return usersAdd(ctx, e, rest)
	case "list":
		return usersList(ctx, e, rest)
	case "disable", "enable":
		return usersSetDisabled(ctx, e, sub, rest)
	case "token":
		return usersToken(ctx, e, rest)
	case "password":
		return usersPassword(ctx, e, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprintf(e.stdout, "Usage: incassobot users %s\n", usersSynopsis)
		return nil
	}
	fmt.Fprintf(e.stderr, "Usage: incassobot users %s\n", usersSynopsis)
	return usageErrorf("users: unknown subcommand %q: want add, list, disable, enable or token", sub)
}

// usersFlags parses a subcommand's flags; it takes no positional arguments.
func usersFlags(e *env, sub, synopsis string, args []string, define func(fs flagSet)) error {
	fs := newFlags(e, "users "+sub, synopsis)
	define(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrorf("users %s: unexpected argument %q (see --help)", sub, pos[0])
	}
	return nil
}

// flagSet is the part of *flag.FlagSet the subcommands define flags with.
type flagSet interface {
	StringVar(p *string, name, value, usage string)
	BoolVar(p *bool, name string, value bool, usage string)
}

func usersAdd(ctx context.Context, e *env, args []string) error {
	var email, name, role, creditor string
	var generate bool
	err := usersFlags(e, "add", "--email E --name N --role collector|supervisor|creditor [--creditor CODE] [--generate-password]", args, func(fs flagSet) {
		fs.StringVar(&email, "email", "", "the login e-mail address (required)")
		fs.StringVar(&name, "name", "", "the name colleagues see (required)")
		fs.StringVar(&role, "role", "", "collector, supervisor or creditor (required)")
		fs.StringVar(&creditor, "creditor", "", "for a creditor user: the code of its creditor, e.g. ENERGIEDIRECT")
		fs.BoolVar(&generate, "generate-password", false, "make a random password and print it once, instead of reading one from stdin")
	})
	if err != nil {
		return helpOK(err)
	}
	u := &casestore.User{Email: casestore.NormalizeEmail(email), Name: strings.TrimSpace(name), Role: casestore.Role(role)}
	if err := checkNewUser(u, creditor); err != nil {
		return err
	}
	password, err := newUserPassword(e, u.Email, generate)
	if err != nil {
		return err
	}
	if u.PasswordHash, err = auth.NewPasswordHash(password, u.Email, u.Name); err != nil {
		return usageErrorf("users add: %v", err)
	}
	_, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if u.Role == casestore.RoleCreditor {
		c, err := st.CreditorByCode(ctx, creditor)
		if errors.Is(err, casestore.ErrNotFound) {
			return usageErrorf("users add: no creditor with code %q; %s", creditor, creditorCodes(ctx, st))
		} else if err != nil {
			return err
		}
		u.CreditorID = c.ID
	}
	switch err := st.AddUser(ctx, u); {
	case errors.Is(err, casestore.ErrConflict):
		return usageErrorf("users add: a user with e-mail address %s exists already (incassobot users list)", u.Email)
	case errors.Is(err, casestore.ErrInvalid):
		return usageErrorf("users add: %v", err)
	case err != nil:
		return err
	}
	fmt.Fprintf(e.stdout, "added %s %s (%s), user %d\n", u.Role, u.Email, u.Name, u.ID)
	if generate {
		fmt.Fprintf(e.stdout, "password (shown once; hand it over in person): %s\n", password)
	}
	return nil
}

// checkNewUser reports every mistake in the flags that needs no store.
func checkNewUser(u *casestore.User, creditor string) error {
	switch {
	case u.Email == "":
		return usageErrorf("users add: --email is required")
	case u.Name == "":
		return usageErrorf("users add: --name is required")
	case !u.Role.Valid():
		return usageErrorf("users add: --role %q: want collector, supervisor or creditor", u.Role)
	case u.Role == casestore.RoleCreditor && creditor == "":
		return usageErrorf("users add: a creditor user sees one creditor's cases: give --creditor CODE")
	case u.Role != casestore.RoleCreditor && creditor != "":
		return usageErrorf("users add: --creditor is only for --role creditor; a %s sees every case", u.Role)
	}
	return nil
}

// newUserPassword is the password for a new user: generated, typed twice
// unechoed on a terminal, or the first line of stdin otherwise.
func newUserPassword(e *env, email string, generate bool) (string, error) {
	if generate {
		b := make([]byte, 18)
		_, _ = rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b), nil // 24 characters, 144 bits
	}
	if f, ok := e.stdin.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		return readPasswordTwice(e, int(f.Fd()), email)
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("users add: read the password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageErrorf("users add: no password on stdin: pipe one line, or use --generate-password")
	}
	return pw, nil
}

func readPasswordTwice(e *env, fd int, email string) (string, error) {
	fmt.Fprintf(e.stderr, "Password for %s (at least %d characters): ", email, auth.MinPasswordLen)
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("users add: read the password: %w", err)
	}
	fmt.Fprint(e.stderr, "Again: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("users add: read the password: %w", err)
	}
	if string(first) != string(second) {
		return "", usageErrorf("users add: the two passwords differ")
	}
	return string(first), nil
}

func usersList(ctx context.Context, e *env, args []string) error {
	if err := usersFlags(e, "list", "", args, func(flagSet) {}); err != nil {
		return helpOK(err)
	}
	_, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "no users yet: add one with incassobot users add")
		return nil
	}
	codes := map[int64]string{}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tE-MAIL\tNAME\tROLE\tCREDITOR\tDISABLED")
	for _, u := range users {
		code := "-"
		if u.CreditorID != 0 {
			if codes[u.CreditorID] == "" {
				c, err := st.Creditor(ctx, u.CreditorID)
				if err != nil {
					return fmt.Errorf("users list: creditor of %s: %w", u.Email, err)
				}
				codes[u.CreditorID] = c.Code
			}
			code = codes[u.CreditorID]
		}
		disabled := "no"
		if u.Disabled {
			disabled = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, code, disabled)
	}
	return tw.Flush()
}

func usersSetDisabled(ctx context.Context, e *env, sub string, args []string) error {
	var email string
	if err := usersFlags(e, sub, "--email E", args, func(fs flagSet) {
		fs.StringVar(&email, "email", "", "the user's e-mail address (required)")
	}); err != nil {
		return helpOK(err)
	}
	st, u, err := openUser(ctx, e, sub, email)
	if err != nil {
		return err
	}
	defer st.Close()
	disable := sub == "disable"
	if u.Disabled == disable {
		fmt.Fprintf(e.stdout, "%s is %sd already\n", u.Email, sub)
		return nil
	}
	if err := st.SetUserDisabled(ctx, u.ID, disable); err != nil {
		return err
	}
	if disable {
		fmt.Fprintf(e.stdout, "disabled %s: logged out everywhere; API tokens refused until enabled\n", u.Email)
	} else {
		fmt.Fprintf(e.stdout, "enabled %s: can log in again; unrevoked API tokens work again\n", u.Email)
	}
	return nil
}

func usersToken(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "list" {
		return usersTokenList(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "revoke" {
		return usersTokenRevoke(ctx, e, args[1:])
	}
	var email, name, scope, days string
	if err := usersFlags(e, "token", "--email E --name N [--scope read|console] [--days N]", args, func(fs flagSet) {
		fs.StringVar(&email, "email", "", "the user the token acts as (required)")
		fs.StringVar(&name, "name", "", `what the token is for, e.g. "boekhouding export" (required)`)
		fs.StringVar(&scope, "scope", "read", "read (read only) or console (also the console's actions)")
		fs.StringVar(&days, "days", "90", "how many days the token works; 0: until revoked")
	}); err != nil {
		return helpOK(err)
	}
	if strings.TrimSpace(name) == "" {
		return usageErrorf("users token: --name is required: say what the token is for")
	}
	if !casestore.TokenScope(scope).Valid() {
		return usageErrorf("users token: --scope %q: want read or console", scope)
	}
	n, err := strconv.Atoi(days)
	if err != nil || n < 0 || n > 3650 {
		return usageErrorf("users token: --days %q: want a number of days from 0 (until revoked) to 3650", days)
	}
	var expires *time.Time
	if n > 0 {
		at := e.now().AddDate(0, 0, n)
		expires = &at
	}
	st, u, err := openUser(ctx, e, "token", email)
	if err != nil {
		return err
	}
	defer st.Close()
	if u.Disabled {
		return usageErrorf("users token: %s is disabled: enable the user first", u.Email)
	}
	secret, k, err := (&auth.Auth{Store: st, Now: e.now, Log: e.log}).NewScopedAPIToken(ctx, u.ID, name, casestore.TokenScope(scope), expires)
	if err != nil {
		return err
	}
	// The secret alone on stdout, so TOKEN=$(incassobot users token …) works.
	fmt.Fprintf(e.stderr, "API token %d %q for %s, scope %s, %s (shown once; only its hash is kept):\n",
		k.ID, k.Name, u.Email, k.Scope, tokenExpiry(k))
	fmt.Fprintln(e.stdout, secret)
	return nil
}

// usersPassword sets a user's password (read as add reads one) and ends
// every session of the user: whoever knew the old one is logged out.
func usersPassword(ctx context.Context, e *env, args []string) error {
	var email string
	var generate bool
	if err := usersFlags(e, "password", "--email E [--generate-password]", args, func(fs flagSet) {
		fs.StringVar(&email, "email", "", "the user's e-mail address (required)")
		fs.BoolVar(&generate, "generate-password", false, "make a random password and print it once, instead of reading one from stdin")
	}); err != nil {
		return helpOK(err)
	}
	st, u, err := openUser(ctx, e, "password", email)
	if err != nil {
		return err
	}
	defer st.Close()
	password, err := newUserPassword(e, u.Email, generate)
	if err != nil {
		return err
	}
	hash, err := auth.NewPasswordHash(password, u.Email, u.Name)
	if err != nil {
		return usageErrorf("users password: %v", err)
	}
	if err := st.SetPasswordHash(ctx, u.ID, hash); err != nil {
		return err
	}
	n, err := st.DeleteUserSessions(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s changed; %d sessions ended\n", u.Email, n)
	if generate {
		fmt.Fprintf(e.stdout, "password (shown once; hand it over in person): %s\n", password)
	}
	return nil
}

func tokenExpiry(k *casestore.APIToken) string {
	if k.ExpiresAt == nil {
		return "until revoked"
	}
	return "until " + k.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
}

func usersTokenList(ctx context.Context, e *env, args []string) error {
	var email string
	if err := usersFlags(e, "token list", "--email E", args, func(fs flagSet) {
		fs.StringVar(&email, "email", "", "the user whose tokens to list (required)")
	}); err != nil {
		return helpOK(err)
	}
	st, u, err := openUser(ctx, e, "token list", email)
	if err != nil {
		return err
	}
	defer st.Close()
	tokens, err := st.APITokens(ctx, u.ID)
	if err != nil {
		return err
	}
	if len(tokens) == 0 {
		fmt.Fprintf(e.stdout, "%s has no API tokens\n", u.Email)
		return nil
	}
	now := e.now()
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tCREATED\tLAST USED\tSTATE")
	for _, k := range tokens {
		state := "works " + tokenExpiry(k)
		switch {
		case k.RevokedAt != nil:
			state = "revoked " + k.RevokedAt.UTC().Format("2006-01-02 15:04 UTC")
		case k.ExpiresAt != nil && !k.ExpiresAt.After(now):
			state = "expired " + k.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		used := "never"
		if k.LastUsedAt != nil {
			used = k.LastUsedAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Scope, k.CreatedAt.UTC().Format("2006-01-02"), used, state)
	}
	return tw.Flush()
}

func usersTokenRevoke(ctx context.Context, e *env, args []string) error {
	var id string
	if err := usersFlags(e, "token revoke", "--id ID", args, func(fs flagSet) {
		fs.StringVar(&id, "id", "", "the token's ID, as token list shows it (required)")
	}); err != nil {
		return helpOK(err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return usageErrorf("users token revoke: --id %q: want the token's ID (incassobot users token list --email E)", id)
	}
	_, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RevokeAPIToken(ctx, n); errors.Is(err, casestore.ErrNotFound) {
		return usageErrorf("users token revoke: no API token %d", n)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked API token %d: it is refused from now on\n", n)
	return nil
}

// openUser opens the store and finds the user with that address.
func openUser(ctx context.Context, e *env, sub, email string) (*openedStore, *casestore.User, error) {
	if strings.TrimSpace(email) == "" {
		return nil, nil, usageErrorf("users %s: --email is required", sub)
	}
	_, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		st.Close()
		if errors.Is(err, casestore.ErrNotFound) {
			return nil, nil, usageErrorf("users %s: no user with e-mail address %s (incassobot users list)", sub, casestore.NormalizeEmail(email))
		}
		return nil, nil, err
	}
	return st, u, nil
}

// creditorCodes says which codes --creditor takes: those of the creditors
// with cases (the store lists creditors only through their cases), read
// from the first pages of cases so that a mistyped code costs no full scan.
func creditorCodes(ctx context.Context, st casestore.Store) string {
	const pageSize, pages = 200, 10
	seen := map[string]bool{}
	var codes []string
	for page := 0; page < pages; page++ {
		cases, err := st.Cases(ctx, casestore.CaseFilter{Limit: pageSize, Offset: page * pageSize})
		if err != nil {
			break
		}
		for _, c := range cases {
			if c.Creditor.Code != "" && !seen[c.Creditor.Code] {
				seen[c.Creditor.Code] = true
				codes = append(codes, c.Creditor.Code)
			}
		}
		if len(cases) < pageSize {
			break
		}
	}
	if len(codes) == 0 {
		return "no creditor has cases yet (creditors come with their cases: incassobot import FILE, or run serve once for the demo set)"
	}
	slices.Sort(codes)
	return "the creditors with cases: " + strings.Join(codes, ", ")
}
