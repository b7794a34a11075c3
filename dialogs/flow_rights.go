package dialogs

import (
	"slices"
	"strings"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// The flows of a debtor's rights and requests (issue #19); see rights.go.

// Terms, in working days, within which a collector acts on a request.
const (
	documentDays       = 5  // an invoice copy or specification a collector sends
	refundDays         = 10 // a refund checked and paid
	representativeDays = 2  // a representative's authority checked
	fraudDays          = 10 // a fraud report looked into
	bankDetailsDays    = 1  // bank details sent by a person
)

// startRight begins the flow of a rights request for the verified case;
// false when i is not one of them.
func (t *turn) startRight(i Intent) bool {
	switch i {
	case IntentComplaint:
		t.complaint()
	case IntentSpecification:
		t.showSpecification()
	case IntentInvoiceCopy:
		t.sendInvoiceCopy()
	case IntentBankDetails:
		t.bankDetails()
	case IntentRefund:
		t.startRefund()
	case IntentFraud:
		t.startFraud()
	case IntentContactPref:
		t.contactPreference()
	default:
		return false
	}
	return true
}

// backToMenu closes a request: anything else?
func (t *turn) backToMenu() {
	t.st.Flow = Scratch{}
	t.say(kAnythingElse)
	t.st.Node = NodeMenu
	t.st.Menu = menuItems(t.c)
}

// collectionStopped hands a case under bewindvoering or in a debt
// settlement to a person: the bot does not collect it.
func (t *turn) collectionStopped() bool {
	if t.c == nil || !t.v.stopped(t.c.ID) {
		return false
	}
	_, why := t.v.Flags[t.c.ID].StopsCollection()
	t.handoff("collection stopped: "+why, PriorityNormal, kCollectionStopped)
	return true
}

// --- Complaint --------------------------------------------------------------

// complaint files a complaint about the agency's treatment with a
// reference and the answer term, or, when one was filed in this
// conversation and the debtor asks how the procedure goes, names it.
func (t *turn) complaint() {
	lang := t.st.language()
	asks := asksProcedure(t.low)
	if t.st.Complaint != "" && asks {
		t.sayComplaintProcedure()
		t.backToMenu()
		return
	}
	pol := t.v.Agency.Complaints
	due := workdaysAfter(t.today, pol.term())
	ref := complaintRef(t.c, t.now)
	t.st.Complaint = ref
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "complaint", Summary: "complaint " + ref, Due: due, Priority: PriorityNormal})
	t.entry(t.c.ID, EntryComplaintFiled, actorDebtor, map[string]any{"reference": ref, "text": t.text, "answer_by": due})
	t.say(kComplaintFiled, "ref", ref, "date", day(lang, due))
	if asks {
		t.sayComplaintProcedure()
	}
	t.backToMenu()
}

// sayComplaintProcedure names the procedure and the external body of the
// case's country.
func (t *turn) sayComplaintProcedure() {
	pol := t.v.Agency.Complaints
	if pol.Procedure != "" {
		t.say(kComplaintProcedure, "procedure", pol.Procedure)
	} else {
		t.say(kComplaintNoProcedure)
	}
	body := pol.BodyNL
	if t.c != nil && belgian(t.c.Regime) {
		body = pol.BodyBE
	}
	if body != "" {
		t.say(kComplaintBody, "body", body)
	}
}

// asksProcedure reports whether a message asks how complaints go or where
// to turn: the procedure and the external body are named then.
func asksProcedure(low string) bool {
	return hasAny(low, "procedure", "procédure", "regeling", "waar kan ik", "waar moet ik", "instantie", "ombuds", "geschillencommissie",
		"how do i", "where can i", "who can i", "médiateur", "mediateur", "à qui", "a qui", "où puis", "ou puis", "how to complain",
		"hoe dien", "hoe werkt", "comment", "escalat")
}

// --- Specification and documents -----------------------------------------------

