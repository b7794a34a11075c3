package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// A plan outside the policy waits pending and queues the chat; a
// collector's counter-offer put in the dialog is agreed by the debtor's
// "akkoord" the next morning — the stored offer becomes the case's plan,
// no second plan is filed — while a yes to an offer rejected meanwhile is
// filed and answered but agrees to nothing.
func TestDebtorAgreesToACollectorsOffer(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			if got := f.say("whatsapp", debtorPhone, "ik wil een regeling in 25 termijnen"); !strings.Contains(got, "medewerker bekijkt") {
				t.Fatalf("25 terms: %q, want a collector to decide", got)
			}
			h, err := f.store.OpenHandoff(ctx, "whatsapp", debtorPhone)
			if err != nil || h.Reason != "plan outside policy" || h.Status != casestore.HandoffQueued {
				t.Fatalf("the plan did not queue the chat: %+v, %v", h, err)
			}
			plans, _ := f.store.Plans(ctx, f.c.ID)
			if len(plans) != 1 || plans[0].Status != casestore.PlanPending {
				t.Fatalf("plans %+v, want the proposal pending", plans)
			}

			// What the console does for a counter-offer (its tests cover
			// the page): the debtor's plan is replaced by the collector's.
			offer := *plans[0]
			offer.ID, offer.Installments = 0, offer.Installments[:0:0]
			offer.Installments = casestore.Schedule(plans[0].Total, offer.DownPayment, 10, casestore.Date(2026, time.December, 24))
			if err := f.store.AddPlan(ctx, &offer); err != nil {
				t.Fatal(err)
			}
			if err := f.store.TransitionPlan(ctx, plans[0].ID, casestore.PlanPending, casestore.PlanRejected); err != nil {
				t.Fatal(err)
			}
			if ok, err := bot.OfferPlan(ctx, f.conv.Hot, "whatsapp", debtorPhone, offer, f.now); !ok || err != nil {
				t.Fatalf("OfferPlan = %v, %v", ok, err)
			}

			f.now = f.now.Add(18 * time.Hour)
			if got := f.say("whatsapp", debtorPhone, "akkoord"); !strings.Contains(got, "de regeling is vastgelegd") {
				t.Fatalf("akkoord: %q, want the plan recorded", got)
			}
			plans, _ = f.store.Plans(ctx, f.c.ID)
			if len(plans) != 2 || plans[1].ID != offer.ID || plans[1].Status != casestore.PlanActive {
				t.Fatalf("plans %+v, want the offer %d active and no new plan", plans, offer.ID)
			}
			if cs, _ := f.store.Case(ctx, f.c.ID); cs.Status != casestore.StatusInPlan {
				t.Errorf("case status %s, want in-plan", cs.Status)
			}

			// An offer decided meanwhile (here: rejected) is not agreed to.
			other := offer
			other.ID, other.Status = 0, casestore.PlanPending
			if err := f.store.AddPlan(ctx, &other); err != nil {
				t.Fatal(err)
			}
			if ok, _ := bot.OfferPlan(ctx, f.conv.Hot, "whatsapp", debtorPhone, other, f.now); !ok {
				t.Fatal("OfferPlan of the second offer")
			}
			if err := f.store.TransitionPlan(ctx, other.ID, casestore.PlanPending, casestore.PlanRejected); err != nil {
				t.Fatal(err)
			}
			// (Its withdrawal from the dialog was lost: the state still holds
			// it.) The yes is filed and answered, and agrees to nothing.
			before := len(f.dossier())
			f.now = f.now.Add(time.Minute)
			got := f.say("whatsapp", debtorPhone, "ja")
			if strings.Contains(got, "de regeling is vastgelegd") {
				t.Fatalf("the yes to a rejected offer was answered as agreed: %q", got)
			}
			if after := len(f.dossier()); after <= before {
				t.Errorf("the debtor's yes to a rejected offer was not filed")
			}
			plans, _ = f.store.Plans(ctx, f.c.ID)
			if plans[2].Status != casestore.PlanRejected {
				t.Errorf("the rejected offer is now %s", plans[2].Status)
			}
		})
	}
}
