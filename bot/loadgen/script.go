package loadgen

import (
	"context"
	"math/rand/v2"
	"time"
)

// turn is one thing a debtor sends.
type turn struct {
	text       string
	sharePhone bool // Telegram: press "share my phone number"
}

// identify is the placeholder for "dossier number and postcode".
const identify = "\x00identify"

// scripts are conversations debtors hold, in Dutch as most do: the bot
// must answer every turn (none of them asks for a person, which would
// silence the bot until a collector hands the chat back).
var scripts = [][]string{
	// balance, then a plan the default policy accepts, then a question
	{"hallo", identify, "hoeveel moet ik nog betalen?", "kan ik 50 euro per maand betalen", "ja",
		"wanneer wordt de eerste termijn afgeschreven?"},
	// a dispute of the invoice with an explanation, no evidence
	{"goedemiddag", identify, "saldo", "ik heb de factuur nooit ontvangen", "1",
		"Ik woon sinds maart op een ander adres.", "klaar"},
	// free text: what is open, a promise, thanks
	{"hoi", identify, "wat staat er nog open", "ik betaal vrijdag", "dank u wel"},
}

// script returns debtor d's k-th conversation as turns; on Telegram the
// debtor first shares the phone number, as the bot asks.
func script(d Debtor, k int) []turn {
	lines := scripts[(d.Index+k)%len(scripts)]
	var out []turn
	for i, l := range lines {
		if l == identify {
			l = d.Ref + " " + d.Postcode
		}
		out = append(out, turn{text: l})
		if i == 0 && d.Channel == "telegram" && k == 0 {
			out = append(out, turn{sharePhone: true})
		}
	}
	return out
}

// converse is one debtor's life in the run: scripts one after another,
// one turn at a time, each turn waiting for the reply to reach the fake
// provider before the next (a person reads before answering).
func (r *runner) converse(ctx context.Context, d Debtor, rng *rand.Rand) {
	for k := 0; ; k++ {
		for _, t := range script(d, k) {
			if !r.take(ctx) {
				return
			}
			r.say(ctx, d, t, rng)
		}
	}
}

// say sends one turn (and perhaps its deliberate duplicate) and waits for
// the first reply.
func (r *runner) say(ctx context.Context, d Debtor, t turn, rng *rand.Rand) {
	var w webhook
	if d.Channel == "telegram" {
		w = telegramWebhook(r.cfg.Accounts, d, r.updateID.Add(1), t.text, t.sharePhone)
	} else {
		w = twilioWebhook(r.cfg.Accounts, r.cfg.PublicURL, d, t.text)
	}
	before := r.prov.Count(d.Channel, d.Address())
	start := time.Now()
	r.stats.sent.Add(1)
	// In-flight webhooks finish even when the run's time is up: a message
	// half sent would be neither counted nor audited.
	live := context.WithoutCancel(ctx)
	dup := rng.Float64() < r.cfg.DuplicateShare
	racing := dup && rng.IntN(2) == 0
	var raced chan bool
	if racing {
		// A provider retry racing the first delivery: the server must
		// file the message once, whichever commits first.
		raced = make(chan bool, 1)
		go func() { raced <- r.post.deliver(live, w) }()
	}
	ok := r.post.deliver(live, w)
	dupOK := false
	switch {
	case racing:
		dupOK = <-raced
	case dup && ok:
		// A retry after the answer was lost on its way back.
		dupOK = r.post.deliver(live, w)
	}
	if dup {
		r.stats.dupSent.Add(1)
		if dupOK {
			r.stats.dupAccepted.Add(1)
		}
	}
	if !ok && !dupOK {
		r.stats.failed.Add(1)
		return
	}
	r.stats.accepted.Add(1)
	r.stats.accept(w, dup)
	r.awaitReply(d, before, start)
}

// awaitReply waits for the first delivery to d after the count before,
// then for the rest of the reply to arrive (a long text goes out in
// parts, a reply may be several messages), so that the next turn's reply
// is not confused with this one's tail.
func (r *runner) awaitReply(d Debtor, before int, start time.Time) {
	ctx, cancel := context.WithTimeout(context.Background(), r.cfg.ReplyTimeout)
	defer cancel()
	if _, err := r.prov.WaitBeyond(ctx, d.Channel, d.Address(), before); err != nil {
		r.stats.noReply.Add(1)
		r.stats.fail("no reply within " + r.cfg.ReplyTimeout.String())
		return
	}
	r.stats.replied(time.Since(start))
	n := r.prov.Count(d.Channel, d.Address())
	for {
		quiet, cancel := context.WithTimeout(context.Background(), r.cfg.ReplySettle)
		_, err := r.prov.WaitBeyond(quiet, d.Channel, d.Address(), n)
		cancel()
		if err != nil {
			return
		}
		n = r.prov.Count(d.Channel, d.Address())
	}
}