// showSpecification is the balance with what it rests on: the interest
// (kind, rate, since when), the rule the costs follow in the case's
// regime and the day they became due, all from casestore.Balance's
// explanation; and the PDF when the runtime has one.
func (t *turn) showSpecification() {
	t.balance(true)
}

// sayCostsRule tells which rule the collection costs follow and since
// when they are due.
func (t *turn) sayCostsRule(b casestore.Breakdown) {
	if !b.Total.Costs.IsPositive() {
		return
	}
	switch b.Regime {
	case casestore.NLB2C:
		t.say(kSpecCostsNLB2C)
	case casestore.NLB2B:
		t.say(kSpecCostsNLB2B)
	case casestore.BEB2C:
		t.say(kSpecCostsBEB2C)
	case casestore.BEB2B:
		t.say(kSpecCostsBEB2B)
	}
	if d := b.Explanation.CostsDue; d != nil && !d.After(t.today) {
		t.say(kSpecCostsDue, "date", day(t.st.language(), *d))
	}
}

// wantsSent reports whether a message asks for a document to be sent
// ("stuur", "pdf", "op papier"), not only explained.
func wantsSent(low string) bool {
	return hasAny(low, "stuur", "stuurt", "toesturen", "opsturen", "mailen", "pdf", "papier", "kopie", "send", "copy", "mail me",
		"envoy", "copie", "papier")
}

// sendInvoiceCopy sends the copies the runtime has of the invoices asked
// for (one named by its number, else all of the case) and files a request
// for a collector for the rest.
func (t *turn) sendInvoiceCopy() {
	lang := t.st.language()
	docs := t.v.Documents[t.c.ID]
	invs := t.c.Invoices
	for _, inv := range t.c.Invoices {
		if inv.Number != "" && strings.Contains(t.low, strings.ToLower(inv.Number)) {
			invs = []casestore.Invoice{inv}
			break
		}
	}
	var sent, missing []string
	for _, inv := range invs {
		if link := docs.Invoices[inv.ID]; link != "" {
			t.say(kInvoiceCopyLink, "number", inv.Number, "link", link)
			sent = append(sent, inv.Number)
			continue
		}
		missing = append(missing, inv.Number)
	}
	if len(sent) > 0 {
		t.entry(t.c.ID, EntryDocumentSent, casestore.ActorBot, map[string]any{"document": "invoice", "invoices": sent})
	}
	if len(missing) > 0 || len(invs) == 0 {
		what := render(lang, kWholeCase)
		if len(missing) > 0 {
			what = render(lang, kInvoiceNamed, "number", strings.Join(missing, ", "))
		}
		t.requestDocument("invoice", missing, what)
	}
	t.backToMenu()
}

// requestDocument files a request for a document a collector must send.
func (t *turn) requestDocument(kind string, invoices []string, what string) {
	due := workdaysAfter(t.today, documentDays)
	summary := kind + " copy requested"
	if len(invoices) > 0 {
		summary += ": " + strings.Join(invoices, ", ")
	}
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "document.request", Summary: summary, Due: due, Priority: PriorityNormal})
	t.entry(t.c.ID, EntryDocumentRequested, actorDebtor, map[string]any{"document": kind, "invoices": invoices, "answer_by": due})
	t.say(kInvoiceCopyRequested, "what", what, "date", day(t.st.language(), due))
}

// --- Bank transfer ---------------------------------------------------------------

// referenceLabel names the case's payment reference: a betalingskenmerk in
// the Netherlands, a gestructureerde mededeling in Belgium.
func (t *turn) referenceLabel() string {
	if t.c != nil && belgian(t.c.Regime) {
		return render(t.st.language(), kRefLabelBE)
	}
	return render(t.st.language(), kRefLabelNL)
}

