package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// Every endpoint that names a case, with creditor A's case, creditor B's
// case and an unknown dossier number. A creditor reading another
// creditor's case must get exactly what an unknown dossier number gets.
func caseEndpoints(tn *apitest.Tenants) []struct{ name, a, b, unknown string } {
	return []struct{ name, a, b, unknown string }{
		{"case", "/api/v1/cases/" + apitest.RefHand, "/api/v1/cases/" + apitest.RefB, "/api/v1/cases/" + apitest.RefUnknown},
		{"case in lower case", "/api/v1/cases/ib-a-001", "/api/v1/cases/ib-b-001", "/api/v1/cases/ib-x-999"},
		{"dossier", "/api/v1/cases/" + apitest.RefHand + "/dossier", "/api/v1/cases/" + apitest.RefB + "/dossier", "/api/v1/cases/" + apitest.RefUnknown + "/dossier"},
		{"dossier search", "/api/v1/cases/" + apitest.RefHand + "/dossier?search=e&limit=1", "/api/v1/cases/" + apitest.RefB + "/dossier?search=geheim&limit=1", "/api/v1/cases/" + apitest.RefUnknown + "/dossier?search=geheim&limit=1"},
		{"export", "/api/v1/cases/" + apitest.RefHand + "/export", "/api/v1/cases/" + apitest.RefB + "/export", "/api/v1/cases/" + apitest.RefUnknown + "/export"},
		{"media", fmt.Sprintf("/api/v1/cases/%s/media/%d", apitest.RefHand, tn.HandMedia.ID),
			fmt.Sprintf("/api/v1/cases/%s/media/%d", apitest.RefB, tn.BMedia.ID),
			fmt.Sprintf("/api/v1/cases/%s/media/%d", apitest.RefUnknown, tn.BMedia.ID)},
		// B's file asked under A's own case: the file is B's, so not found.
		{"media of B under A's case", fmt.Sprintf("/api/v1/cases/%s/media/%d", apitest.RefHand, tn.HandMedia.ID),
			fmt.Sprintf("/api/v1/cases/%s/media/%d", apitest.RefHand, tn.BMedia.ID),
			fmt.Sprintf("/api/v1/cases/%s/media/%d", apitest.RefHand, tn.BMedia.ID+1000)},
	}
}

func TestScopingOnSQLite(t *testing.T)   { testScoping(t, apitest.SQLite(t)) }
func TestScopingOnPostgres(t *testing.T) { testScoping(t, apitest.Postgres(t)) }

