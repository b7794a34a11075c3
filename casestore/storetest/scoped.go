package storetest

// The creditors' reads (casestore.Scoped). Decisions the interface leaves
// open, fixed here:
//
//   - A case outside the scope and an unknown dossier number are the same
//     ErrNotFound, for the case, its dossier and its files alike, whatever
//     search or paging parameters come with the request.
//   - The zero Scope and OnlyCreditor(0) see nothing: an empty list, and
//     ErrNotFound for any case.
//   - Search in a case list matches part of the dossier number or of the
//     debtor's name, ignoring letter case (also beyond ASCII: "élise"
//     finds "Élise"); '%' and '_' are plain characters.
//   - Search in a dossier matches the string values of an entry's body at
//     any depth, not its keys, as the debtor wrote them: "<script>" finds
//     the text even when the stored JSON escapes '<'.
//   - CaseSummary.Plan is the status of the newest plan (highest ID).

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

var scopedTests = []test{
	{"Scoped/CaseListSeesOnlyItsCreditor", testScopedList},
	{"Scoped/CaseListFiltersAndPages", testScopedListFilters},
	{"Scoped/CaseListSummary", testScopedSummary},
	{"Scoped/CaseListRefusesBadQueries", testScopedListInvalid},
	{"Scoped/CaseFileOfAnotherCreditorIsNotFound", testScopedCaseFile},
	{"Scoped/DossierOfAnotherCreditorIsNotFound", testScopedDossierTenancy},
	{"Scoped/DossierSearchAndPaging", testScopedDossierSearch},
	{"Scoped/CreditorsDoNotSeeNotes", testScopedNotes},
	{"Scoped/MediaOfAnotherCreditorIsNotFound", testScopedMedia},
}

// tenants is two creditors' cases: A has three (one with an open dispute
// and a pending plan), B has two; every case has a dossier entry.
type tenants struct {
	a, b         *casestore.Creditor
	aCases       []*casestore.Case // IB-A-001 … IB-A-003
	bCases       []*casestore.Case // IB-B-001, IB-B-002
	bEntry       casestore.DossierEntry
	aMedia, bMed *casestore.Media
}

func newTenants(t *testing.T, s casestore.Store) *tenants {
	t.Helper()
	ctx := context.Background()
	tn := &tenants{}
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		tn.a = NewCreditor(t, tx, "ALPHA")
		tn.b = NewCreditor(t, tx, "BRAVO")
		names := map[string]string{
			"IB-A-001": "Élise Janssens", "IB-A-002": "Piet Bakker", "IB-A-003": "100% Fiets B.V.",
			"IB-B-001": "Élise Dubois", "IB-B-002": "Kees Smit",
		}
		for _, ref := range []string{"IB-A-001", "IB-A-002", "IB-A-003", "IB-B-001", "IB-B-002"} {
			cr := tn.a
			if ref[3] == 'B' {
				cr = tn.b
			}
			d := NewDebtor(t, tx, cr.ID, "DB-"+ref, "+31612345678")
			d.Name = names[ref]
			must(t, tx.PutDebtor(ctx, d), "rename debtor")
			c := NewCaseOf(t, tx, ref, cr.ID, d.ID)
			e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
				Channel: "whatsapp", Body: mustJSON(t, map[string]any{"text": "geheim van " + ref})}
			must(t, tx.AppendDossier(ctx, &e), "AppendDossier")
			if cr == tn.a {
				tn.aCases = append(tn.aCases, c)
			} else {
				tn.bCases = append(tn.bCases, c)
				tn.bEntry = e
			}
		}
		c := tn.aCases[1]
		must(t, tx.AddDispute(ctx, &casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonWrongAmount, Text: "klopt niet"}), "AddDispute")
		must(t, tx.SetCaseStatus(ctx, c.ID, casestore.StatusOnHold), "SetCaseStatus")
		p := threeTerms(c.ID)
		p.Status = casestore.PlanPending
		must(t, tx.AddPlan(ctx, p), "AddPlan")
		tn.aMedia = &casestore.Media{CaseID: tn.aCases[0].ID, Channel: "whatsapp", ContentType: "application/pdf", Data: StatementPDF()}
		must(t, tx.AddMedia(ctx, tn.aMedia), "AddMedia A")
		tn.bMed = &casestore.Media{CaseID: tn.bCases[0].ID, Channel: "whatsapp", ContentType: "application/pdf", Data: StatementPDF()}
		must(t, tx.AddMedia(ctx, tn.bMed), "AddMedia B")
		return nil
	})
	must(t, err, "tenants")
	return tn
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err, "marshal body")
	return b
}