// bankDetails answers "wat is het rekeningnummer / het kenmerk": the
// agency's IBAN and account holder with the case's payment reference and
// the amount open; a person sends them when no account is configured.
func (t *turn) bankDetails() {
	if t.nothingToPay() {
		return
	}
	open, ok := t.openTotal()
	if !ok {
		return
	}
	lang := t.st.language()
	ref := casestore.PaymentReference(t.c)
	a := t.v.Agency
	if a.IBAN == "" {
		due := workdaysAfter(t.today, bankDetailsDays)
		t.effect(CollectorTask{CaseID: t.c.ID, Topic: "payment.details", Summary: "debtor asked for the bank details", Due: due, Priority: PriorityNormal})
		t.say(kBankDetailsMissing, "reference_label", t.referenceLabel(), "reference", ref, "date", day(lang, due))
	} else {
		t.say(kBankDetails, "amount", Money(lang, open), "iban", FormatIBAN(a.IBAN), "holder", t.holder(),
			"reference_label", t.referenceLabel(), "reference", ref)
	}
	t.entry(t.c.ID, EntryBankDetailsSent, casestore.ActorBot, map[string]any{"iban": FormatIBAN(a.IBAN), "reference": ref, "amount": open})
	t.backToMenu()
}

// sayBankShort adds the bank transfer to a payment offer, when the agency
// has an account configured.
func (t *turn) sayBankShort() {
	if t.v.Agency.IBAN == "" || t.c == nil {
		return
	}
	t.say(kBankDetailsShort, "iban", FormatIBAN(t.v.Agency.IBAN), "holder", t.holder(),
		"reference_label", t.referenceLabel(), "reference", casestore.PaymentReference(t.c))
}

func (t *turn) holder() string {
	if h := t.v.Agency.AccountHolder; h != "" {
		return h
	}
	return t.v.Agency.Name
}

// --- Overpayment and refund ---------------------------------------------------

// overpaid is how much more than owed the debtor paid; zero when not.
// The balance keeps each invoice's open amount at zero or more and the
// overpayment in what was paid, so it is what was paid beyond the whole
// claim (principal, interest, costs and their VAT).
func (t *turn) overpaid() decimal.Decimal {
	if t.c == nil {
		return decimal.Zero
	}
	b, err := casestore.Balance(t.c, t.today)
	if err != nil {
		return decimal.Zero
	}
	x := b.Total
	over := x.Paid.Sub(x.Principal.Add(x.Interest).Add(x.Costs).Add(x.CostsVAT))
	if !over.IsPositive() {
		return decimal.Zero
	}
	return over
}

// sayOverpaid tells a debtor who paid too much so, never as an amount to
// pay; false when nothing was paid too much.
func (t *turn) sayOverpaid() bool {
	over := t.overpaid()
	if !over.IsPositive() {
		return false
	}
	t.say(kOverpaid, "amount", Money(t.st.language(), over))
	t.entry(t.c.ID, "overpayment.shown", casestore.ActorBot, map[string]any{"overpaid": over})
	return true
}

// startRefund asks for the account a refund goes to (or takes it from the
// message), after saying whether an overpayment is on file.
func (t *turn) startRefund() {
	if !t.overpaid().IsPositive() {
		t.say(kRefundNoOverpayment)
	}
	t.st.Flow = Scratch{}
	t.st.Node = NodeRefundIBAN
	if t.refundAnswer() {
		return
	}
	t.say(kRefundAskIBAN)
}

// refundAnswer reads the IBAN: a valid one files the request, a wrong one
// is asked again politely; a message with no account number in it is no
// answer.
func (t *turn) refundAnswer() bool {
	iban, seen := FindIBAN(t.text)
	switch {
	case iban != "":
		t.fileRefund(iban)
		return true
	case seen:
		t.say(kRefundBadIBAN)
		return true
	}
	return false
}

func (t *turn) fileRefund(iban string) {
	lang := t.st.language()
	due := workdaysAfter(t.today, refundDays)
	over := t.overpaid()
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "refund", Summary: "refund of " + Money(casestore.Dutch, over) + " to " + FormatIBAN(iban),
		Due: due, Priority: PriorityNormal})
	t.entry(t.c.ID, EntryRefundRequested, actorDebtor, map[string]any{"iban": iban, "overpaid": over, "text": t.text, "answer_by": due})
	t.say(kRefundFiled, "iban", FormatIBAN(iban), "date", day(lang, due))
	t.backToMenu()
}

