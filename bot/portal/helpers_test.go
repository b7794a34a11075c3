package portal_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/portal"
	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) {
	// Production hashes at cost 12; the fixture hashes once per test.
	auth.Cost = bcrypt.MinCost
	os.Exit(m.Run())
}

// agency is the fixture's agency name, at the head of every export.
const agency = "Incassobureau Noord & Zuid"

// fixture is the pages (and the API they link to) on a real store with
// the two tenants of apitest.
type fixture struct {
	t   *testing.T
	tn  *apitest.Tenants
	srv *httptest.Server
}

func serve(t *testing.T, tn *apitest.Tenants) *fixture {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := portal.New(portal.Deps{Store: tn.Store, Auth: tn.Auth, Now: tn.Clock.Now, Log: log, Agency: agency})
	a := api.New(api.Deps{Store: tn.Store, Auth: tn.Auth, Now: tn.Clock.Now, Log: log})
	mux := http.NewServeMux()
	mux.Handle("/portal", p.Handler())
	mux.Handle("/portal/", p.Handler())
	mux.Handle("/api/", a.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, tn: tn, srv: srv}
}

// page is one answer.
type page struct {
	code   int
	header http.Header
	body   string
}

// browser is one person's browser: a cookie jar and the CSRF token of the
// last page read. It does not follow redirects, so tests see each answer.
type browser struct {
	f    *fixture
	c    *http.Client
	csrf string
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as is a browser holding the fixture session of user (its cookie).
func (f *fixture) as(user string) *browser {
	b := f.browser()
	if user != "" {
		u, _ := url.Parse(f.srv.URL)
		b.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: f.tn.Sessions[user].ID, Path: "/"}})
	}
	return b
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) get(path string, headers ...string) page {
	b.f.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	if err != nil {
		b.f.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	b.f.t.Helper()
	resp, err := b.c.PostForm(b.f.srv.URL+path, form)
	if err != nil {
		b.f.t.Fatalf("POST %s: %v", path, err)
	}
	return b.read(resp)
}

func (b *browser) do(req *http.Request) page {
	b.f.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.f.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	return b.read(resp)
}

func (b *browser) read(resp *http.Response) page {
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return page{code: resp.StatusCode, header: resp.Header, body: string(body)}
}

// count is how many times expr matches s.
func count(s, expr string) int { return len(regexp.MustCompile(expr).FindAllStringIndex(s, -1)) }
