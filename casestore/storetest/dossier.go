package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var dossierTests = []test{
	{"Dossier/Append", testDossierAppend},
	{"Dossier/Invalid", testDossierInvalid},
	{"Dossier/NewestFirstAndPaging", testDossierPaging},
	{"Dossier/KindsAndSearch", testDossierFilter},
	{"Dossier/AppendOnly", testDossierAppendOnly},
}

func testDossierAppend(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-DOS")
	when := at(2026, time.March, 3, 14, 5, 9, 250001)
	in := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
		Channel: "whatsapp", Body: json.RawMessage(`{"text":"Ik kan pas volgende maand betalen","sid":"SM123"}`), At: when}
	before := time.Now()
	must(t, s.AppendDossier(ctx, &in), "AppendDossier with At")
	empty := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryStatusChanged, Actor: casestore.ActorSystem}
	must(t, s.AppendDossier(ctx, &empty), "AppendDossier without At or Body")
	after := time.Now()

	if in.ID == 0 || empty.ID <= in.ID {
		t.Errorf("IDs %d then %d: want set and increasing", in.ID, empty.ID)
	}
	wantInstant(t, "At given by the caller is kept", in.At, when)
	// The suite sets no clock, so the store's own clock is only checked loosely.
	if empty.At.IsZero() || empty.At.Before(before.Add(-time.Minute)) || empty.At.After(after.Add(time.Minute)) {
		t.Errorf("At from the store's clock: got %v, want about now (%v)", empty.At, before)
	}
	wantJSON(t, "empty Body becomes {}", empty.Body, []byte(`{}`))

	got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	must(t, err, "Dossier")
	if len(got) != 2 {
		t.Fatalf("Dossier: got %d entries, want 2", len(got))
	}
	g := got[1]
	wantEq(t, "ID", g.ID, in.ID)
	wantEq(t, "CaseID", g.CaseID, c.ID)
	wantEq(t, "Kind", g.Kind, casestore.EntryMessageIn)
	wantEq(t, "Actor", g.Actor, casestore.ActorDebtor)
	wantEq(t, "Channel", g.Channel, "whatsapp")
	wantJSON(t, "Body", g.Body, in.Body)
	wantInstant(t, "At", g.At, when)
	wantJSON(t, "stored empty Body", got[0].Body, []byte(`{}`))
	wantInstant(t, "stored store-clock At", got[0].At, empty.At)

	other := NewCaseOf(t, s, "IB-DOS-2", c.CreditorID, c.DebtorID)
	none, err := s.Dossier(ctx, other.ID, casestore.DossierQuery{})
	must(t, err, "Dossier of a case without entries")
	wantEq(t, "entries of another case", len(none), 0)
}

func testDossierInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-DOSX")
	cases := []struct {
		name string
		e    casestore.DossierEntry
		want error
	}{
		{"empty kind", casestore.DossierEntry{CaseID: c.ID, Body: json.RawMessage(`{}`)}, casestore.ErrInvalid},
		{"array body", casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryNote, Body: json.RawMessage(`["a"]`)}, casestore.ErrInvalid},
		{"string body", casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryNote, Body: json.RawMessage(`"hallo"`)}, casestore.ErrInvalid},
		{"null body", casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryNote, Body: json.RawMessage(`null`)}, casestore.ErrInvalid},
		{"broken JSON", casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryNote, Body: json.RawMessage(`{"text":`)}, casestore.ErrInvalid},
		{"unknown case", casestore.DossierEntry{CaseID: 987654, Kind: casestore.EntryNote}, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		e := tc.e
		wantErr(t, s.AppendDossier(ctx, &e), tc.want, "AppendDossier "+tc.name)
	}
	got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	must(t, err, "Dossier")
	wantEq(t, "entries stored after refusals", len(got), 0)
	_, err = s.Dossier(ctx, 987654, casestore.DossierQuery{})
	wantErr(t, err, casestore.ErrNotFound, "Dossier(unknown case)")
}

func idsOf(es []casestore.DossierEntry) []int64 {
	ids := []int64{}
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	return ids
}

func testDossierPaging(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PAGE")
	other := NewCaseOf(t, s, "IB-PAGE-2", c.CreditorID, c.DebtorID)
	var ids []int64 // in append order
	for i := range 60 {
		e := Note(t, s, c.ID, fmt.Sprintf(`{"n":%d}`, i))
		ids = append(ids, e.ID)
		if i%10 == 0 { // interleave another case's entries: they must not show
			Note(t, s, other.ID, `{"other":true}`)
		}
	}
	newest := func(from, n int) []int64 { // n IDs newest first, starting below ids[from]
		out := []int64{}
		for i := from - 1; i >= 0 && len(out) < n; i-- {
			out = append(out, ids[i])
		}
		return out
	}
	cases := []struct {
		name string
		q    casestore.DossierQuery
		want []int64
	}{
		{"default limit is 50", casestore.DossierQuery{}, newest(60, 50)},
		{"limit 5", casestore.DossierQuery{Limit: 5}, newest(60, 5)},
		{"page after the 5 newest", casestore.DossierQuery{Limit: 5, BeforeID: ids[55]}, newest(55, 5)},
		{"last page is short", casestore.DossierQuery{Limit: 5, BeforeID: ids[3]}, newest(3, 5)},
		{"before the first", casestore.DossierQuery{BeforeID: ids[0]}, nil},
		{"limit above the total", casestore.DossierQuery{Limit: 1000}, newest(60, 60)},
	}
	for _, tc := range cases {
		got, err := s.Dossier(ctx, c.ID, tc.q)
		must(t, err, "Dossier "+tc.name)
		if fmt.Sprint(idsOf(got)) != fmt.Sprint(nilToEmpty(tc.want)) {
			t.Errorf("Dossier(%s): got IDs %v, want %v", tc.name, idsOf(got), tc.want)
		}
	}
	// Walking all pages sees every entry once.
	seen, before := 0, int64(0)
	for page := 0; page < 20; page++ {
		got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{Limit: 7, BeforeID: before})
		must(t, err, "Dossier page")
		if len(got) == 0 {
			break
		}
		seen += len(got)
		before = got[len(got)-1].ID
	}
	wantEq(t, "entries seen walking pages of 7", seen, 60)
}

