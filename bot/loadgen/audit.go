package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Audit is what the system of record holds of the run.
type Audit struct {
	Skipped string // why there is no audit; empty when there is one

	Accepted        int // webhooks answered 2xx (distinct messages)
	Lost            int // accepted but not in the inbox: must be 0
	InDossier       int // accepted, filed under a case, with exactly one message.in entry
	DossierMissing  int // filed under a case without a message.in entry
	DossierTwice    int // with more than one message.in entry
	DuplicatesSent  int // messages whose webhook went twice
	DuplicatesOnce  int // of those, filed once in the inbox and (if under a case) once in the dossier
	RepliesSent     int // outbox rows marked sent or delivered
	RepliesReceived int // of those, received by the fake under the id the outbox recorded
	RepliesMissing  int // marked sent but the fake never got that id
	RepliesWaiting  int // still pending or sending when the audit gave up waiting
	RepliesFailed   int // given up by the outbox
	ExtraDeliveries int // deliveries at the fake no sent row accounts for (sent twice)
	Problems        []string
}

// OK reports whether nothing was lost.
func (a *Audit) OK() bool { return a.Skipped != "" || a.Lost == 0 }

// audit checks every accepted message and every reply of the run against
// the store, after giving the outbox up to wait to drain.
func audit(ctx context.Context, st casestore.Store, prov *Provider, debtors []Debtor, stats *Stats, wait time.Duration) (*Audit, error) {
	if err := drain(ctx, st, wait); err != nil {
		return nil, err
	}
	stats.mu.Lock()
	accepted := append([]acceptedMessage(nil), stats.acceptedM...)
	stats.mu.Unlock()
	byFrom := map[string][]acceptedMessage{}
	for _, m := range accepted {
		byFrom[m.channel+":"+m.from] = append(byFrom[m.channel+":"+m.from], m)
	}
	a := &Audit{Accepted: len(accepted)}
	dossiers := map[int64]map[string]int{} // case → provider id → message.in entries
	for _, d := range debtors {
		msgs := byFrom[d.Channel+":"+d.Address()]
		if err := a.inbound(ctx, st, d, msgs, dossiers); err != nil {
			return nil, err
		}
		if err := a.outbound(ctx, st, prov, d); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// drain waits until the outbox holds nothing pending or being sent.
func drain(ctx context.Context, st casestore.Store, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		n, err := st.OutboxDepth(ctx)
		if err != nil {
			return fmt.Errorf("outbox depth: %w", err)
		}
		if n == 0 || time.Now().After(deadline) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// inbound checks one debtor's accepted messages: each once in the inbox,
// and once in its case's dossier when the inbox filed it under a case (a
// Telegram message before the phone is shared belongs to no case).
func (a *Audit) inbound(ctx context.Context, st casestore.Store, d Debtor, msgs []acceptedMessage, dossiers map[int64]map[string]int) error {
	if len(msgs) == 0 {
		return nil
	}
	inbox, err := st.InboundMessages(ctx, d.Channel, d.Address(), len(msgs)+1000)
	if err != nil {
		return fmt.Errorf("inbox of debtor %d: %w", d.Index, err)
	}
	filed := map[string][]*casestore.InboundMessage{}
	for _, m := range inbox {
		filed[m.ProviderID] = append(filed[m.ProviderID], m)
	}
	for _, m := range msgs {
		if m.duplicated {
			a.DuplicatesSent++
		}
		got := filed[m.providerID]
		if len(got) == 0 {
			a.Lost++
			a.problem("lost: %s message %s from debtor %d was accepted but is not in the inbox", m.channel, m.providerID, d.Index)
			continue
		}
		once := len(got) == 1
		if caseID := got[0].CaseID; caseID != 0 {
			entries, err := messageIns(ctx, st, caseID, dossiers)
			if err != nil {
				return err
			}
			switch n := entries[m.providerID]; {
			case n == 1:
				a.InDossier++
			case n == 0:
				a.DossierMissing++
				once = false
				a.problem("%s message %s is in the inbox under case %d but has no message.in entry", m.channel, m.providerID, caseID)
			default:
				a.DossierTwice++
				once = false
				a.problem("%s message %s has %d message.in entries in case %d", m.channel, m.providerID, n, caseID)
			}
		}
		if m.duplicated && once {
			a.DuplicatesOnce++
		}
	}
	return nil
}

// messageIns counts a case's message.in entries by provider id, once per case.
func messageIns(ctx context.Context, st casestore.Store, caseID int64, cache map[int64]map[string]int) (map[string]int, error) {
	if m, ok := cache[caseID]; ok {
		return m, nil
	}
	m := map[string]int{}
	q := casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryMessageIn}, Limit: 500}
	for {
		page, err := st.Dossier(ctx, caseID, q)
		if err != nil {
			return nil, fmt.Errorf("dossier of case %d: %w", caseID, err)
		}
		for _, e := range page {
			var b struct {
				ProviderID string `json:"provider_id"`
			}
			if json.Unmarshal(e.Body, &b) == nil && b.ProviderID != "" {
				m[b.ProviderID]++
			}
		}
		if len(page) < q.Limit {
			break
		}
		q.BeforeID = page[len(page)-1].ID
	}
	cache[caseID] = m
	return m, nil
}

// outbound checks that every reply the outbox marked sent reached the
// fake exactly once under the id it recorded; deliveries that no sent row
// accounts for are counted as extra.
func (a *Audit) outbound(ctx context.Context, st casestore.Store, prov *Provider, d Debtor) error {
	rows, err := st.OutboundFor(ctx, d.Channel, d.Address(), 100000)
	if err != nil {
		return fmt.Errorf("outbox of debtor %d: %w", d.Index, err)
	}
	got := prov.Deliveries(d.Channel, d.Address())
	at := map[string]int{}
	for i, g := range got {
		at[g.ID] = i
	}
	used := make([]bool, len(got))
	for _, m := range rows {
		switch m.Status {
		case casestore.OutboundPending, casestore.OutboundSending:
			a.RepliesWaiting++
			continue
		case casestore.OutboundFailed:
			a.RepliesFailed++
			a.problem("reply %d to debtor %d failed: %s", m.ID, d.Index, m.LastError)
			continue
		}
		a.RepliesSent++
		i, ok := at[m.ProviderID]
		if !ok {
			a.RepliesMissing++
			a.problem("reply %d to debtor %d is marked sent as %s, which the provider never received", m.ID, d.Index, m.ProviderID)
			continue
		}
		a.RepliesReceived++
		markParts(got, used, i, m.Text, d.Channel == "telegram")
	}
	for i, u := range used {
		if !u {
			a.ExtraDeliveries++
			a.problem("debtor %d received %s %q that no sent reply accounts for", d.Index, got[i].ID, shorten(got[i].Text))
		}
	}
	return nil
}

// markParts marks delivery i and the other parts of a long text sent in
// several messages: Twilio's sender records the first part's id (the
// rest follow it), Telegram's the last one's (the rest precede it).
func markParts(got []Delivery, used []bool, i int, text string, lastRecorded bool) {
	used[i] = true
	left := len(text) - len(got[i].Text)
	step := 1
	if lastRecorded {
		step = -1
	}
	for j := i + step; j >= 0 && j < len(got) && left > 0; j += step {
		if used[j] || !strings.Contains(text, strings.TrimSpace(got[j].Text)) {
			break
		}
		used[j] = true
		left -= len(got[j].Text)
	}
}

func (a *Audit) problem(format string, args ...any) {
	if len(a.Problems) < 20 {
		a.Problems = append(a.Problems, fmt.Sprintf(format, args...))
	}
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Write prints the audit for a person.
func (a *Audit) Write(w io.Writer) {
	if a.Skipped != "" {
		fmt.Fprintf(w, "audit: skipped: %s\n", a.Skipped)
		return
	}
	fmt.Fprintln(w, "audit of the system of record:")
	fmt.Fprintf(w, "  accepted messages %d: lost %d (accepted but not in the inbox)\n", a.Accepted, a.Lost)
	fmt.Fprintf(w, "  dossier message.in: exactly once %d, missing %d, more than once %d (Telegram messages before the phone is shared belong to no case)\n",
		a.InDossier, a.DossierMissing, a.DossierTwice)
	fmt.Fprintf(w, "  duplicates sent %d: filed once %d\n", a.DuplicatesSent, a.DuplicatesOnce)
	fmt.Fprintf(w, "  replies marked sent %d: received by the provider %d, never received %d; still waiting %d, failed %d\n",
		a.RepliesSent, a.RepliesReceived, a.RepliesMissing, a.RepliesWaiting, a.RepliesFailed)
	fmt.Fprintf(w, "  deliveries no sent reply accounts for (delivered twice) %d\n", a.ExtraDeliveries)
	for _, p := range a.Problems {
		fmt.Fprintf(w, "  ! %s\n", p)
	}
	verdict := "OK: nothing lost"
	if a.Lost > 0 {
		verdict = fmt.Sprintf("FAILED: %d accepted %s lost", a.Lost, plural(a.Lost, "message", "messages"))
	}
	fmt.Fprintln(w, "  "+verdict)
}
