package dialogs

import (
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// What the debtor is told when a collector decides in the console: a
// pending plan approved, countered or rejected, a dispute upheld or
// rejected. The console sends these through the outbox in the
// transaction that records the decision; the words live here so that
// every debtor-facing text is in one place, in three languages, and
// tested alike.

// PlanRejectReason is why a collector turns a plan down, as the debtor
// is told it. The collector's own words stay in the dossier.
type PlanRejectReason string

const (
	RejectTooLong     PlanRejectReason = "too-long"     // runs longer than the creditor allows
	RejectTooLow      PlanRejectReason = "too-low"      // installments too small for the debt
	RejectDownPayment PlanRejectReason = "down-payment" // a first payment is needed
	RejectJudicial    PlanRejectReason = "judicial"     // no plans at this stage
	RejectCreditor    PlanRejectReason = "creditor"     // the creditor said no
	RejectOther       PlanRejectReason = "other"        // no reason given to the debtor
)

// PlanRejectReasons lists every reason in the order a collector picks.
var PlanRejectReasons = []PlanRejectReason{RejectTooLong, RejectTooLow, RejectDownPayment, RejectJudicial, RejectCreditor, RejectOther}

var rejectReasonTexts = map[PlanRejectReason]msgKey{
	RejectTooLong:     kDecisionWhyTooLong,
	RejectTooLow:      kDecisionWhyTooLow,
	RejectDownPayment: kDecisionWhyDownPayment,
	RejectJudicial:    kDecisionWhyJudicial,
	RejectCreditor:    kDecisionWhyCreditor,
}

// Valid reports whether r is one of PlanRejectReasons.
func (r PlanRejectReason) Valid() bool {
	_, ok := rejectReasonTexts[r]
	return ok || r == RejectOther
}

// ReplyLanguage is the language to write to the debtor in: the
// conversation's (the debtor chose it or wrote in it), else the one on
// file, else Dutch.
func ReplyLanguage(st State, d *casestore.Debtor) casestore.Language {
	if validLang(st.Lang) {
		return st.Lang
	}
	if d != nil && validLang(d.Language) {
		return d.Language
	}
	return casestore.Dutch
}

// PlanApprovedText tells the debtor a collector approved plan p on case
// c: the dated schedule, how to pay, and that reminders stop.
func PlanApprovedText(lang casestore.Language, c *casestore.Case, p casestore.Plan) string {
	parts := []string{
		render(lang, kDecisionPlanApproved, "ref", c.Ref, "total", Money(lang, p.Total)),
		scheduleLines(lang, p), planInterestLine(lang, c, p),
		render(lang, kDecisionPayBy, "ref", c.Ref),
	}
	if link := payLink(c); link != "" {
		parts = append(parts, render(lang, kPayLink, "link", link))
	} else {
		parts = append(parts, render(lang, kDecisionPayDetails))
	}
	parts = append(parts, render(lang, kDecisionPlanKeep))
	return strings.Join(parts, "\n\n")
}

// PlanCounteredText offers the debtor a collector's plan p instead of
// their own, and asks them to answer yes: the collector, who holds the
// chat, reads the answer and approves the plan.
func PlanCounteredText(lang casestore.Language, c *casestore.Case, p casestore.Plan) string {
	return strings.Join([]string{
		render(lang, kDecisionPlanCountered, "ref", c.Ref, "total", Money(lang, p.Total)),
		scheduleLines(lang, p), planInterestLine(lang, c, p),
		render(lang, kDecisionCounterAsk),
	}, "\n\n")
}

// PlanRejectedText tells the debtor their plan was turned down, why
// (unless the reason is RejectOther) and what they can do now, with the
// amount still open.
func PlanRejectedText(lang casestore.Language, c *casestore.Case, r PlanRejectReason, open decimal.Decimal) string {
	parts := []string{render(lang, kDecisionPlanRejected, "ref", c.Ref)}
	if k, ok := rejectReasonTexts[r]; ok {
		parts = append(parts, render(lang, k))
	}
	parts = append(parts, render(lang, kDecisionRejectNext, "open", Money(lang, open)))
	return strings.Join(parts, "\n\n")
}

// DisputeResolvedText tells the debtor how dispute d on case c was
// decided (d.Status upheld or rejected), with the collector's
// explanation when there is one to send, and what is open now.
func DisputeResolvedText(lang casestore.Language, c *casestore.Case, d casestore.Dispute, open decimal.Decimal, explanation string) string {
	what := render(lang, kWholeCase)
	if d.InvoiceID != nil {
		for _, inv := range c.Invoices {
			if inv.ID == *d.InvoiceID {
				what = render(lang, kInvoiceNamed, "number", inv.Number)
			}
		}
	}
	k := kDecisionDisputeRejected
	if d.Status == casestore.DisputeUpheld {
		k = kDecisionDisputeUpheld
	}
	parts := []string{render(lang, k, "what", what)}
	if explanation = strings.TrimSpace(explanation); explanation != "" {
		parts = append(parts, render(lang, kDecisionExplanation, "text", explanation))
	}
	if open.IsPositive() {
		parts = append(parts, render(lang, kDecisionOpenLeft, "ref", c.Ref, "open", Money(lang, open)))
		if d.Status != casestore.DisputeUpheld {
			parts = append(parts, render(lang, kDecisionDisputeNext))
		}
	} else {
		parts = append(parts, render(lang, kDecisionNothingLeft, "ref", c.Ref))
	}
	return strings.Join(parts, "\n\n")
}

// scheduleLines lists a plan's installments, one a line: "1. € 50,00 op
// 1 december 2026".
func scheduleLines(lang casestore.Language, p casestore.Plan) string {
	lines := make([]string, 0, len(p.Installments))
	for _, in := range p.Installments {
		lines = append(lines, render(lang, kDecisionScheduleLine, "n", itoa(in.Seq), "amount", Money(lang, in.Amount), "date", day(lang, in.Due)))
	}
	return strings.Join(lines, "\n")
}

// OutcomeCollectorOffer marks Scratch.Outcome when the plan waiting for
// the debtor's yes is a collector's counter-offer, already stored pending
// (Plan.ID set): the debtor's yes agrees to that plan (ProposePlan with
// its ID) instead of filing a new one, and the offer outlives IdleResume,
// since a debtor may well answer a person's offer the next day.
const OutcomeCollectorOffer = "collector-offer"

// OfferPlan is the conversation's state once a collector offered plan p
// (stored pending) on the debtor's verified case: the bot asks for the
// debtor's yes as it does for its own counter-offer, so that "ja" or
// "akkoord" agrees to it once the collector hands the chat back. ok is
// false, and st unchanged, when the conversation is not verified for p's
// case: the debtor then identifies first, and the collector decides.
func OfferPlan(st State, p casestore.Plan, now time.Time) (State, bool) {
	if !st.Verified || st.CaseID == 0 || st.CaseID != p.CaseID || p.ID == 0 {
		return st, false
	}
	st.Flow = Scratch{Plan: &p, Outcome: OutcomeCollectorOffer}
	st.Node, st.Menu, st.Misunderstood = NodePlanConfirm, nil, 0
	st.LastAt = now
	return st, true
}

// WithdrawOffer is st without plan planID on offer (a collector approved
// or rejected it): the conversation goes on from the menu. ok is false,
// and st unchanged, when that plan is not on offer.
func WithdrawOffer(st State, planID int64) (State, bool) {
	if !st.Flow.collectorOffer() || st.Flow.Plan.ID != planID {
		return st, false
	}
	st.Flow = Scratch{}
	st.Node = NodeMenu
	return st, true
}

// OfferedPlan is the id of the collector's counter-offer the
// conversation waits on the debtor's yes for; 0 when none.
func (st State) OfferedPlan() int64 {
	if !st.Flow.collectorOffer() {
		return 0
	}
	return st.Flow.Plan.ID
}

// collectorOffer reports whether the flow waits for the debtor's yes to
// a collector's counter-offer.
func (f Scratch) collectorOffer() bool {
	return f.Outcome == OutcomeCollectorOffer && f.Plan != nil && f.Plan.ID != 0
}

// FirstName is the first word of a collector's name: what the debtor sees.
func FirstName(name string) string {
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// CollectorReplyText is a collector's message as the debtor reads it:
// under the collector's first name, so it is never taken for the bot's.
func CollectorReplyText(channel, name, text string) string {
	if f := FirstName(name); f != "" {
		text = f + ": " + text
	}
	return forChannel(channel, text)
}

// TakeOverText tells the debtor that a person now writes to them, by
// first name and agency, so the next messages are not taken for the bot's.
func TakeOverText(lang casestore.Language, channel, collector, agency string) string {
	name, agency := FirstName(collector), strings.TrimSpace(agency)
	text := render(lang, kTakeOverStaff)
	switch {
	case name != "" && agency != "":
		text = render(lang, kTakeOver, "name", name, "agency", agency)
	case name != "":
		text = render(lang, kTakeOverName, "name", name)
	}
	return forChannel(channel, text)
}

// HandedBackText tells the debtor the assistant answers again, and how
// to reach a person once more.
func HandedBackText(lang casestore.Language, channel string) string {
	return forChannel(channel, render(lang, kHandedBack))
}

// ReleasedText tells the debtor their chat went back to the queue: no
// person writes for now, but one will.
func ReleasedText(lang casestore.Language, channel string) string {
	return forChannel(channel, render(lang, kReleased))
}
