package portal_test

import (
	"context"
	"fmt"
	"github.com/incassobot/incassobot/bot/internal/pdftest"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

const scriptEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

// Every page that names a case, for creditor A's case, creditor B's and
// an unknown dossier number.
type casePage struct{ name, a, b, unknown string }

func casePages(tn *apitest.Tenants) []casePage {
	pages := []casePage{}
	for _, suffix := range []string{"", "?view=dossier", "?view=gesprek&search=geheim", "?view=dossier&before=999999", "/export.html"} {
		pages = append(pages, casePage{"case page " + suffix,
			"/portal/cases/" + apitest.RefHand + suffix, "/portal/cases/" + apitest.RefB + suffix, "/portal/cases/" + apitest.RefUnknown + suffix})
	}
	return append(pages,
		casePage{"case in lower case", "/portal/cases/ib-a-001", "/portal/cases/ib-b-001", "/portal/cases/ib-x-999"},
		casePage{"file",
			fmt.Sprintf("/portal/cases/%s/media/%d", apitest.RefHand, tn.HandMedia.ID),
			fmt.Sprintf("/portal/cases/%s/media/%d", apitest.RefB, tn.BMedia.ID),
			fmt.Sprintf("/portal/cases/%s/media/%d", apitest.RefUnknown, tn.BMedia.ID)},
		casePage{"B's file under A's case",
			fmt.Sprintf("/portal/cases/%s/media/%d", apitest.RefHand, tn.HandMedia.ID),
			fmt.Sprintf("/portal/cases/%s/media/%d", apitest.RefHand, tn.BMedia.ID),
			fmt.Sprintf("/portal/cases/%s/media/%d", apitest.RefHand, tn.BMedia.ID+1000)},
	)
}

func TestScopingOnSQLite(t *testing.T)   { testScoping(t, apitest.SQLite(t)) }
func TestScopingOnPostgres(t *testing.T) { testScoping(t, apitest.Postgres(t)) }

func testScoping(t *testing.T, tn *apitest.Tenants) {
	f := serve(t, tn)
	alice, bert, carla, sam, dirk, nobody := f.as("alice"), f.as("bert"), f.as("carla"), f.as("sam"), f.as("dirk"), f.as("")
	for _, pg := range casePages(tn) {
		// B's file under A's case is nobody's to see.
		bOfNobody := strings.Contains(pg.name, "under A's case")
		for _, tc := range []struct {
			label string
			b     *browser
			path  string
			want  int
		}{
			{"A on A's case", alice, pg.a, 200},
			{"A on B's case", alice, pg.b, 404},
			{"B on A's case", bert, pg.a, 404},
			{"collector on A's case", carla, pg.a, 200},
			{"supervisor on B's case", sam, pg.b, map[bool]int{false: 200, true: 404}[bOfNobody]},
			{"disabled user", dirk, pg.a, 303},
			{"no session", nobody, pg.a, 303},
		} {
			got := tc.b.Get(tc.path)
			if got.Code != tc.want {
				t.Errorf("%s, %s: %d, want %d", pg.name, tc.label, got.Code, tc.want)
				continue
			}
			switch tc.want {
			case 404:
				// Word for word what the same reader gets for a dossier
				// number that does not exist.
				if unknown := tc.b.Get(pg.unknown); got.Body != unknown.Body {
					t.Errorf("%s, %s: the page differs from an unknown case's:\n%s\nvs\n%s", pg.name, tc.label, got.Body, unknown.Body)
				}
			case 303:
				want := "/portal/login?next=" + url.QueryEscape(tc.path)
				if got.Header.Get("Location") != want {
					t.Errorf("%s, %s: sent to %q, want %q", pg.name, tc.label, got.Header.Get("Location"), want)
				}
			}
			if tc.want == 404 && (strings.Contains(got.Body, "geheim") || strings.Contains(got.Body, "Korenaar")) {
				t.Errorf("%s, %s: a refusal carries case data", pg.name, tc.label)
			}
		}
		// A script asking for JSON gets the API's 401, not a redirect.
		if got := dirk.Get(pg.a, "Accept", "application/json"); got.Code != http.StatusUnauthorized {
			t.Errorf("%s, disabled user asking for JSON: %d, want 401", pg.name, got.Code)
		}
	}

	// The lists: each creditor sees its own cases only, whatever it searches.
	for _, tc := range []struct {
		b      *browser
		query  string
		want   []string
		absent []string
	}{
		{alice, "", []string{"IB-A-001", "IB-A-006", "Bakkerij De Korenaar B.V."}, []string{"IB-B-001", "Bram Geheim", "Opdrachtgever"}},
		{alice, "?search=Geheim", []string{"Geen dossiers gevonden"}, []string{"IB-B-001", "Bram Geheim"}},
		{alice, "?search=IB-B-001", []string{"Geen dossiers gevonden"}, []string{"Bram Geheim"}},
		{bert, "", []string{"IB-B-001", "IB-B-002"}, []string{"IB-A-001", "Korenaar"}},
		{carla, "?search=Geheim", []string{"IB-B-001", "Bram Geheim", "Opdrachtgever"}, []string{"IB-A-001"}},
	} {
		got := tc.b.Get("/portal/" + tc.query)
		if got.Code != 200 {
			t.Errorf("list %s: %d", tc.query, got.Code)
			continue
		}
		for _, s := range tc.want {
			if !strings.Contains(got.Body, s) {
				t.Errorf("list %q: %q is missing", tc.query, s)
			}
		}
		for _, s := range tc.absent {
			if strings.Contains(got.Body, s) {
				t.Errorf("list %q: %q is shown", tc.query, s)
			}
		}
	}
	for _, b := range []*browser{dirk, nobody} {
		if got := b.Get("/portal/"); got.Code != http.StatusSeeOther {
			t.Errorf("the list without a live session: %d, want 303 to the login page", got.Code)
		}
	}
	// And the JSON export the case page links to, with the page's cookie.
	if got := alice.Get("/api/v1/cases/" + apitest.RefB + "/export"); got.Code != http.StatusNotFound {
		t.Errorf("A's session on B's JSON export: %d, want 404", got.Code)
	}
	if got := alice.Get("/api/v1/cases/" + apitest.RefHand + "/export"); got.Code != http.StatusOK {
		t.Errorf("A's session on A's JSON export: %d, want 200", got.Code)
	}
}

func TestLoginAndLogout(t *testing.T) {
	f := serve(t, apitest.SQLite(t))
	b := f.browser()
	got := b.Get("/portal/cases/IB-A-001?view=dossier")
	if got.Code != http.StatusSeeOther || got.Header.Get("Location") != "/portal/login?next=%2Fportal%2Fcases%2FIB-A-001%3Fview%3Ddossier" {
		t.Fatalf("a case without a session: %d to %q", got.Code, got.Header.Get("Location"))
	}
	if got := b.Get("/portal/login?next=%2Fportal%2Fcases%2FIB-A-001"); got.Code != 200 || !strings.Contains(got.Body, `id="login"`) ||
		!strings.Contains(got.Body, `name="next" value="/portal/cases/IB-A-001"`) {
		t.Fatalf("login page: %d\n%s", got.Code, got.Body)
	}
	for _, tc := range []struct {
		email, password string
		want            int
		says            string
	}{
		{"alice@alpha.example", "verkeerd", 401, "E-mailadres of wachtwoord klopt niet."},
		{"niemand@alpha.example", apitest.Password, 401, "E-mailadres of wachtwoord klopt niet."},
		{"dirk@alpha.example", apitest.Password, 403, "uitgeschakeld"},
	} {
		got := b.PostForm("/portal/login", url.Values{"email": {tc.email}, "password": {tc.password}})
		if got.Code != tc.want || !strings.Contains(got.Body, tc.says) {
			t.Errorf("login %s: %d, want %d saying %q", tc.email, got.Code, tc.want, tc.says)
		}
	}
	got = b.PostForm("/portal/login", url.Values{"email": {"Alice@Alpha.Example"}, "password": {apitest.Password}, "next": {"/portal/cases/IB-A-001"}})
	if got.Code != http.StatusSeeOther || got.Header.Get("Location") != "/portal/cases/IB-A-001" {
		t.Fatalf("login: %d to %q", got.Code, got.Header.Get("Location"))
	}
	got = b.Get("/portal/cases/IB-A-001")
	if got.Code != 200 || !strings.Contains(got.Body, "Alice Alpha") {
		t.Fatalf("after the login the case page: %d", got.Code)
	}
	// Logging out needs the page's CSRF token.
	if got := b.PostForm("/portal/logout", url.Values{}); got.Code != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: %d, want 403", got.Code)
	}
	got = b.PostForm("/portal/logout", url.Values{"csrf": {b.CSRF}})
	if got.Code != http.StatusSeeOther || got.Header.Get("Location") != "/portal/login" {
		t.Errorf("logout: %d to %q", got.Code, got.Header.Get("Location"))
	}
	if got := b.Get("/portal/"); got.Code != http.StatusSeeOther {
		t.Errorf("after the logout the list: %d, want 303 to the login page", got.Code)
	}
	for _, next := range []string{"https://evil.example/", "//evil.example/portal/", "/console/", "/portal/login"} {
		got := f.browser().PostForm("/portal/login", url.Values{"email": {"bert@bravo.example"}, "password": {apitest.Password}, "next": {next}})
		if got.Header.Get("Location") != "/portal/" {
			t.Errorf("login with next=%q goes to %q, want /portal/", next, got.Header.Get("Location"))
		}
	}
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/portal/login", strings.NewReader(url.Values{"email": {"alice@alpha.example"}, "password": {apitest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if got := f.browser().Do(req); got.Code != http.StatusForbidden {
		t.Errorf("a login posted from another site: %d, want 403", got.Code)
	}
}

