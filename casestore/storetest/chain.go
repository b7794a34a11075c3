package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var chainTests = []test{
	{"DossierChain/AppendChainsEntries", testChainAppend},
	{"DossierChain/ConcurrentAppendsFormOneChain", testChainConcurrent},
	{"DossierChain/UnknownCase", testChainUnknownCase},
}

// testChainAppend: every append is the next link of its case's chain, the
// hash is casestore.EntryHash over the entry as it reads back (so the
// PostgreSQL store's SQL and the Go function agree, on awkward text too),
// and cases chain independently.
func testChainAppend(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-CHAIN")
	other := NewCase(t, s, "IB-CHAIN-2")
	head, err := s.DossierHead(ctx, c.ID)
	must(t, err, "DossierHead of an empty dossier")
	wantEq(t, "head of an empty dossier", head, casestore.ChainHead{})

	bodies := []string{
		`{"text":"Ik betaal € 50,- op 1 mei","sid":"SM1"}`,
		`{"b":1,"a":[1.50,"x\ny"],"c":{"é":"ü \"quoted\" \\ back"}}`,
		`{}`,
		`{"text":"日本語 😀 \u0041"}`,
	}
	var entries []casestore.DossierEntry
	for i, b := range bodies {
		e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
			Channel: "whatsapp", Body: json.RawMessage(b), At: at(2026, time.March, 3, 14, 5, i, 250001)}
		if i == 2 {
			e.Kind, e.Actor, e.Channel, e.Body, e.At = casestore.EntryStatusChanged, "collector:7", "", nil, time.Time{}
		}
		must(t, s.AppendDossier(ctx, &e), fmt.Sprintf("AppendDossier %d", i))
		wantEq(t, fmt.Sprintf("Seq of entry %d", i), e.Seq, int64(i+1))
		entries = append(entries, e)
		x := casestore.DossierEntry{CaseID: other.ID, Kind: casestore.EntryNote, Body: json.RawMessage(`{"text":"x"}`)}
		must(t, s.AppendDossier(ctx, &x), "AppendDossier on the other case")
	}
	stored, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	must(t, err, "Dossier")
	prev := ""
	for i := range stored {
		e := stored[len(stored)-1-i] // oldest first
		want := casestore.EntryHash(prev, c.ID, int64(i+1), e.Kind, e.Actor, e.Channel, e.At, e.Body)
		wantEq(t, fmt.Sprintf("hash of entry %d (Go's EntryHash over the stored entry)", i+1), entries[i].Hash, want)
		prev = want
	}
	head, err = s.DossierHead(ctx, c.ID)
	must(t, err, "DossierHead")
	wantEq(t, "head", head, casestore.ChainHead{Seq: 4, Hash: prev})

	r, err := s.VerifyDossier(ctx, c.ID)
	must(t, err, "VerifyDossier")
	if r.Broken != nil || r.Entries != 4 || r.Head != head || r.CaseRef != "IB-CHAIN" {
		t.Errorf("VerifyDossier = %s (%+v), want 4 entries intact with head %s", r, r.Broken, head)
	}
	all, err := s.VerifyDossiers(ctx)
	must(t, err, "VerifyDossiers")
	if len(all) != 2 || all[0].CaseRef != "IB-CHAIN" || all[1].CaseRef != "IB-CHAIN-2" ||
		all[0].Broken != nil || all[1].Broken != nil || all[1].Entries != 4 {
		t.Errorf("VerifyDossiers = %v, want both cases intact", all)
	}
}

// testChainConcurrent: entries of one case appended at once, from many
// transactions, still form one chain (no two entries chained from the
// same predecessor).
func testChainConcurrent(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-CHAIN-RACE")
	const writers, each = 12, 3
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	start := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- s.InTx(ctx, func(tx casestore.Tx) error {
				for i := range each {
					e := casestore.DossierEntry{CaseID: c.ID, Kind: casestore.EntryMessageIn, Actor: casestore.ActorDebtor,
						Body: json.RawMessage(fmt.Sprintf(`{"text":"writer %d line %d"}`, w, i))}
					if err := tx.AppendDossier(ctx, &e); err != nil {
						return err
					}
				}
				return nil
			})
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err, "concurrent InTx with appends")
	}
	r, err := s.VerifyDossier(ctx, c.ID)
	must(t, err, "VerifyDossier")
	if r.Broken != nil || r.Entries != writers*each || r.Head.Seq != writers*each {
		t.Errorf("after %d concurrent appends: %s", writers*each, r)
	}
}

func testChainUnknownCase(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	NewCase(t, s, "IB-CHAIN-KNOWN")
	_, err := s.DossierHead(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "DossierHead(unknown case)")
	_, err = s.VerifyDossier(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "VerifyDossier(unknown case)")
}

// VerifyFindsTampering is for each store's own tests, which know how to
// go around the append-only guard as the database's owner could: it files
// a dossier of three entries on a fresh case, lets change rewrite the
// second entry's body directly in the database and checks that
// VerifyDossier (and VerifyDossiers) name that entry; then remove deletes
// the last entry and the check must say entries were removed.
func VerifyFindsTampering(t *testing.T, s casestore.Store, change func(entryID int64, body string), remove func(entryID int64)) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-TAMPER")
	NewCase(t, s, "IB-UNTOUCHED")
	var ids []int64
	for _, text := range []string{"Ik betwist factuur F-1", "Ik heb nooit een akkoord gegeven", "Tot ziens"} {
		ids = append(ids, Note(t, s, c.ID, `{"text":"`+text+`"}`).ID)
	}
	r, err := s.VerifyDossier(ctx, c.ID)
	must(t, err, "VerifyDossier before")
	if r.Broken != nil {
		t.Fatalf("before any change: %s", r)
	}
	change(ids[1], `{"text":"Ik ga akkoord met de betalingsregeling"}`)
	r, err = s.VerifyDossier(ctx, c.ID)
	must(t, err, "VerifyDossier after the change")
	if r.Broken == nil || r.Broken.EntryID != ids[1] || r.Broken.Seq != 2 {
		t.Errorf("after entry %d was changed in the database: %s; want it named", ids[1], r)
	}
	all, err := s.VerifyDossiers(ctx)
	must(t, err, "VerifyDossiers")
	broken := map[string]bool{}
	for _, r := range all {
		broken[r.CaseRef] = r.Broken != nil
	}
	if !broken["IB-TAMPER"] || broken["IB-UNTOUCHED"] {
		t.Errorf("VerifyDossiers: broken %v, want only IB-TAMPER", broken)
	}

	d := NewCase(t, s, "IB-TRUNCATED")
	Note(t, s, d.ID, `{"text":"een"}`)
	last := Note(t, s, d.ID, `{"text":"twee"}`)
	remove(last.ID)
	r, err = s.VerifyDossier(ctx, d.ID)
	must(t, err, "VerifyDossier after the removal")
	if r.Broken == nil || r.Broken.Seq != 2 {
		t.Errorf("after the last entry was removed: %s; want the removal found", r)
	}
}
