package dialogs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Intent recognition works on cues: short phrases from the lexicons in
// lexicon.go ("betalings|afbetalings regeling*", "kan niks|niets betalen*").
// A cue is a sequence of slots; each slot is a set of alternative words, a
// word ending in * being a stem ("termijn*" matches "termijnen"). Slots must
// appear in order with at most maxCueGap other words between them, so
// "wat staat er nog open" matches "staat open". Words of 5 letters or more
// that match nothing are compared with the lexicon words within the edit
// distance of fuzzyLimit, so "betalingsregling" and "factuut" still count.
//
// Every cue is strong or weak. A strong cue names what the debtor wants
// ("betalingsregeling", "al betaald"); a weak one only hints ("betalen",
// "schuld"). The message's intent is the strong intent of highest priority;
// weak cues only decide when there is no strong one. See intentPriority for
// the order and why.

// maxCueGap is how many unrelated words may sit between two words of a cue.
// Cues written with a leading ~ allow maxSplitGap: Dutch separable verbs
// put the whole rest of the clause between their parts ("ik maak het
// volgende week vrijdag over").
const (
	maxCueGap   = 2
	maxSplitGap = 6
)

// Internal cue kinds: not intents themselves but evidence other rules use.
const (
	cuePay    Intent = "_pay"    // a verb of paying ("betaal", "pay", "payer", "maak over")
	cuePeriod Intent = "_period" // "per maand", "a month", "par mois": an amount per period
	cueMoney  Intent = "_money"  // words that make a bare number an amount ("bedrag", "max")
	cueSplit  Intent = "_split"  // spreading words ("verdelen", "spread") that make "over 6 maanden" terms
	cueNow    Intent = "_now"    // immediacy ("nu", "meteen", "right away", "tout de suite")
	cueHow    Intent = "_how"    // a how-question ("hoe", "how", "comment")
	cueAmount Intent = "_amount" // a how-much question ("hoeveel", "how much", "combien")
	cueRest   Intent = "_rest"   // the rest of a compound offer ("100 nu en de rest in januari", "then 50 a month")
	cueSalary Intent = "_salary" // the debtor's own income arriving ("when I get paid", "als mijn loon binnen is")
	cueRefuse Intent = "_refuse" // a refusal to pay ("ik betaal helemaal niks", "I'm not paying")
)

// intentPriority orders intents when several strong cues are present.
// Hardship first: "ik kan niks betalen" also contains a paying verb and often
// a plan word, but a debtor in need must be routed with care, not offered a
// plan script. Human and stop next: they are explicit requests the bot must
// obey whatever else the message says ("stop met die berichten, ik wil een
// mens"). Dispute before already_paid and plan: "ik heb al betaald, deze
// factuur klopt niet" contests the claim, and a dispute stops collection.
// Already_paid before plan/promise: past tense ("betaald", "overgemaakt",
// "voldaan") reports a fact, and a sentence mixing it with "regeling" is
// usually "I already paid the installment". Plan before promise: "50 euro per
// maand vanaf vrijdag" is a plan with a start date. Promise before pay_now:
// "ik betaal vrijdag" is a promise even though it contains "betaal". Pay_now,
// callback and balance are concrete requests; help and greeting are what is
// left when nothing concrete was asked.
//
// A question about something on file (case_status) comes after dispute and
// already_paid in the order, but its cues set those aside (classify): "hoe
// staat het met mijn bezwaar" asks about the dispute, it opens none.
// About_us, help, greeting and thanks are what is left when nothing concrete
// was asked.
//
// The requests of issue #19 fit in: a representative first (someone
// writing for the debtor is answered nothing about the case, whatever they
// ask); identity fraud and a refund before dispute and already_paid ("ik
// heb dubbel betaald" wants money back); a complaint after dispute ("klacht
// over de factuur" contests the claim); a contact preference before the
// payment requests; bank details, an invoice copy and the specification
// after pay_now and before balance, which they refine.
var intentPriority = []Intent{
	IntentRepresentative, IntentHardship, IntentHuman, IntentStop, IntentFraud, IntentRefund, IntentDispute,
	IntentComplaint, IntentAlreadyPaid, IntentCaseStatus, IntentContactPref, IntentPlan, IntentPromise,
	IntentPayNow, IntentBankDetails, IntentInvoiceCopy, IntentSpecification, IntentCallback, IntentBalance,
	IntentAboutUs, IntentHelp, IntentGreeting, IntentThanks,
}

