package bot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/demo"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/dialogs"
	"github.com/shopspring/decimal"
)

// The whole-conversation sets (testdata/conversations/*.conv, format in
// FORMAT.md there) run through the real Conversations on a fresh SQLite
// store seeded with the demo cases, at the fixed clock. Each set's test
// logs every failing conversation with why, and the figures: conversations
// passed, replies in the debtor's language, SMS segments, wrong
// commitments, disclosures before verification. A set fails its test only
// below its floor (the level reached; holdout sets are measured, not tuned
// on) — but a disclosure before verification always fails.

// convClock is the sets' fixed clock: Wednesday 2 December 2026, 10:00 Amsterdam.
var convClock = time.Date(2026, time.December, 2, 10, 0, 0, 0, casestore.Amsterdam)

// convAgency is the agency the sets run as: a bank account for transfers
// and a complaint procedure with the external bodies of both countries
// (FORMAT.md names them).
var convAgency = dialogs.Agency{
	Name: "Incasso Demo B.V.", Contact: "www.incasso-demo.example",
	IBAN: "NL91ABNA0417164300", AccountHolder: "Incasso Demo B.V.",
	Complaints: dialogs.ComplaintPolicy{TermDays: 10, Procedure: "www.incasso-demo.example/klachten",
		BodyNL: "de Geschillencommissie", BodyBE: "de Consumentenombudsdienst"},
}

// convFloors is each set's floor: the share of its conversations that must
// pass. A set without one must pass them all.
var convFloors = map[string]float64{
	"dev.conv":     1,
	"holdout.conv": 0.77,
	"own.conv":     1,
	// Session 5's blind sets: the development set (tuned on, fixing
	// classes) and the hold-out of issue #19, at their untuned figures
	// until work on them raises the floor.
	"dev2.conv":           0.975, // 39/40 after fixing its classes (issue #12)
	"rights-holdout.conv": 0.56,  // 17/30 after issue #19 (untuned 1/30)
	"rights.conv":         1,
	// Session 6's blind sets, written by two helpers at once and apart
	// (one a development set, the other a hold-out), at their untuned
	// figures (headers) until work on them raises the floor.
	"dev3.conv":            0.70,  // 28/40 untuned (issue #12)
	"holdout2.conv":        0.775, // 31/40 untuned, never tuned on
	"rights-dev2.conv":     0.46,  // 14/30 untuned (issue #19)
	"rights-holdout2.conv": 0.46,  // 14/30 untuned, never tuned on
}

type convTurn struct {
	say     string
	must    []*regexp.Regexp
	mustNot []*regexp.Regexp
	line    int
}

type convExpect struct {
	none   bool
	kind   string
	fields map[string]string
	line   int
}

type conversation struct {
	id, title string
	caseRef   string
	channel   string
	lang      string
	turns     []convTurn
	forbid    []*regexp.Regexp
	expects   []convExpect
	line      int
}

func parseConvRegexp(s string) (*regexp.Regexp, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '/' || s[len(s)-1] != '/' {
		return nil, fmt.Errorf("%q is not a /regexp/", s)
	}
	return regexp.Compile("(?i)" + s[1:len(s)-1])
}

// stripComment drops a trailing "   # comment" (two spaces or more before #),
// as FORMAT.md writes them; a # inside a regexp or message stays.
func stripComment(s string) string {
	if i := strings.Index(s, "  #"); i >= 0 && !strings.Contains(s[:i], "/") {
		return strings.TrimSpace(s[:i])
	}
	return strings.TrimSpace(s)
}

