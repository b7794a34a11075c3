package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

func TestCollectorSetsCollectionStopFlagsOnTheChatPage(t *testing.T) {
	f := newFixture(t)
	anna := f.login("anna")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	if _, page := anna.get(chat); !strings.Contains(page, `name="bewindvoering"`) || strings.Contains(page, "Automatische incasso gestopt") {
		t.Fatalf("the chat page lacks the flags form or says collection stopped already")
	}

	code, loc, _ := anna.post(chat+"/flags", url.Values{"bewindvoering": {"yes"}, "debt_settlement": {"msnp"}})
	if code != http.StatusSeeOther || loc != chat+"?done=flags" {
		t.Fatalf("set flags: %d to %q", code, loc)
	}
	flags, err := f.st.CaseFlags(context.Background(), f.h.CaseID)
	if err != nil || !flags.Bewindvoering || flags.DebtSettlement != casestore.SettlementMSNP {
		t.Fatalf("stored flags %+v (%v), want bewindvoering and msnp", flags, err)
	}
	entries := f.dossier(casestore.EntryCaseFlags)
	if len(entries) != 1 || entries[0].Actor != casestore.Actor(fmt.Sprintf("collector:%d", f.users["anna"].ID)) ||
		!strings.Contains(string(entries[0].Body), `"collection_stopped":true`) {
		t.Fatalf("dossier case.flags = %+v", entries)
	}
	_, page := anna.get(chat + "?done=flags")
	for _, want := range []string{"Automatische incasso gestopt: bewindvoering", `value="yes" checked`, `value="msnp" selected`} {
		if !strings.Contains(page, want) {
			t.Errorf("the chat page after saving lacks %q", want)
		}
	}

	// A value the form never offers is refused and changes nothing.
	if code, _, _ := anna.post(chat+"/flags", url.Values{"debt_settlement": {"faillissement"}}); code != http.StatusBadRequest {
		t.Errorf("unknown settlement: %d, want 400", code)
	}
	if again, _ := f.st.CaseFlags(context.Background(), f.h.CaseID); again.DebtSettlement != casestore.SettlementMSNP || !again.Bewindvoering {
		t.Errorf("a refused form changed the flags: %+v", again)
	}
	// Lifting both resumes collection.
	anna.post(chat+"/flags", url.Values{})
	if flags, _ := f.st.CaseFlags(context.Background(), f.h.CaseID); flags.Bewindvoering || flags.DebtSettlement != "" {
		t.Errorf("flags after lifting: %+v", flags)
	}
	if n := len(f.dossier(casestore.EntryCaseFlags)); n != 2 {
		t.Errorf("%d case.flags entries, want 2 (set, lift)", n)
	}
}