func nilToEmpty(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func testDossierFilter(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-FILT")
	add := func(kind casestore.EntryKind, body string) int64 {
		e := casestore.DossierEntry{CaseID: c.ID, Kind: kind, Actor: casestore.ActorBot, Channel: "sms", Body: json.RawMessage(body)}
		must(t, s.AppendDossier(ctx, &e), "AppendDossier")
		return e.ID
	}
	in1 := add(casestore.EntryMessageIn, `{"text":"Ik BETWIST deze factuur"}`)
	out1 := add(casestore.EntryMessageOut, `{"text":"Waarom betwist u de factuur?"}`)
	note := add(casestore.EntryNote, `{"text":"korting 50% afgesproken"}`)
	in2 := add(casestore.EntryMessageIn, `{"text":"korting 50 procent, klopt dat?"}`)
	bal := add(casestore.EntryBalanceShown, `{"open":"1234.57","regime":"nl_b2c"}`)

	cases := []struct {
		name string
		q    casestore.DossierQuery
		want []int64
	}{
		{"one kind", casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryMessageIn}}, []int64{in2, in1}},
		{"two kinds", casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryMessageOut, casestore.EntryNote}}, []int64{note, out1}},
		{"unknown kind", casestore.DossierQuery{Kinds: []casestore.EntryKind{"plan.proposed"}}, nil},
		{"search ignores letter case", casestore.DossierQuery{Search: "betwist"}, []int64{out1, in1}},
		{"search upper case", casestore.DossierQuery{Search: "FACTUUR"}, []int64{out1, in1}},
		{"search a amount", casestore.DossierQuery{Search: "1234.57"}, []int64{bal}},
		{"percent sign is literal", casestore.DossierQuery{Search: "50%"}, []int64{note}},
		{"underscore is literal", casestore.DossierQuery{Search: "nl_b2c"}, []int64{bal}},
		{"underscore does not match any letter", casestore.DossierQuery{Search: "f_ctuur"}, nil},
		{"search and kind", casestore.DossierQuery{Search: "korting", Kinds: []casestore.EntryKind{casestore.EntryMessageIn}}, []int64{in2}},
		{"search with paging", casestore.DossierQuery{Search: "korting", BeforeID: in2}, []int64{note}},
		{"no match", casestore.DossierQuery{Search: "deurwaarder"}, nil},
	}
	for _, tc := range cases {
		got, err := s.Dossier(ctx, c.ID, tc.q)
		must(t, err, "Dossier "+tc.name)
		if fmt.Sprint(idsOf(got)) != fmt.Sprint(nilToEmpty(tc.want)) {
			t.Errorf("Dossier(%s): got IDs %v, want %v", tc.name, idsOf(got), tc.want)
		}
	}
}

// testDossierAppendOnly: what a debtor was told stays as it was, whatever is
// written later (the Store has no method to change or delete an entry).
func testDossierAppendOnly(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-AO")
	Note(t, s, c.ID, `{"text":"eerste"}`)
	Note(t, s, c.ID, `{"text":"tweede","amount":"1234.56"}`)
	before, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	must(t, err, "Dossier")

	// Later work on the case: more entries, a status change, a re-import.
	for i := range 10 {
		Note(t, s, c.ID, fmt.Sprintf(`{"text":"later %d"}`, i))
	}
	must(t, s.SetCaseStatus(ctx, c.ID, casestore.StatusOnHold), "SetCaseStatus")
	_, err = s.PutCase(ctx, CaseFor(c.Ref, c.CreditorID, c.DebtorID))
	must(t, err, "PutCase again")

	after, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{BeforeID: before[0].ID + 1})
	must(t, err, "Dossier after")
	if len(after) != len(before) {
		t.Fatalf("old entries: got %d, want %d", len(after), len(before))
	}
	for i := range before {
		b, a := before[i], after[i]
		if a.ID != b.ID || a.Kind != b.Kind || a.Actor != b.Actor || a.Channel != b.Channel ||
			!a.At.Equal(b.At) || !sameBytes(a.Body, b.Body) {
			t.Errorf("entry %d changed:\n before %+v %s\n after  %+v %s", b.ID, b, b.Body, a, a.Body)
		}
	}
}