func parseConvFile(path string) ([]*conversation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*conversation
	var cur *conversation
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("%s:%d: %s", filepath.Base(path), n, fmt.Sprintf(format, a...))
		}
		if strings.HasPrefix(line, "===") {
			head := strings.TrimSpace(strings.TrimPrefix(line, "==="))
			id, title, _ := strings.Cut(head, ":")
			cur = &conversation{id: strings.TrimSpace(id), title: strings.TrimSpace(title), line: n}
			out = append(out, cur)
			continue
		}
		if cur == nil {
			return nil, bad("line before the first conversation")
		}
		switch {
		case strings.HasPrefix(line, ">"):
			text := strings.TrimSpace(strings.TrimPrefix(line, ">"))
			cur.turns = append(cur.turns, convTurn{say: strings.ReplaceAll(text, `\n`, "\n"), line: n})
		case strings.HasPrefix(line, "<"):
			rest := strings.TrimSpace(strings.TrimPrefix(line, "<"))
			key, val, ok := strings.Cut(rest, ":")
			if !ok || len(cur.turns) == 0 {
				return nil, bad("a reply check needs a debtor message above it and a key")
			}
			re, err := parseConvRegexp(stripComment(val))
			if err != nil {
				return nil, bad("%v", err)
			}
			t := &cur.turns[len(cur.turns)-1]
			switch strings.TrimSpace(key) {
			case "must":
				t.must = append(t.must, re)
			case "mustnot":
				t.mustNot = append(t.mustNot, re)
			default:
				return nil, bad("unknown reply check %q", key)
			}
		default:
			key, val, ok := strings.Cut(line, ":")
			if !ok {
				return nil, bad("cannot read %q", line)
			}
			val = stripComment(val)
			switch strings.TrimSpace(key) {
			case "case":
				cur.caseRef = val
			case "channel":
				cur.channel = val
			case "lang":
				cur.lang = val
			case "forbid":
				re, err := parseConvRegexp(val)
				if err != nil {
					return nil, bad("%v", err)
				}
				cur.forbid = append(cur.forbid, re)
			case "expect", "expect-none":
				fields := strings.Fields(val)
				if len(fields) == 0 {
					return nil, bad("%s without a kind", key)
				}
				e := convExpect{none: key == "expect-none", kind: fields[0], fields: map[string]string{}, line: n}
				for _, kv := range fields[1:] {
					k, v, ok := strings.Cut(kv, "=")
					if !ok {
						return nil, bad("field %q is not key=value", kv)
					}
					e.fields[k] = v
				}
				cur.expects = append(cur.expects, e)
			default:
				return nil, bad("unknown line %q", key)
			}
		}
	}
	return out, sc.Err()
}

// convWorld is a seeded SQLite file each conversation starts from a copy of.
type convWorld struct {
	template string
}

func newConvWorld(t *testing.T) *convWorld {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "template.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return convClock.Add(-time.Hour) }
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, s, convClock); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return &convWorld{template: path}
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// convRun is what running one conversation gave.
type convRun struct {
	failures     []string
	smsReplies   []string
	replies      int // replies checked for language
	inLanguage   int
	disclosures  int
	wrongCommits int
}

func (r *convRun) fail(format string, a ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, a...))
}

// filed is what the store holds for a case: to tell what a conversation added.
type filed struct {
	promises, plans, disputes []int64
	payReports, callbacks     int
	// The requests of issue #19, by dossier entry kind, and the debtor's
	// contact preference.
	rights  map[casestore.EntryKind][]casestore.DossierEntry
	contact casestore.ContactPreference
}

// rightsKinds are the dossier entries the rights expectations count.
var rightsKinds = []casestore.EntryKind{
	dialogs.EntryComplaintFiled, dialogs.EntryRefundRequested, dialogs.EntryRepresentativeFiled,
	dialogs.EntryFraudReported, dialogs.EntryDocumentRequested, casestore.EntryContactPreference,
}

func snapshot(ctx context.Context, s casestore.Store, caseID int64) (filed, error) {
	var f filed
	ps, err := s.Promises(ctx, caseID)
	if err != nil {
		return f, err
	}
	for _, p := range ps {
		f.promises = append(f.promises, p.ID)
	}
	pls, err := s.Plans(ctx, caseID)
	if err != nil {
		return f, err
	}
	for _, p := range pls {
		f.plans = append(f.plans, p.ID)
	}
	ds, err := s.Disputes(ctx, caseID)
	if err != nil {
		return f, err
	}
	for _, d := range ds {
		f.disputes = append(f.disputes, d.ID)
	}
	es, err := s.Dossier(ctx, caseID, casestore.DossierQuery{Kinds: []casestore.EntryKind{"payment.reported", "callback.requested"}, Limit: 1000})
	if err != nil {
		return f, err
	}
	for _, e := range es {
		if e.Kind == "payment.reported" {
			f.payReports++
		} else {
			f.callbacks++
		}
	}
	rs, err := s.Dossier(ctx, caseID, casestore.DossierQuery{Kinds: rightsKinds, Limit: 1000})
	if err != nil {
		return f, err
	}
	f.rights = map[casestore.EntryKind][]casestore.DossierEntry{}
	for _, e := range rs {
		f.rights[e.Kind] = append(f.rights[e.Kind], e)
	}
	c, err := s.Case(ctx, caseID)
	if err != nil {
		return f, err
	}
	f.contact, err = s.ContactPreference(ctx, c.DebtorID)
	return f, err
}