func testScoping(t *testing.T, tn *apitest.Tenants) {
	f := serve(t, tn)
	for _, ep := range caseEndpoints(tn) {
		unknown := f.get(ep.unknown, "token:alice")
		if unknown.code != http.StatusNotFound || errorOf(unknown.body) == "" {
			t.Fatalf("%s: an unknown case answers %d %s, want 404 with a JSON error", ep.name, unknown.code, unknown.body)
		}
		for _, tc := range []struct {
			label string
			path  string
			as    who
			want  int
		}{
			{"A's token on A's case", ep.a, "token:alice", 200},
			{"A's session on A's case", ep.a, "cookie:alice", 200},
			{"A's token on B's case", ep.b, "token:alice", 404},
			{"A's session on B's case", ep.b, "cookie:alice", 404},
			{"B's token on A's case", ep.a, "token:bert", 404},
			{"collector on A's case", ep.a, "token:carla", 200},
			{"supervisor's session on A's case", ep.a, "cookie:sam", 200},
			{"disabled user's token", ep.a, "token:dirk", 401},
			{"disabled user's session", ep.a, "cookie:dirk", 401},
			{"no credentials", ep.a, "", 401},
			{"malformed token", ep.a, "header:Bearer ib_nope", 401},
			{"session id as a token", ep.a, who("header:Bearer " + tn.Sessions["alice"].ID), 401},
			{"basic auth", ep.a, "header:Basic YWxpY2U6eA==", 401},
		} {
			got := f.get(tc.path, tc.as)
			if got.code != tc.want {
				t.Errorf("%s, %s: %d %.200s, want %d", ep.name, tc.label, got.code, got.body, tc.want)
				continue
			}
			if tc.want == 404 && !bytes.Equal(got.body, unknown.body) {
				t.Errorf("%s, %s: the answer %s differs from an unknown case's %s", ep.name, tc.label, got.body, unknown.body)
			}
			if tc.want == 401 {
				if errorOf(got.body) == "" || !strings.HasPrefix(got.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("%s, %s: 401 without a JSON error or WWW-Authenticate: %s", ep.name, tc.label, got.body)
				}
			}
			if tc.want != 200 && (bytes.Contains(got.body, []byte("geheim")) || bytes.Contains(got.body, []byte("Korenaar"))) {
				t.Errorf("%s, %s: a refusal carries case data: %s", ep.name, tc.label, got.body)
			}
		}
	}

	// The list: each creditor its own cases, a collector all; searching
	// for the other creditor's debtor or dossier number finds nothing.
	for _, tc := range []struct {
		as     who
		search string
		want   []string
	}{
		{"token:alice", "", []string{"IB-A-001", "IB-A-002", "IB-A-003", "IB-A-004", "IB-A-005", "IB-A-006"}},
		{"token:bert", "", []string{"IB-B-001", "IB-B-002"}},
		{"token:alice", "Geheim", nil},
		{"token:alice", "IB-B", nil},
		{"cookie:alice", "ib-b-001", nil},
		{"token:bert", "Korenaar", nil},
		{"token:carla", "Geheim", []string{"IB-B-001"}},
		{"cookie:sam", "IB-", []string{"IB-A-001", "IB-A-002", "IB-A-003", "IB-A-004", "IB-A-005", "IB-A-006", "IB-B-001", "IB-B-002"}},
	} {
		var list struct {
			Cases []struct {
				Ref string `json:"ref"`
			} `json:"cases"`
			Total int `json:"total"`
		}
		f.getJSON("/api/v1/cases?search="+tc.search, tc.as, &list)
		var refs []string
		for _, c := range list.Cases {
			refs = append(refs, c.Ref)
		}
		if !slices.Equal(refs, tc.want) || list.Total != len(tc.want) {
			t.Errorf("cases of %s searching %q: %v (total %d), want %v", tc.as, tc.search, refs, list.Total, tc.want)
		}
	}
	for _, as := range []who{"token:dirk", "cookie:dirk", ""} {
		if got := f.get("/api/v1/cases", as); got.code != 401 {
			t.Errorf("case list as %q: %d, want 401", as, got.code)
		}
	}
}