func TestCaseListPagesAndFilters(t *testing.T) {
	tn := apitest.SQLite(t)
	ctx := context.Background()
	// 24 cases more for creditor A: 30 in all, two pages of 25.
	err := tn.Store.InTx(ctx, func(tx casestore.Tx) error {
		for i := 100; i < 124; i++ {
			d := storetest.NewDebtor(t, tx, tn.A.ID, fmt.Sprintf("DB-X-%d", i), "+31612345678")
			storetest.NewCaseOf(t, tx, fmt.Sprintf("IB-A-%d", i), tn.A.ID, d.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := tn.Store.CaseByRef(ctx, "IB-A-004")
	if err != nil {
		t.Fatal(err)
	}
	if err := tn.Store.SetCaseStatus(ctx, c.ID, casestore.StatusOnHold); err != nil {
		t.Fatal(err)
	}
	f := serve(t, tn)
	alice := f.as("alice")
	rows := regexp.MustCompile(`<tr id="case-([^"]+)">`)
	refs := func(body string) []string {
		var out []string
		for _, m := range rows.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	got := alice.Get("/portal/")
	first := refs(got.Body)
	if len(first) != 25 || first[0] != "IB-A-001" || !strings.Contains(got.Body, "30 dossiers · pagina 1 van 2") {
		t.Fatalf("first page: %d rows from %v", len(first), first)
	}
	next := regexp.MustCompile(`href="([^"]+)" id="next"`).FindStringSubmatch(got.Body)
	if next == nil || strings.Contains(got.Body, `id="prev"`) {
		t.Fatal("the first page has no link to the next one, or one to a previous")
	}
	got = alice.Get(strings.ReplaceAll(next[1], "&amp;", "&"))
	second := refs(got.Body)
	if len(second) != 5 || !strings.Contains(got.Body, "pagina 2 van 2") || strings.Contains(got.Body, `id="next"`) {
		t.Errorf("second page: %v", second)
	}
	seen := map[string]bool{}
	for _, r := range append(first, second...) {
		if seen[r] {
			t.Errorf("%s on both pages", r)
		}
		seen[r] = true
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?status=on-hold", []string{"IB-A-004"}},
		{"?disputed=1", []string{"IB-A-001"}},
		{"?search=%C3%A9lise", []string{"IB-A-003"}},
		{"?search=korenaar&status=open", []string{"IB-A-001"}},
		{"?status=paid", nil},
	} {
		got := alice.Get("/portal/" + tc.query)
		if r := refs(got.Body); strings.Join(r, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: %v, want %v", tc.query, r, tc.want)
		}
	}
	// The hand case's line: balance, open dispute, pending plan.
	got = alice.Get("/portal/?disputed=1")
	line := regexp.MustCompile(`(?s)<tr id="case-IB-A-001">.*?</tr>`).FindString(got.Body)
	for _, s := range []string{"€ 960,07", "1 open", "Wacht op akkoord", "Bakkerij De Korenaar B.V.", "Minnelijk"} {
		if !strings.Contains(line, s) {
			t.Errorf("the hand case's line lacks %q: %s", s, line)
		}
	}
	if got := alice.Get("/portal/?status=bogus"); got.Code != http.StatusBadRequest {
		t.Errorf("an unknown status: %d, want 400", got.Code)
	}
}

func TestCasePageConversationAndDossier(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	alice := f.as("alice")
	got := alice.Get("/portal/cases/" + apitest.RefHand)
	if got.Code != 200 {
		t.Fatalf("case page: %d", got.Code)
	}
	for _, s := range []string{"Bakkerij De Korenaar B.V.", "Energie ALPHA B.V.", "NL zakelijk", "€ 1.000,00", "€ 10,07", "€ 150,00",
		"€ 200,00", `id="open">€ 960,07`, scriptEscaped + " het bedrag klopt niet", "Bedrag klopt niet", "F-2024-0630",
		"€ 320,03", "Wacht op akkoord", "€ 100,00 op 02-08-2024",
		fmt.Sprintf(`href="/portal/cases/IB-A-001/media/%d"`, tn.HandMedia.ID),
		`href="/portal/cases/IB-A-001/export.html"`, `href="/api/v1/cases/IB-A-001/export"`} {
		if !strings.Contains(got.Body, s) {
			t.Errorf("the case page lacks %q", s)
		}
	}
	if strings.Contains(got.Body, apitest.Script) {
		t.Error("the debtor's script tag is in the page unescaped")
	}
	entries := regexp.MustCompile(`<li id="entry-(\d+)"`)
	ids := func(body string) []int64 {
		var out []int64
		for _, m := range entries.FindAllStringSubmatch(body, -1) {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			out = append(out, n)
		}
		return out
	}
	// The conversation: 33 messages, 25 on the first page, newest first;
	// the note and the balance entry are not part of it.
	first := ids(got.Body)
	if len(first) != 25 || !strings.Contains(got.Body, "Bericht nummer 30") || strings.Contains(got.Body, "Bakker belt morgen") {
		t.Fatalf("conversation first page: %d entries", len(first))
	}
	older := regexp.MustCompile(`href="([^"]+)" id="older"`).FindStringSubmatch(got.Body)
	if older == nil {
		t.Fatal("no link to older messages")
	}
	got = alice.Get(strings.ReplaceAll(older[1], "&amp;", "&"))
	second := ids(got.Body)
	if len(second) != 8 || second[0] >= first[24] || strings.Contains(got.Body, `id="older"`) || !strings.Contains(got.Body, `id="newest"`) ||
		!strings.Contains(got.Body, scriptEscaped) || !strings.Contains(got.Body, "Goedemorgen, ik heb een vraag") {
		t.Errorf("conversation second page: %v", second)
	}
	// The whole dossier as the creditor sees it: 35 entries, the
	// collector's private note not among them.
	got = alice.Get("/portal/cases/IB-A-001?view=dossier")
	if n := len(ids(got.Body)); n != 25 || !strings.Contains(got.Body, `aria-current="page">Volledig dossier`) {
		t.Errorf("dossier first page: %d entries", n)
	}
	older = regexp.MustCompile(`href="([^"]+)" id="older"`).FindStringSubmatch(got.Body)
	got = alice.Get(strings.ReplaceAll(older[1], "&amp;", "&"))
	if n := len(ids(got.Body)); n != apitest.CreditorEntries-25 || strings.Contains(got.Body, apitest.Note) || !strings.Contains(got.Body, "Saldo aan de debiteur getoond: € 960,07 open") ||
		strings.Contains(got.Body, "{&#34;") || strings.Contains(got.Body, "balance.shown") {
		t.Errorf("dossier second page: %d entries\n", n)
	}
	for _, tc := range []struct {
		query string
		want  int
		has   string
	}{
		{"?search=%3Cscript%3E", 1, scriptEscaped},
		{"?search=nummer+3", 2, "Bericht nummer 30"},
		{"?view=dossier&search=korting", 0, "Niets gevonden."}, // the note is the agency's own
		{"?search=korting", 0, "Niets gevonden."},
	} {
		got := alice.Get("/portal/cases/IB-A-001" + tc.query)
		if n := len(ids(got.Body)); n != tc.want || !strings.Contains(got.Body, tc.has) {
			t.Errorf("%s: %d entries, want %d with %q", tc.query, n, tc.want, tc.has)
		}
	}
	// The agency's own people read the note where creditors cannot.
	if got := f.as("carla").Get("/portal/cases/IB-A-001?view=dossier&search=korting"); len(ids(got.Body)) != 1 || !strings.Contains(got.Body, apitest.Note) {
		t.Errorf("a collector searching the dossier for the note: %d entries", len(ids(got.Body)))
	}
	if got := alice.Get("/portal/cases/IB-A-001?search=" + strings.Repeat("x", 201)); got.Code != http.StatusBadRequest {
		t.Errorf("an oversize search: %d, want 400", got.Code)
	}
	// No script may run on these pages, whatever is in them.
	if csp := got.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	file := alice.Get(fmt.Sprintf("/portal/cases/IB-A-001/media/%d", tn.HandMedia.ID))
	if file.Code != 200 || file.Body != string(storetest.StatementPDF()) || file.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("file: %d %q", file.Code, file.Header.Get("Content-Type"))
	}
}

func TestPrintableExport(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	got := f.as("alice").Get("/portal/cases/ib-a-001/export.html")
	if got.Code != 200 {
		t.Fatalf("export: %d", got.Code)
	}
	for _, s := range []string{
		`id="agency">Incassobureau Noord &amp; Zuid`, `id="agency-address">` + agencyAddress, "KvK " + agencyKvK, "Wki-registratie " + agencyWKI,
		"Dossieroverzicht IB-A-001", `id="doc-ref">IB-A-001`,
		`id="doc-date">30-07-2024 12:00`, `id="doc-creditor">Energie ALPHA B.V. (ALPHA)`, `id="doc-debtor">Bakkerij De Korenaar B.V. (bedrijf)`,
		`id="total-principal">€ 1.000,00`, `id="total-interest">€ 10,07`, `id="total-costs">€ 150,00`, `id="total-vat">€ 0,00`,
		`id="total-paid">€ 200,00`, `id="total-open">€ 960,07`, "Saldo op 30 juli 2024", "Meel en gist, juni", "iDEAL 0042",
		"wettelijke handelsrente", "art. 6:119a BW", "art. 6:44 BW", // the legal basis of an NL B2B balance
		"€ 320,03", "€ 320,02", "15-10-2024", scriptEscaped + " het bedrag klopt niet", tn.HandMedia.SHA256,
		fmt.Sprintf(`7. Dossier, in volgorde van tijd (<span id="entry-count">%d</span> regels)`, apitest.CreditorEntries),
		"Dossier aangemaakt uit bestand alpha-juli.csv", "Saldo aan de debiteur getoond: € 960,07 open", "Bericht van de debiteur",
		`<link rel="stylesheet" href="/portal/static/export.css">`, `href="/portal/cases/IB-A-001/export.pdf"`,
	} {
		if !strings.Contains(got.Body, s) {
			t.Errorf("the export lacks %q", s)
		}
	}
	if strings.Contains(got.Body, apitest.Script) {
		t.Error("the debtor's script tag is in the export unescaped")
	}
	head, err := tn.Store.DossierHead(context.Background(), tn.Hand.ID)
	if err != nil || head.Seq == 0 {
		t.Fatalf("head of the hand case: %+v %v", head, err)
	}
	if want := fmt.Sprintf("%d regels, laatste SHA-256 <span class=\"hash\">%s</span>", head.Seq, head.Hash); !strings.Contains(got.Body, want) {
		t.Errorf("the export lacks the chain head %q", want)
	}
	// Every entry in words: no JSON, no stored code.
	for _, raw := range []string{`{&#34;`, `{"`, "&#34;:", "case.imported", "message.in", "wrong-amount", "nl-b2b", "collector:7"} {
		if strings.Contains(got.Body, raw) {
			t.Errorf("the export shows %q", raw)
		}
	}
	// The dossier numbered 1…N in order of time, as many as the heading says.
	rows := regexp.MustCompile(`<tr id="entry-(\d+)"><td class="seq">(\d+)</td><td>([0-9-]+ [0-9:]+)</td>`).FindAllStringSubmatch(got.Body, -1)
	if len(rows) != apitest.CreditorEntries {
		t.Fatalf("the export's dossier has %d entries, want %d", len(rows), apitest.CreditorEntries)
	}
	last := time.Time{}
	for i, m := range rows {
		if m[1] != strconv.Itoa(i+1) || m[2] != strconv.Itoa(i+1) {
			t.Fatalf("entry %d of the export is numbered %s", i+1, m[2])
		}
		at, err := time.Parse("02-01-2006 15:04", m[3])
		if err != nil || at.Before(last) {
			t.Fatalf("entry %d at %q is out of order", i+1, m[3])
		}
		last = at
	}
	css := f.as("").Get("/portal/static/export.css")
	if css.Code != 200 || !strings.Contains(css.Body, "@media print") || !strings.Contains(css.Body, "counter(page)") {
		t.Errorf("print style sheet (page numbers): %d", css.Code)
	}
	if n := count(got.Body, `<section id="doc-`); n != 7 {
		t.Errorf("the export has %d sections, want 7", n)
	}
}

// The PDF export says what the HTML one says: its text, as pdftotext
// reads it, carries the agency, the balance to the cent, every entry
// numbered, and page numbers; another creditor's case is not found.
func TestPDFExport(t *testing.T) {
	tn := apitest.SQLite(t)
	f := serve(t, tn)
	alice := f.as("alice")
	got := alice.Get("/portal/cases/ib-a-001/export.pdf")
	if got.Code != 200 || got.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(got.Body, "%PDF-") {
		t.Fatalf("PDF export: %d %q %.8q", got.Code, got.Header.Get("Content-Type"), got.Body)
	}
	if dir := os.Getenv("PDF_DUMP"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "export.pdf"), []byte(got.Body), 0o644)
	}
	text := pdftest.Folded(t, []byte(got.Body))
	b, err := casestore.Balance(tn.Hand, tn.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		agency, agencyAddress, "KvK " + agencyKvK, "Wki-registratie " + agencyWKI, "Dossieroverzicht IB-A-001",
		"Openstaand: " + dossierview.Money(b.Total.Open), dossierview.Money(b.Total.Principal), dossierview.Money(b.Total.Interest),
		dossierview.Money(b.Total.Costs), dossierview.Money(b.Total.Paid), "art. 6:119a BW",
		fmt.Sprintf("7. Dossier, in volgorde van tijd (%d regels)", apitest.CreditorEntries),
		fmt.Sprintf("%d. ", apitest.CreditorEntries), "Dossier aangemaakt uit bestand alpha-juli.csv",
		apitest.Script + " het bedrag klopt niet", "Pagina 1 van ",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF's text lacks %q", s)
		}
	}
	if b.Total.Open.StringFixed(2) != "960.07" || !strings.Contains(text, "Openstaand: € 960,07") {
		t.Errorf("the PDF's open balance is not the case's €960.07: %v", b.Total.Open)
	}
	for _, raw := range []string{`{"`, "case.imported", "wrong-amount", "nl-b2b"} {
		if strings.Contains(text, raw) {
			t.Errorf("the PDF shows %q", raw)
		}
	}
	if got := alice.Get("/portal/cases/" + apitest.RefB + "/export.pdf"); got.Code != http.StatusNotFound {
		t.Errorf("A's session on B's PDF: %d, want 404", got.Code)
	}
}
