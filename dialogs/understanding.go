package dialogs

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Intent is what a debtor's message asks for. The labels are those of
// dialogs/testdata/utterances-dev.tsv and of the `chat --json` output.
type Intent string

const (
	IntentBalance     Intent = "balance"
	IntentDispute     Intent = "dispute"
	IntentPlan        Intent = "plan"
	IntentPromise     Intent = "promise"
	IntentAlreadyPaid Intent = "already_paid"
	IntentPayNow      Intent = "pay_now"
	IntentHuman       Intent = "human"
	IntentCallback    Intent = "callback"
	IntentStop        Intent = "stop"
	IntentHelp        Intent = "help"
	IntentHardship    Intent = "hardship"
	IntentGreeting    Intent = "greeting"
	IntentLanguage    Intent = "language"    // asks to switch language; see Understanding.SwitchTo
	IntentThanks      Intent = "thanks"      // thanks, ok, bye: closes, never a misunderstanding
	IntentAboutUs     Intent = "about_us"    // who are you, is this a scam, I lost the letter
	IntentCaseStatus  Intent = "case_status" // about something on file: a dispute, plan, payment, promise
	IntentUnknown     Intent = "unknown"
)

// Understanding is everything recognised in one message. Fields that were
// not found are zero.
type Understanding struct {
	Intent   Intent
	Language casestore.Language // language the text is written in; "" when unclear
	SwitchTo casestore.Language // the debtor asked for this language
	Yes, No  bool               // a yes/no answer ("ja", "klopt", "nee hoor", "oui" …)
	Choice   int                // the message is a menu number (1–9) or its word; 0 otherwise
	Amounts  []decimal.Decimal  // every amount, in the order written
	Terms    int                // number of installments ("in 6 termijnen", "zes maanden")
	Weekly   bool               // the amount is per week ("20 euro per week"), not per month
	Refusal  bool               // the debtor refuses to pay ("ik betaal helemaal niks")
	Also     []Intent           // the other requests the message holds ("wat staat open en wie is de schuldeiser")
	Dates    []time.Time        // every date, resolved against now, calendar days
	Abusive  bool               // insults or threats
	Reason   casestore.DisputeReason
	// Identification details a debtor may type.
	DossierRef string     // something shaped like a dossier number, upper-cased
	Postcode   string     // NL "1234AB" or BE "1000", normalised
	BirthDate  *time.Time // a full date that is plausibly a birth date
	Numbers    []int      // other bare whole numbers
}

// Understand reads one message. now is the debtor's current time (for
// "vrijdag", "volgende week", "eind van de maand"). It is pure and cheap:
// only the first 2 kB of a message are read.
//
// Amounts, Numbers and Choice: a number is put where its form says it
// belongs. "€50", "50 euro", "12,50", "1.000" and a bare number in a money
// context ("ik kan 100 betalen", "100 a month") are Amounts; "6 termijnen",
// "in 6 keer" set Terms; dates, times, postcodes, phone numbers and dossier
// references are none of these; other whole numbers are Numbers. A message
// that is only a number ("50", "3") is in Amounts and Numbers, and in Choice
// when it is 1–9: the state machine knows which question it asked.
func Understand(text string, now time.Time) Understanding {
	return understand(text, now, theIntentModel)
}