func TestCaseListPagesAndFilters(t *testing.T) {
	f := serve(t, apitest.SQLite(t))
	type page struct {
		Cases []struct {
			Ref          string  `json:"ref"`
			Open         *string `json:"open"`
			OpenDisputes int     `json:"open_disputes"`
			PlanStatus   *string `json:"plan_status"`
			URL          string  `json:"url"`
		} `json:"cases"`
		Total  int `json:"total"`
		Limit  int `json:"limit"`
		Offset int `json:"offset"`
	}
	refs := func(p page) []string {
		var out []string
		for _, c := range p.Cases {
			out = append(out, c.Ref)
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
		total int
	}{
		{"limit=2", []string{"IB-A-001", "IB-A-002"}, 6},
		{"limit=2&offset=2", []string{"IB-A-003", "IB-A-004"}, 6},
		{"limit=4&offset=4", []string{"IB-A-005", "IB-A-006"}, 6},
		{"offset=10", nil, 6},
		{"search=%C3%A9lise", []string{"IB-A-003"}, 1},
		{"search=bakkerij", []string{"IB-A-001"}, 1},
		{"disputed=true", []string{"IB-A-001"}, 1},
		{"status=open&stage=minnelijk&limit=1&offset=5", []string{"IB-A-006"}, 6},
		{"status=paid", nil, 0},
	} {
		var p page
		f.getJSON("/api/v1/cases?"+tc.query, "token:alice", &p)
		if !slices.Equal(refs(p), tc.want) || p.Total != tc.total {
			t.Errorf("?%s: %v of %d, want %v of %d", tc.query, refs(p), p.Total, tc.want, tc.total)
		}
	}
	var p page
	f.getJSON("/api/v1/cases?limit=1", "token:alice", &p)
	c := p.Cases[0]
	if c.Open == nil || *c.Open != "960.07" || c.OpenDisputes != 1 || c.PlanStatus == nil || *c.PlanStatus != "pending" ||
		c.URL != "/api/v1/cases/IB-A-001" || p.Limit != 1 || p.Offset != 0 {
		t.Errorf("the hand case's line: %+v (limit %d offset %d); want open 960.07, 1 open dispute, plan pending", c, p.Limit, p.Offset)
	}
	for _, q := range []string{"limit=abc", "limit=0", "limit=201", "offset=-1", "status=bogus", "stage=court", "disputed=maybe",
		"search=" + strings.Repeat("x", 201)} {
		got := f.get("/api/v1/cases?"+q, "token:alice")
		if got.code != 400 || errorOf(got.body) == "" {
			t.Errorf("?%.40s: %d %s, want 400 with a JSON error", q, got.code, got.body)
		}
	}
}

type dossierPage struct {
	Entries []struct {
		ID      int64   `json:"id"`
		Kind    string  `json:"kind"`
		Actor   string  `json:"actor"`
		Channel string  `json:"channel"`
		Text    *string `json:"text"`
		Body    map[string]any
	} `json:"entries"`
	NextBefore *int64 `json:"next_before"`
}

func TestDossierPagesAndSearch(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	base := "/api/v1/cases/" + apitest.RefHand + "/dossier"
	var all dossierPage
	f.getJSON(base, "token:alice", &all)
	if len(all.Entries) != apitest.CreditorEntries || all.NextBefore != nil {
		t.Fatalf("the whole dossier in one default page: %d entries, next %v; want %d and null", len(all.Entries), all.NextBefore, apitest.CreditorEntries)
	}
	// Page through 10 at a time: every entry once, newest first.
	var ids []int64
	path, pages := base+"?limit=10", 0
	for {
		var p dossierPage
		f.getJSON(path, "token:alice", &p)
		pages++
		for _, e := range p.Entries {
			ids = append(ids, e.ID)
		}
		if p.NextBefore == nil {
			break
		}
		path = fmt.Sprintf("%s?limit=10&before=%d", base, *p.NextBefore)
	}
	if pages != 4 || len(ids) != apitest.CreditorEntries {
		t.Errorf("paging by 10: %d pages, %d entries; want 4 pages, %d", pages, len(ids), apitest.CreditorEntries)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] >= ids[i-1] {
			t.Fatalf("paging: entry %d after %d is not older", ids[i], ids[i-1])
		}
	}
	texts := func(p dossierPage) []string {
		var out []string
		for _, e := range p.Entries {
			if e.Text != nil {
				out = append(out, *e.Text)
			} else {
				out = append(out, "("+e.Kind+")")
			}
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"search=%3Cscript%3E", []string{apitest.Script}},
		{"search=BERICHT+NUMMER+3", []string{"Bericht nummer 30", "Bericht nummer 3"}},
		{"search=960.07", []string{"(balance.shown)"}},
		{"search=text", nil}, // keys are not searched
		{"kind=note", nil},   // a collector's private note is the agency's own
		{"kind=message.out&kind=note", []string{"Dank u. Een medewerker kijkt naar uw vraag."}},
		{"search=bericht+nummer+2&limit=3", []string{"Bericht nummer 29", "Bericht nummer 28", "Bericht nummer 27"}},
	} {
		var p dossierPage
		f.getJSON(base+"?"+tc.query, "token:alice", &p)
		if !slices.Equal(texts(p), tc.want) {
			t.Errorf("?%s: %q, want %q", tc.query, texts(p), tc.want)
		}
	}
	var notes dossierPage
	f.getJSON(base+"?kind=note", "token:carla", &notes)
	if !slices.Equal(texts(notes), []string{apitest.Note}) {
		t.Errorf("a collector asking for the notes: %q, want the note", texts(notes))
	}
	var p dossierPage
	f.getJSON(base+"?search=bericht+nummer+2&limit=3", "token:alice", &p)
	if p.NextBefore == nil {
		t.Fatal("a search with more hits than the page has no next page")
	}
	f.getJSON(fmt.Sprintf("%s?search=bericht+nummer+2&limit=10&before=%d", base, *p.NextBefore), "token:alice", &p)
	if got := texts(p); len(got) != 8 || got[0] != "Bericht nummer 26" || got[7] != "Bericht nummer 2" || p.NextBefore != nil {
		t.Errorf("the search's second page: %q next %v; want Bericht nummer 26 … 20, 2 and no next page", got, p.NextBefore)
	}
	for _, q := range []string{"before=0", "before=x", "before=-3", "limit=0", "limit=201", "limit=ten", "kind=Message+In",
		"search=" + strings.Repeat("x", 201)} {
		got := f.get(base+"?"+q, "token:alice")
		if got.code != 400 || errorOf(got.body) == "" {
			t.Errorf("dossier ?%.40s: %d %s, want 400 with a JSON error", q, got.code, got.body)
		}
	}
}

