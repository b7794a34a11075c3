package storetest

// A debtor's contact preference and a case's collection flags
// (casestore.Rights) with the shared logic that files their changes and
// decides whether an automated message may go (rights.go in casestore).

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

var rightsTests = []test{
	{"Rights/ContactPreference", testContactPreference},
	{"Rights/CaseFlags", testCaseFlags},
	{"Rights/MayAutomate", testMayAutomate},
}

func testContactPreference(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "R-1")
	p, err := s.ContactPreference(ctx, c.DebtorID)
	must(t, err, "preference never set")
	wantEq(t, "unset channel", p.Channel, "")
	wantEq(t, "unset written only", p.WrittenOnly, false)

	var changed bool
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		changed, err = casestore.ChangeContactPreference(ctx, tx, c.ID, casestore.ContactPreference{Channel: "email", WrittenOnly: true}, casestore.ActorDebtor, "whatsapp")
		return err
	})
	must(t, err, "change preference")
	wantEq(t, "changed", changed, true)
	p, err = s.ContactPreference(ctx, c.DebtorID)
	must(t, err, "read preference")
	wantEq(t, "channel", p.Channel, "email")
	wantEq(t, "written only", p.WrittenOnly, true)
	wantEq(t, "updated at set", p.UpdatedAt.IsZero(), false)

	// The same again changes nothing and files nothing.
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		changed, err = casestore.ChangeContactPreference(ctx, tx, c.ID, casestore.ContactPreference{Channel: "email", WrittenOnly: true}, casestore.ActorDebtor, "whatsapp")
		return err
	})
	must(t, err, "same preference")
	wantEq(t, "changed the second time", changed, false)
	es, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryContactPreference}})
	must(t, err, "dossier")
	wantEq(t, "entries", len(es), 1)
	wantEq(t, "entry channel", es[0].Channel, "whatsapp")
	wantEq(t, "entry actor", es[0].Actor, casestore.ActorDebtor)
	var body struct {
		New struct {
			Channel     string `json:"channel"`
			WrittenOnly bool   `json:"written_only"`
		} `json:"new"`
	}
	must(t, json.Unmarshal(es[0].Body, &body), "entry body")
	wantEq(t, "entry new channel", body.New.Channel, "email")
	wantEq(t, "entry new written only", body.New.WrittenOnly, true)

	wantErr(t, s.SetContactPreference(ctx, c.DebtorID, casestore.ContactPreference{Channel: "fax"}), casestore.ErrInvalid, "unknown channel")
	wantErr(t, s.SetContactPreference(ctx, c.DebtorID, casestore.ContactPreference{Channel: "sms", WrittenOnly: true}), casestore.ErrInvalid, "sms but written only")
	wantErr(t, s.SetContactPreference(ctx, c.DebtorID+1000, casestore.ContactPreference{Channel: "sms"}), casestore.ErrNotFound, "unknown debtor")
	p, err = s.ContactPreference(ctx, c.DebtorID)
	must(t, err, "read after refusals")
	wantEq(t, "channel kept after refusals", p.Channel, "email")

	// "Bel me niet" (issue #19) is kept beside the channel and is a change.
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		changed, err = casestore.ChangeContactPreference(ctx, tx, c.ID, casestore.ContactPreference{Channel: "email", WrittenOnly: true, NoCalls: true}, casestore.ActorDebtor, "sms")
		return err
	})
	must(t, err, "no calls")
	wantEq(t, "no calls is a change", changed, true)
	p, err = s.ContactPreference(ctx, c.DebtorID)
	must(t, err, "read no calls")
	wantEq(t, "no calls stored", p.NoCalls, true)
	wantEq(t, "channel kept with no calls", p.Channel, "email")
}

func testCaseFlags(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "R-2")
	stopped, _, err := casestore.CollectionStopped(ctx, s, c.ID)
	must(t, err, "collection stopped, no flags")
	wantEq(t, "stopped without flags", stopped, false)

	err = s.InTx(ctx, func(tx casestore.Tx) error {
		_, err := casestore.ChangeCaseFlags(ctx, tx, c.ID, casestore.CaseFlags{DebtSettlement: casestore.SettlementWSNP}, casestore.ActorImport)
		return err
	})
	must(t, err, "set WSNP")
	f, err := s.CaseFlags(ctx, c.ID)
	must(t, err, "read flags")
	wantEq(t, "settlement", f.DebtSettlement, casestore.SettlementWSNP)
	stopped, why, err := casestore.CollectionStopped(ctx, s, c.ID)
	must(t, err, "collection stopped")
	wantEq(t, "stopped under WSNP", stopped, true)
	wantEq(t, "why", why, "debt settlement wsnp")

	must(t, s.SetCaseFlags(ctx, c.ID, casestore.CaseFlags{Bewindvoering: true}), "bewindvoering")
	f, err = s.CaseFlags(ctx, c.ID)
	must(t, err, "read flags")
	wantEq(t, "bewindvoering", f.Bewindvoering, true)
	wantEq(t, "settlement replaced", f.DebtSettlement, casestore.SettlementNone)

	wantErr(t, s.SetCaseFlags(ctx, c.ID, casestore.CaseFlags{DebtSettlement: "faillissement"}), casestore.ErrInvalid, "unknown settlement")
	wantErr(t, s.SetCaseFlags(ctx, c.ID+1000, casestore.CaseFlags{Bewindvoering: true}), casestore.ErrNotFound, "unknown case")
	// Lifting the flags resumes collection, and the dossier says both.
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		_, err := casestore.ChangeCaseFlags(ctx, tx, c.ID, casestore.CaseFlags{}, casestore.ActorSystem)
		return err
	})
	must(t, err, "lift flags")
	stopped, _, err = casestore.CollectionStopped(ctx, s, c.ID)
	must(t, err, "collection stopped after lifting")
	wantEq(t, "stopped after lifting", stopped, false)
	es, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryCaseFlags}})
	must(t, err, "dossier")
	wantEq(t, "flag entries (set, lift)", len(es), 2)
}

func testMayAutomate(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "R-3")
	phone := "+31612345678"
	may := func(channel, address string) string {
		t.Helper()
		ok, why, err := casestore.MayAutomate(ctx, s, c.ID, channel, address)
		must(t, err, "may automate")
		if ok {
			return "ok"
		}
		return why
	}
	wantEq(t, "no preference, sms", may("sms", phone), "ok")
	must(t, s.SetOptOut(ctx, "sms", phone, true, at(2026, 3, 1, 10, 0, 0, 0)), "opt out")
	wantEq(t, "opted out of sms", may("sms", phone), "opted out")
	wantEq(t, "whatsapp still", may("whatsapp", phone), "ok")

	must(t, s.SetContactPreference(ctx, c.DebtorID, casestore.ContactPreference{WrittenOnly: true}), "only e-mail or post")
	wantEq(t, "written only, whatsapp", may("whatsapp", phone), "contact preference")
	wantEq(t, "written only, email", may("email", c.Debtor.Email), "ok")
	must(t, s.SetContactPreference(ctx, c.DebtorID, casestore.ContactPreference{Channel: "telegram"}), "prefers telegram")
	wantEq(t, "prefers telegram, email", may("email", c.Debtor.Email), "contact preference")
	wantEq(t, "prefers telegram, telegram", may("telegram", "4711"), "ok")

	must(t, s.SetCaseFlags(ctx, c.ID, casestore.CaseFlags{Bewindvoering: true}), "bewindvoering")
	wantEq(t, "under bewindvoering", may("telegram", "4711"), "collection stopped: bewindvoering")
}