// slotWord is one alternative of a cue slot.
type slotWord struct {
	text string
	stem bool
}

// cue is one compiled lexicon phrase.
type cue struct {
	intent Intent
	lang   casestore.Language // "" for words shared by the languages
	strong bool
	guard  bool    // does not count when a negation precedes it ("nog niet betaald")
	gap    int     // words allowed between slots
	slots  [][]int // vocabulary ids per slot
}

// lexicon is the compiled form of the cue tables.
type lexicon struct {
	vocab      []slotWord
	masks      []uint32 // letterMask of each vocabulary word
	ids        map[slotWord]int
	exact      map[string][]int // word → ids of exact vocabulary words; known words map to nil
	stems      []int            // ids of stems
	fuzzyWords []int            // ids of exact words long enough for fuzzy matching
	cues       []cue
	byFirst    map[int][]int // vocabulary id → cues whose first slot contains it
	noFuzzy    bool          // match exact words and stems only
}

// exactOnly turns fuzzy matching off for a lexicon.
func exactOnly(lx *lexicon) *lexicon {
	lx.noFuzzy = true
	return lx
}

// cueMatch is a cue found in a message, with the tokens it covers.
type cueMatch struct {
	cue        *cue
	start, end int // token indices, end exclusive
}

// cueGroup is how the lexicon tables are written: one intent, language and
// strength for a list of phrases. A phrase starting with "!" is guarded
// against negation.
type cueGroup struct {
	intent  Intent
	lang    casestore.Language
	strong  bool
	phrases []string
}

// theLexicon holds the intent and dispute-reason cues, so one pass over a
// message finds both.
var theLexicon = compileLexicon(slices.Concat(lexiconTables, frameTables, reasonTables, rightsTables), commonWords)

// compileLexicon builds the lexicon; it panics on a malformed phrase, which
// the package tests catch at once.
func compileLexicon(groups []cueGroup, known []string) *lexicon {
	lx := &lexicon{ids: map[slotWord]int{}, exact: map[string][]int{}, byFirst: map[int][]int{}}
	for _, w := range known {
		if _, ok := lx.exact[w]; !ok {
			lx.exact[w] = nil
		}
	}
	for _, g := range groups {
		for _, p := range expandPhrases(g.phrases) {
			c := cue{intent: g.intent, lang: g.lang, strong: g.strong, gap: maxCueGap}
			for strings.HasPrefix(p, "!") || strings.HasPrefix(p, "~") {
				if p[0] == '!' {
					c.guard = true
				} else {
					c.gap = maxSplitGap
				}
				p = p[1:]
			}
			for _, slot := range strings.Fields(normalize(p)) {
				var ids []int
				for _, alt := range strings.Split(slot, "|") {
					ids = append(ids, lx.word(alt, p))
				}
				c.slots = append(c.slots, ids)
			}
			if len(c.slots) == 0 {
				panic("dialogs: empty lexicon phrase")
			}
			lx.cues = append(lx.cues, c)
			for _, id := range c.slots[0] {
				lx.byFirst[id] = append(lx.byFirst[id], len(lx.cues)-1)
			}
		}
	}
	return lx
}

// expandPhrases writes out alternatives of several words, joined by _ in
// the tables ("can_t|cannot pay"), as phrases of their own, since a slot
// holds single words.
func expandPhrases(ps []string) []string {
	var out []string
	for _, p := range ps {
		out = append(out, expandPhrase(p)...)
	}
	return out
}