func pageRefs(p casestore.CasePage) []string {
	out := []string{}
	for _, c := range p.Cases {
		out = append(out, c.Case.Ref)
	}
	return out
}

func testScopedList(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	for _, tc := range []struct {
		name  string
		scope casestore.Scope
		want  []string
	}{
		{"creditor A", casestore.OnlyCreditor(tn.a.ID), []string{"IB-A-001", "IB-A-002", "IB-A-003"}},
		{"creditor B", casestore.OnlyCreditor(tn.b.ID), []string{"IB-B-001", "IB-B-002"}},
		{"every creditor", casestore.EveryCreditor(), []string{"IB-A-001", "IB-A-002", "IB-A-003", "IB-B-001", "IB-B-002"}},
		{"zero scope", casestore.Scope{}, nil},
		{"creditor 0", casestore.OnlyCreditor(0), nil},
		{"disabled creditor user", casestore.ScopeOf(&casestore.User{Role: casestore.RoleCreditor, CreditorID: tn.a.ID, Disabled: true}), nil},
		{"creditor user", casestore.ScopeOf(&casestore.User{Role: casestore.RoleCreditor, CreditorID: tn.b.ID}), []string{"IB-B-001", "IB-B-002"}},
		{"collector", casestore.ScopeOf(&casestore.User{Role: casestore.RoleCollector}), []string{"IB-A-001", "IB-A-002", "IB-A-003", "IB-B-001", "IB-B-002"}},
	} {
		p, err := s.CasesIn(ctx, tc.scope, casestore.CaseQuery{})
		must(t, err, "CasesIn "+tc.name)
		wantStrings(t, "CasesIn "+tc.name, pageRefs(p), tc.want)
		wantEq(t, "CasesIn total "+tc.name, p.Total, len(tc.want))
		for _, c := range p.Cases {
			if len(c.Case.Invoices) != 2 || c.Case.Creditor.ID != c.Case.CreditorID || c.Case.Debtor.Name == "" {
				t.Errorf("CasesIn %s: case %s is not filled as Case fills it", tc.name, c.Case.Ref)
			}
		}
	}
	// Searching for another creditor's dossier number or debtor finds nothing.
	for _, search := range []string{"IB-B-001", "b-00", "Dubois", "Kees"} {
		p, err := s.CasesIn(ctx, casestore.OnlyCreditor(tn.a.ID), casestore.CaseQuery{Search: search})
		must(t, err, "CasesIn search "+search)
		wantStrings(t, "creditor A searching "+search, pageRefs(p), nil)
		wantEq(t, "total of creditor A searching "+search, p.Total, 0)
	}
}

func testScopedListFilters(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	a := casestore.OnlyCreditor(tn.a.ID)
	for _, tc := range []struct {
		name  string
		q     casestore.CaseQuery
		want  []string
		total int
	}{
		{"first page", casestore.CaseQuery{Limit: 2}, []string{"IB-A-001", "IB-A-002"}, 3},
		{"second page", casestore.CaseQuery{Limit: 2, Offset: 2}, []string{"IB-A-003"}, 3},
		{"past the end", casestore.CaseQuery{Limit: 2, Offset: 10}, nil, 3},
		{"status on-hold", casestore.CaseQuery{Status: casestore.StatusOnHold}, []string{"IB-A-002"}, 1},
		{"status open", casestore.CaseQuery{Status: casestore.StatusOpen}, []string{"IB-A-001", "IB-A-003"}, 2},
		{"stage judicial", casestore.CaseQuery{Stage: casestore.Gerechtelijk}, nil, 0},
		{"stage minnelijk", casestore.CaseQuery{Stage: casestore.Minnelijk, Limit: 1, Offset: 1}, []string{"IB-A-002"}, 3},
		{"dossier number, lower case", casestore.CaseQuery{Search: "ib-a-003"}, []string{"IB-A-003"}, 1},
		{"debtor name part", casestore.CaseQuery{Search: "bakk"}, []string{"IB-A-002"}, 1},
		{"debtor name beyond ASCII", casestore.CaseQuery{Search: "élise"}, []string{"IB-A-001"}, 1},
		{"percent is literal", casestore.CaseQuery{Search: "100%"}, []string{"IB-A-003"}, 1},
		{"underscore is literal", casestore.CaseQuery{Search: "IB_A"}, nil, 0},
		{"open dispute", casestore.CaseQuery{Disputed: true}, []string{"IB-A-002"}, 1},
	} {
		p, err := s.CasesIn(ctx, a, tc.q)
		must(t, err, "CasesIn "+tc.name)
		wantStrings(t, "CasesIn "+tc.name, pageRefs(p), tc.want)
		wantEq(t, "CasesIn total "+tc.name, p.Total, tc.total)
	}
}

