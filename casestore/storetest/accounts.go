package storetest

// The accounts (casestore.Accounts). Decisions the interface leaves open,
// fixed here:
//
//   - A creditor user naming an unknown creditor is ErrNotFound, like a
//     token or session naming an unknown user.
//   - Users are listed by ID; a user's tokens by ID.
//   - A session's instants read back equal (whole microseconds in, whole
//     microseconds out); its ID reads back "".

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var accountTests = []test{
	{"Users/AddAndRead", testUsersAddAndRead},
	{"Users/EmailUniqueWhateverTheCase", testUsersEmailUnique},
	{"Users/Invalid", testUsersInvalid},
	{"Users/DisableAndPassword", testUsersDisable},
	{"Tokens/StoredAsHashOnly", testTokens},
	{"Tokens/Revoked", testTokensRevoked},
	{"Tokens/ExpiryAndScope", testTokensExpiryAndScope},
	{"Sessions/LoginAndExpiry", testSessions},
	{"Sessions/Invalid", testSessionsInvalid},
}

// Well-formed password hashes: what a bcrypt or argon2id library writes.
// The suite never checks a password against them; the store never does.
const (
	BcryptHash   = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
	Argon2idHash = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
)

// NewUser stores a user with the given e-mail address and role (and, for a
// creditor user, its creditor) named after the address, with BcryptHash,
// and returns it with its ID.
func NewUser(t testing.TB, tx casestore.Tx, email string, role casestore.Role, creditorID int64) *casestore.User {
	t.Helper()
	u := &casestore.User{Email: email, Name: "Medewerker " + strings.Split(email, "@")[0], Role: role,
		CreditorID: creditorID, PasswordHash: BcryptHash}
	must(t, tx.AddUser(context.Background(), u), "NewUser "+email)
	return u
}

// NewCollector stores a collector with the given e-mail address.
func NewCollector(t testing.TB, tx casestore.Tx, email string) *casestore.User {
	t.Helper()
	return NewUser(t, tx, email, casestore.RoleCollector, 0)
}

// Secret is a random secret as a session id or an API token is made: 32
// random bytes, base64url.
func Secret(t testing.TB) string {
	t.Helper()
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("random secret: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func wantUser(t testing.TB, what string, got, want *casestore.User) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no user", what)
		return
	}
	wantEq(t, what+": ID", got.ID, want.ID)
	wantEq(t, what+": Email", got.Email, want.Email)
	wantEq(t, what+": Name", got.Name, want.Name)
	wantEq(t, what+": Role", got.Role, want.Role)
	wantEq(t, what+": CreditorID", got.CreditorID, want.CreditorID)
	wantEq(t, what+": PasswordHash", got.PasswordHash, want.PasswordHash)
	wantEq(t, what+": Disabled", got.Disabled, want.Disabled)
	wantInstant(t, what+": CreatedAt", got.CreatedAt, want.CreatedAt)
}

func testUsersAddAndRead(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-USERS")
	anna := &casestore.User{Email: "  Anna.Jansen@Incasso.Example ", Name: "Anna Jansen",
		Role: casestore.RoleCollector, PasswordHash: BcryptHash}
	before := time.Now()
	must(t, s.AddUser(ctx, anna), "AddUser collector")
	if anna.ID == 0 {
		t.Fatal("AddUser did not set the ID")
	}
	wantEq(t, "Email as stored", anna.Email, "anna.jansen@incasso.example")
	if anna.CreatedAt.Before(before.Add(-time.Minute)) || anna.CreatedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("CreatedAt from the store's clock: got %v, want about %v", anna.CreatedAt, before)
	}
	boss := NewUser(t, s, "teamleider@incasso.example", casestore.RoleSupervisor, 0)
	reader := &casestore.User{Email: "finance@energie.example", Name: "Energie finance",
		Role: casestore.RoleCreditor, CreditorID: cr.ID, PasswordHash: Argon2idHash}
	must(t, s.AddUser(ctx, reader), "AddUser creditor")

	got, err := s.User(ctx, anna.ID)
	must(t, err, "User")
	wantUser(t, "User", got, anna)
	for _, typed := range []string{"anna.jansen@incasso.example", "ANNA.JANSEN@INCASSO.EXAMPLE", " Anna.Jansen@incasso.example"} {
		got, err := s.UserByEmail(ctx, typed)
		must(t, err, "UserByEmail "+typed)
		wantUser(t, "UserByEmail "+typed, got, anna)
	}
	got, err = s.UserByEmail(ctx, reader.Email)
	must(t, err, "UserByEmail creditor user")
	wantUser(t, "creditor user", got, reader)

	all, err := s.Users(ctx)
	must(t, err, "Users")
	wantEq(t, "users", len(all), 3)
	for i, want := range []*casestore.User{anna, boss, reader} {
		if i < len(all) {
			wantUser(t, fmt.Sprintf("Users[%d]", i), all[i], want)
		}
	}
	_, err = s.User(ctx, reader.ID+100)
	wantErr(t, err, casestore.ErrNotFound, "User(unknown id)")
	_, err = s.UserByEmail(ctx, "niemand@incasso.example")
	wantErr(t, err, casestore.ErrNotFound, "UserByEmail(unknown address)")
}

