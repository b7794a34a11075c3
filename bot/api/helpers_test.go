package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// fixture is the API on a real store with the two tenants.
type fixture struct {
	t   *testing.T
	tn  *apitest.Tenants
	srv *httptest.Server
}

func serve(t *testing.T, tn *apitest.Tenants) *fixture {
	t.Helper()
	a := api.New(api.Deps{Store: tn.Store, Auth: tn.Auth, Now: tn.Clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &fixture{t: t, tn: tn, srv: srv}
}

// who is the credentials a request carries: a user's bearer token
// ("token:alice"), session cookie ("cookie:alice"), a raw Authorization
// header ("header:…") or nothing ("").
type who string

// answer is what came back.
type answer struct {
	code   int
	header http.Header
	body   []byte
}

func (f *fixture) request(method, path string, as who) *http.Request {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	switch kind, name, _ := strings.Cut(string(as), ":"); kind {
	case "token":
		req.Header.Set("Authorization", "Bearer "+f.tn.Tokens[name])
	case "cookie":
		req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: f.tn.Sessions[name].ID})
	case "header":
		req.Header.Set("Authorization", name)
	}
	return req
}

func (f *fixture) do(req *http.Request) answer {
	f.t.Helper()
	resp, err := webtest.NoRedirects(nil).Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{code: resp.StatusCode, header: resp.Header, body: body}
}

func (f *fixture) get(path string, as who) answer {
	f.t.Helper()
	return f.do(f.request(http.MethodGet, path, as))
}

// getJSON GETs path, wants status 200 and decodes the body into v.
func (f *fixture) getJSON(path string, as who, v any) {
	f.t.Helper()
	a := f.get(path, as)
	if a.code != http.StatusOK {
		f.t.Fatalf("GET %s as %s: %d %s", path, as, a.code, a.body)
	}
	if err := json.Unmarshal(a.body, v); err != nil {
		f.t.Fatalf("GET %s: %v in %s", path, err, a.body)
	}
}

// errorOf is the message of a JSON error body, "" when it is none.
func errorOf(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error
}
