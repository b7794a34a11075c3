package dialogs

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The web chat has no phone number: the debtor identifies with the dossier
// number plus postcode or date of birth, looked up by the runtime. These
// conversations run through the same converse helper as the phone channels,
// with the channel vouching for no number.

// webConversation marks c as a web chat and adds to every turn the checks
// that hold for the whole web flow: nobody is asked to share a phone.
func webConversation(c conversation) conversation {
	c.Phone, c.Channel = "-", ChannelWeb
	for i := range c.Turns {
		own := c.Turns[i].Check
		c.Turns[i].Check = func(t *testing.T, r Result) {
			t.Helper()
			for _, rp := range r.Replies {
				if rp.AskPhone {
					t.Errorf("a web reply asks for the phone button: %q", rp.Text)
				}
				low := strings.ToLower(rp.Text)
				for _, w := range []string{"telefoonnummer", "phone number", "numéro de téléphone"} {
					if strings.Contains(low, w) {
						t.Errorf("a web reply mentions %q: %q", w, rp.Text)
					}
				}
			}
			if own != nil {
				own(t, r)
			}
		}
	}
	return c
}

// fromSession checks that the verification entries name the web session
// the attempt came from, since there is no phone to name.
func fromSession(t *testing.T, r Result) {
	t.Helper()
	for _, e := range r.Entries {
		if !strings.HasPrefix(string(e.Kind), "verification.") || e.Kind == "verification.locked" {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(e.Body, &body); err != nil || body["from"] != "web:user" {
			t.Errorf("%s entry does not name the session: %s", e.Kind, e.Body)
		}
	}
}

func webConversations(t *testing.T) []conversation {
	minn := fixtureCase(casestore.Minnelijk)
	return []conversation{
		{Name: "web/nl: dossier number and postcode, then the balance", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "hallo", Want: []string{"Welkom in de chat", "dossiernummer", "postcode of geboortedatum"},
				Node: NodeVerifyRef, Entries: []string{}, Effects: []string{}},
			{Say: refOnFile + " 1234AB", Want: []string{"Dank u, J. de Vries", "U bent geïdentificeerd", "Waarmee kan ik u helpen?"},
				WantNot: []string{"1. ", "Typ het nummer"}, Verified: yes, Node: NodeMenu, Entries: []string{"verification.succeeded"},
				Check: func(t *testing.T, r Result) {
					fromSession(t, r)
					if len(r.Replies) != 1 || !slices.Contains(r.Replies[0].Options, "Openstaand bedrag bekijken") {
						t.Errorf("the menu is not offered as buttons: %+v", r.Replies)
					}
				}},
			{Say: "saldo", Want: append(shown(t, minn, casestore.Dutch), "Energie Noord B.V.", "Hoofdsom"),
				Node: NodeBalance, Entries: []string{"balance.shown"}},
		}},
		// A button sends its label, its meaning: "Ja" accepts the plan
		// shown, a menu label starts its flow, and neither is read as €1.
		{Name: "web/nl: buttons carry their meaning", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: refOnFile + " 1234AB", Verified: yes, Node: NodeMenu},
			{Say: "Betalingsregeling treffen", Want: []string{"per maand"}, Node: NodePlanAsk, Effects: []string{}},
			{Say: "150 euro per maand", Want: []string{"akkoord"}, Node: NodePlanConfirm},
			{Say: "Ja", Want: []string{"de regeling is vastgelegd"}, Node: NodeMenu, Effects: []string{"plan.propose", "case.status"}},
		}},
		{Name: "web/nl: the Ja button sent as its number still accepts", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: refOnFile + " 1234AB", Verified: yes, Node: NodeMenu},
			{Say: "150 euro per maand", Node: NodePlanConfirm},
			{Say: "1", Node: NodeMenu, Effects: []string{"plan.propose", "case.status"}},
		}},
		{Name: "web/en: file number and date of birth, then the balance", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "Hi", Want: []string{"Welcome to the chat", "file number", "postcode or date of birth"}, Node: NodeVerifyRef},
			{Say: refOnFile + ", born 14 March 1985", Want: []string{"You have been identified", "How can I help"},
				Verified: yes, Entries: []string{"verification.succeeded"}, Check: fromSession},
			{Say: "how much do I still owe", Intent: IntentBalance, Want: append(shown(t, minn, casestore.English), "Principal"),
				Entries: []string{"balance.shown"}},
		}},
		{Name: "web/fr: numéro de dossier et code postal", Case: belgianCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "bonjour", Want: []string{"Bienvenue dans le chat", "numéro de dossier", "code postal"}, Node: NodeVerifyRef},
			{Say: refOnFile + ", code postal 1000", Want: []string{"Vous êtes identifié"}, Verified: yes},
		}},
		{Name: "web/nl: balance asked first, details in two messages", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "Wat is mijn openstaande saldo", Want: []string{"dossiernummer"}, Node: NodeVerifyRef, Verified: no},
			{Say: refOnFile, Want: []string{"postcode of uw geboortedatum"}, Node: NodeVerifyFactor, Entries: []string{}},
			{Say: "14 maart 1985", Verified: yes, Want: append(shown(t, minn, casestore.Dutch), "U bent geïdentificeerd"),
				Entries: []string{"verification.succeeded", "balance.shown"}},
		}},
		{Name: "web/nl: three wrong postcodes lock the case for 15 minutes", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: refOnFile + " 9999ZZ", Want: []string{"Deze gegevens kan ik niet bevestigen", "nog 2"}, Node: NodeVerifyRef,
				Entries: []string{"verification.failed"}, Effects: []string{}, Check: fromSession},
			{Say: refOnFile + " 9999ZZ", Want: []string{"nog 1"}, Entries: []string{"verification.failed"}, Effects: []string{}},
			{Say: refOnFile + " 9999ZZ", Want: []string{"te veel pogingen", "10:19"}, Node: NodeLocked,
				Entries: []string{"verification.failed", "verification.locked"},
				// One lock, on the case: the web chat has no phone to lock.
				Effects: []string{"verification.lock"}, Check: lockedCase(101)},
			{Say: refOnFile + " 1234AB", Want: []string{"te veel pogingen"}, WantNot: []string{"geïdentificeerd"}, Verified: no, Entries: []string{}},
			{Say: refOnFile + " 1234AB", After: 16 * time.Minute, Verified: yes, Want: []string{"U bent geïdentificeerd"}},
		}},
		{Name: "web/nl: an unknown dossier number is answered like a wrong postcode", Case: fixtureCase(casestore.Minnelijk), Turns: []turnSpec{
			{Say: "goedemorgen", Node: NodeVerifyRef},
			{Say: "IB-2099-999999 1234AB", Want: []string{"Deze gegevens kan ik niet bevestigen", "nog 2",
				"dossiernummer, postcode én geboortedatum samen in één bericht"}, Node: NodeVerifyRef,
				Verified: no, Entries: []string{}, Effects: []string{}},
		}},
		// Past the case's web chat ceiling (guessers spent it) the debtor
		// steps up: one factor is refused with the reply an unknown number
		// gets, which says what to send; postcode and date of birth
		// together are judged, and both must match.
		{Name: "web/nl: past the case's ceiling, postcode and birth date together", Case: fixtureCase(casestore.Minnelijk), AtCeiling: true, Turns: []turnSpec{
			{Say: "hallo", Node: NodeVerifyRef},
			{Say: refOnFile + " 1234AB", Want: []string{"Deze gegevens kan ik niet bevestigen", "nog 2",
				"dossiernummer, postcode én geboortedatum samen in één bericht"}, Verified: no, Entries: []string{}},
			{Say: refOnFile + " 1234AB 15-03-1985", Want: []string{"nog 1"}, Verified: no, Entries: []string{"verification.failed"}},
			{Say: refOnFile + " 1234AB 14-03-1985", Want: []string{"U bent geïdentificeerd"}, Verified: yes,
				Entries: []string{"verification.succeeded"}},
		}},
		// An unverified web chat whose client already has a person asked
		// for elsewhere is not queued again (View.HandoffBusy); once
		// verified, asking for a person works as ever.
		{Name: "web/nl: a person already asked for from this client", Case: fixtureCase(casestore.Minnelijk), HandoffBusy: true, Turns: []turnSpec{
			{Say: "MENS", Want: []string{"al een medewerker gevraagd", "dossiernummer"}, Verified: no,
				Effects: []string{}, Entries: []string{}},
			{Say: refOnFile + " 1234AB", Verified: yes, Want: []string{"U bent geïdentificeerd"}},
			{Say: "MENS", WantNot: []string{"al een medewerker gevraagd"}, Node: NodeHandoff, Effects: []string{"handoff"}},
		}},
		{Name: "web/en: a person already asked for from this client", Case: fixtureCase(casestore.Minnelijk), HandoffBusy: true, Turns: []turnSpec{
			{Say: "Hello", Node: NodeVerifyRef},
			{Say: "PERSON", Want: []string{"already been asked for"}, Verified: no, Effects: []string{}},
		}},
		{Name: "web/fr: a person already asked for from this client", Case: fixtureCase(casestore.Minnelijk), HandoffBusy: true, Turns: []turnSpec{
			{Say: "Bonjour", Node: NodeVerifyRef},
			{Say: "CONSEILLER", Want: []string{"déjà été demandé"}, Verified: no, Effects: []string{}},
		}},
		{Name: "web/en: the failure reply says what to send", Case: fixtureCase(casestore.Minnelijk), AtCeiling: true, Turns: []turnSpec{
			{Say: "Hello", Node: NodeVerifyRef},
			{Say: "my file number is " + refOnFile + " postcode 1234AB", Want: []string{"I cannot confirm",
				"file number, postcode and date of birth together in one message"}, Verified: no},
		}},
		{Name: "web/fr: the failure reply says what to send", Case: fixtureCase(casestore.Minnelijk), AtCeiling: true, Turns: []turnSpec{
			{Say: "Bonjour", Node: NodeVerifyRef},
			{Say: "mon numéro de dossier " + refOnFile + " code postal 1234AB", Want: []string{"Je ne peux pas confirmer",
				"numéro de dossier, votre code postal et votre date de naissance ensemble"}, Verified: no},
		}},
	}
}

