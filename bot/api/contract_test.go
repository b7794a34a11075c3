package api_test

// docs/openapi.yaml is kept true here: it must be a valid OpenAPI
// document, describe exactly the routes the API mounts, and every answer
// the running API gives to a corpus of real requests — successes and
// refusals — must match its schemas, where additionalProperties: false
// makes an undocumented field a failure. Every status code the document
// promises for an operation must also be produced by some request, so it
// cannot list answers that never happen.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/docs"
)

func init() {
	// The files and the contract itself are checked as opaque bytes.
	for _, ct := range []string{"application/pdf", "image/jpeg", "image/png", "application/yaml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// contract loads and validates docs/openapi.yaml, with a router that finds
// an operation by path alone.
func contract(t *testing.T) (*openapi3.T, routers.Router) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
	if err != nil {
		t.Fatalf("docs/openapi.yaml does not load: %v", err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableSchemaFormatValidation(), openapi3.EnableSchemaPatternValidation()); err != nil {
		t.Fatalf("docs/openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Fatalf("servers %v: the paths are absolute, so the one server is /", doc.Servers)
	}
	doc.Servers = nil // route by path only
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, r
}

func TestContractIsTheFileAndIsServed(t *testing.T) {
	file, err := os.ReadFile("../../docs/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(file, docs.OpenAPI) {
		t.Fatal("the embedded contract differs from docs/openapi.yaml")
	}
	f := serve(t, apitest.SQLite(t))
	got := f.get("/api/openapi.yaml", "")
	if got.code != 200 || !bytes.Equal(got.body, file) || !strings.HasPrefix(got.header.Get("Content-Type"), "application/yaml") {
		t.Errorf("GET /api/openapi.yaml without credentials: %d %q, %d bytes; want 200, the file", got.code, got.header.Get("Content-Type"), len(got.body))
	}
	contract(t)
}

// Every route the API mounts is documented, and every documented
// operation is mounted, with the same need for credentials.
func TestContractListsExactlyTheRoutes(t *testing.T) {
	doc, _ := contract(t)
	a := api.New(api.Deps{})
	var mounted, documented []string
	public := map[string]bool{}
	for _, rt := range a.Routes() {
		key := rt.Method + " " + rt.Path
		mounted = append(mounted, key)
		public[key] = rt.Public
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			documented = append(documented, key)
			open := op.Security != nil && len(*op.Security) == 0
			if p, ok := public[key]; ok && p != open {
				t.Errorf("%s: mounted public=%v, documented without security=%v", key, p, open)
			}
		}
	}
	sort.Strings(mounted)
	sort.Strings(documented)
	if !slices.Equal(mounted, documented) {
		t.Errorf("routes and contract differ:\nmounted    %q\ndocumented %q", mounted, documented)
	}
}

// probe is one real request of the corpus.
type probe struct {
	path string
	as   who
	want int
	// invalid: the request itself breaks the contract on purpose (a bad
	// parameter), so only the answer is checked against it.
	invalid bool
}

func TestContractMatchesEveryAnswer(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	doc, router := contract(t)
	hand, b := "/api/v1/cases/"+apitest.RefHand, "/api/v1/cases/"+apitest.RefB
	corpus := []probe{
		{"/api/openapi.yaml", "", 200, false},
		{"/api/v1/me", "token:alice", 200, false},
		{"/api/v1/me", "cookie:carla", 200, false},
		{"/api/v1/me", "token:dirk", 401, false},
		{"/api/v1/cases", "token:alice", 200, false},
		{"/api/v1/cases", "cookie:sam", 200, false},
		{"/api/v1/cases?status=open&stage=minnelijk&search=a&disputed=false&limit=2&offset=1", "token:alice", 200, false},
		{"/api/v1/cases?disputed=true", "token:bert", 200, false},
		{"/api/v1/cases?limit=abc", "token:alice", 400, true},
		{"/api/v1/cases?status=bogus", "token:alice", 400, true},
		{"/api/v1/cases", "", 401, false},
		{hand, "token:alice", 200, false},
		{b, "token:carla", 200, false},
		{b, "token:alice", 404, false},
		{hand, "token:dirk", 401, false},
		{hand + "/dossier", "token:alice", 200, false},
		{hand + "/dossier?search=bericht&limit=5&kind=message.in&kind=note", "token:alice", 200, false},
		{fmt.Sprintf("%s/dossier?before=%d&limit=3", hand, tn.ScriptEntry+1), "cookie:alice", 200, false},
		{hand + "/dossier?limit=0", "token:alice", 400, true},
		{b + "/dossier", "token:alice", 404, false},
		{hand + "/dossier", "", 401, false},
		{hand + "/export", "token:alice", 200, false},
		{b + "/export", "token:sam", 200, false},
		{hand + "/export", "token:bert", 404, false},
		{hand + "/export", "cookie:dirk", 401, false},
		{fmt.Sprintf("%s/media/%d", hand, tn.HandMedia.ID), "token:alice", 200, false},
		{fmt.Sprintf("%s/media/%d", b, tn.BMedia.ID), "token:alice", 404, false},
		{fmt.Sprintf("%s/media/%d", hand, tn.BMedia.ID), "token:alice", 404, false},
		{fmt.Sprintf("%s/media/%d", hand, tn.HandMedia.ID), "", 401, false},
	}
	seen := map[string]bool{} // "GET /path status"
	ctx := context.Background()
	for _, p := range corpus {
		req := f.request(http.MethodGet, p.path, p.as)
		got := f.do(req)
		if got.code != p.want {
			t.Errorf("GET %s as %q: %d %.200s, want %d", p.path, p.as, got.code, got.body, p.want)
			continue
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("GET %s: not in the contract: %v", p.path, err)
			continue
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
		if err := openapi3filter.ValidateRequest(ctx, in); (err != nil) != p.invalid {
			t.Errorf("GET %s: the request is valid by the contract: %v; the corpus says invalid=%v", p.path, err, p.invalid)
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: got.code, Header: got.header,
			Body: io.NopCloser(bytes.NewReader(got.body)), Options: in.Options}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("GET %s as %q: the %d answer breaks the contract: %v\n%.400s", p.path, p.as, got.code, err, got.body)
		}
		seen[fmt.Sprintf("%s %s %d", route.Method, route.Path, got.code)] = true
	}
	// Every promised status is produced by the corpus: none is fiction.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code := range op.Responses.Map() {
				if code == "default" {
					continue
				}
				if key := fmt.Sprintf("%s %s %s", method, path, code); !seen[key] {
					t.Errorf("the contract promises %s, but no request of the corpus got it", key)
				}
			}
		}
	}
}
