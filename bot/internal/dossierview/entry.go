package dossierview

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Entry is one dossier entry as a person reads it.
type Entry struct {
	ID   int64 // the store's id: for anchors and paging, never shown as a number
	At   time.Time
	Kind casestore.EntryKind
	// Summary is one sentence saying what happened, with the figures that
	// matter: "Betalingsregeling voorgesteld: 6 × € 65,00 per maand vanaf
	// 1 januari 2027 (past binnen het beleid)".
	Summary string
	// Who did it and over which channel, in words ("debiteur", "WhatsApp").
	Who, Channel string
	// Text is the words someone wrote (a message, a note, a debtor's
	// explanation): data, escaped wherever it is shown.
	Text    string
	HasText bool
	// Details are the rest of the facts, folded under the sentence.
	Details []Fact
	// Schedule is a plan's payments, folded too.
	Schedule   []Term
	FromDebtor bool
}

// Fact is one detail: "Nog open: € 120,00".
type Fact struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Term is one payment of a plan, ready to show.
type Term struct {
	Seq    int    `json:"seq"`
	Due    string `json:"due"`
	Amount string `json:"amount"`
}

// ScheduleText is the schedule on one line, for print: "1. 1 januari
// 2027 € 65,00; 2. …".
func (e Entry) ScheduleText() string {
	parts := make([]string, len(e.Schedule))
	for i, t := range e.Schedule {
		parts[i] = fmt.Sprintf("%d. %s %s", t.Seq, t.Due, t.Amount)
	}
	return strings.Join(parts, "; ")
}

// Invoices are a case's invoice numbers by id, so an entry names
// "factuur F-1001" rather than an id.
type Invoices map[int64]string

// InvoicesOf is the invoice numbers of c.
func InvoicesOf(c *casestore.Case) Invoices {
	m := Invoices{}
	for _, inv := range c.Invoices {
		m[inv.ID] = inv.Number
	}
	return m
}

// what names an invoice by id, or the whole case when there is none.
func (inv Invoices) what(b body, key string) string {
	id, ok := b.int(key)
	if !ok {
		if n := b.str("invoice"); n != "" {
			return "factuur " + n
		}
		return "het hele dossier"
	}
	if n, ok := inv[id]; ok {
		return "factuur " + n
	}
	return "een factuur"
}

