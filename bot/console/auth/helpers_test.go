package auth

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) {
	// Production hashes at cost 12 (~0.25 s each); the tests hash dozens.
	Cost = bcrypt.MinCost
	os.Exit(m.Run())
}

// testPassword is every fixture user's password.
const testPassword = "Welkom bij het incassobureau"

// fixture is an Auth on a real store with four users: a collector, a
// supervisor, a creditor user of creditor ENERGIEDIRECT and a disabled
// collector, all with testPassword.
type fixture struct {
	a     *Auth
	clk   *storetest.Clock
	st    casestore.Store
	logs  *bytes.Buffer
	users map[string]*casestore.User // by role name, and "disabled"
}

func sqliteStore(t *testing.T, clk *storetest.Clock) casestore.Store {
	t.Helper()
	st := sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "auth.db"))
	st.Now = clk.Now
	return st
}

func newFixture(t *testing.T) *fixture {
	clk := storetest.NewClock(time.Date(2026, time.March, 16, 8, 30, 0, 0, time.UTC))
	return newFixtureOn(t, clk, sqliteStore(t, clk))
}

func newFixtureOn(t *testing.T, clk *storetest.Clock, st casestore.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	hot := hotstate.NewMemory()
	hot.Now = clk.Now
	logs := &bytes.Buffer{}
	f := &fixture{
		a: &Auth{Store: st, Hot: hot, Now: clk.Now, AttackDelay: time.Millisecond,
			Log: slog.New(slog.NewTextHandler(&syncWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))},
		clk: clk, st: st, logs: logs, users: map[string]*casestore.User{},
	}
	cr := &casestore.Creditor{Code: "ENERGIEDIRECT", Name: "Energie Direct B.V."}
	if err := st.PutCreditor(ctx, cr); err != nil {
		t.Fatal(err)
	}
	hash, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []*casestore.User{
		{Email: "anna@incasso.example", Name: "Anna de Vries", Role: casestore.RoleCollector},
		{Email: "sven@incasso.example", Name: "Sven Peeters", Role: casestore.RoleSupervisor},
		{Email: "boekhouding@energiedirect.example", Name: "Energie Direct", Role: casestore.RoleCreditor, CreditorID: cr.ID},
		{Email: "oud@incasso.example", Name: "Oud Medewerker", Role: casestore.RoleCollector},
	} {
		u.PasswordHash = hash
		if err := st.AddUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		key := string(u.Role)
		if u.Email == "oud@incasso.example" {
			key = "disabled"
			if err := st.SetUserDisabled(ctx, u.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		f.users[key] = u
	}
	return f
}

// syncWriter lets the server goroutines of httptest share one log buffer.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