func expandPhrase(p string) []string {
	slots := strings.Split(p, " ")
	for i, slot := range slots {
		if !strings.Contains(slot, "_") {
			continue
		}
		var single []string
		var out []string
		for _, alt := range strings.Split(slot, "|") {
			if !strings.Contains(alt, "_") {
				single = append(single, alt)
				continue
			}
			out = append(out, expandPhrase(join(slots[:i], strings.ReplaceAll(alt, "_", " "), slots[i+1:]))...)
		}
		if len(single) > 0 {
			out = append(out, expandPhrase(join(slots[:i], strings.Join(single, "|"), slots[i+1:]))...)
		}
		return out
	}
	return []string{p}
}

func join(before []string, mid string, after []string) string {
	parts := append(append(slices.Clone(before), mid), after...)
	return strings.Join(parts, " ")
}

// word returns the vocabulary id of one slot alternative, adding it.
func (lx *lexicon) word(alt, phrase string) int {
	w := slotWord{text: strings.TrimSuffix(alt, "*"), stem: strings.HasSuffix(alt, "*")}
	if t := tokenize(w.text); len(t) != 1 || t[0].text != w.text {
		panic(fmt.Sprintf("dialogs: lexicon word %q in %q is not one token", alt, phrase))
	}
	if id, ok := lx.ids[w]; ok {
		return id
	}
	id := len(lx.vocab)
	lx.vocab = append(lx.vocab, w)
	lx.masks = append(lx.masks, letterMask(w.text))
	lx.ids[w] = id
	if w.stem {
		lx.stems = append(lx.stems, id)
	} else {
		lx.exact[w.text] = append(lx.exact[w.text], id)
		if fuzzyLimit(len(w.text)) > 0 {
			lx.fuzzyWords = append(lx.fuzzyWords, id)
		}
	}
	return id
}

// lookup returns the vocabulary ids a message word stands for: exact words
// and stems it starts with; and only when it is no known word at all, the
// nearest lexicon words within the fuzzy limit. Known words never match
// fuzzily, so "betaalt" (pays) is not taken for "betaald" (paid).
func (lx *lexicon) lookup(w string) []int {
	ids, known := lx.exact[w]
	ids = slices.Clone(ids)
	if w != "" && w[0] >= '0' && w[0] <= '9' {
		return ids // digits match exactly or not at all
	}
	for _, id := range lx.stems {
		if strings.HasPrefix(w, lx.vocab[id].text) {
			ids = append(ids, id)
		}
	}
	if known || lx.noFuzzy {
		return ids
	}
	// Even when a stem matched ("betalingsregling" starts with "betaling"),
	// the word may be a typo of a longer lexicon word.
	return append(ids, lx.fuzzy(w)...)
}

// fuzzy finds the lexicon words and stems nearest to a word that is not
// known exactly; stems the word already starts with are left out.
func (lx *lexicon) fuzzy(w string) []int {
	limit := fuzzyLimit(len(w))
	if limit == 0 {
		return nil
	}
	best := limit + 1
	var ids []int
	consider := func(id, d int) {
		switch {
		case d < best:
			best, ids = d, append(ids[:0], id)
		case d == best:
			ids = append(ids, id)
		}
	}
	mw := letterMask(w)
	for _, id := range lx.fuzzyWords {
		v := lx.vocab[id].text
		if l := min(limit, fuzzyLimit(len(v))); l > 0 && mayBeWithin(mw, lx.masks[id], l) {
			if d := editDistance(w, v, l); d <= l {
				consider(id, d)
			}
		}
	}
	for _, id := range lx.stems {
		v := lx.vocab[id].text
		if fuzzyLimit(len(v)) == 0 || strings.HasPrefix(w, v) || len(w) < len(v)-1 {
			continue
		}
		for n := len(v) - 1; n <= len(v)+1 && n <= len(w); n++ {
			if !mayBeWithin(letterMask(w[:n]), lx.masks[id], 1) {
				continue
			}
			if d := editDistance(w[:n], v, 1); d <= 1 {
				consider(id, d)
				break
			}
		}
	}
	return ids
}

