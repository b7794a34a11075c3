package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
	"github.com/incassobot/incassobot/casestore"
	"golang.org/x/crypto/argon2"
)

func TestLoginStartsASession(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The address as a collector might type it: capitals, a stray space.
	u, s, id, err := f.a.Login(ctx, " Anna@Incasso.Example", testPassword, "192.0.2.10")
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if u.ID != f.users["collector"].ID {
		t.Errorf("logged in as user %d, want Anna (%d)", u.ID, f.users["collector"].ID)
	}
	if len(id) != 43 || id != s.ID || s.Hash != casestore.HashSecret(id) {
		t.Errorf("session id %q (len %d), s.ID %q, hash %q: want 43 base64url characters and its SHA-256", id, len(id), s.ID, s.Hash)
	}
	if len(s.CSRFToken) != 43 || s.CSRFToken == id {
		t.Errorf("CSRF token %q: want 43 random characters of its own", s.CSRFToken)
	}
	if want := f.clk.Now().Add(DefaultSessionTTL); !s.ExpiresAt.Equal(want) {
		t.Errorf("session expires %s, want %s (12 h)", s.ExpiresAt, want)
	}
	stored, su, err := f.st.SessionByHash(ctx, casestore.HashSecret(id), f.clk.Now())
	if err != nil || su.ID != u.ID || stored.CSRFToken != s.CSRFToken {
		t.Fatalf("stored session: %+v, user %+v, err %v", stored, su, err)
	}
	// A second login is a second session, not the first one again.
	_, _, id2, err := f.a.Login(ctx, "anna@incasso.example", testPassword, "192.0.2.10")
	if err != nil || id2 == id {
		t.Errorf("second login: id %q (first %q), err %v", id2, id, err)
	}
}

// Someone trying addresses must not learn which have accounts: the answer
// and (roughly) the time are the same for an unknown address and a wrong
// password.
func TestLoginFailsAlikeForUnknownAddressAndWrongPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, _, _, errUnknown := f.a.Login(ctx, "niemand@incasso.example", testPassword, "192.0.2.10")
	_, _, _, errWrong := f.a.Login(ctx, "anna@incasso.example", "Welkom bij het incassoburo", "192.0.2.10")
	if !errors.Is(errUnknown, ErrBadCredentials) || !errors.Is(errWrong, ErrBadCredentials) {
		t.Fatalf("unknown address: %v; wrong password: %v; want both ErrBadCredentials", errUnknown, errWrong)
	}
	if errUnknown.Error() != errWrong.Error() {
		t.Errorf("the messages differ: %q vs %q", errUnknown, errWrong)
	}
	if strings.Contains(f.logs.String(), "niemand") || strings.Contains(f.logs.String(), "incassoburo") {
		t.Errorf("the log holds what was typed:\n%s", f.logs)
	}
}

func TestLoginComparesAHashForAnUnknownAddressToo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var compared []string
	real := checkPassword
	checkPassword = func(hash, pw string) bool {
		compared = append(compared, hash)
		return real(hash, pw)
	}
	t.Cleanup(func() { checkPassword = real })
	for _, email := range []string{"anna@incasso.example", "niemand@incasso.example"} {
		compared = nil
		if _, _, _, err := f.a.Login(ctx, email, "not the password at all", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("login %s: %v", email, err)
		}
		// One bcrypt comparison either way, so the answer takes as long
		// and the response time does not tell which addresses exist.
		if len(compared) != 1 || !strings.HasPrefix(compared[0], "$2") {
			t.Errorf("login %s compared %d hashes (%v), want exactly one bcrypt comparison", email, len(compared), compared)
		}
	}
}

