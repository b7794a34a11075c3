package portal_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/webtest"
	"github.com/incassobot/incassobot/bot/portal"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// agency is the fixture's agency name, at the head of every export.
const (
	agency        = "Incassobureau Noord & Zuid"
	agencyAddress = "Postbus 1234, 3500 AA Utrecht"
	agencyKvK     = "87654321"
	agencyWKI     = "WKI-000123"
)

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
	p := portal.New(portal.Deps{Store: tn.Store, Auth: tn.Auth, Now: tn.Clock.Now, Log: log,
		Agency: portal.Agency{Name: agency, Address: agencyAddress, KvK: agencyKvK, WKI: agencyWKI}})
	a := api.New(api.Deps{Store: tn.Store, Auth: tn.Auth, Now: tn.Clock.Now, Log: log})
	mux := http.NewServeMux()
	mux.Handle("/portal", p.Handler())
	mux.Handle("/portal/", p.Handler())
	mux.Handle("/api/", a.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &fixture{t: t, tn: tn, srv: srv}
}

// browser is one person's browser on the fixture's server.
type browser = webtest.Browser

func (f *fixture) browser() *browser { return webtest.NewBrowser(f.t, f.srv.URL) }

// as is a browser holding the fixture session of user (its cookie).
func (f *fixture) as(user string) *browser {
	b := f.browser()
	if user != "" {
		u, _ := url.Parse(f.srv.URL)
		b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: f.tn.Sessions[user].ID, Path: "/"}})
	}
	return b
}

// count is how many times expr matches s.
func count(s, expr string) int { return len(regexp.MustCompile(expr).FindAllStringIndex(s, -1)) }