func testScopedSummary(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	c := tn.aCases[1]
	// A newer plan counts, and a decided dispute is no longer open.
	p := threeTerms(c.ID)
	p.Status = casestore.PlanActive
	must(t, s.AddPlan(ctx, p), "AddPlan newer")
	d := &casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonNotReceived}
	must(t, s.AddDispute(ctx, d), "AddDispute second")
	must(t, s.AddDispute(ctx, &casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonOther}), "AddDispute third")
	must(t, s.ResolveDispute(ctx, d.ID, casestore.DisputeRejected, at(2026, 3, 1, 10, 0, 0, 0)), "ResolveDispute")
	page, err := s.CasesIn(ctx, casestore.EveryCreditor(), casestore.CaseQuery{})
	must(t, err, "CasesIn")
	got := map[string]casestore.CaseSummary{}
	for _, sum := range page.Cases {
		got[sum.Case.Ref] = sum
	}
	wantEq(t, "open disputes of IB-A-002", got["IB-A-002"].OpenDisputes, 2)
	wantEq(t, "plan of IB-A-002", got["IB-A-002"].Plan, casestore.PlanActive)
	wantEq(t, "open disputes of IB-A-001", got["IB-A-001"].OpenDisputes, 0)
	wantEq(t, "plan of IB-A-001", got["IB-A-001"].Plan, casestore.PlanStatus(""))
}

func testScopedListInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	for _, q := range []casestore.CaseQuery{
		{Status: "pending"}, {Stage: "court"}, {Limit: -1}, {Offset: -1},
		{Limit: casestore.MaxCaseQueryLimit + 1},
	} {
		_, err := s.CasesIn(ctx, casestore.OnlyCreditor(tn.a.ID), q)
		wantErr(t, err, casestore.ErrInvalid, fmt.Sprintf("CasesIn %+v", q))
	}
}

func testScopedCaseFile(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	a, b := casestore.OnlyCreditor(tn.a.ID), casestore.OnlyCreditor(tn.b.ID)
	f, err := s.CaseIn(ctx, a, "ib-a-002")
	must(t, err, "CaseIn own case, other letter case")
	wantEq(t, "case", f.Case.Ref, "IB-A-002")
	wantEq(t, "invoices", len(f.Case.Invoices), 2)
	wantEq(t, "disputes", len(f.Disputes), 1)
	wantEq(t, "dispute text", f.Disputes[0].Text, "klopt niet")
	wantEq(t, "plans", len(f.Plans), 1)
	wantEq(t, "installments", len(f.Plans[0].Installments), 4)
	f, err = s.CaseIn(ctx, a, "IB-A-001")
	must(t, err, "CaseIn own case with a file")
	wantEq(t, "files", len(f.Media), 1)
	if len(f.Media) == 1 && f.Media[0].Data != nil {
		t.Error("CaseIn: the file list carries the bytes")
	}
	f, err = s.CaseIn(ctx, casestore.EveryCreditor(), "IB-B-002")
	must(t, err, "CaseIn for a collector")
	wantEq(t, "case for a collector", f.Case.Ref, "IB-B-002")

	for _, tc := range []struct {
		name  string
		scope casestore.Scope
		ref   string
	}{
		{"A reads B's case", a, "IB-B-001"},
		{"A reads B's case in lower case", a, "ib-b-001"},
		{"B reads A's case", b, "IB-A-001"},
		{"unknown case", a, "IB-X-999"},
		{"zero scope", casestore.Scope{}, "IB-A-001"},
		{"wildcard", a, "IB-%"},
	} {
		_, err := s.CaseIn(ctx, tc.scope, tc.ref)
		wantErr(t, err, casestore.ErrNotFound, "CaseIn "+tc.name)
	}
}