// Describe reads one entry. Keys that identify a session, a provider's
// message or a payment link are never read: they are no reader's business
// and some are secrets.
func Describe(e casestore.DossierEntry, inv Invoices) Entry {
	b := parseBody(e.Body)
	out := Entry{ID: e.ID, At: e.At, Kind: e.Kind, Who: Label("actor", e.Actor), Channel: Label("channel", e.Channel),
		FromDebtor: e.Actor == casestore.ActorDebtor}
	d := &out
	switch k := string(e.Kind); {
	case k == "message.in":
		d.Summary = "Bericht van de debiteur"
		d.words(b, "text")
		if n := b.count("media"); n > 0 {
			d.fact("Bijlagen", strconv.Itoa(n))
		}
	case k == "message.out":
		d.Summary = "Antwoord van de assistent"
		if strings.HasPrefix(string(e.Actor), "collector:") {
			d.Summary = "Bericht van een medewerker aan de debiteur"
		}
		d.words(b, "text")
		if opts := b.strs("options"); len(opts) > 0 {
			d.fact("Knoppen", strings.Join(opts, ", "))
		}
	case k == "note":
		d.Summary = "Privénotitie van een medewerker (niet aan de debiteur gestuurd)"
		d.words(b, "text")
	case k == "balance.shown":
		d.balanceShown(b)
	case k == "dispute.opened":
		d.Summary = "Betwisting geopend voor " + inv.what(b, "invoiceid")
		if r := b.str("reason"); r != "" {
			d.Summary += ": " + strings.ToLower(Label("reason", r))
		}
		d.words(b, "text")
		d.day(b, "answerby", "Beantwoorden uiterlijk")
		d.evidence(b)
	case k == "dispute.resolved":
		what := inv.what(b, "invoiceid")
		if b.str("status") == "upheld" {
			d.Summary = "Betwisting toegewezen: de debiteur krijgt gelijk, " + what + " vervalt"
		} else {
			d.Summary = "Betwisting afgewezen: de vordering op " + what + " blijft staan"
		}
		d.words(b, "explanation")
		d.money(b, "open", "Nog open na de beslissing")
	case k == "plan.proposed":
		d.planProposed(b)
	case k == "plan.accepted":
		d.withPlan(b, "plan", "De debiteur ging akkoord met de betalingsregeling")
	case k == "plan.approved":
		d.withPlan(b, "plan", "Betalingsregeling goedgekeurd door een medewerker")
	case k == "plan.countered":
		d.withPlan(b, "counter", "Tegenvoorstel van een medewerker verstuurd")
		d.breaches(b, "breaches", "Buiten het beleid")
	case k == "plan.rejected":
		d.Summary = "Betalingsregeling afgewezen"
		if r := b.str("reason"); r != "" {
			d.Summary += ": " + Label("reject", r)
		}
		d.money(b, "open", "Nog open")
	case k == "promise.made":
		d.Summary = "Betaaltoezegging van de debiteur"
		if a, ok := b.dec("amount"); ok {
			d.Summary += ": " + Money(a)
		}
		if t, ok := b.time("date"); ok {
			d.Summary += " uiterlijk " + Day(t)
		}
	case k == "payment.received":
		d.Summary = "Betaling ontvangen"
		if a, ok := b.dec("amount"); ok {
			d.Summary += ": " + Money(a)
		}
		d.day(b, "valuedate", "Valutadatum")
		d.plain(b, "reference", "Kenmerk")
	case k == "payment.reported":
		d.Summary = "De debiteur meldt al betaald te hebben"
		if a, ok := b.dec("amount"); ok {
			d.Summary += ": " + Money(a)
		}
		if t, ok := b.time("valuedate"); ok {
			d.Summary += " op " + Day(t)
		}
		d.Summary += " (" + inv.what(b, "invoiceid") + ")"
		d.plain(b, "account", "Van rekening")
		d.plain(b, "reference", "Kenmerk")
		d.evidence(b)
		d.day(b, "answerby", "Nakijken uiterlijk")
	case k == "case.imported":
		d.Summary = "Dossier aangemaakt"
		if b.str("source") == "demo" {
			d.Summary += " (demonstratiegegevens)"
		}
		d.imported(b)
	case k == "case.updated":
		d.Summary = "Dossier bijgewerkt"
		d.imported(b)
	case k == "status.changed":
		d.Summary = "Status van het dossier gewijzigd"
		if to := b.str("to"); to != "" {
			d.Summary += " naar " + strings.ToLower(Label("status", to))
		}
		if from := b.str("from"); from != "" {
			d.fact("Was", Label("status", from))
		}
	case k == "handoff.requested":
		d.Summary = "Chat doorgezet naar een medewerker"
		var why []string
		if r := b.str("reason"); r != "" {
			why = append(why, Label("handoff", r))
		}
		if p, ok := b.int("priority"); ok {
			why = append(why, "prioriteit "+Priority(int(p)))
		}
		if len(why) > 0 {
			d.Summary += " (" + strings.Join(why, ", ") + ")"
		}
	case k == "verification.succeeded":
		if phone := b.str("phone"); phone != "" {
			d.Summary = "Debiteur geïdentificeerd met het dossiernummer, vanaf een telefoonnummer uit het dossier"
			d.fact("Telefoonnummer", phone)
		} else {
			d.Summary = "Debiteur geïdentificeerd met het dossiernummer en de postcode of geboortedatum"
		}
	case k == "verification.failed":
		d.Summary = "Identificatie mislukt"
		if n, ok := b.int("attempt"); ok {
			d.Summary += fmt.Sprintf(" (poging %d)", n)
		}
		if r := b.str("reason"); r != "" {
			d.Summary += ": " + Label("verify", r)
		}
	case k == "verification.locked":
		d.Summary = "Identificatie tijdelijk geblokkeerd na herhaalde mislukte pogingen"
		if t, ok := b.time("until"); ok {
			d.Summary += ", tot " + DateTime(t)
		}
	case k == "callback.requested":
		d.Summary = "De debiteur vraagt om teruggebeld te worden"
		if p := b.str("phone"); p != "" {
			d.Summary += " op " + p
		}
		if t, ok := b.time("at"); ok {
			d.Summary += ", op " + Day(t)
		}
		d.words(b, "preferred")
	case k == "paylink.sent":
		d.Summary = "Betaallink gestuurd"
		if a, ok := b.dec("amount"); ok {
			d.Summary += " voor " + Money(a)
		}
	case k == "optout":
		d.Summary = "De debiteur wil via " + d.Channel + " geen berichten meer ontvangen"
	case k == "optin":
		d.Summary = "De debiteur ontvangt weer berichten via " + d.Channel
	case k == "dialog.error":
		d.Summary = "De assistent liep vast en gaf het gesprek door aan een medewerker"
	case k == "complaint.filed":
		d.Summary = "Klacht van de debiteur over de behandeling"
		if r := b.str("reference"); r != "" {
			d.Summary += " (kenmerk " + r + ")"
		}
		d.words(b, "text")
		d.day(b, "answerby", "Beantwoorden uiterlijk")
	case k == "refund.requested":
		d.Summary = "De debiteur vraagt terugbetaling van wat te veel is betaald"
		if a, ok := b.dec("overpaid"); ok && a.IsPositive() {
			d.Summary += ": " + Money(a)
		} else {
			d.Summary += " (geen te veel betaald bedrag in het dossier: nakijken)"
		}
		d.plain(b, "iban", "Naar rekening (IBAN)")
		d.words(b, "text")
		d.day(b, "answerby", "Nakijken uiterlijk")
	case k == "overpayment.shown":
		d.Summary = "De debiteur hoorde dat er te veel is betaald"
		d.money(b, "overpaid", "Te veel betaald")
	case k == "representative.filed":
		d.Summary = "Iemand schrijft namens de debiteur; de bevoegdheid is nog niet gecontroleerd en er is niets over het dossier gezegd"
		d.words(b, "details")
		d.plain(b, "phone", "Telefoonnummer")
		d.day(b, "verifyby", "Controleren uiterlijk")
	case k == "fraud.reported":
		d.Summary = "De debiteur meldt identiteitsfraude: de incasso is stilgezet"
		d.words(b, "text")
		d.day(b, "answerby", "Onderzoeken uiterlijk")
	case k == "fraud.evidence":
		d.Summary = "Aangifte of ander bewijs van identiteitsfraude ontvangen"
		d.evidence(b)
	case k == "document.requested":
		d.Summary = "De debiteur vraagt een kopie van "
		if b.str("document") == "specification" {
			d.Summary += "de specificatie"
		} else if invs := b.strs("invoices"); len(invs) > 0 {
			d.Summary += "factuur " + strings.Join(invs, ", ")
		} else {
			d.Summary += "de facturen"
		}
		d.day(b, "answerby", "Sturen uiterlijk")
	case k == "document.sent":
		d.Summary = "Document aan de debiteur gestuurd: "
		if b.str("document") == "specification" {
			d.Summary += "de specificatie"
		} else {
			d.Summary += "factuur " + strings.Join(b.strs("invoices"), ", ")
		}
	case k == "bank_details.sent":
		d.Summary = "Bankgegevens voor een overschrijving gestuurd"
		d.plain(b, "iban", "IBAN")
		d.plain(b, "reference", "Betalingskenmerk")
		d.money(b, "amount", "Bedrag")
	case k == "task.opened":
		d.Summary = "Taak voor een medewerker"
		if tp := b.str("topic"); tp != "" {
			d.Summary += ": " + Label("task", tp)
		}
		if t, ok := b.time("due"); ok {
			d.Summary += ", uiterlijk " + Day(t)
		}
		if p, ok := b.int("priority"); ok {
			d.fact("Prioriteit", Priority(int(p)))
		}
		d.plain(b, "summary", "Omschrijving")
	case k == "contact.preference":
		d.Summary = "Contactvoorkeur van de debiteur gewijzigd"
		nw := parseBody(b["new"])
		var want []string
		if ch := nw.str("channel"); ch != "" {
			want = append(want, Label("contact", ch))
		}
		if string(nw["nocalls"]) == "true" {
			want = append(want, "niet bellen")
		}
		if len(want) > 0 {
			d.Summary += ": " + strings.Join(want, "; ")
		}
	case k == "case.flags":
		d.Summary = "Kenmerken van het dossier gewijzigd"
		if string(b["collectionstopped"]) == "true" {
			d.Summary += ": de incasso is gestopt"
			d.plain(b, "reason", "Reden")
		}
	case k == "delivery.delivered":
		d.Summary = "Bericht afgeleverd bij de debiteur"
	case k == "delivery.failed":
		d.Summary = "Bericht kon niet worden afgeleverd"
		d.plain(b, "errorcode", "Foutcode van de provider")
	case k == "delivery.withheld":
		// The outbox's bot.EntryDeliveryWithheld: what the assistant had
		// wanted to say, not sent because a collector took the chat.
		d.Summary = "Antwoord van de assistent niet verstuurd: een medewerker nam het gesprek over"
		d.words(b, "text")
	case k == "delivery.uncertain":
		d.Summary = "Bericht opnieuw verstuurd na een storing: de debiteur kan het twee keer hebben ontvangen"
	default:
		d.Summary = "Overige registratie in het dossier"
		d.words(b, "text")
		d.rest(e.Body)
	}
	if !d.HasText && d.Summary == "" {
		d.Summary = "Registratie in het dossier"
	}
	return out
}

