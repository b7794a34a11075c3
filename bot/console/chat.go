package console

import (
	"context"
	"net/http"
	"strconv"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/console/auth"
	"github.com/incassobot/incassobot/bot/internal/dossierview"
	"github.com/incassobot/incassobot/casestore"
)

// Page sizes of the chat page.
const (
	historyLines    = 200 // the conversation: enough for any chat a person takes over
	dossierPageSize = 25
)

type chatData struct {
	base
	H       *casestore.Handoff
	HeldBy  string
	Mine    bool // the collector holds it: may reply and hand back
	CanHand bool // may hand back: the holder, or a supervisor
	Case    *casestore.Case
	Balance *casestore.Breakdown
	// BalanceError says why no balance is shown (a case the rules cannot
	// compute); the rest of the page still helps.
	BalanceError string
	Lines        []bot.Line
	Dossier      []dossierview.Entry
	OlderThan    int64 // BeforeID of the next dossier page; 0 when none
	Older        bool  // this is not the newest dossier page
	Canned       []cannedReply
	Notice       string
	Live         chatLive      // who holds it, who wrote which line (live.go)
	Media        []mediaFile   // the case's evidence files (media.go)
	Decisions    decisionsView // pending plans and open disputes (decide.go)
	PaymentKey   string        // names this drawing of the payment form (payments.go)
	CaseFlags    caseFlagsView // bewindvoering, debt settlement (flags.go)
}

// Debtor names whom the chat is with: the debtor of its case, or a
// stranger not yet identified. Never the address: on the web chat that is
// the browser's session.
func (d chatData) Debtor() string {
	if d.Case != nil {
		return d.Case.Debtor.Name
	}
	return "een nog niet geïdentificeerde debiteur"
}

// Phone is the number a text or WhatsApp chat comes from, for a collector
// who wants to call; "" on channels whose address is no phone number.
func (d chatData) Phone() string { return phoneOf(d.H) }

func phoneOf(h *casestore.Handoff) string {
	if h.Channel == "sms" || h.Channel == "whatsapp" {
		return h.Address
	}
	return ""
}

// chat shows one chat: who holds it, the case with its live balance, the
// conversation and the dossier.
func (c *Console) chat(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := handoffID(w, r)
	if !ok {
		return
	}
	h, err := c.d.Store.Handoff(ctx, id)
	if err != nil {
		c.fail(w, r, err, "de chat openen")
		return
	}
	me, _ := auth.UserFrom(ctx)
	data := chatData{base: c.base(r), H: h, Canned: cannedReplies, Notice: chatNotices[r.URL.Query().Get("done")]}
	data.Mine = h.Status == casestore.HandoffClaimed && h.CollectorID == me.ID
	data.CanHand = h.Status.Open() && (data.Mine || me.Role == casestore.RoleSupervisor)
	if h.Status == casestore.HandoffClaimed {
		if data.HeldBy, err = newNames(c.d.Store).of(ctx, h.CollectorID); err != nil {
			c.fail(w, r, err, "de chat openen")
			return
		}
	}
	if data.Lines, err = bot.History(ctx, c.d.Store, h.Channel, h.Address, historyLines); err != nil {
		c.fail(w, r, err, "het gesprek lezen")
		return
	}
	if h.CaseID != 0 {
		if err := c.loadCase(ctx, &data, r.URL.Query().Get("before")); err != nil {
			c.fail(w, r, err, "het dossier lezen")
			return
		}
	}
	if err := c.loadLive(ctx, &data); err != nil {
		c.fail(w, r, err, "de chat openen")
		return
	}
	if err := c.loadMedia(ctx, &data); err != nil {
		c.fail(w, r, err, "de bestanden lezen")
		return
	}
	if err := c.loadDecisions(ctx, &data, r.URL.Query().Get("done")); err != nil {
		c.fail(w, r, err, "de voorstellen en betwistingen lezen")
		return
	}
	if n, ok := paymentNotices[r.URL.Query().Get("done")]; ok {
		data.Notice = n
	}
	data.PaymentKey = newPaymentKey()
	c.render(w, r, http.StatusOK, "chat", data)
}

