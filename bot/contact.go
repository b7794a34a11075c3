package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

// ContactChannel is where a message the bot starts to case c's debtor
// goes (a reminder, a thank-you for a payment), so that it honours the
// debtor's contact preference instead of being dropped by it:
//
//   - a preferred channel we have an address for: e-mail to the address
//     on file, SMS or WhatsApp to the first phone on file, or the chat the
//     debtor last wrote in on that channel;
//   - "only e-mail or post": e-mail when an address is on file;
//   - else the conversation the debtor last wrote in about the case, else
//     SMS to the phone on file, else e-mail to the address on file.
//
// ErrNotFound when nothing fits (no address; or only post): a person
// writes then.
func ContactChannel(ctx context.Context, tx casestore.Tx, c *casestore.Case) (channel, to string, err error) {
	p, err := tx.ContactPreference(ctx, c.DebtorID)
	if err != nil && !errors.Is(err, casestore.ErrNotFound) {
		return "", "", err
	}
	convChannel, convTo, err := tx.CaseConversation(ctx, c.ID)
	if err != nil && !errors.Is(err, casestore.ErrNotFound) {
		return "", "", err
	}
	phone := ""
	if len(c.Debtor.Phones) > 0 {
		phone = c.Debtor.Phones[0]
	}
	candidates := [][2]string{}
	switch p.Channel {
	case "email":
		candidates = append(candidates, [2]string{"email", c.Debtor.Email})
	case "sms", "whatsapp":
		if convChannel == p.Channel {
			candidates = append(candidates, [2]string{convChannel, convTo})
		}
		candidates = append(candidates, [2]string{p.Channel, phone})
	case "telegram":
		if convChannel == p.Channel {
			candidates = append(candidates, [2]string{convChannel, convTo})
		}
	}
	if p.Channel == "" && p.WrittenOnly {
		candidates = append(candidates, [2]string{"email", c.Debtor.Email})
	}
	if p.Channel == "" && !p.WrittenOnly {
		candidates = append(candidates, [2]string{convChannel, convTo}, [2]string{"sms", phone}, [2]string{"email", c.Debtor.Email})
	}
	for _, cand := range candidates {
		if cand[0] != "" && cand[1] != "" && p.Allows(cand[0]) {
			return cand[0], cand[1], nil
		}
	}
	return "", "", fmt.Errorf("case %s: no channel the debtor's preference allows has an address: %w", c.Ref, casestore.ErrNotFound)
}