func (d *Entry) fact(label, value string) {
	if value != "" {
		d.Details = append(d.Details, Fact{label, value})
	}
}

// words takes the text someone wrote from key.
func (d *Entry) words(b body, key string) {
	if t, ok := b.text(key); ok && strings.TrimSpace(t) != "" {
		d.Text, d.HasText = t, true
	}
}

func (d *Entry) plain(b body, key, label string) {
	if s := strings.TrimSpace(strings.Trim(string(b[key]), `"`)); s != "" && s != "null" {
		d.fact(label, s)
	}
}

func (d *Entry) money(b body, key, label string) {
	if a, ok := b.dec(key); ok {
		d.fact(label, Money(a))
	}
}

func (d *Entry) day(b body, key, label string) {
	if t, ok := b.time(key); ok {
		d.fact(label, Day(t))
	}
}

func (d *Entry) evidence(b body) {
	if n := b.count("evidence"); n > 0 {
		d.fact("Bewijsstukken", strconv.Itoa(n))
	}
}

func (d *Entry) breaches(b body, key, label string) {
	var words []string
	for _, r := range b.strs(key) {
		words = append(words, Label("breach", r))
	}
	d.fact(label, strings.Join(words, "; "))
}

func (d *Entry) imported(b body) {
	if f := b.str("file"); f != "" {
		d.Summary += " uit bestand " + f
	}
	var lines []string
	for _, n := range b.strs("lines") {
		lines = append(lines, n)
	}
	if len(lines) == 0 {
		var nums []int
		_ = json.Unmarshal(b["lines"], &nums)
		for _, n := range nums {
			lines = append(lines, strconv.Itoa(n))
		}
	}
	if n, ok := b.int("row"); ok {
		lines = append(lines, strconv.FormatInt(n, 10))
	}
	d.fact("Regel(s) in het bestand", strings.Join(lines, ", "))
	d.fact("Facturen", strings.Join(b.strs("invoices"), ", "))
}