// --- Contact preference ---------------------------------------------------------

// contactPreference stores how the debtor wants to be contacted. Like an
// opt-out it only ever reduces what is sent, so it is taken before
// verification too, from a phone on file: for the debtor of the phone's
// cases (contactPreferenceUnverified).
func (t *turn) contactPreference() {
	if t.setContactPreference([]*casestore.Case{t.c}) {
		t.backToMenu()
	}
}

// contactPreferenceUnverified takes the preference for the cases on file
// for the sender's phone; false when there are none (identify first).
func (t *turn) contactPreferenceUnverified() bool {
	if len(t.v.PhoneCases) == 0 {
		return false
	}
	if t.setContactPreference(t.v.PhoneCases) {
		t.st.Node = NodeStart
	}
	return true
}

// setContactPreference files the preference for each debtor of cases and
// acknowledges it; false when the message named no preference (asked).
func (t *turn) setContactPreference(cases []*casestore.Case) bool {
	p, ok := readContactPreference(t.low)
	if !ok {
		t.say(kContactAsk)
		return false
	}
	seen := map[int64]bool{}
	for _, c := range cases {
		if c == nil || seen[c.DebtorID] {
			continue
		}
		seen[c.DebtorID] = true
		q := p
		q.CaseID = c.ID
		t.effect(q)
	}
	if p.NoCalls {
		t.say(kContactNoCalls)
	}
	if p.Channel != "" {
		t.say(kContactChannel, "how", render(t.st.language(), contactHow[p.Channel]))
	}
	return true
}

var contactHow = map[string]msgKey{
	"email": kContactHowEmail, "post": kContactHowPost, "sms": kContactHowSMS,
	"whatsapp": kContactHowWhatsApp, "telegram": kContactHowTelegram,
}

// readContactPreference reads "bel me niet", "alleen per e-mail", "liever
// per post", "stuur het via WhatsApp" from a lower-cased message.
func readContactPreference(low string) (SetContactPreference, bool) {
	var p SetContactPreference
	toks := tokenize(normalize(low))
	words := tokenTexts(toks)
	has := func(ws ...string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return slices.Contains(ws, w) })
	}
	switch {
	case has("email", "mail", "mailen", "mailtje", "mails", "emails", "courriel", "emailen"):
		p.Channel, p.WrittenOnly = "email", true
	case has("post", "brief", "brieven", "letter", "letters", "courrier", "poste", "schriftelijk", "writing", "ecrit"):
		p.Channel, p.WrittenOnly = "post", true
	case has("whatsapp", "whatsappen", "app", "appen", "appje", "appjes"):
		p.Channel = "whatsapp"
	case has("telegram"):
		p.Channel = "telegram"
	case has("sms", "smsje", "smsjes", "smsen", "text", "texts", "texto", "textos", "tekstbericht"):
		p.Channel = "sms"
	}
	m := theLexicon.matchCues(toks)
	p.NoCalls = slices.ContainsFunc(m, func(c cueMatch) bool { return c.cue.intent == cueNoCalls })
	return p, p.NoCalls || p.Channel != ""
}

// --- Representatives -----------------------------------------------------------

// startRepresentative: someone writes for the debtor. Nothing about a case
// is said before a collector verified their authority; their details are
// filed with a task. A first message that already says how to reach them
// (or names the dossier) is filed at once.
func (t *turn) startRepresentative() {
	t.st.Flow = Scratch{Text: t.text}
	t.st.Node = NodeRepDetails
	if t.u.DossierRef != "" || hasContact(t.text) {
		t.fileRepresentative()
		return
	}
	t.say(kRepAsk)
}