// understand is Understand with the statistical fallback given (nil: the
// rules alone), so the evaluation can compare and retrain it.
func understand(text string, now time.Time, model *intentModel) Understanding {
	var u Understanding
	norm := normalize(text)
	toks := tokenize(norm)
	matches := theLexicon.matchCues(toks)
	ev := collectEvidence(matches)
	u.Language = detectLanguage(toks, matches)
	u.SwitchTo = requestedLanguage(toks, u.Language)

	used := make([]bool, len(toks))
	id := findIdentification(norm, toks, used)
	u.DossierRef, u.Postcode = id.ref, id.postcode
	today := casestore.DayOf(now)
	dates := findDates(norm, toks, used, now, u.Language, ev.has(cueSplit))
	u.BirthDate, dates = birthDate(dates, today)
	nums := scanNumbers(norm, toks, used, ev)
	u.Amounts, u.Numbers, u.Terms = nums.amounts, nums.numbers, nums.terms
	u.Weekly = nums.perPeriod && slices.ContainsFunc(toks, func(t token) bool {
		return t.text == "week" || t.text == "weekly" || t.text == "wekelijks" || t.text == "semaine" || t.text == "hebdomadaire"
	})

	identifies := u.DossierRef != "" || u.Postcode != ""
	u.Refusal = ev.has(cueRefuse)
	if u.Refusal && len(toks) <= 6 {
		u.SwitchTo = "" // "ik betaal geen frank": the money, not French
	}
	// "wat staat er open en wie is de schuldeiser": the balance asked
	// beside a question about us (which the rules let decide).
	balanceToo := ev.strong[IntentBalance] && ev.outside(IntentAboutUs, IntentBalance)
	u.Intent = model.refine(classify(ev, toks, dates, nums, u.SwitchTo, today), toks, identifies)
	for _, in := range intentPriority {
		if (ev.strong[in] || in == IntentBalance && balanceToo) && in != u.Intent {
			u.Also = append(u.Also, in)
		}
	}
	if commitment(u.Intent) && u.Intent != IntentPlan && !ev.has(cuePay) && !ev.has(IntentPlan) && !ev.has(IntentPromise) && !ev.has(IntentAlreadyPaid) && !ev.has(IntentPayNow) &&
		len(nums.amounts) == 0 && nums.terms == 0 {
		// "wat voor weer wordt het morgen": a date alone, with no word of
		// paying, is no commitment whatever the model guesses.
		u.Intent = IntentUnknown
	}
	if u.Intent == IntentThanks && (ev.has(cueHow) || ev.has(cuePay) || ev.has(cueAmount)) {
		// "dank u, en hoe kan ik het overmaken?": thanks, and a question
		// the rules did not place; the model may.
		if m := model.refine(IntentUnknown, toks, identifies); m != IntentUnknown {
			u.Intent = m
		}
	}
	if u.Intent == IntentUnknown && onlyApproval(text) {
		u.Intent = IntentThanks // 👍, 🙏, 👌
	}
	u.Dates = resolveDates(dates, u.Intent, today)
	u.Yes, u.No = yesNo(text, toks)
	u.Choice = menuChoice(toks)
	u.Abusive = isAbusive(toks)
	u.Reason = disputeReason(ev, u.Intent)
	return u
}

// onlyApproval reports whether text holds an approving emoji and no letters
// or digits.
func onlyApproval(text string) bool {
	found := false
	for _, r := range text {
		switch {
		case r == '👍' || r == '🙏' || r == '👌' || r == '✅' || r == '🙂' || r == '😊' || r == '👏':
			found = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return false
		}
	}
	return found
}