func (d *Entry) balanceShown(b body) {
	bd := b.obj("breakdown")
	d.Summary = "Saldo aan de debiteur getoond"
	if b.str("detail") == "invoices" {
		d.Summary = "Saldo per factuur aan de debiteur getoond"
	}
	total := bd.obj("total")
	if bd == nil { // an older, flat body: the amounts themselves
		bd, total = body{}, b
	}
	if open, ok := total.dec("open"); ok {
		d.Summary += ": " + Money(open) + " open"
	}
	for _, f := range []struct{ key, label string }{{"principal", "Hoofdsom"}, {"interest", "Rente"},
		{"costs", "Incassokosten"}, {"costsvat", "Btw op kosten"}, {"paid", "Betaald"}} {
		if a, ok := total.dec(f.key); ok && !(f.key == "costsvat" && a.IsZero()) {
			d.fact(f.label, Money(a))
		}
	}
	for _, ib := range bd.list("invoices") {
		if open, ok := ib.dec("open"); ok {
			d.fact("Factuur "+ib.str("number"), Money(open)+" open")
		}
	}
}

// planProposed: what the debtor asked, what the bot answered, and the
// schedule that came of it.
func (d *Entry) planProposed(b body) {
	d.Summary = "Betalingsregeling voorgesteld"
	p, hasPlan := b.plan("plan")
	ask := b.obj("proposal")
	switch {
	case ask != nil:
		d.Summary += ": " + proposalPhrase(ask)
	case hasPlan:
		d.Summary += ": " + planPhrase(p)
	default: // an older, flat body: total and number of terms
		var parts []string
		if n, ok := b.int("terms"); ok {
			parts = append(parts, fmt.Sprintf("%d termijnen", n))
		}
		if t, ok := b.dec("total"); ok {
			parts = append(parts, "totaal "+Money(t))
		}
		if len(parts) > 0 {
			d.Summary += ": " + strings.Join(parts, ", ")
		}
	}
	if o := b.str("outcome"); o != "" {
		d.Summary += " (" + Label("outcome", o) + ")"
	}
	if hasPlan && ask != nil {
		label := "Schema"
		if b.str("outcome") == string(casestore.PlanCountered) {
			label = "Tegenvoorstel van de assistent"
		}
		d.fact(label, planPhrase(p))
	}
	d.breaches(b, "reasons", "Afwijkingen van het beleid")
	d.schedule(p)
}