func TestLoginRateLimitPerAccountAndAddress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const guesser, owner = "203.0.113.66", "192.0.2.10"
	for i := 1; i <= MaxAttemptsPerPair; i++ {
		_, _, _, err := f.a.Login(ctx, "anna@incasso.example", fmt.Sprintf("raden poging %d", i), guesser)
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v, want ErrBadCredentials", i, err)
		}
		f.clk.Advance(time.Minute)
	}
	// The sixth attempt from the guesser's address is refused even with
	// the right password.
	_, _, _, err := f.a.Login(ctx, "anna@incasso.example", testPassword, guesser)
	var rl *RateLimitError
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &rl) {
		t.Fatalf("attempt 6: %v, want ErrRateLimited", err)
	}
	// The window started with the first attempt, 5 minutes ago.
	if want := LoginWindow - 5*time.Minute; rl.Wait != want || rl.PerIP {
		t.Errorf("wait %s (per IP %t), want %s", rl.Wait, rl.PerIP, want)
	}
	if !strings.Contains(err.Error(), "10m0s") {
		t.Errorf("message %q does not say how long to wait", err)
	}
	// Issue 13: the owner, at another address, is not locked out.
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", testPassword, owner); err != nil {
		t.Errorf("the owner from another address: %v, want a login", err)
	}
	f.clk.Advance(rl.Wait)
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", testPassword, guesser); err != nil {
		t.Errorf("after the window: %v, want a login", err)
	}
}

// A guesser with many addresses is slowed: once the account has
// MaxAccountFailures failures, every attempt from an address new to it
// waits AttackDelay first. Nobody is refused for it: the owner at a new
// address gets in (issue 13), at a known address without waiting.
func TestLoginSlowsAGuesserWithManyAddresses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.a.AttackDelay = 100 * time.Millisecond
	const owner = "192.0.2.10"
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", testPassword, owner); err != nil {
		t.Fatal(err)
	}
	bot := func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }
	// slowed tries a login and reports whether it was held back: the log
	// says so, and then it took at least AttackDelay.
	slowed := func(pw, ip string) (bool, error) {
		before := strings.Count(f.logs.String(), "login slowed")
		start := time.Now()
		_, _, _, err := f.a.Login(ctx, "anna@incasso.example", pw, ip)
		took := time.Since(start)
		held := strings.Count(f.logs.String(), "login slowed") > before
		if held && took < f.a.AttackDelay {
			t.Errorf("login from %s said slowed but took only %s", ip, took)
		}
		return held, err
	}
	for i := 1; i <= MaxAccountFailures; i++ {
		held, err := slowed("raden", bot(i))
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
		if held {
			t.Fatalf("failure %d: slowed before the account had %d failures", i, MaxAccountFailures)
		}
	}
	for i := range 30 {
		held, err := slowed("raden", bot(50+i))
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("guess %d under attack: %v, want ErrBadCredentials (slowed, not refused)", i, err)
		}
		if !held {
			t.Fatalf("guess %d under attack was not slowed", i)
		}
	}
	if held, err := slowed(testPassword, owner); err != nil || held {
		t.Errorf("the owner at a known address: %v, slowed %t; want a login without the delay", err, held)
	}
	if held, err := slowed(testPassword, "192.0.2.99"); err != nil || !held {
		t.Errorf("the owner at a new address: %v, slowed %t; want a login after the delay", err, held)
	}
	// The window over, nobody waits.
	f.clk.Advance(LoginWindow)
	if held, err := slowed(testPassword, "192.0.2.98"); err != nil || held {
		t.Errorf("after the window: %v, slowed %t; want a login without the delay", err, held)
	}
}