func lockedCase(id int64) func(t *testing.T, r Result) {
	return func(t *testing.T, r Result) {
		t.Helper()
		for _, e := range r.Effects {
			if l, ok := e.(LockVerification); ok && (l.CaseID != id || l.Phone != "") {
				t.Errorf("lock %+v, want the case %d only", l, id)
			}
		}
	}
}

func TestWebConversations(t *testing.T) {
	for _, c := range webConversations(t) {
		t.Run(c.Name, func(t *testing.T) { converse(t, webConversation(c)) })
	}
}

// An unknown dossier number and a wrong postcode for a real one get the
// very same reply, attempt for attempt, so the chat cannot be used to find
// out which dossier numbers exist.
func TestWebUnknownDossierAndWrongPostcodeReadTheSame(t *testing.T) {
	for _, lang := range []struct{ hello, lockWord string }{{"hallo", "te veel pogingen"}, {"Hi", "too many attempts"}} {
		wrongPostcode := webReplies(t, lang.hello, refOnFile+" 9999ZZ")
		unknownRef := webReplies(t, lang.hello, "IB-2099-999999 1234AB")
		for i := range wrongPostcode {
			if wrongPostcode[i] != unknownRef[i] {
				t.Errorf("%s, attempt %d:\nwrong postcode: %q\nunknown dossier: %q", lang.hello, i+1, wrongPostcode[i], unknownRef[i])
			}
		}
		if last := unknownRef[len(unknownRef)-1]; !strings.Contains(last, lang.lockWord) {
			t.Errorf("%s: the third unknown dossier number does not lock the chat: %q", lang.hello, last)
		}
	}
}