// classify adds the structural rules to the cues and picks the intent.
func classify(ev intentEvidence, toks []token, dates []dateMention, nums numberFinds, switchTo casestore.Language, today time.Time) Intent {
	// A thank-you decides only when nothing else was asked: "dank u, en
	// hoe kan ik het overmaken?" asks how to pay.
	thanks := ev.strong[IntentThanks]
	delete(ev.strong, IntentThanks)
	// "I'll pay on the 15th when I get paid": the debtor's salary is paid,
	// not the debt; with a day to come it is a promise.
	if ev.has(cueSalary) && laterThan(dates, today) {
		delete(ev.strong, IntentAlreadyPaid)
		ev.strong[IntentPromise] = true
	}
	// "100 nu en de rest volgende maand", "eerst 100 en dan 50 per maand":
	// an amount and the rest later is a plan proposal, never a promise of
	// everything on one day.
	if len(nums.amounts)+len(nums.numbers) > 0 && ev.restLater(toks) && !ev.has(cueAmount) {
		delete(ev.strong, IntentPromise)
		delete(ev.strong, IntentPayNow)
		ev.strong[IntentPlan] = true
	}
	// An amount per period or a count of terms is a plan proposal.
	if nums.perPeriod || nums.terms >= 2 {
		ev.strong[IntentPlan] = true
	}
	// A paying verb with a date: in the future a promise, in the past a
	// payment already made ("ik betaal vrijdag", "gisteren overgemaakt").
	if ev.has(cuePay) && len(dates) > 0 {
		if dates[0].past {
			ev.strong[IntentAlreadyPaid] = true
		} else {
			ev.strong[IntentPromise] = true
		}
	}
	// Paying now is no promise: "stuur een link, dan betaal ik direct",
	// "ik heb nog niet betaald, kan ik dat nu doen?", "ik wil het vandaag
	// nog voldoen, hoe doe ik dat", "stuur de gegevens, dan betaal ik vandaag".
	// It only takes over from a promise or
	// from nothing: "hoeveel moet ik nu betalen" still asks the balance.
	// A hint that the debtor cannot pay ("I can't pay right now") is no
	// request to pay.
	if ev.has(cuePay) && !laterThan(dates, today) && !ev.weak[IntentHardship] &&
		(ev.strong[IntentPromise] || !hasStrongIntent(ev)) {
		asksToPay := ev.has(cueHow) || ev.strong[IntentPayNow] // "send me the bank details so I can pay today"
		if ev.unnegated(cueNow, toks) || ev.strong[IntentPromise] && asksToPay {
			delete(ev.strong, IntentPromise)
			ev.strong[IntentPayNow] = true
		}
	}
	// A how-much question asks the balance even when it says when to pay:
	// "hoeveel moet ik nu betalen", "combien je dois payer maintenant".
	if ev.has(cueAmount) && ev.strong[IntentBalance] {
		delete(ev.strong, IntentPayNow)
	}
	// "ik betaal helemaal niks": a refusal is never a promise, a plan or
	// a request to pay; with a reason of hardship ("ik ben ziek", "alleen
	// een uitkering") it is hardship.
	if ev.has(cueRefuse) {
		for _, in := range []Intent{IntentPromise, IntentPayNow, IntentPlan} {
			delete(ev.strong, in)
			delete(ev.weak, in)
		}
		if ev.weak[IntentHardship] {
			ev.strong[IntentHardship] = true
		}
	}
	// "ik ben ziek en leef van een uitkering, kan niet betalen": two hints
	// of hardship make it hardship.
	if countMatches(ev, IntentHardship) >= 2 && !ev.has(cueSalary) {
		ev.strong[IntentHardship] = true
	}
	// "kan iemand mij nu bellen", "call me now": a call right now is a
	// person now, not a callback at a time.
	if ev.strong[IntentCallback] && ev.nowWith(IntentCallback, toks) && !laterThan(dates, today) {
		delete(ev.strong, IntentCallback)
		ev.strong[IntentHuman] = true
	}
	// "ik heb al 100 gestort, is dat binnen?", "vorige week 100
	// overgemaakt, staat dat erin?": a payment reported with its amount or
	// day is filed for checking, though it also asks whether it arrived.
	if ev.strong[IntentAlreadyPaid] && ev.strong[IntentCaseStatus] && ev.outside(IntentCaseStatus, IntentAlreadyPaid) &&
		(len(nums.amounts)+len(nums.numbers) > 0 || pastDate(dates)) {
		delete(ev.strong, IntentCaseStatus)
	}
	// "STOP" alone is an opt-out; inside a sentence it is only a hint.
	if len(toks) == 1 && ev.weak[IntentStop] {
		ev.strong[IntentStop] = true
	}
	// A request for another language wins when it is the point of the
	// message ("english please", "kan het in het Frans?").
	if switchTo != "" && !ev.has(cueRefuse) && (len(toks) <= 6 || !hasStrongIntent(ev)) {
		return IntentLanguage
	}
	if thanks {
		ev.strong[IntentThanks] = true
	}
	frameRules(ev, toks, nums, laterThan(dates, today))
	rightsRules(ev)
	return ev.decide()
}