// hasContact reports whether a message holds an e-mail address or a phone
// number: a representative's way to be reached.
func hasContact(s string) bool {
	if strings.Contains(s, "@") {
		return true
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits >= 9
}

// repAnswer takes any text at the details question as the details.
func (t *turn) repAnswer() bool {
	if t.text == "" || t.u.Intent == IntentThanks && len(strings.Fields(t.text)) < 3 {
		return false
	}
	if t.st.Flow.Text != "" && t.st.Flow.Text != t.text {
		t.st.Flow.Text += "\n" + t.text
	} else {
		t.st.Flow.Text = t.text
	}
	t.fileRepresentative()
	return true
}

// repCase is the case a representative writes about, as far as known
// without telling them anything: the verified case, the one case on file
// for the phone, else none.
func (t *turn) repCase() *casestore.Case {
	if t.c != nil {
		return t.c
	}
	if len(t.v.PhoneCases) == 1 {
		return t.v.PhoneCases[0]
	}
	return nil
}

// fileRepresentative files the details under the case (looked up by the
// dossier number they gave when no case is known yet) with a task.
func (t *turn) fileRepresentative() {
	c := t.repCase()
	ref := t.u.DossierRef
	if c == nil && ref == "" {
		ref = Understand(t.st.Flow.Text, t.now).DossierRef
	}
	if c == nil && ref != "" && t.ev.Kind == EventText {
		t.lookup, t.st.Node = ref, NodeRepLookup
		return
	}
	t.representativeFiled(c)
}

// repLookedUp files a representative's details once the runtime looked up
// the dossier number they gave (nil: no such case; nothing is told).
func (t *turn) repLookedUp() {
	t.representativeFiled(t.v.Lookup)
}

func (t *turn) representativeFiled(c *casestore.Case) {
	due := workdaysAfter(t.today, representativeDays)
	details := t.st.Flow.Text
	var caseID int64
	if c != nil {
		caseID = c.ID
		t.effect(CollectorTask{CaseID: c.ID, Topic: "representative.verify", Summary: "someone writes for the debtor: verify their authority",
			Due: due, Priority: PriorityNormal})
		t.entry(c.ID, EntryRepresentativeFiled, casestore.ActorSystem, map[string]any{
			"details": details, "channel": t.ev.Channel, "from": t.ev.From, "phone": t.st.Phone, "verify_by": due})
	}
	t.st.Flow = Scratch{}
	if c == nil || t.v.stopped(c.ID) {
		// No case to file it under, or a case a person handles: the chat
		// goes to the collectors, who read the details in it.
		reason := "representative"
		if c != nil {
			_, why := t.v.Flags[c.ID].StopsCollection()
			reason += "; collection stopped: " + why
		}
		t.st.Node = NodeHandoff
		t.effect(Handoff{CaseID: caseID, Reason: reason, Priority: PriorityNormal})
		t.entry(caseID, "handoff.requested", casestore.ActorSystem, map[string]any{"reason": reason})
	} else {
		t.st.Node = NodeStart
	}
	t.say(kRepFiled, "date", day(t.st.language(), due))
}

// --- Identity fraud --------------------------------------------------------------

// startFraud: "someone used my details". A fraud dispute on the whole case
// (collection paused at once), a task, and the police report may follow.
func (t *turn) startFraud() {
	if t.c.Stage == casestore.Executie {
		t.handoff("fraud after judgment", PriorityHigh, kDisputeExecution)
		return
	}
	due := workdaysAfter(t.today, fraudDays)
	d := casestore.Dispute{CaseID: t.c.ID, Reason: casestore.ReasonNotMyDebt, Text: t.text, Status: casestore.DisputeOpen, CreatedAt: t.now}
	t.effect(OpenDispute{Dispute: d, CaseStatus: casestore.StatusOnHold})
	t.effect(CollectorTask{CaseID: t.c.ID, Topic: "fraud", Summary: "identity fraud reported: collection paused", Due: due, Priority: PriorityHigh})
	t.entry(t.c.ID, EntryFraudReported, actorDebtor, map[string]any{"text": t.text, "answer_by": due, "collection": "paused"})
	t.st.Flow = Scratch{}
	t.st.Node = NodeFraudProof
	t.say(kFraudAck)
}

// fraudAnswer waits for the police report or "klaar".
func (t *turn) fraudAnswer() bool {
	if !isDone(t.low, t.u) {
		return false
	}
	due := workdaysAfter(t.today, fraudDays)
	if len(t.st.Flow.Evidence) > 0 {
		t.entry(t.c.ID, "fraud.evidence", actorDebtor, map[string]any{"evidence": t.st.Flow.Evidence})
	}
	t.say(kFraudDone, "date", day(t.st.language(), due))
	t.backToMenu()
	return true
}

// --- Debt help --------------------------------------------------------------------

// debtHelp is the free debt help of the debtor's country: the case's
// regime, else the phone's country; never the other country's.
func (t *turn) debtHelp() string {
	lang := t.st.language()
	c := t.c
	if c == nil && len(t.v.PhoneCases) > 0 {
		c = t.v.PhoneCases[0]
	}
	switch {
	case c != nil && belgian(c.Regime):
		return render(lang, kDebtHelpBE)
	case c != nil:
		return render(lang, kDebtHelpNL)
	case strings.HasPrefix(t.st.Phone, "+32"):
		return render(lang, kDebtHelpBE)
	case strings.HasPrefix(t.st.Phone, "+31"):
		return render(lang, kDebtHelpNL)
	}
	return render(lang, kDebtHelpAny)
}

// --- IBAN --------------------------------------------------------------------------

// FindIBAN finds an IBAN in a message, written in one piece or in groups
// of four ("NL91 ABNA 0417 1643 00"), and checks it (length and the ISO
// 13616 mod-97 check). seen is true when something shaped like an IBAN
// (two letters, two digits and more) was there, valid or not.
func FindIBAN(text string) (iban string, seen bool) {
	fields := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ',' || r == ':' || r == ';' || r == '.' || r == '-'
	})
	for i, f := range fields {
		if len(f) < 4 || !isLetter(f[0]) || !isLetter(f[1]) || !isDigit(f[2]) || !isDigit(f[3]) {
			continue
		}
		cand := f
		if len(f) <= 4 {
			for _, g := range fields[i+1:] {
				if len(g) > 4 || !alnum(g) || len(cand)+len(g) > 34 {
					break
				}
				cand += g
			}
		}
		if len(cand) < 12 || !alnum(cand) {
			continue
		}
		seen = true
		if ValidIBAN(cand) {
			return cand, true
		}
	}
	if !seen {
		// A long run of digits is an account number attempt too.
		digits := 0
		for _, r := range text {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		seen = digits >= 8
	}
	return "", seen
}

// ibanLengths are the IBAN lengths of the countries debtors mostly bank in;
// other countries are checked on mod-97 and the general bounds.
var ibanLengths = map[string]int{"NL": 18, "BE": 16, "DE": 22, "FR": 27, "LU": 20, "GB": 22, "ES": 24, "IT": 27, "PL": 28, "AT": 20}

// ValidIBAN checks an IBAN without spaces: country length where known and
// the mod-97 check (the remainder must be 1).
func ValidIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 || !alnum(s) || !isLetter(s[0]) || !isLetter(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	if n, ok := ibanLengths[s[:2]]; ok && len(s) != n {
		return false
	}
	rearranged := s[4:] + s[:4]
	rem := 0
	for i := 0; i < len(rearranged); i++ {
		ch := rearranged[i]
		if isDigit(ch) {
			rem = (rem*10 + int(ch-'0')) % 97
			continue
		}
		v := int(ch-'A') + 10
		rem = (rem*100 + v) % 97
	}
	return rem == 1
}

// FormatIBAN writes an IBAN in groups of four, as banks print it.
func FormatIBAN(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isLetter(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}