// secrets are the case details no reply may hold before verification.
func secrets(c *casestore.Case) []string {
	out := []string{c.Creditor.Name, c.Debtor.Name}
	for _, inv := range c.Invoices {
		out = append(out, inv.Number)
	}
	add := func(d decimal.Decimal) {
		if d.IsPositive() {
			s := d.StringFixed(2)
			out = append(out, s, strings.Replace(s, ".", ",", 1))
		}
	}
	if b, err := casestore.Balance(c, convClock); err == nil {
		add(b.Total.Open)
		for _, ib := range b.Invoices {
			add(ib.Open)
			add(ib.Principal)
		}
	}
	for _, p := range c.Payments {
		add(p.Amount)
	}
	return slices.DeleteFunc(out, func(s string) bool { return len(s) < 4 })
}

// Function words that tell the three languages apart in the bot's replies.
var langWords = map[string][]string{
	"nl": {"de", "het", "een", "u", "uw", "is", "van", "niet", "en", "op", "voor", "wij", "we", "kunt", "met", "dat", "om", "dank", "ik", "bent", "wilt", "uit", "nog", "te", "naar", "betalen", "graag"},
	"en": {"the", "you", "your", "is", "of", "not", "and", "on", "for", "we", "can", "with", "that", "to", "thank", "i", "are", "want", "please", "pay", "still", "will"},
	"fr": {"le", "la", "les", "vous", "votre", "est", "de", "pas", "et", "pour", "nous", "avec", "que", "merci", "je", "êtes", "voulez", "payer", "des", "une", "un", "du", "vos"},
}

var wordRE = regexp.MustCompile(`[\p{L}']+`)

// replyLanguage guesses the language of a reply; "" when it holds too few
// words to tell.
func replyLanguage(text string) string {
	score := map[string]int{}
	words := wordRE.FindAllString(strings.ToLower(text), -1)
	for _, w := range words {
		for lang, list := range langWords {
			if slices.Contains(list, w) {
				score[lang]++
			}
		}
	}
	best, second := "", 0
	for _, lang := range []string{"nl", "en", "fr"} {
		if best == "" || score[lang] > score[best] {
			if best != "" {
				second = max(second, score[best])
			}
			best = lang
		} else {
			second = max(second, score[lang])
		}
	}
	if score[best] < 3 || score[best] == second {
		return ""
	}
	return best
}

func channelName(ch string) string {
	if ch == "webchat" {
		return "web"
	}
	return ch
}