// frameRules weigh the cues of questions about the case, about us and of
// closers against the requests their words also hold.
func frameRules(ev intentEvidence, toks []token, nums numberFinds, later bool) {
	// "hoe staat het met mijn bezwaar", "wanneer is mijn volgende termijn",
	// "hebben jullie mijn betaling ontvangen": a question about what is on
	// file opens no dispute, plan or promise.
	if ev.strong[IntentCaseStatus] {
		for _, in := range []Intent{IntentDispute, IntentAlreadyPaid, IntentPlan, IntentPromise, IntentPayNow, IntentBalance} {
			delete(ev.strong, in)
		}
	}
	// "is dit oplichting?", "ik ken dit bedrijf niet, waar gaat dit over":
	// a question about who we are, not yet a dispute.
	// A dispute said in other words than the question stands: "dit is
	// niet mijn schuld, ik ken dit bedrijf niet".
	if ev.strong[IntentAboutUs] && !ev.outside(IntentAboutUs, IntentDispute, reasonNotMine, reasonNotReceived, reasonWrongAmount, reasonFaulty) {
		delete(ev.strong, IntentDispute)
		delete(ev.weak, IntentDispute)
	}
	if ev.strong[IntentAboutUs] && !ev.has(cueAmount) {
		delete(ev.strong, IntentBalance)
	}
	// "ik wil geen regeling, ik betaal alles in 1x", "ik wil geen
	// medewerker, gewoon de link", "bel me niet": what is refused is not
	// asked for.
	if ev.strong[IntentPlan] && !nums.perPeriod && nums.terms < 2 && ev.matchAt(IntentPlan, 0, len(toks)) && !ev.wanted(IntentPlan, toks) {
		delete(ev.strong, IntentPlan)
		if ev.has(cuePay) && !hasStrongIntent(ev) {
			// "… ik betaal alles in 1x": paying in one go, now or later.
			if later {
				ev.strong[IntentPromise] = true
			} else {
				ev.strong[IntentPayNow] = true
			}
		}
	}
	for _, in := range []Intent{IntentHuman, IntentCallback} {
		if ev.strong[in] && ev.found(in) && !ev.wanted(in, toks) {
			delete(ev.strong, in)
		}
	}
	if ev.strong[IntentStop] {
		delete(ev.strong, IntentCallback) // "bel me niet meer" refuses calls
	}
	// "bedankt voor de hulp", "ok thank you, bye", "fijn, dag": a thank-you
	// mentioning help or a goodbye closes.
	if ev.strong[IntentThanks] || (ev.weak[IntentThanks] && !hasStrongIntent(ev)) {
		for _, in := range []Intent{IntentHelp, IntentGreeting, IntentPayNow} {
			if !ev.strong[in] || in == IntentPayNow && ev.has(cuePay) || in == IntentHelp && ev.has(cueHow) {
				continue
			}
			delete(ev.strong, in)
		}
		if ev.weak[IntentGreeting] && ev.weak[IntentThanks] {
			delete(ev.weak, IntentGreeting)
		}
	}
}

// restLater reports whether a "rest" cue is followed by when or how the
// rest is paid ("de rest volgende maand", "then 50 a month"), unlike "voor
// de rest moet ik nog kijken".
func (ev intentEvidence) restLater(toks []token) bool {
	for _, m := range ev.matches {
		if m.cue.intent != cueRest {
			continue
		}
		for _, t := range toks[m.end:] {
			if _, isMonth := monthWord(t.text); isMonth && len(t.text) >= 3 {
				return true
			}
			if _, isDay := weekdayNames[t.text]; isDay {
				return true
			}
			switch t.text {
			case "maand", "maanden", "week", "weken", "month", "months", "weeks", "mois", "semaine", "semaines",
				"volgende", "next", "prochain", "prochaine", "later", "termijnen", "installments", "fois", "keer":
				return true
			}
		}
	}
	return false
}