func testScopedDossierTenancy(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	a := casestore.OnlyCreditor(tn.a.ID)
	for _, q := range []casestore.DossierQuery{
		{}, {Search: "geheim"}, {BeforeID: tn.bEntry.ID + 1}, {Limit: 1},
		{Kinds: []casestore.EntryKind{casestore.EntryMessageIn}},
	} {
		es, err := s.DossierIn(ctx, a, "IB-B-002", q)
		wantErr(t, err, casestore.ErrNotFound, fmt.Sprintf("A reads B's dossier with %+v", q))
		if len(es) > 0 {
			t.Errorf("A reads B's dossier with %+v: got %d entries", q, len(es))
		}
	}
	_, err := s.DossierIn(ctx, casestore.Scope{}, "IB-A-001", casestore.DossierQuery{})
	wantErr(t, err, casestore.ErrNotFound, "zero scope reads a dossier")
	// Own dossier: only its own case's entries, even when searching for
	// words every case's dossier holds.
	es, err := s.DossierIn(ctx, a, "IB-A-001", casestore.DossierQuery{Search: "geheim"})
	must(t, err, "DossierIn own")
	wantEq(t, "own dossier entries", len(es), 1)
	for _, e := range es {
		if e.CaseID != tn.aCases[0].ID {
			t.Errorf("A's dossier holds an entry of case %d", e.CaseID)
		}
	}
	es, err = s.DossierIn(ctx, casestore.EveryCreditor(), "IB-B-002", casestore.DossierQuery{})
	must(t, err, "DossierIn for a collector")
	wantEq(t, "collector reads B's dossier", len(es), 1)
}

func testScopedDossierSearch(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	a := casestore.OnlyCreditor(tn.a.ID)
	c := tn.aCases[0]
	bodies := []map[string]any{
		{"text": "<script>alert(1)</script>"},
		{"text": "Ik heb al BETAALD op 3 maart"},
		{"reason": "wrong-amount", "detail": map[string]any{"lines": []any{"factuur F-1001 is te hoog", 12}}},
		{"text": "Crème brûlée"},
		{"text": "100% zeker"},
	}
	var ids []int64
	for _, b := range bodies {
		e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
			Channel: "sms", Body: mustJSON(t, b)}
		must(t, s.AppendDossier(ctx, &e), "AppendDossier")
		ids = append(ids, e.ID)
	}
	// (A note would be hidden from a creditor: see testScopedNotes.)
	note := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageOut, Actor: casestore.ActorBot,
		Channel: "sms", Body: json.RawMessage(`{"text":"uw betaalregeling notitie"}`)}
	must(t, s.AppendDossier(ctx, &note), "AppendDossier reply")
	for _, tc := range []struct {
		name string
		q    casestore.DossierQuery
		want []int64
	}{
		{"script as typed", casestore.DossierQuery{Search: "<script>"}, []int64{ids[0]}},
		{"other letter case", casestore.DossierQuery{Search: "betaald"}, []int64{ids[1]}},
		{"nested value", casestore.DossierQuery{Search: "te hoog"}, []int64{ids[2]}},
		{"beyond ASCII", casestore.DossierQuery{Search: "CRÈME"}, []int64{ids[3]}},
		{"percent is literal", casestore.DossierQuery{Search: "0% z"}, []int64{ids[4]}},
		{"keys do not match", casestore.DossierQuery{Search: "detail"}, nil},
		{"kinds", casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryMessageOut}}, []int64{note.ID}},
		{"search within kinds", casestore.DossierQuery{Search: "notitie", Kinds: []casestore.EntryKind{casestore.EntryMessageIn}}, nil},
		{"newest page", casestore.DossierQuery{Limit: 2}, []int64{note.ID, ids[4]}},
		{"next page", casestore.DossierQuery{Limit: 2, BeforeID: ids[4]}, []int64{ids[3], ids[2]}},
		{"search pages too", casestore.DossierQuery{Search: "e", Limit: 2, BeforeID: ids[3]}, []int64{ids[2], ids[1]}},
	} {
		es, err := s.DossierIn(ctx, a, c.Ref, tc.q)
		must(t, err, "DossierIn "+tc.name)
		wantIDs(t, "DossierIn "+tc.name, idsOf(es), tc.want...)
	}
	for _, q := range []casestore.DossierQuery{{Limit: -1}, {BeforeID: -1}, {Limit: casestore.MaxDossierLimit + 1}} {
		_, err := s.DossierIn(ctx, a, c.Ref, q)
		wantErr(t, err, casestore.ErrInvalid, fmt.Sprintf("DossierIn %+v", q))
	}
}