func runConversation(t *testing.T, w *convWorld, cv *conversation) convRun {
	var r convRun
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "conv.db")
	if err := copyFile(path, w.template); err != nil {
		r.fail("setup: %v", err)
		return r
	}
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		r.fail("setup: %v", err)
		return r
	}
	defer store.Close()
	now := convClock
	store.Now = func() time.Time { return now }
	hot := hotstate.NewMemory()
	hot.Now = func() time.Time { return now }
	conv := &bot.Conversations{Store: store, Hot: hot, Now: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Agency: convAgency}

	c, err := store.CaseByRef(ctx, cv.caseRef)
	if err != nil {
		r.fail("case %q: %v", cv.caseRef, err)
		return r
	}
	before, err := snapshot(ctx, store, c.ID)
	if err != nil {
		r.fail("setup: %v", err)
		return r
	}
	channel := channelName(cv.channel)
	phone := ""
	if len(c.Debtor.Phones) > 0 {
		phone = c.Debtor.Phones[0]
	}
	in := bot.Inbound{Channel: channel, From: phone, Phone: phone}
	switch channel {
	case "web":
		in.From, in.Phone = "web-"+cv.id, ""
	case "telegram":
		in.From = "tg-" + cv.id
	}
	hidden := secrets(c)
	var all []string
	for i, tn := range cv.turns {
		now = convClock.Add(time.Duration(i) * 30 * time.Second)
		msg := in
		msg.Text, msg.At, msg.ProviderID = tn.say, now, fmt.Sprintf("%s-%d", cv.id, i)
		turn, err := conv.Handle(ctx, msg)
		if err != nil {
			r.fail("line %d %q: %v", tn.line, tn.say, err)
			return r
		}
		texts := make([]string, 0, len(turn.Replies))
		for _, rep := range turn.Replies {
			texts = append(texts, rep.Text)
			if channel == "sms" {
				r.smsReplies = append(r.smsReplies, rep.Text)
				if os.Getenv("CONV_LONG_SMS") != "" && twilio.Segments(rep.Text) > 3 {
					t.Logf("%s: %d segments: %q", cv.id, twilio.Segments(rep.Text), rep.Text)
				}
			}
			if cv.lang != "" {
				if got := replyLanguage(rep.Text); got != "" {
					r.replies++
					if got == cv.lang {
						r.inLanguage++
					} else {
						r.fail("line %d %q: reply in %s, want %s: %q", tn.line, tn.say, got, cv.lang, rep.Text)
					}
				}
			}
		}
		joined := strings.Join(texts, "\n")
		all = append(all, joined)
		if os.Getenv("CONV_TRACE") == cv.id {
			t.Logf("> %s\n< %s  [%s %s]", tn.say, joined, turn.Result.Intent, turn.Result.State.Node)
		}
		if !turn.Result.State.Verified {
			low := strings.ToLower(joined)
			for _, s := range hidden {
				if strings.Contains(low, strings.ToLower(s)) {
					r.disclosures++
					r.fail("line %d %q: DISCLOSURE before verification of %q in %q", tn.line, tn.say, s, joined)
				}
			}
		}
		for _, re := range tn.must {
			if !re.MatchString(joined) {
				r.fail("line %d %q: reply does not match %s: %q", tn.line, tn.say, re, joined)
			}
		}
		for _, re := range tn.mustNot {
			if re.MatchString(joined) {
				r.fail("line %d %q: reply matches %s: %q", tn.line, tn.say, re, joined)
			}
		}
	}
	for _, re := range cv.forbid {
		for i, reply := range all {
			if re.MatchString(reply) {
				r.fail("forbidden %s in the reply to %q: %q", re, cv.turns[i].say, reply)
			}
		}
	}
	checkExpectations(ctx, t, &r, store, c, before, cv, channel, in.From)
	return r
}