// The export is exact to the cent: every amount is the string the hand
// computation in apitest gives, never a JSON number.
func TestExportIsExactToTheCent(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	got := f.get("/api/v1/cases/ib-a-001/export", "token:alice")
	if got.code != 200 {
		t.Fatalf("export: %d %s", got.code, got.body)
	}
	if cd := got.header.Get("Content-Disposition"); cd != `attachment; filename="dossier-IB-A-001.json"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ct := got.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var ex struct {
		Format     string `json:"format"`
		ExportedAt string `json:"exported_at"`
		Case       struct {
			Ref      string `json:"ref"`
			Regime   string `json:"regime"`
			Creditor struct{ Code, Name string }
			Debtor   struct {
				Name      string `json:"name"`
				IsCompany bool   `json:"is_company"`
			}
			Invoices []struct {
				Number    string `json:"number"`
				Principal string `json:"principal"`
				DueDate   string `json:"due_date"`
			}
			Payments []struct {
				Amount    string  `json:"amount"`
				ValueDate string  `json:"value_date"`
				Reference string  `json:"reference"`
				Invoice   *string `json:"invoice"`
			}
			Balance struct {
				AsOf     string `json:"as_of"`
				Total    amounts
				Invoices []struct {
					Number string `json:"number"`
					amounts
				}
				CostsFrom *string `json:"costs_from"`
			}
			Disputes []struct {
				Invoice *string `json:"invoice"`
				Reason  string  `json:"reason"`
				Text    string  `json:"text"`
				Status  string  `json:"status"`
			}
			Plans []struct {
				Status       string `json:"status"`
				Total        string `json:"total"`
				DownPayment  string `json:"down_payment"`
				Installments []struct {
					Seq    int    `json:"seq"`
					Due    string `json:"due"`
					Amount string `json:"amount"`
				}
			}
			Promises []struct {
				Amount string `json:"amount"`
				Date   string `json:"date"`
			}
			Files []struct {
				ID     int64  `json:"id"`
				SHA256 string `json:"sha256"`
				URL    string `json:"url"`
			}
		}
		Dossier []struct {
			ID   int64           `json:"id"`
			Kind string          `json:"kind"`
			Text *string         `json:"text"`
			Body json.RawMessage `json:"body"`
		}
	}
	if err := json.Unmarshal(got.body, &ex); err != nil {
		t.Fatal(err)
	}
	c := ex.Case
	want := amounts{"1000.00", "10.07", "150.00", "0.00", "200.00", "960.07"}
	if c.Balance.Total != want {
		t.Errorf("total %+v, want %+v", c.Balance.Total, want)
	}
	if len(c.Balance.Invoices) != 1 || c.Balance.Invoices[0].amounts != want || c.Balance.Invoices[0].Number != "F-2024-0630" {
		t.Errorf("invoice lines %+v, want F-2024-0630 with %+v", c.Balance.Invoices, want)
	}
	if c.Balance.AsOf != "2024-07-30" || c.Balance.CostsFrom != nil {
		t.Errorf("balance as of %s, costs from %v; want 2024-07-30 and null", c.Balance.AsOf, c.Balance.CostsFrom)
	}
	if ex.Format != "incassobot.case-export.v1" || ex.ExportedAt != "2024-07-30T12:00:00+02:00" || c.Ref != "IB-A-001" ||
		c.Regime != "nl-b2b" || c.Creditor.Code != "ALPHA" || c.Debtor.Name != "Bakkerij De Korenaar B.V." || !c.Debtor.IsCompany {
		t.Errorf("export head: format %q at %q, case %s %s, creditor %s, debtor %+v", ex.Format, ex.ExportedAt, c.Ref, c.Regime, c.Creditor.Code, c.Debtor)
	}
	if len(c.Invoices) != 1 || c.Invoices[0].Principal != "1000.00" || c.Invoices[0].DueDate != "2024-06-30" {
		t.Errorf("invoices %+v", c.Invoices)
	}
	if len(c.Payments) != 1 || c.Payments[0].Amount != "200.00" || c.Payments[0].ValueDate != "2024-07-30" ||
		c.Payments[0].Reference != "iDEAL 0042" || c.Payments[0].Invoice != nil {
		t.Errorf("payments %+v", c.Payments)
	}
	if len(c.Disputes) != 1 || c.Disputes[0].Text != apitest.Script+" het bedrag klopt niet" || c.Disputes[0].Invoice == nil ||
		*c.Disputes[0].Invoice != "F-2024-0630" || c.Disputes[0].Reason != "wrong-amount" || c.Disputes[0].Status != "open" {
		t.Errorf("disputes %+v", c.Disputes)
	}
	if len(c.Plans) != 1 || c.Plans[0].Total != "960.07" || c.Plans[0].DownPayment != "0.00" || c.Plans[0].Status != "pending" ||
		len(c.Plans[0].Installments) != 3 || c.Plans[0].Installments[0].Amount != "320.03" || c.Plans[0].Installments[2].Amount != "320.02" ||
		c.Plans[0].Installments[2].Due != "2024-10-15" {
		t.Errorf("plans %+v", c.Plans)
	}
	if len(c.Promises) != 1 || c.Promises[0].Amount != "100.00" || c.Promises[0].Date != "2024-08-02" {
		t.Errorf("promises %+v", c.Promises)
	}
	if len(c.Files) != 1 || c.Files[0].SHA256 != tn.HandMedia.SHA256 || c.Files[0].URL != fmt.Sprintf("/api/v1/cases/IB-A-001/media/%d", tn.HandMedia.ID) {
		t.Errorf("files %+v", c.Files)
	}
	// The whole dossier, oldest first, the debtor's words as written.
	if len(ex.Dossier) != apitest.CreditorEntries || ex.Dossier[0].Kind != "case.imported" {
		t.Fatalf("dossier: %d entries starting with %+v; want %d from case.imported", len(ex.Dossier), ex.Dossier[0], apitest.CreditorEntries)
	}
	for i := 1; i < len(ex.Dossier); i++ {
		if ex.Dossier[i].ID <= ex.Dossier[i-1].ID {
			t.Fatalf("dossier out of order at %d", i)
		}
	}
	if last := ex.Dossier[len(ex.Dossier)-1]; last.Text == nil || *last.Text != fmt.Sprintf("Bericht nummer %d", apitest.Fillers) {
		t.Errorf("last entry %+v", last)
	}
	// A body stored as "1000" with a plan's Go field names reads in the
	// one convention: snake_case keys, two-decimal money.
	for _, e := range ex.Dossier {
		var body bytes.Buffer
		if err := json.Compact(&body, e.Body); err != nil {
			t.Fatal(err)
		}
		if e.Kind == "balance.shown" && body.String() != `{"open":"960.07","plan":{"down_payment":"0.00","total":"960.07"},"principal":"1000.00"}` {
			t.Errorf("balance.shown body %s: want snake_case keys and two-decimal amounts", &body)
		}
	}
	if !bytes.Contains(got.body, []byte(`"open": "960.07"`)) || bytes.Contains(got.body, []byte(`"open": 960`)) {
		t.Error("amounts are not written as strings")
	}
}

type amounts struct {
	Principal string `json:"principal"`
	Interest  string `json:"interest"`
	Costs     string `json:"costs"`
	CostsVAT  string `json:"costs_vat"`
	Paid      string `json:"paid"`
	Open      string `json:"open"`
}

func TestMediaAndMe(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	got := f.get(fmt.Sprintf("/api/v1/cases/IB-A-001/media/%d", tn.HandMedia.ID), "token:alice")
	if got.code != 200 || !bytes.Equal(got.body, storetest.StatementPDF()) {
		t.Fatalf("file: %d, %d bytes; want the stored PDF", got.code, len(got.body))
	}
	for h, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"Content-Disposition":     fmt.Sprintf(`attachment; filename="bewijs-%d.pdf"`, tn.HandMedia.ID),
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
	} {
		if got.header.Get(h) != want {
			t.Errorf("file header %s: %q, want %q", h, got.header.Get(h), want)
		}
	}
	if got := f.get("/api/v1/cases/IB-A-001/media/abc", "token:alice"); got.code != 404 || errorOf(got.body) != "file not found" {
		t.Errorf("file id abc: %d %s", got.code, got.body)
	}

	var me struct {
		Email    string `json:"email"`
		Role     string `json:"role"`
		Creditor *struct {
			Code string `json:"code"`
		} `json:"creditor"`
	}
	f.getJSON("/api/v1/me", "token:alice", &me)
	if me.Email != "alice@alpha.example" || me.Role != "creditor" || me.Creditor == nil || me.Creditor.Code != "ALPHA" {
		t.Errorf("me as alice: %+v", me)
	}
	me.Creditor = nil
	f.getJSON("/api/v1/me", "cookie:carla", &me)
	if me.Role != "collector" || me.Creditor != nil {
		t.Errorf("me as carla: %+v", me)
	}
}

func TestUnknownPathsAndMethodsAnswerJSON(t *testing.T) {
	f := serve(t, apitest.SQLite(t))
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/api/v1/nothing", 404},
		{"GET", "/api/v2/cases", 404},
		{"POST", "/api/v1/cases", 405},
		{"DELETE", "/api/v1/cases/IB-A-001", 405},
		{"PUT", "/api/v1/cases/IB-B-001/export", 405},
	} {
		got := f.do(f.request(tc.method, tc.path, "token:alice"))
		if got.code != tc.want || errorOf(got.body) == "" || !strings.HasPrefix(got.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: %d %q %s, want %d as JSON", tc.method, tc.path, got.code, got.header.Get("Content-Type"), got.body, tc.want)
		}
	}
	got := f.get("/api/v1/cases", "token:alice")
	if got.header.Get("Cache-Control") != "no-store" {
		t.Errorf("a case list may be cached: Cache-Control %q", got.header.Get("Cache-Control"))
	}
}

// What a person reads of an entry without text follows the convention
// too: the plan's Go field names and "1000" from the stored body do not
// show.
func TestEntryFactsReadInTheConvention(t *testing.T) {
	e := casestore.DossierEntry{Kind: casestore.EntryBalanceShown,
		Body: json.RawMessage(`{"principal":"1000","plan":{"DownPayment":"0","Total":"960.07"}}`)}
	got := strings.Join(api.EntryFacts(e), "; ")
	if want := `plan: {"down_payment":"0.00","total":"960.07"}; principal: 1000.00`; got != want {
		t.Errorf("facts %q, want %q", got, want)
	}
}
