// Package webtest is what the tests of the console, the creditor pages
// and the API share: a browser without JavaScript that keeps its cookies
// and the CSRF token of the last page, and fast password hashing. It
// exists so those packages' tests read pages the same way.
package webtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/console/auth"
	"golang.org/x/crypto/bcrypt"
)

// Main runs a package's tests with passwords hashed at bcrypt's lowest
// cost: production hashes at cost 12, and the tests log in dozens of
// times. Call it from TestMain.
func Main(m *testing.M) {
	auth.Cost = bcrypt.MinCost
	os.Exit(m.Run())
}

// NoRedirects is a client that does not follow redirects, so a test sees
// each answer; jar may be nil.
func NoRedirects(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Page is one answer, read whole.
type Page struct {
	Code   int
	Header http.Header
	Body   string
}

// Browser is one person's browser on the server at Base: a cookie jar,
// and the CSRF token of the last page it read. It does not follow
// redirects.
type Browser struct {
	T      testing.TB
	Base   string
	Client *http.Client
	CSRF   string
}

// NewBrowser is a browser with an empty cookie jar.
func NewBrowser(t testing.TB, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: t, Base: base, Client: NoRedirects(jar)}
}

// csrfField is the hidden CSRF field of a page's forms.
var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// Get reads path, with headers as name, value pairs.
func (b *Browser) Get(path string, headers ...string) Page {
	b.T.Helper()
	req, err := http.NewRequest(http.MethodGet, b.Base+path, nil)
	if err != nil {
		b.T.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.Do(req)
}

// PostForm posts form to path as it is (add the CSRF token yourself).
func (b *Browser) PostForm(path string, form url.Values) Page {
	b.T.Helper()
	resp, err := b.Client.PostForm(b.Base+path, form)
	if err != nil {
		b.T.Fatalf("POST %s: %v", path, err)
	}
	return b.read(resp)
}

// Do sends req and reads the answer.
func (b *Browser) Do(req *http.Request) Page {
	b.T.Helper()
	resp, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	return b.read(resp)
}

// read reads the answer whole and keeps its CSRF token, if it has one.
func (b *Browser) read(resp *http.Response) Page {
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(body); m != nil {
		b.CSRF = string(m[1])
	}
	return Page{Code: resp.StatusCode, Header: resp.Header, Body: string(body)}
}