func testUsersEmailUnique(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	first := NewCollector(t, s, "piet@incasso.example")
	for _, email := range []string{"piet@incasso.example", "Piet@Incasso.Example", " PIET@INCASSO.EXAMPLE"} {
		u := &casestore.User{Email: email, Name: "Another Piet", Role: casestore.RoleSupervisor, PasswordHash: Argon2idHash}
		wantErr(t, s.AddUser(ctx, u), casestore.ErrConflict, "AddUser "+email)
	}
	// The conflict leaves an InTx usable, as the inbox's dedupe does.
	must(t, s.InTx(ctx, func(tx casestore.Tx) error {
		u := &casestore.User{Email: "PIET@incasso.example", Name: "Piet", Role: casestore.RoleCollector, PasswordHash: BcryptHash}
		wantErr(t, tx.AddUser(ctx, u), casestore.ErrConflict, "AddUser in a transaction")
		NewCollector(t, tx, "klaas@incasso.example")
		return nil
	}), "InTx after a conflict")
	// Letter case beyond ASCII folds the same way on every store.
	elodie := NewCollector(t, s, "Élodie.Dupont@Exemple.BE")
	wantEq(t, "non-ASCII address as stored", elodie.Email, "élodie.dupont@exemple.be")
	u := &casestore.User{Email: "ÉLODIE.DUPONT@EXEMPLE.BE", Name: "Élodie", Role: casestore.RoleCollector, PasswordHash: BcryptHash}
	wantErr(t, s.AddUser(ctx, u), casestore.ErrConflict, "AddUser of the same non-ASCII address in capitals")
	got, err := s.UserByEmail(ctx, "élodie.DUPONT@exemple.be")
	must(t, err, "UserByEmail non-ASCII")
	wantUser(t, "UserByEmail non-ASCII", got, elodie)

	all, err := s.Users(ctx)
	must(t, err, "Users")
	wantEq(t, "users", len(all), 3)
	got, err = s.UserByEmail(ctx, "PIET@INCASSO.EXAMPLE")
	must(t, err, "UserByEmail")
	wantUser(t, "the first Piet, unchanged", got, first)
}

func testUsersInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-USERS-X")
	cases := []struct {
		name   string
		break_ func(u *casestore.User)
		want   error
	}{
		{"plaintext password", func(u *casestore.User) { u.PasswordHash = "Welkom01!" }, casestore.ErrInvalid},
		{"plaintext that starts like bcrypt", func(u *casestore.User) { u.PasswordHash = "$2a$10$geheim" }, casestore.ErrInvalid},
		{"argon2i, not argon2id", func(u *casestore.User) { u.PasswordHash = strings.Replace(Argon2idHash, "argon2id", "argon2i", 1) }, casestore.ErrInvalid},
		{"hex SHA-256 of the password", func(u *casestore.User) { u.PasswordHash = casestore.HashSecret("Welkom01!") }, casestore.ErrInvalid},
		{"no password hash", func(u *casestore.User) { u.PasswordHash = "" }, casestore.ErrInvalid},
		{"no e-mail", func(u *casestore.User) { u.Email = " " }, casestore.ErrInvalid},
		{"e-mail without @", func(u *casestore.User) { u.Email = "anna.incasso.example" }, casestore.ErrInvalid},
		{"e-mail with a space", func(u *casestore.User) { u.Email = "anna jansen@incasso.example" }, casestore.ErrInvalid},
		{"no name", func(u *casestore.User) { u.Name = " " }, casestore.ErrInvalid},
		{"unknown role", func(u *casestore.User) { u.Role = "admin" }, casestore.ErrInvalid},
		{"creditor user without creditor", func(u *casestore.User) { u.Role = casestore.RoleCreditor }, casestore.ErrInvalid},
		{"collector bound to a creditor", func(u *casestore.User) { u.CreditorID = cr.ID }, casestore.ErrInvalid},
		{"creditor user of an unknown creditor", func(u *casestore.User) { u.Role, u.CreditorID = casestore.RoleCreditor, cr.ID+100 }, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		u := &casestore.User{Email: "anna@incasso.example", Name: "Anna", Role: casestore.RoleCollector, PasswordHash: BcryptHash}
		tc.break_(u)
		err := s.AddUser(ctx, u)
		wantErr(t, err, tc.want, "AddUser with "+tc.name)
		if err != nil && strings.Contains(err.Error(), "Welkom01!") {
			t.Errorf("AddUser with %s: the error repeats the password: %v", tc.name, err)
		}
	}
	all, err := s.Users(ctx)
	must(t, err, "Users")
	wantEq(t, "users stored after refusals", len(all), 0)
}