// withPlan: a sentence about the plan in key, its schedule folded.
func (d *Entry) withPlan(b body, key, sentence string) {
	d.Summary = sentence
	if p, ok := b.plan(key); ok {
		d.Summary += ": " + planPhrase(p)
		d.schedule(p)
	}
}

func (d *Entry) schedule(p plan) {
	for _, t := range p.Installments {
		d.Schedule = append(d.Schedule, Term{Seq: t.Seq, Due: Day(t.Due), Amount: Money(t.Amount)})
	}
}

// proposalPhrase is what the debtor asked: "€ 50,00 per maand", "in 6
// termijnen", with a down payment and a first day when given.
func proposalPhrase(p body) string {
	var parts []string
	if m, ok := p.dec("monthly"); ok && m.IsPositive() {
		parts = append(parts, Money(m)+" per maand")
	}
	if n, ok := p.int("terms"); ok && n > 0 {
		parts = append(parts, fmt.Sprintf("in %d termijnen", n))
	}
	if dp, ok := p.dec("downpayment"); ok && dp.IsPositive() {
		parts = append(parts, "aanbetaling "+Money(dp))
	}
	if t, ok := p.time("start"); ok && t.Year() > 1 {
		parts = append(parts, "vanaf "+Day(t))
	}
	if len(parts) == 0 {
		return "zonder bedrag of aantal termijnen"
	}
	return strings.Join(parts, ", ")
}