var chatNotices = map[string]string{
	"reply": "Uw antwoord staat klaar en wordt nu verstuurd.",
	"note":  "De notitie staat in het dossier (niet verstuurd).",
	"flags": "De vlaggen van het dossier zijn opgeslagen.",
}

// loadCase fills the case, its balance as of now and one page of its
// dossier, newest first.
func (c *Console) loadCase(ctx context.Context, data *chatData, before string) error {
	cs, err := c.d.Store.Case(ctx, data.H.CaseID)
	if err != nil {
		return err
	}
	data.Case = cs
	if b, err := casestore.Balance(cs, c.d.Now()); err != nil {
		c.d.Log.Warn("console: balance", "case", cs.Ref, "err", err)
		data.BalanceError = dossierview.BalanceProblem
	} else {
		data.Balance = &b
	}
	flags, err := c.d.Store.CaseFlags(ctx, cs.ID)
	if err != nil {
		return err
	}
	_, stopped := flags.StopsCollection()
	data.CaseFlags = caseFlagsView{Flags: flags, Stopped: stopped, Settlements: casestore.DebtSettlements}
	q := casestore.DossierQuery{Limit: dossierPageSize}
	if before != "" {
		if q.BeforeID, err = strconv.ParseInt(before, 10, 64); err != nil || q.BeforeID < 0 {
			q.BeforeID = 0
		}
	}
	entries, err := c.d.Store.Dossier(ctx, cs.ID, q)
	if err != nil {
		return err
	}
	data.Dossier = c.describe(ctx, cs, entries)
	if len(entries) == q.Limit {
		data.OlderThan = entries[len(entries)-1].ID
	}
	data.Older = q.BeforeID > 0
	return nil
}

// describe reads entries in words (dossierview), naming the collectors
// who acted.
func (c *Console) describe(ctx context.Context, cs *casestore.Case, entries []casestore.DossierEntry) []dossierview.Entry {
	inv := dossierview.InvoicesOf(cs)
	out := make([]dossierview.Entry, 0, len(entries))
	for _, e := range entries {
		d := dossierview.Describe(e, inv)
		if _, ok := bot.CollectorOf(e.Actor); ok {
			d.Who = c.actorName(ctx, e.Actor)
		}
		out = append(out, d)
	}
	return out
}

// cannedReply is a ready answer a collector picks instead of typing.
type cannedReply struct {
	Lang, Label, Text string
}

// cannedReplies are the collectors' stock answers, in the debtor's
// language: plain and polite, never shaming.
var cannedReplies = []cannedReply{
	{"nl", "Ik kijk mee", "Goedendag, u spreekt nu met een medewerker. Ik kijk met u mee naar uw dossier."},
	{"nl", "Even geduld", "Dank u voor uw bericht. Ik zoek het voor u uit en kom er zo snel mogelijk op terug."},
	{"nl", "Terug naar assistent", "Dank u wel. Ik geef het gesprek terug aan onze digitale assistent; u kunt altijd opnieuw naar een medewerker vragen."},
	{"en", "Taking over", "Hello, you are now talking to a member of our staff. I am looking at your file with you."},
	{"en", "One moment", "Thank you for your message. I will look into it and get back to you as soon as possible."},
	{"fr", "Je prends le relais", "Bonjour, vous parlez maintenant avec un collaborateur. Je regarde votre dossier avec vous."},
	{"fr", "Un instant", "Merci pour votre message. Je vérifie et je reviens vers vous dès que possible."},
}

// errNoCase: notes live in a case's dossier; a stranger's chat has none.
var errNoCase = conflictError("Dit gesprek hoort (nog) bij geen dossier: de debiteur is niet geïdentificeerd.")