func testUsersDisable(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	now := at(2026, time.March, 3, 9, 0, 0, 0)
	u := NewCollector(t, s, "anna@incasso.example")
	token := &casestore.APIToken{UserID: u.ID, Name: "script", Hash: casestore.HashSecret(Secret(t))}
	must(t, s.AddAPIToken(ctx, token), "AddAPIToken")
	sess := &casestore.Session{ID: Secret(t), UserID: u.ID, CSRFToken: "csrf", CreatedAt: now, ExpiresAt: now.Add(8 * time.Hour)}
	must(t, s.AddSession(ctx, sess), "AddSession")

	must(t, s.SetUserDisabled(ctx, u.ID, true), "SetUserDisabled true")
	got, err := s.UserByEmail(ctx, u.Email)
	must(t, err, "UserByEmail of a disabled user")
	wantEq(t, "Disabled", got.Disabled, true)
	_, _, err = s.APITokenByHash(ctx, token.Hash)
	wantErr(t, err, casestore.ErrNotFound, "APITokenByHash of a disabled user")
	_, _, err = s.SessionByHash(ctx, sess.Hash, now.Add(time.Minute))
	wantErr(t, err, casestore.ErrNotFound, "SessionByHash of a disabled user")
	again := &casestore.Session{ID: Secret(t), UserID: u.ID, CSRFToken: "csrf", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	wantErr(t, s.AddSession(ctx, again), casestore.ErrConflict, "AddSession for a disabled user")
	wantErr(t, s.AddAPIToken(ctx, &casestore.APIToken{UserID: u.ID, Name: "x", Hash: casestore.HashSecret(Secret(t))}),
		casestore.ErrConflict, "AddAPIToken for a disabled user")

	// Enabled again: the token works again, the old session stays ended.
	must(t, s.SetUserDisabled(ctx, u.ID, false), "SetUserDisabled false")
	k, owner, err := s.APITokenByHash(ctx, token.Hash)
	must(t, err, "APITokenByHash after enabling")
	wantEq(t, "token", k.ID, token.ID)
	wantEq(t, "token's user", owner.ID, u.ID)
	_, _, err = s.SessionByHash(ctx, sess.Hash, now.Add(time.Minute))
	wantErr(t, err, casestore.ErrNotFound, "SessionByHash of a session ended by disabling")

	wantErr(t, s.SetPasswordHash(ctx, u.ID, "Welkom01!"), casestore.ErrInvalid, "SetPasswordHash plaintext")
	got, err = s.User(ctx, u.ID)
	must(t, err, "User")
	wantEq(t, "hash after a refused change", got.PasswordHash, BcryptHash)
	must(t, s.SetPasswordHash(ctx, u.ID, Argon2idHash), "SetPasswordHash argon2id")
	got, err = s.User(ctx, u.ID)
	must(t, err, "User")
	wantEq(t, "hash after the change", got.PasswordHash, Argon2idHash)

	wantErr(t, s.SetUserDisabled(ctx, u.ID+100, true), casestore.ErrNotFound, "SetUserDisabled(unknown)")
	wantErr(t, s.SetPasswordHash(ctx, u.ID+100, BcryptHash), casestore.ErrNotFound, "SetPasswordHash(unknown)")
}

func testTokens(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-TOKENS")
	u := NewUser(t, s, "api@energie.example", casestore.RoleCreditor, cr.ID)
	secret := Secret(t)
	k := &casestore.APIToken{UserID: u.ID, Name: "boekhouding export", Hash: casestore.HashSecret(secret)}
	must(t, s.AddAPIToken(ctx, k), "AddAPIToken")
	if k.ID == 0 || k.CreatedAt.IsZero() {
		t.Fatalf("AddAPIToken did not set ID and CreatedAt: %+v", k)
	}

	got, owner, err := s.APITokenByHash(ctx, casestore.HashSecret(secret))
	must(t, err, "APITokenByHash")
	wantEq(t, "token ID", got.ID, k.ID)
	wantEq(t, "token Name", got.Name, k.Name)
	wantEq(t, "token Hash", got.Hash, k.Hash)
	wantInstant(t, "token CreatedAt", got.CreatedAt, k.CreatedAt)
	if got.LastUsedAt != nil || got.RevokedAt != nil {
		t.Errorf("new token: LastUsedAt %v, RevokedAt %v, want both nil", got.LastUsedAt, got.RevokedAt)
	}
	wantUser(t, "token's user", owner, u)
	// The secret itself opens nothing: only its hash is a key.
	_, _, err = s.APITokenByHash(ctx, secret)
	wantErr(t, err, casestore.ErrNotFound, "APITokenByHash(the secret itself)")
	_, _, err = s.APITokenByHash(ctx, casestore.HashSecret(secret+"x"))
	wantErr(t, err, casestore.ErrNotFound, "APITokenByHash(another secret's hash)")

	used := at(2026, time.March, 3, 10, 15, 0, 123456)
	must(t, s.TouchAPIToken(ctx, k.ID, used), "TouchAPIToken")
	list, err := s.APITokens(ctx, u.ID)
	must(t, err, "APITokens")
	wantEq(t, "tokens", len(list), 1)
	if len(list) == 1 && (list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(used)) {
		t.Errorf("LastUsedAt after TouchAPIToken: got %v, want %v", list[0].LastUsedAt, used)
	}

	bad := []struct {
		name string
		k    casestore.APIToken
		want error
	}{
		{"the secret as hash", casestore.APIToken{UserID: u.ID, Name: "x", Hash: secret}, casestore.ErrInvalid},
		{"upper-case hex", casestore.APIToken{UserID: u.ID, Name: "x", Hash: strings.ToUpper(casestore.HashSecret("y"))}, casestore.ErrInvalid},
		{"no name", casestore.APIToken{UserID: u.ID, Hash: casestore.HashSecret("y")}, casestore.ErrInvalid},
		{"no user", casestore.APIToken{Name: "x", Hash: casestore.HashSecret("y")}, casestore.ErrInvalid},
		{"unknown user", casestore.APIToken{UserID: u.ID + 100, Name: "x", Hash: casestore.HashSecret("y")}, casestore.ErrNotFound},
		{"a hash already stored", casestore.APIToken{UserID: u.ID, Name: "x", Hash: k.Hash}, casestore.ErrConflict},
	}
	for _, tc := range bad {
		wantErr(t, s.AddAPIToken(ctx, &tc.k), tc.want, "AddAPIToken with "+tc.name)
	}
	list, err = s.APITokens(ctx, u.ID)
	must(t, err, "APITokens")
	wantEq(t, "tokens after refusals", len(list), 1)
	_, err = s.APITokens(ctx, u.ID+100)
	wantErr(t, err, casestore.ErrNotFound, "APITokens(unknown user)")
	wantErr(t, s.TouchAPIToken(ctx, k.ID+100, used), casestore.ErrNotFound, "TouchAPIToken(unknown)")
}

func testTokensRevoked(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	u := NewCollector(t, s, "script@incasso.example")
	keep := &casestore.APIToken{UserID: u.ID, Name: "keep", Hash: casestore.HashSecret(Secret(t))}
	gone := &casestore.APIToken{UserID: u.ID, Name: "leaked", Hash: casestore.HashSecret(Secret(t))}
	must(t, s.AddAPIToken(ctx, keep), "AddAPIToken keep")
	must(t, s.AddAPIToken(ctx, gone), "AddAPIToken leaked")

	must(t, s.RevokeAPIToken(ctx, gone.ID), "RevokeAPIToken")
	_, _, err := s.APITokenByHash(ctx, gone.Hash)
	wantErr(t, err, casestore.ErrNotFound, "APITokenByHash of a revoked token")
	_, _, err = s.APITokenByHash(ctx, keep.Hash)
	must(t, err, "APITokenByHash of the other token")

	list, err := s.APITokens(ctx, u.ID)
	must(t, err, "APITokens")
	if len(list) != 2 || list[0].ID != keep.ID || list[1].ID != gone.ID {
		t.Fatalf("APITokens: got %d tokens, want keep and leaked by ID", len(list))
	}
	if list[0].RevokedAt != nil || list[1].RevokedAt == nil {
		t.Fatalf("RevokedAt: keep %v, leaked %v; want nil and set", list[0].RevokedAt, list[1].RevokedAt)
	}
	first := *list[1].RevokedAt
	must(t, s.RevokeAPIToken(ctx, gone.ID), "RevokeAPIToken again")
	list, err = s.APITokens(ctx, u.ID)
	must(t, err, "APITokens")
	wantInstant(t, "RevokedAt after revoking again", *list[1].RevokedAt, first)
	wantErr(t, s.RevokeAPIToken(ctx, gone.ID+100), casestore.ErrNotFound, "RevokeAPIToken(unknown)")
}

// testTokensExpiryAndScope: an expired token works no more than an
// unknown one (issue 13: tokens never expired); the scope is kept, read
// by default.
func testTokensExpiryAndScope(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	u := NewCollector(t, s, "script@incasso.example")
	now := time.Now().UTC()
	past, future := now.Add(-time.Minute), now.Add(time.Hour)
	expired := &casestore.APIToken{UserID: u.ID, Name: "oud", Hash: casestore.HashSecret(Secret(t)), ExpiresAt: &past}
	live := &casestore.APIToken{UserID: u.ID, Name: "script", Hash: casestore.HashSecret(Secret(t)), ExpiresAt: &future,
		Scope: casestore.ScopeConsole}
	plain := &casestore.APIToken{UserID: u.ID, Name: "lezen", Hash: casestore.HashSecret(Secret(t))}
	for _, k := range []*casestore.APIToken{expired, live, plain} {
		must(t, s.AddAPIToken(ctx, k), "AddAPIToken "+k.Name)
	}
	_, _, err := s.APITokenByHash(ctx, expired.Hash)
	wantErr(t, err, casestore.ErrNotFound, "APITokenByHash of an expired token")
	got, _, err := s.APITokenByHash(ctx, live.Hash)
	must(t, err, "APITokenByHash of a live token")
	wantEq(t, "scope", got.Scope, casestore.ScopeConsole)
	if got.ExpiresAt == nil {
		t.Fatal("ExpiresAt not read back")
	}
	wantInstant(t, "ExpiresAt", *got.ExpiresAt, *live.ExpiresAt)
	got, _, err = s.APITokenByHash(ctx, plain.Hash)
	must(t, err, "APITokenByHash of a token without expiry")
	wantEq(t, "default scope", got.Scope, casestore.ScopeRead)
	if got.Allows(casestore.ScopeConsole) || !got.Allows(casestore.ScopeRead) {
		t.Error("a read token allows the console's actions, or not reading")
	}
	bad := &casestore.APIToken{UserID: u.ID, Name: "x", Hash: casestore.HashSecret(Secret(t)), Scope: "admin"}
	wantErr(t, s.AddAPIToken(ctx, bad), casestore.ErrInvalid, "AddAPIToken with an unknown scope")
	list, err := s.APITokens(ctx, u.ID)
	must(t, err, "APITokens")
	if len(list) != 3 || list[0].ExpiresAt == nil || list[2].Scope != casestore.ScopeRead {
		t.Errorf("APITokens: %d tokens, want the three with expiry and scope", len(list))
	}
}

func testSessions(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	u := NewCollector(t, s, "anna@incasso.example")
	start := at(2026, time.March, 3, 9, 0, 0, 500)
	end := start.Add(8 * time.Hour)
	id := Secret(t)
	sess := &casestore.Session{ID: id, UserID: u.ID, CSRFToken: "csrf-" + Secret(t), CreatedAt: start, ExpiresAt: end}
	must(t, s.AddSession(ctx, sess), "AddSession")
	wantEq(t, "Hash", sess.Hash, casestore.HashSecret(id))

	got, owner, err := s.SessionByHash(ctx, casestore.HashSecret(id), start.Add(time.Hour))
	must(t, err, "SessionByHash")
	wantEq(t, "session ID read back (never stored)", got.ID, "")
	wantEq(t, "session Hash", got.Hash, sess.Hash)
	wantEq(t, "session UserID", got.UserID, u.ID)
	wantEq(t, "session CSRFToken", got.CSRFToken, sess.CSRFToken)
	wantInstant(t, "session CreatedAt", got.CreatedAt, start)
	wantInstant(t, "session ExpiresAt", got.ExpiresAt, end)
	wantUser(t, "session's user", owner, u)

	_, _, err = s.SessionByHash(ctx, id, start.Add(time.Hour))
	wantErr(t, err, casestore.ErrNotFound, "SessionByHash(the id itself)")
	for _, tc := range []struct {
		name string
		now  time.Time
		ok   bool
	}{
		{"a microsecond before expiry", end.Add(-time.Microsecond), true},
		{"at expiry", end, false},
		{"a day later", end.Add(24 * time.Hour), false},
	} {
		_, _, err := s.SessionByHash(ctx, sess.Hash, tc.now)
		if tc.ok {
			must(t, err, "SessionByHash "+tc.name)
		} else {
			wantErr(t, err, casestore.ErrNotFound, "SessionByHash "+tc.name)
		}
	}

	// Housekeeping removes the expired session only; logout and "log out
	// everywhere" end the others.
	later := &casestore.Session{ID: Secret(t), UserID: u.ID, CSRFToken: "c2", CreatedAt: start, ExpiresAt: end.Add(time.Hour)}
	third := &casestore.Session{ID: Secret(t), UserID: u.ID, CSRFToken: "c3", CreatedAt: start, ExpiresAt: end.Add(time.Hour)}
	must(t, s.AddSession(ctx, later), "AddSession later")
	must(t, s.AddSession(ctx, third), "AddSession third")
	n, err := s.DeleteExpiredSessions(ctx, end)
	must(t, err, "DeleteExpiredSessions")
	wantEq(t, "expired sessions removed", n, 1)
	_, _, err = s.SessionByHash(ctx, later.Hash, end)
	must(t, err, "SessionByHash of a session that has not expired")
	must(t, s.DeleteSession(ctx, later.Hash), "DeleteSession")
	_, _, err = s.SessionByHash(ctx, later.Hash, end)
	wantErr(t, err, casestore.ErrNotFound, "SessionByHash after logout")
	wantErr(t, s.DeleteSession(ctx, later.Hash), casestore.ErrNotFound, "DeleteSession again")
	n, err = s.DeleteUserSessions(ctx, u.ID)
	must(t, err, "DeleteUserSessions")
	wantEq(t, "sessions ended everywhere", n, 1)
	_, _, err = s.SessionByHash(ctx, third.Hash, end)
	wantErr(t, err, casestore.ErrNotFound, "SessionByHash after log out everywhere")
	_, err = s.DeleteUserSessions(ctx, u.ID+100)
	wantErr(t, err, casestore.ErrNotFound, "DeleteUserSessions(unknown user)")
}

func testSessionsInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	u := NewCollector(t, s, "anna@incasso.example")
	start := at(2026, time.March, 3, 9, 0, 0, 0)
	taken := &casestore.Session{ID: Secret(t), UserID: u.ID, CSRFToken: "c", CreatedAt: start, ExpiresAt: start.Add(time.Hour)}
	must(t, s.AddSession(ctx, taken), "AddSession")
	cases := []struct {
		name   string
		break_ func(se *casestore.Session)
		want   error
	}{
		{"short id", func(se *casestore.Session) { se.ID = "1234" }, casestore.ErrInvalid},
		{"no CSRF token", func(se *casestore.Session) { se.CSRFToken = "" }, casestore.ErrInvalid},
		{"expiry at the start", func(se *casestore.Session) { se.ExpiresAt = se.CreatedAt }, casestore.ErrInvalid},
		{"no expiry", func(se *casestore.Session) { se.ExpiresAt = time.Time{} }, casestore.ErrInvalid},
		{"no user", func(se *casestore.Session) { se.UserID = 0 }, casestore.ErrInvalid},
		{"unknown user", func(se *casestore.Session) { se.UserID = u.ID + 100 }, casestore.ErrNotFound},
		{"an id in use", func(se *casestore.Session) { se.ID = taken.ID }, casestore.ErrConflict},
	}
	for _, tc := range cases {
		se := &casestore.Session{ID: Secret(t), UserID: u.ID, CSRFToken: "c", CreatedAt: start, ExpiresAt: start.Add(time.Hour)}
		tc.break_(se)
		wantErr(t, s.AddSession(ctx, se), tc.want, "AddSession with "+tc.name)
	}
	n, err := s.DeleteUserSessions(ctx, u.ID)
	must(t, err, "DeleteUserSessions")
	wantEq(t, "sessions stored after refusals", n, 1)
}