// outside reports whether a cue of one of kinds lies outside every cue of
// kind k (not within its words).
func (ev intentEvidence) outside(k Intent, kinds ...Intent) bool {
	for _, m := range ev.matches {
		if !slices.Contains(kinds, m.cue.intent) {
			continue
		}
		covered := false
		for _, o := range ev.matches {
			covered = covered || o.cue.intent == k && o.start <= m.start && m.end <= o.end
		}
		if !covered {
			return true
		}
	}
	return false
}

// refusers are the words that refuse what follows ("geen regeling", "no
// plan", "pas de plan", "don't want a plan"); "niet" is left out, as "kan
// het niet in termijnen?" asks for one.
var refusers = map[string]bool{"geen": true, "no": true, "pas": true, "t": true, "zonder": true, "without": true, "sans": true}

// wanted reports whether a cue of kind k was found that no refuser precedes.
func (ev intentEvidence) wanted(k Intent, toks []token) bool {
	for _, m := range ev.matches {
		if m.cue.intent != k {
			continue
		}
		refused := false
		for j := max(0, m.start-4); j < m.start; j++ {
			refused = refused || refusers[toks[j].text]
		}
		if !refused {
			return true
		}
	}
	return false
}

// commitment reports whether in files or asks for a payment commitment.
func commitment(in Intent) bool {
	return in == IntentPromise || in == IntentPlan || in == IntentAlreadyPaid || in == IntentPayNow
}

// pastDate reports whether a date in the past is mentioned.
func pastDate(ds []dateMention) bool {
	for _, d := range ds {
		if d.past {
			return true
		}
	}
	return false
}

// countMatches counts the cues of kind k found, strong or weak.
func countMatches(ev intentEvidence, k Intent) int {
	n := 0
	for _, m := range ev.matches {
		if m.cue.intent == k {
			n++
		}
	}
	return n
}

// nowWith reports whether an unnegated cue of immediacy stands right by a
// cue of kind k ("bel mij nu", "call me now"), unlike "ik zit nu op mijn
// werk, bel mij vanavond".
func (ev intentEvidence) nowWith(k Intent, toks []token) bool {
	if !ev.unnegated(cueNow, toks) {
		return false
	}
	for _, m := range ev.matches {
		if m.cue.intent != k {
			continue
		}
		for _, n := range ev.matches {
			if n.cue.intent == cueNow && n.start >= m.start-2 && n.start <= m.end+1 {
				return true
			}
		}
	}
	return false
}

// found reports whether a cue of kind k is in the message (not only set
// by a rule).
func (ev intentEvidence) found(k Intent) bool {
	for _, m := range ev.matches {
		if m.cue.intent == k {
			return true
		}
	}
	return false
}

// laterThan reports whether a date after today is mentioned.
func laterThan(ds []dateMention, today time.Time) bool {
	for _, d := range ds {
		if !d.past && d.day.After(today) {
			return true
		}
	}
	return false
}

func hasStrongIntent(ev intentEvidence) bool {
	for _, in := range intentPriority {
		if ev.strong[in] {
			return true
		}
	}
	return false
}

// resolveDates returns the calendar days; in a message about a payment
// already made, a day and month without a year lie in the past.
func resolveDates(ds []dateMention, in Intent, today time.Time) []time.Time {
	var out []time.Time
	for _, d := range ds {
		day := d.day
		if in == IntentAlreadyPaid && d.month != 0 {
			if p, ok := pastDayMonth(d.dom, d.month, today); ok {
				day = p
			}
		}
		if in == IntentAlreadyPaid && d.month == 0 && d.dom != 0 && day.After(today) {
			day = day.AddDate(0, -1, 0) // "ik heb de 28e betaald": last month's 28th
		}
		out = append(out, day)
	}
	return out
}