func checkExpectations(ctx context.Context, t *testing.T, r *convRun, store casestore.Store, c *casestore.Case, before filed, cv *conversation, channel, from string) {
	after, err := snapshot(ctx, store, c.ID)
	if err != nil {
		r.fail("reading what was filed: %v", err)
		return
	}
	fresh, err := store.Case(ctx, c.ID)
	if err != nil {
		r.fail("reading the case: %v", err)
		return
	}
	newIDs := func(a, b []int64) []int64 {
		return slices.DeleteFunc(slices.Clone(b), func(id int64) bool { return slices.Contains(a, id) })
	}
	var promises []*casestore.Promise
	if ps, err := store.Promises(ctx, c.ID); err == nil {
		for _, p := range ps {
			if slices.Contains(newIDs(before.promises, after.promises), p.ID) {
				promises = append(promises, p)
			}
		}
	}
	var plans []*casestore.Plan
	if ps, err := store.Plans(ctx, c.ID); err == nil {
		for _, p := range ps {
			if slices.Contains(newIDs(before.plans, after.plans), p.ID) {
				plans = append(plans, p)
			}
		}
	}
	var disputes []*casestore.Dispute
	if ds, err := store.Disputes(ctx, c.ID); err == nil {
		for _, d := range ds {
			if slices.Contains(newIDs(before.disputes, after.disputes), d.ID) {
				disputes = append(disputes, d)
			}
		}
	}
	_, herr := store.OpenHandoff(ctx, channel, from)
	handoff := herr == nil
	optedOut, _ := store.OptedOut(ctx, channel, from)
	count := map[string]int{
		"promise": len(promises), "plan": len(plans), "dispute": len(disputes),
		"already_paid": after.payReports - before.payReports, "callback": after.callbacks - before.callbacks,
	}
	if handoff {
		count["handoff"] = 1
	}
	newEntries := func(k casestore.EntryKind) []casestore.DossierEntry {
		return after.rights[k][len(before.rights[k]):]
	}
	count["complaint"] = len(newEntries(dialogs.EntryComplaintFiled))
	count["refund_request"] = len(newEntries(dialogs.EntryRefundRequested))
	count["representative"] = len(newEntries(dialogs.EntryRepresentativeFiled))
	count["document_request"] = len(newEntries(dialogs.EntryDocumentRequested))
	if len(newEntries(dialogs.EntryFraudReported)) > 0 && len(disputes) > 0 {
		count["fraud_dispute"] = 1
	}
	if after.contact != before.contact && len(newEntries(casestore.EntryContactPreference)) > 0 {
		count["contact_preference"] = 1
	}
	if optedOut {
		count["optout"] = 1
	}
	expected := map[string]bool{}
	for _, e := range cv.expects {
		if e.none {
			if count[e.kind] > 0 {
				r.fail("line %d: expect-none %s, but %d filed", e.line, e.kind, count[e.kind])
				if e.kind == "promise" || e.kind == "plan" {
					r.wrongCommits++
				}
			}
			continue
		}
		expected[e.kind] = true
		switch e.kind {
		case "promise":
			if len(promises) != 1 {
				r.fail("line %d: want one new promise, got %d", e.line, len(promises))
				if len(promises) > 1 {
					r.wrongCommits++
				}
				continue
			}
			if msg := promiseMismatch(promises[0], e.fields, fresh); msg != "" {
				r.wrongCommits++
				r.fail("line %d: promise %s", e.line, msg)
			}
		case "plan":
			if len(plans) != 1 {
				r.fail("line %d: want one new plan, got %d", e.line, len(plans))
				if len(plans) > 1 {
					r.wrongCommits++
				}
				continue
			}
			if msg := planMismatch(plans[0], e.fields); msg != "" {
				r.wrongCommits++
				r.fail("line %d: plan %s", e.line, msg)
			}
		case "dispute":
			if len(disputes) == 0 {
				r.fail("line %d: want a new dispute, none filed", e.line)
				continue
			}
			if inv := e.fields["invoice"]; inv != "" && !slices.ContainsFunc(disputes, func(d *casestore.Dispute) bool {
				return d.InvoiceID != nil && invoiceNumber(fresh, *d.InvoiceID) == inv
			}) {
				r.fail("line %d: no new dispute on invoice %s", e.line, inv)
			}
		case "complaint", "representative", "fraud_dispute", "document_request":
			if count[e.kind] == 0 {
				r.fail("line %d: want %s, none filed", e.line, e.kind)
			}
		case "refund_request":
			if count[e.kind] == 0 {
				r.fail("line %d: want %s, none filed", e.line, e.kind)
				continue
			}
			if want := e.fields["iban"]; want != "" && !refundTo(newEntries(dialogs.EntryRefundRequested), want) {
				r.fail("line %d: no refund request to %s", e.line, want)
			}
		case "contact_preference":
			if count[e.kind] == 0 {
				r.fail("line %d: want %s, none filed", e.line, e.kind)
				continue
			}
			if want := e.fields["value"]; want != "" && !contactIs(after.contact, want) {
				r.fail("line %d: contact preference %+v, want %s", e.line, after.contact, want)
			}
		case "already_paid", "handoff", "optout", "callback":
			if count[e.kind] == 0 {
				r.fail("line %d: want %s, none filed", e.line, e.kind)
			}
			if want := e.fields["amount"]; want != "" && e.kind == "already_paid" && !paymentReported(ctx, store, c.ID, want) {
				r.fail("line %d: no payment report of %s", e.line, want)
			}
		default:
			r.fail("line %d: unknown expectation %q", e.line, e.kind)
		}
	}
	// A promise or plan nobody expected is a commitment the debtor did not make.
	for _, kind := range []string{"promise", "plan"} {
		if count[kind] > 0 && !expected[kind] && !slices.ContainsFunc(cv.expects, func(e convExpect) bool { return e.none && e.kind == kind }) {
			r.wrongCommits++
			r.fail("a %s was filed that the conversation does not expect", kind)
		}
	}
}