// planPhrase says a schedule in one line: "6 × € 65,00 per maand vanaf
// 1 januari 2027, totaal € 390,00", with a down payment first and a
// different last payment named ("…, en een laatste termijn van € 60,00").
func planPhrase(p plan) string {
	terms := p.Installments
	if len(terms) == 0 {
		return "zonder termijnen"
	}
	var parts []string
	if p.Down.IsPositive() && len(terms) > 1 && terms[0].Amount.Equal(p.Down) {
		parts = append(parts, "aanbetaling "+Money(p.Down)+" op "+Day(terms[0].Due))
		terms = terms[1:]
	}
	regular := terms[0].Amount
	last := terms[len(terms)-1].Amount
	same := !slices.ContainsFunc(terms[:len(terms)-1], func(t planTerm) bool { return !t.Amount.Equal(regular) })
	every := "per maand"
	if !monthly(terms) {
		every = "termijnen"
	}
	switch {
	case len(terms) == 1:
		parts = append(parts, "één betaling van "+Money(regular)+" op "+Day(terms[0].Due))
	case same && last.Equal(regular):
		parts = append(parts, fmt.Sprintf("%d × %s %s vanaf %s", len(terms), Money(regular), every, Day(terms[0].Due)))
	case same:
		parts = append(parts, fmt.Sprintf("%d × %s %s vanaf %s, en een laatste termijn van %s", len(terms)-1, Money(regular), every,
			Day(terms[0].Due), Money(last)))
	default:
		parts = append(parts, fmt.Sprintf("%d termijnen vanaf %s", len(terms), Day(terms[0].Due)))
	}
	total := p.Total
	if total.IsZero() {
		for _, t := range p.Installments {
			total = total.Add(t.Amount)
		}
	}
	return strings.Join(parts, ", dan ") + ", totaal " + Money(total)
}

// monthly reports whether the payments fall a month apart.
func monthly(terms []planTerm) bool {
	for i := 1; i < len(terms); i++ {
		a, b := terms[i-1].Due, terms[i].Due
		months := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
		if months != 1 {
			return false
		}
	}
	return true
}

// skipped are keys no reader sees: they identify a web session, a
// provider's message or a payment link, or repeat what the sentence says.
var skipped = map[string]bool{"from": true, "providerid": true, "link": true, "token": true, "session": true,
	"sessionid": true, "outboundid": true, "at": true}

// rest lists the scalar fields of an entry of a kind this package does
// not know yet, so nothing filed is hidden; nested values are left out
// rather than shown as JSON.
func (d *Entry) rest(raw []byte) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if skipped[foldKey(k)] || k == "text" {
			continue
		}
		v := strings.TrimSpace(string(m[k]))
		if v == "" || v == "null" || v[0] == '{' || v[0] == '[' {
			continue
		}
		var s string
		if json.Unmarshal(m[k], &s) != nil {
			s = v
		}
		if a, err := decimal.NewFromString(s); err == nil && strings.Contains(s, ".") {
			s = Money(a)
		}
		d.fact(strings.ReplaceAll(k, "_", " "), s)
	}
}

// PlanPhrase says a stored plan in one line, as entries do: "6 × € 65,00
// per maand vanaf 1 januari 2027, totaal € 390,00".
func PlanPhrase(p casestore.Plan) string {
	out := plan{Total: p.Total, Down: p.DownPayment}
	for _, in := range p.Installments {
		out.Installments = append(out.Installments, planTerm{Seq: in.Seq, Due: in.Due, Amount: in.Amount})
	}
	return planPhrase(out)
}