// webReplies greets, then sends attempt three times in a fresh web chat,
// and returns the replies to the three attempts.
func webReplies(t *testing.T, hello, attempt string) []string {
	t.Helper()
	rt := &runtimeFake{c: fixtureCase(casestore.Minnelijk)}
	now := convNow
	ev := func(text string) Event {
		return Event{Kind: EventText, Text: text, Channel: ChannelWeb, From: "web:user"}
	}
	st := rt.step(State{}, ev(hello), now).State
	var out []string
	for i := 0; i < MaxFailures; i++ {
		now = now.Add(time.Minute)
		r := rt.step(st, ev(attempt), now)
		if r.State.Verified {
			t.Fatalf("%q verified", attempt)
		}
		out = append(out, replyText(r))
		st = roundTrip(t, r.State)
	}
	return out
}

// A lock on the case holds for a new browser session too: clearing the
// cookie does not buy three more guesses at the postcode.
func TestWebCaseLockHoldsForANewSession(t *testing.T) {
	rt := &runtimeFake{c: fixtureCase(casestore.Minnelijk)}
	now := convNow
	ev := Event{Kind: EventText, Text: refOnFile + " 9999ZZ", Channel: ChannelWeb, From: "web:first"}
	var st State
	for i := 0; i < MaxFailures; i++ {
		now = now.Add(time.Minute)
		st = rt.step(st, ev, now).State
	}
	if !rt.lockUntil.After(now) {
		t.Fatal("three wrong postcodes did not lock the case")
	}
	now = now.Add(time.Minute)
	fresh := Event{Kind: EventText, Text: refOnFile + " 1234AB", Channel: ChannelWeb, From: "web:second"}
	r := rt.step(State{}, fresh, now)
	if r.State.Verified || !strings.Contains(replyText(r), "te veel pogingen") {
		t.Fatalf("a new session got past the lock: verified=%v reply %q", r.State.Verified, replyText(r))
	}
	for _, s := range caseSecrets(rt.c) {
		if strings.Contains(replyText(r), s) {
			t.Errorf("locked reply leaks %q", s)
		}
	}
}