// refundTo reports whether a refund request names the IBAN (spaces and
// case ignored).
func refundTo(es []casestore.DossierEntry, iban string) bool {
	norm := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }
	for _, e := range es {
		var body struct {
			IBAN string `json:"iban"`
		}
		if json.Unmarshal(e.Body, &body) == nil && norm(body.IBAN) == norm(iban) {
			return true
		}
	}
	return false
}

// contactIs maps an expectation's value onto the stored preference:
// email and post are the only (written) channel, sms, whatsapp and
// telegram the preferred one, no_calls the no-phone-calls mark.
func contactIs(p casestore.ContactPreference, value string) bool {
	switch value {
	case "no_calls":
		return p.NoCalls
	case "email", "post":
		return p.Channel == value && p.WrittenOnly
	case "sms", "whatsapp", "telegram":
		return p.Channel == value
	}
	return false
}

func invoiceNumber(c *casestore.Case, id int64) string {
	for _, inv := range c.Invoices {
		if inv.ID == id {
			return inv.Number
		}
	}
	return ""
}

func promiseMismatch(p *casestore.Promise, fields map[string]string, c *casestore.Case) string {
	if want := fields["date"]; want != "" && p.Date.Format("2006-01-02") != want {
		return fmt.Sprintf("date %s, want %s", p.Date.Format("2006-01-02"), want)
	}
	switch want := fields["amount"]; want {
	case "":
	case "all":
		// The whole open balance, as it stood before the promise.
		b, err := casestore.Balance(c, convClock)
		if err == nil && !p.Amount.Equal(b.Total.Open) {
			return fmt.Sprintf("amount %s, want all (%s)", p.Amount, b.Total.Open)
		}
	default:
		d, err := decimal.NewFromString(want)
		if err != nil || !p.Amount.Equal(d) {
			return fmt.Sprintf("amount %s, want %s", p.Amount, want)
		}
	}
	return ""
}

func planMismatch(p *casestore.Plan, fields map[string]string) string {
	if len(p.Installments) == 0 {
		return "without installments"
	}
	if want := fields["terms"]; want != "" && strconv.Itoa(len(p.Installments)) != want {
		return fmt.Sprintf("%d terms, want %s", len(p.Installments), want)
	}
	if want := fields["status"]; want != "" && string(p.Status) != want {
		return fmt.Sprintf("status %s, want %s", p.Status, want)
	}
	if want := fields["amount"]; want != "" {
		d, err := decimal.NewFromString(want)
		if err != nil || !regularInstallment(p).Equal(d) {
			return fmt.Sprintf("installment %s, want %s", regularInstallment(p), want)
		}
	}
	if want := fields["per"]; want != "" && len(p.Installments) >= 2 {
		gap := p.Installments[1].Due.Sub(p.Installments[0].Due)
		per := "month"
		if gap <= 8*24*time.Hour {
			per = "week"
		}
		if per != want {
			return fmt.Sprintf("per %s, want %s", per, want)
		}
	}
	return ""
}

// regularInstallment is the amount most installments have.
func regularInstallment(p *casestore.Plan) decimal.Decimal {
	counts := map[string]int{}
	best := p.Installments[0].Amount
	for _, in := range p.Installments {
		k := in.Amount.String()
		counts[k]++
		if counts[k] > counts[best.String()] {
			best = in.Amount
		}
	}
	return best
}

func paymentReported(ctx context.Context, s casestore.Store, caseID int64, amount string) bool {
	es, err := s.Dossier(ctx, caseID, casestore.DossierQuery{Kinds: []casestore.EntryKind{"payment.reported"}, Limit: 100})
	if err != nil {
		return false
	}
	want, err := decimal.NewFromString(amount)
	if err != nil {
		return false
	}
	for _, e := range es {
		body := string(e.Body)
		if strings.Contains(body, `"`+want.String()+`"`) || strings.Contains(body, want.StringFixed(2)) || strings.Contains(body, ":"+want.String()) {
			return true
		}
	}
	return false
}

