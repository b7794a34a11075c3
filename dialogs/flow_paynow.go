package dialogs

import (
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Pay now: the case's payment link (the creditor's payment URL with the
// dossier number) and the amount open today.

func (t *turn) payNow() {
	if t.nothingToPay() {
		return
	}
	open, ok := t.openTotal()
	if !ok {
		return
	}
	lang := t.st.language()
	link := payLink(t.c)
	if link == "" && t.v.Agency.IBAN != "" {
		// No online payment, but a bank transfer with the reference.
		t.bankDetails()
		return
	}
	if link == "" {
		// No online payment for this creditor: a person sends the details.
		t.effect(CollectorTask{CaseID: t.c.ID, Topic: "payment.details", Summary: "debtor asked how to pay", Due: workdaysAfter(t.today, 1), Priority: PriorityNormal})
		t.say(kPayNoLink, "amount", Money(lang, open))
	} else {
		t.say(kPayNow, "amount", Money(lang, open), "link", link)
		t.sayBankShort()
	}
	t.entry(t.c.ID, "paylink.sent", casestore.ActorBot, map[string]any{"amount": open, "link": link})
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// payLink is the creditor's payment URL for this case: "{ref}" in the URL
// is replaced by the dossier number, else it is added as ?ref=.
func payLink(c *casestore.Case) string {
	base := strings.TrimSpace(c.Creditor.PaymentURL)
	if base == "" {
		return ""
	}
	ref := queryEscape(c.Ref)
	if strings.Contains(base, "{ref}") {
		return strings.ReplaceAll(base, "{ref}", ref)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "ref=" + ref
}

// queryEscape percent-encodes everything but unreserved URL characters.
func queryEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || strings.IndexByte("-_.~", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", ch)
	}
	return b.String()
}