// disputeReason maps the reason cues to a casestore.DisputeReason; a
// dispute without a recognisable reason is "other".
func disputeReason(ev intentEvidence, in Intent) casestore.DisputeReason {
	for _, r := range []struct {
		cue    Intent
		reason casestore.DisputeReason
	}{
		// Not received first: "jamais reçu la commande" also holds the
		// words of "never ordered".
		{reasonNotReceived, casestore.ReasonNotReceived}, {reasonNotMine, casestore.ReasonNotMyDebt},
		{reasonFaulty, casestore.ReasonFaulty}, {reasonWrongAmount, casestore.ReasonWrongAmount},
		{IntentAlreadyPaid, casestore.ReasonAlreadyPaid},
	} {
		if ev.strong[r.cue] {
			return r.reason
		}
	}
	if in == IntentDispute {
		return casestore.ReasonOther
	}
	return ""
}

// Yes and no. Only the start of a message counts ("ja, graag", "nee hoor",
// "ok ik betaal vrijdag"): "klopt" further on is part of a sentence ("de
// factuur klopt niet"). A yes word followed by a negation is a no ("klopt
// niet", "niet akkoord", "pas d'accord").
var (
	yesPhrases = phraseSet("ja", "jaa", "jah", "jazeker", "jawel", "zeker", "klopt", "correct", "juist", "prima",
		"akkoord", "is goed", "dat is goed", "goed", "helemaal goed", "oke", "ok", "okay", "okey", "okee", "oki",
		"yes", "yeah", "yep", "yup", "ya", "sure", "of course", "absolutely", "agreed", "fine", "right", "that s right",
		"correct", "oui", "ouais", "d accord", "daccord", "exact", "exactement", "bien sur", "volontiers", "dat klopt",
		"in orde", "top", "graag", "doe maar", "y", "j")
	noPhrases = phraseSet("nee", "neen", "neuh", "nope", "nah", "no", "niet", "non", "nein", "nee hoor",
		"liever niet", "zeker niet", "absoluut niet", "not", "never", "nooit", "pas du tout", "n", "absolutely not",
		"no thanks", "niet akkoord", "pas d accord", "helemaal niet")
	fillers = phraseSet("eh", "uh", "uhm", "ehm", "euh", "nou", "well", "ah", "oh", "hmm", "hm", "mm", "tja", "dus", "so", "bon")
)

func phraseSet(ps ...string) map[string]bool {
	m := map[string]bool{}
	for _, p := range ps {
		m[p] = true
	}
	return m
}

// yesNo reads a yes/no answer at the start of a message.
func yesNo(raw string, toks []token) (yes, no bool) {
	switch {
	case strings.ContainsAny(raw, "👍✅✔"):
		return true, false
	case strings.ContainsAny(raw, "👎❌"):
		return false, true
	}
	i := 0
	for i < len(toks) && fillers[toks[i].text] {
		i++
	}
	for n := min(3, len(toks)-i); n >= 1; n-- { // longest phrase first
		p := strings.Join(tokenTexts(toks[i:i+n]), " ")
		switch {
		case noPhrases[p]:
			return false, true
		case yesPhrases[p]:
			if i+n < len(toks) && negators[toks[i+n].text] {
				return false, true
			}
			if p == "graag" || p == "goed" || p == "top" || p == "right" || p == "fine" {
				if len(toks) > i+n+2 { // "graag een regeling": a request, not an answer
					return false, false
				}
			}
			return true, false
		}
	}
	return false, false
}

// menuWords may stand before a menu number: "optie 3", "keuze 2".
var menuWords = phraseSet("optie", "keuze", "option", "nummer", "nr", "no", "number", "numero", "choix", "antwoord", "answer", "reponse", "menu")

// menuChoice reads a menu number 1–9 typed on its own: "1", "2.", "optie 3",
// "drie", "three", "trois".
func menuChoice(toks []token) int {
	if len(toks) == 2 && menuWords[toks[0].text] {
		toks = toks[1:]
	}
	if len(toks) != 1 {
		return 0
	}
	n, ok := 0, false
	if toks[0].digits {
		n, _ = strconv.Atoi(toks[0].text)
		ok = len(toks[0].text) == 1
	} else {
		n, ok = numberWord(toks[0].text)
	}
	if !ok || n < 1 || n > 9 {
		return 0
	}
	return n
}