// The right password clears the account's count: a collector who mistyped
// four times this morning is not locked out by one more typo at noon.
func TestLoginSuccessResetsTheAddressCount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	try := func(pw string) error {
		_, _, _, err := f.a.Login(ctx, "anna@incasso.example", pw, "192.0.2.10")
		return err
	}
	for range MaxAttemptsPerEmail - 1 {
		if err := try("verkeerd wachtwoord"); !errors.Is(err, ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	if err := try(testPassword); err != nil {
		t.Fatalf("right password on attempt %d: %v", MaxAttemptsPerEmail, err)
	}
	for i := range MaxAttemptsPerEmail {
		if err := try("verkeerd wachtwoord"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d after the reset: %v, want ErrBadCredentials", i+1, err)
		}
	}
	if err := try(testPassword); !errors.Is(err, ErrRateLimited) {
		t.Errorf("attempt %d after the reset: %v, want ErrRateLimited", MaxAttemptsPerEmail+1, err)
	}
}

// One network address spraying many accounts is slowed after
// MaxFailuresPerIP failures; staff who logged in from it before are not
// (issue 13: the whole address used to be locked, all staff behind a
// proxy with it).
func TestLoginRateLimitPerNetworkAddress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const proxy = "203.0.113.66"
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", testPassword, proxy); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= MaxFailuresPerIP+1; i++ {
		_, _, _, err := f.a.Login(ctx, fmt.Sprintf("medewerker%d@incasso.example", i), testPassword, proxy)
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	_, _, _, err := f.a.Login(ctx, "sven@incasso.example", testPassword, proxy)
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.PerIP || rl.Wait != 2*time.Second {
		t.Fatalf("after %d failures, an account new to the address: %v, want a per-IP wait of 2s", MaxFailuresPerIP+1, err)
	}
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", testPassword, proxy); err != nil {
		t.Errorf("staff who logged in from the address before: %v, want a login", err)
	}
	f.clk.Advance(rl.Wait)
	if _, _, _, err := f.a.Login(ctx, "sven@incasso.example", testPassword, proxy); err != nil {
		t.Errorf("after the wait: %v", err)
	}
}

// Successful logins do not count against a network address: a whole
// office behind one address logs in at nine.
func TestLoginSuccessesDoNotCountAgainstTheNetworkAddress(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := range MaxFailuresPerIP + 5 {
		who := []string{"anna@incasso.example", "sven@incasso.example"}[i%2]
		if _, _, _, err := f.a.Login(ctx, who, testPassword, "192.0.2.10"); err != nil {
			t.Fatalf("login %d: %v", i+1, err)
		}
	}
}

func TestLoginDisabledAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, _, _, err := f.a.Login(ctx, "oud@incasso.example", testPassword, "192.0.2.10")
	if !errors.Is(err, ErrDisabled) {
		t.Errorf("right password: %v, want ErrDisabled", err)
	}
	// Without the password nobody learns the account exists, let alone
	// that it is disabled.
	_, _, _, err = f.a.Login(ctx, "oud@incasso.example", "geen idee wat het is", "192.0.2.10")
	if !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: %v, want ErrBadCredentials", err)
	}
}

func TestHashPassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw string
		want     error
	}{
		{"11 characters", "elf tekens!", ErrPasswordTooShort},
		{"12 characters", "twaalf teken", nil},
		{"12 two-byte characters count as 12", strings.Repeat("é", 12), nil},
		{"72 bytes, bcrypt's limit", strings.Repeat("a", 72), nil},
		{"73 bytes", strings.Repeat("a", 73), ErrPasswordTooLong},
		{"37 two-byte characters are 74 bytes", strings.Repeat("é", 37), ErrPasswordTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := HashPassword(tc.pw)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				if !errors.Is(err, casestore.ErrInvalid) || strings.Contains(err.Error(), tc.pw) {
					t.Errorf("error %q: want ErrInvalid without the password", err)
				}
				return
			}
			if !casestore.PasswordHashValid(h) || !passwordMatches(h, tc.pw) || passwordMatches(h, tc.pw+"x") {
				t.Errorf("hash %q does not check out", h)
			}
		})
	}
}

// bcrypt reads only 72 bytes, so without a check any longer string that
// starts with a 72-byte password would open the account.
func TestLoginRefusesALongerPasswordWithTheSameStart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pw := strings.Repeat("lang wachtwoord ", 5)[:72]
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetPasswordHash(ctx, f.users["collector"].ID, h); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", pw+"extra", "192.0.2.10"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("72 bytes + more: %v, want ErrBadCredentials", err)
	}
	if _, _, _, err := f.a.Login(ctx, "anna@incasso.example", pw, "192.0.2.10"); err != nil {
		t.Errorf("the password itself: %v", err)
	}
}

