package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/bot/console"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/portal"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
)

// Issue 13, as the blind re-attack found it: a stranger with twenty
// addresses failed fifty times at one account, and from then on the owner
// got 429 at every address the account had never logged in from. Now the
// account-wide signal only slows the answer down; the guesser's own
// address is still stopped, and stays stopped when Redis is flushed.
// Through the real console and portal handlers behind a trusted proxy, on
// SQLite (the default) and on PostgreSQL + Redis.
func TestAGuesserWithManyAddressesDoesNotLockTheOwnerOut(t *testing.T) {
	for _, b := range []struct {
		name string
		open func(t *testing.T) (casestore.Store, hotstate.Store)
	}{{"sqlite", openSQLite}, {"postgres+redis", openPostgresRedis}} {
		for _, site := range []string{"console", "portal"} {
			t.Run(b.name+"/"+site, func(t *testing.T) {
				st, hot := b.open(t)
				ownerAttack(t, st, hot, site)
			})
		}
	}
}

func ownerAttack(t *testing.T, st casestore.Store, hot hotstate.Store, site string) {
	ctx := context.Background()
	cr := &casestore.Creditor{Code: "ENERGIEDIRECT", Name: "Energie Direct B.V."}
	if err := st.PutCreditor(ctx, cr); err != nil {
		t.Fatal(err)
	}
	const password = "Welkom bij het incassobureau"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	owner := &casestore.User{Email: "anna@incasso.example", Name: "Anna de Vries", Role: casestore.RoleCollector, PasswordHash: hash}
	if site == "portal" {
		owner = &casestore.User{Email: "boekhouding@energiedirect.example", Name: "Energie Direct", Role: casestore.RoleCreditor,
			CreditorID: cr.ID, PasswordHash: hash}
	}
	if err := st.AddUser(ctx, owner); err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	// The test's server listens on 127.0.0.1: that is the load balancer.
	trusted, err := clientip.Parse("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	const delay = 300 * time.Millisecond
	a := &auth.Auth{Store: st, Hot: hot, Log: log, AttackDelay: delay}
	var h http.Handler
	login := "/console/login"
	if site == "console" {
		h = console.New(console.Deps{TrustedProxies: trusted, Store: st, Hot: hot, Log: log, Auth: a}).Handler()
	} else {
		a.LoginPage = portal.LoginPath
		login = portal.LoginPath
		h = portal.New(portal.Deps{TrustedProxies: trusted, Store: st, Auth: a, Log: log}).Handler()
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(client, pw string) int {
		form := url.Values{"email": {owner.Email}, "password": {pw}}
		req, err := http.NewRequest("POST", srv.URL+login, strings.NewReader(form.Encode()))
		if err != nil {
			t.Error(err)
			return 0
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := hc.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	guesser := func(i int) string { return fmt.Sprintf("198.51.100.%d", i%20+1) }

	// Fifty wrong passwords at once from twenty addresses.
	statuses := make([]int, 50)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = post(guesser(i), fmt.Sprintf("raden %d", i))
		}()
	}
	wg.Wait()
	for i, s := range statuses {
		if s != http.StatusUnauthorized {
			t.Fatalf("guess %d from %s: %d, want 401 (each address tried under its own limit)", i, guesser(i), s)
		}
	}

	// The owner on a new device, at an address the account never logged
	// in from, with the right password: in, after a short delay at most.
	const ownerAddr = "192.0.2.77"
	start := time.Now()
	if got := post(ownerAddr, password); got != http.StatusSeeOther {
		t.Fatalf("the owner from a new address with the right password after 50 failures elsewhere: %d, want 303 (logged in)", got)
	}
	if took := time.Since(start); took < delay {
		t.Errorf("the owner's login under attack took %s: the account-wide signal should slow every new address by %s", took, delay)
	}
	// The log names the client behind the balancer, never the balancer.
	var line string
	for _, l := range strings.Split(logs.String(), "\n") {
		if strings.Contains(l, "msg=login ") {
			line = l
		}
	}
	if !strings.Contains(line, "ip="+ownerAddr) {
		t.Errorf("the login line does not name the owner's address %s:\n%s", ownerAddr, line)
	}
	if strings.Contains(logs.String(), "127.0.0.1") {
		t.Errorf("the log names the load balancer (127.0.0.1) instead of the client:\n%s", logs)
	}

	// A Redis flush or restart forgets nothing the throttle needs.
	a.Hot = hotstate.NewMemory()
	// The guesser's own address is stopped after its own attempts, right
	// password or not: 198.51.100.1 has tried 3 times; 2 more are heard.
	for i := range auth.MaxAttemptsPerPair - 3 {
		if got := post(guesser(0), "nog een gok"); got != http.StatusUnauthorized {
			t.Fatalf("guess %d more from %s: %d, want 401", i+1, guesser(0), got)
		}
	}
	if got := post(guesser(0), password); got != http.StatusTooManyRequests {
		t.Errorf("the guesser's own address after %d attempts, right password: %d, want 429", auth.MaxAttemptsPerPair, got)
	}
	if got := post(ownerAddr, password); got != http.StatusSeeOther {
		t.Errorf("the owner again, after the flush: %d, want 303", got)
	}
}

func openSQLite(t *testing.T) (casestore.Store, hotstate.Store) {
	return sqlitetest.Open(t), hotstate.NewMemory()
}

func openPostgresRedis(t *testing.T) (casestore.Store, hotstate.Store) {
	ctx := context.Background()
	st := pgstoretest.Open(t)
	u, prefix := redistest.NewPrefix(t)
	hot, err := hotstate.OpenRedis(ctx, u, prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hot.Close() })
	return st, hot
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