// matchCues finds every cue in the message.
func (lx *lexicon) matchCues(toks []token) []cueMatch {
	sets := make([][]int, len(toks))
	for i, t := range toks {
		sets[i] = lx.lookup(t.text)
	}
	var found []cueMatch
	for i := range toks {
		for _, id := range sets[i] {
			for _, ci := range lx.byFirst[id] {
				c := &lx.cues[ci]
				if end, ok := matchSlots(c.slots[1:], sets, i+1, c.gap); ok {
					if c.guard && (negatedBefore(toks, i) || negatedWithin(toks, i+1, end)) {
						continue
					}
					found = append(found, cueMatch{cue: c, start: i, end: end})
				}
			}
		}
	}
	return found
}

// matchSlots matches the remaining slots of a cue from token index from,
// allowing gap words between slots. It returns the end index.
func matchSlots(slots [][]int, sets [][]int, from, gap int) (int, bool) {
	if len(slots) == 0 {
		return from, true
	}
	for i := from; i < len(sets) && i <= from+gap; i++ {
		if intersects(sets[i], slots[0]) {
			if end, ok := matchSlots(slots[1:], sets, i+1, gap); ok {
				return end, true
			}
		}
	}
	return 0, false
}

func intersects(a, b []int) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// negators are words that turn a guarded cue around: "nog niet betaald",
// "haven't paid", "pas encore payé".
var negators = map[string]bool{
	"niet": true, "geen": true, "nooit": true, "not": true, "never": true,
	"t": true, "pas": true, "jamais": true, "ne": true, "n": true, "no": true, "nie": true,
}

// negatedBefore reports whether one of the three words before token i
// negates it.
func negatedBefore(toks []token, i int) bool {
	for j := max(0, i-3); j < i; j++ {
		if negators[toks[j].text] {
			return true
		}
	}
	return false
}

// negatedWithin reports whether a negator sits between the words of a cue
// (tokens from..end-1): "ik kan nu niet betalen" is no "nu betalen", "j'ai
// pas encore payé" no "ai payé".
func negatedWithin(toks []token, from, end int) bool {
	for j := from; j < end; j++ {
		if negators[toks[j].text] {
			return true
		}
	}
	return false
}

// intentEvidence is what the cues of a message say.
type intentEvidence struct {
	strong, weak map[Intent]bool
	matches      []cueMatch
}

func collectEvidence(matches []cueMatch) intentEvidence {
	ev := intentEvidence{strong: map[Intent]bool{}, weak: map[Intent]bool{}, matches: matches}
	for _, m := range matches {
		if m.cue.strong {
			ev.strong[m.cue.intent] = true
		} else {
			ev.weak[m.cue.intent] = true
		}
	}
	return ev
}

// has reports whether a cue of kind k was found at all.
func (ev intentEvidence) has(k Intent) bool { return ev.strong[k] || ev.weak[k] }

// unnegated reports whether a cue of kind k was found with no negation
// within three words before or two after: "nu" in "kan ik dat nu doen" counts, in
// "ik kan nu niet betalen" it does not.
func (ev intentEvidence) unnegated(k Intent, toks []token) bool {
	for _, m := range ev.matches {
		if m.cue.intent != k {
			continue
		}
		negated := false
		for j := max(0, m.start-3); j < min(len(toks), m.end+2); j++ {
			negated = negated || negators[toks[j].text]
		}
		if !negated {
			return true
		}
	}
	return false
}

// matchAt reports whether a cue of kind k starts within [from, to].
func (ev intentEvidence) matchAt(k Intent, from, to int) bool {
	for _, m := range ev.matches {
		if m.cue.intent == k && m.start >= from && m.start <= to {
			return true
		}
	}
	return false
}

// decide picks the intent: the strong intent of highest priority, else the
// weak one of highest priority, else unknown.
func (ev intentEvidence) decide() Intent {
	for _, set := range []map[Intent]bool{ev.strong, ev.weak} {
		for _, in := range intentPriority {
			if set[in] {
				return in
			}
		}
	}
	return IntentUnknown
}