// The store accepts argon2id hashes (accounts brought from elsewhere);
// their owners can log in.
func TestLoginWithAnArgon2idHash(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	salt := []byte("zoutzoutzoutzout")
	key := argon2.IDKey([]byte(testPassword), salt, 1, 8*1024, 1, 32)
	enc := base64.RawStdEncoding
	h := fmt.Sprintf("$argon2id$v=19$m=8192,t=1,p=1$%s$%s", enc.EncodeToString(salt), enc.EncodeToString(key))
	if err := f.st.SetPasswordHash(ctx, f.users["supervisor"].ID, h); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := f.a.Login(ctx, "sven@incasso.example", testPassword+"!", "192.0.2.10"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, _, _, err := f.a.Login(ctx, "sven@incasso.example", testPassword, "192.0.2.10"); err != nil {
		t.Errorf("right password: %v", err)
	}
}

// Issue 13: the password rule was length only; "password1234" passed.
func TestNewPasswordHashRefusesCommonPasswords(t *testing.T) {
	for _, tc := range []struct {
		pw   string
		want error
	}{
		{"password1234", ErrPasswordTooCommon},
		{"Wachtwoord123", ErrPasswordTooCommon},
		{"qwertyuiop12", ErrPasswordTooCommon},
		{"P@ssw0rd2024!", ErrPasswordTooCommon},
		{"kort", ErrPasswordTooShort},
		{"Welkom bij het incassobureau", nil},
		{"correct horse battery staple", nil},
	} {
		h, err := NewPasswordHash(tc.pw, "anna.devries@incasso.example", "Anna de Vries")
		if !errors.Is(err, tc.want) {
			t.Errorf("%q: err %v, want %v", tc.pw, err, tc.want)
		}
		if err != nil && (!errors.Is(err, casestore.ErrInvalid) || strings.Contains(err.Error(), tc.pw)) {
			t.Errorf("%q: error %q: want ErrInvalid without the password", tc.pw, err)
		}
		if err == nil && !passwordMatches(h, tc.pw) {
			t.Errorf("%q: hash does not check out", tc.pw)
		}
	}
}

// Issue 13 (found by the red team): behind a load balancer every login
// came from the balancer's address, so five wrong guesses locked the owner
// out wherever they were. With TRUSTED_PROXIES the login form counts
// against the client the balancer names.
func TestLoginFormCountsTheClientBehindATrustedProxy(t *testing.T) {
	f := newFixture(t)
	trusted, err := clientip.Parse("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	site := LoginSite{Home: "/console/", Login: LoginPath, Trusted: trusted, Log: "console: login"}
	post := func(client, password string) int {
		form := url.Values{"email": {"anna@incasso.example"}, "password": {password}}
		r := httptest.NewRequest("POST", LoginPath, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "10.0.0.2:40000" // the balancer
		r.Header.Set("X-Forwarded-For", client)
		w := httptest.NewRecorder()
		status := 0
		f.a.LogIn(w, r, site, func(s int, _ LoginPage) { status = s })
		if status == 0 {
			status = w.Code
		}
		return status
	}
	for i := 1; i <= MaxAttemptsPerPair+1; i++ {
		post("203.0.113.66", fmt.Sprintf("raden %d", i))
	}
	if got := post("203.0.113.66", testPassword); got != http.StatusTooManyRequests {
		t.Errorf("the guesser after %d wrong guesses: %d, want 429", MaxAttemptsPerPair+1, got)
	}
	if got := post("192.0.2.10", testPassword); got != http.StatusSeeOther {
		t.Errorf("the owner at another client address behind the same balancer: %d, want 303 (logged in)", got)
	}
}