// runConvSet runs one .conv file and reports its figures.
func runConvSet(t *testing.T, w *convWorld, path string) {
	convs, err := parseConvFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) == 0 {
		t.Fatalf("%s holds no conversation", path)
	}
	name := filepath.Base(path)
	passed, replies, inLang, disclosures, wrong := 0, 0, 0, 0, 0
	segs := map[int]int{}
	gsm, sms := 0, 0
	// The conversations are independent (each on its own copy of the
	// store): run them on every core, report them in order.
	runs := make([]convRun, len(convs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, cv := range convs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			runs[i] = runConversation(t, w, cv)
		}()
	}
	wg.Wait()
	for i, cv := range convs {
		r := runs[i]
		replies += r.replies
		inLang += r.inLanguage
		disclosures += r.disclosures
		wrong += r.wrongCommits
		for _, s := range r.smsReplies {
			sms++
			segs[twilio.Segments(s)]++
			if twilio.IsGSM7(s) {
				gsm++
			}
		}
		if len(r.failures) == 0 {
			passed++
			t.Logf("pass %s %s", cv.id, cv.title)
			continue
		}
		t.Logf("FAIL %s %s\n    %s", cv.id, cv.title, strings.Join(r.failures, "\n    "))
	}
	var dist []string
	keys := make([]int, 0, len(segs))
	for k := range segs {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		dist = append(dist, fmt.Sprintf("%d seg: %d", k, segs[k]))
	}
	msg := fmt.Sprintf("%s: conversations %d/%d = %.1f%%; replies in the debtor's language %d/%d; SMS replies %d, GSM-7 %d, segments [%s]; wrong commitments %d; disclosures %d",
		name, passed, len(convs), 100*float64(passed)/float64(len(convs)), inLang, replies, sms, gsm, strings.Join(dist, ", "), wrong, disclosures)
	t.Log(msg)
	if testing.Verbose() {
		fmt.Println(msg)
	}
	if disclosures > 0 {
		t.Errorf("%s: %d disclosures before verification", name, disclosures)
	}
	floor, ok := convFloors[name]
	if !ok {
		floor = 1
	}
	if float64(passed) < floor*float64(len(convs)) {
		t.Errorf("%s: %d/%d conversations pass, below the floor of %.0f%%", name, passed, len(convs), 100*floor)
	}
}

func TestConversationSets(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "conversations", "*.conv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("no conversation set in testdata/conversations")
		}
		t.Skip("no conversation set in testdata/conversations")
	}
	w := newConvWorld(t)
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) { runConvSet(t, w, p) })
	}
}

func TestConvParserReadsTheFormat(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.conv")
	text := "# header\n=== c1: a promise\ncase: IB-2026-000101   # Sanne\nchannel: sms\nlang: nl\n> hallo\n< must: /dossiernummer|postcode/\n< mustnot: /sorry/\n> ik betaal vrijdag\\nalles\nforbid: /deurwaarder/\nexpect: promise amount=all date=2026-12-04\nexpect-none: plan\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	convs, err := parseConvFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(convs) != 1 {
		t.Fatalf("got %d conversations", len(convs))
	}
	c := convs[0]
	if c.caseRef != "IB-2026-000101" || c.channel != "sms" || c.lang != "nl" || len(c.turns) != 2 || len(c.turns[0].must) != 1 ||
		len(c.turns[0].mustNot) != 1 || c.turns[1].say != "ik betaal vrijdag\nalles" || len(c.forbid) != 1 || len(c.expects) != 2 ||
		c.expects[0].fields["date"] != "2026-12-04" || !c.expects[1].none {
		t.Errorf("parsed %+v", c)
	}
	if _, err := parseConvFile(filepath.Join(dir, "missing.conv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// The language guess the sets rely on tells the bot's own texts apart.
func TestReplyLanguage(t *testing.T) {
	for text, want := range map[string]string{
		"Dank u. U bent geïdentificeerd. Wat kan ik voor u doen?":   "nl",
		"Thank you. You are identified. What can I do for you?":     "en",
		"Merci. Vous êtes identifié. Que puis-je faire pour vous ?": "fr",
		"1": "",
		dialogs.Money(casestore.Dutch, decimal.RequireFromString("12.5")): "",
	} {
		if got := replyLanguage(text); got != want {
			t.Errorf("replyLanguage(%q) = %q, want %q", text, got, want)
		}
	}
}