func testScopedMedia(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	a, b := casestore.OnlyCreditor(tn.a.ID), casestore.OnlyCreditor(tn.b.ID)
	m, err := s.MediaIn(ctx, a, "ib-a-001", tn.aMedia.ID)
	must(t, err, "MediaIn own file")
	if !sameBytes(m.Data, StatementPDF()) || m.SHA256 != tn.aMedia.SHA256 {
		t.Error("MediaIn: the file's bytes or digest differ from what was stored")
	}
	for _, tc := range []struct {
		name  string
		scope casestore.Scope
		ref   string
		id    int64
	}{
		{"A's scope, B's case, B's file", a, "IB-B-001", tn.bMed.ID},
		{"A's scope, A's case, B's file", a, "IB-A-001", tn.bMed.ID},
		{"B's scope, A's case, A's file", b, "IB-A-001", tn.aMedia.ID},
		{"B's scope, B's case, A's file", b, "IB-B-001", tn.aMedia.ID},
		{"own file under another own case", a, "IB-A-002", tn.aMedia.ID},
		{"zero scope", casestore.Scope{}, "IB-A-001", tn.aMedia.ID},
		{"unknown file", a, "IB-A-001", tn.bMed.ID + 100},
	} {
		m, err := s.MediaIn(ctx, tc.scope, tc.ref, tc.id)
		wantErr(t, err, casestore.ErrNotFound, "MediaIn "+tc.name)
		if m != nil {
			t.Errorf("MediaIn %s: returned a file", tc.name)
		}
	}
	m, err = s.MediaIn(ctx, casestore.EveryCreditor(), "IB-B-001", tn.bMed.ID)
	must(t, err, "MediaIn for a collector")
	wantEq(t, "collector's file", m.ID, tn.bMed.ID)
}

// A collector's private note stays inside the agency: the creditor's
// reads of the dossier (page, API, export) never include it, whatever
// they ask for; the agency's own people see it.
func testScopedNotes(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	tn := newTenants(t, s)
	note := casestore.DossierEntry{CaseID: tn.aCases[0].ID, Kind: casestore.EntryNote, Actor: "collector:7",
		Channel: "console", Body: mustJSON(t, map[string]any{"text": "geheim: schuldenaar belt morgen"})}
	must(t, s.AppendDossier(ctx, &note), "AppendDossier note")
	for _, q := range []casestore.DossierQuery{
		{}, {Search: "geheim"}, {Kinds: []casestore.EntryKind{casestore.EntryNote}}, {BeforeID: note.ID + 1, Limit: 1},
	} {
		es, err := s.DossierIn(ctx, casestore.OnlyCreditor(tn.a.ID), "IB-A-001", q)
		must(t, err, "creditor reads its dossier")
		for _, e := range es {
			if e.Kind == casestore.EntryNote {
				t.Errorf("creditor reading with %+v sees the private note %d", q, e.ID)
			}
		}
		es, err = s.DossierIn(ctx, casestore.EveryCreditor(), "IB-A-001", q)
		must(t, err, "collector reads the dossier")
		if !slices.ContainsFunc(es, func(e casestore.DossierEntry) bool { return e.ID == note.ID }) {
			t.Errorf("collector reading with %+v does not see the note", q)
		}
	}
}
