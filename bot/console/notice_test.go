package console_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// The debtor is told, on their own channel and with a dossier entry like
// any message, when a person takes over, when the chat goes back to the
// queue and when the assistant answers again; a holder claiming again
// tells them nothing new.
func TestTheDebtorIsToldWhoWrites(t *testing.T) {
	f := newFixture(t)
	anna, sven := f.login("anna"), f.login("sven")
	chat := fmt.Sprintf("/console/handoffs/%d", f.h.ID)
	step := func(who *browser, path string, want ...string) {
		t.Helper()
		if code, _, body := who.post(chat+path, nil); code != http.StatusSeeOther {
			t.Fatalf("POST %s: %d\n%s", path, code, body)
		}
		var got []string
		for _, m := range f.wholeOutbox() {
			if m.Channel != "whatsapp" || m.To != debtorPhone || m.CaseID != f.c.ID || m.Status != casestore.OutboundPending {
				t.Errorf("notice %+v: want pending to the debtor's WhatsApp on the case", m)
			}
			got = append(got, m.Text)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("after %s the debtor was sent %q, want %q", path, got, want)
		}
	}
	took := "U spreekt nu met Anna."
	waits := "Uw gesprek wacht weer op een medewerker; een collega neemt het zo snel mogelijk over."
	back := "U chat weer met onze digitale assistent. Typ MENS als u opnieuw een medewerker wilt spreken."
	step(anna, "/claim", took)
	step(anna, "/claim", took) // her own chat again: nothing new
	step(sven, "/release", took, waits)
	step(anna, "/claim", took, waits, took)
	step(anna, "/resolve", took, waits, took, back)

	var filed []string
	all, err := f.st.Dossier(t.Context(), f.c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryMessageOut}, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		filed = append(filed, string(e.Actor)+" "+entryBody(t, e)["text"].(string))
	}
	anna1, sven1 := fmt.Sprintf("collector:%d ", f.users["anna"].ID), fmt.Sprintf("collector:%d ", f.users["sven"].ID)
	want := []string{anna1 + back, anna1 + took, sven1 + waits, anna1 + took} // newest first
	if strings.Join(filed, "|") != strings.Join(want, "|") {
		t.Errorf("dossier message.out = %q, want %q", filed, want)
	}
}
