package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// DefaultShareLabel is the contact button's label when the message does not
// bring one. The channel does not know the debtor's language, so it says
// it in both Dutch and English.
const DefaultShareLabel = "📱 Deel mijn telefoonnummer / Share my phone number"

// Send delivers m to the Telegram chat m.To (the chat id the debtor wrote
// from) and returns the message_id Telegram gave it. The text goes as plain
// text, without parse mode: what the bot relays must never be read as
// markup. The reply keyboard:
//
//   - AskPhone: one "share my phone number" button, labelled Options[0]
//     (the dialog's label in the debtor's language) or DefaultShareLabel;
//     any further Options follow as ordinary buttons;
//   - Options: one button per row, one-time, resized to fit;
//   - neither: the keyboard is removed, so no stale buttons from an earlier
//     question stay on the debtor's screen.
//
// A text over Telegram's 4096-character limit is sent as several messages
// split at paragraph, line or word boundaries; the keyboard goes with the
// last one and its id is returned. If a later part fails, a retry sends the
// earlier parts again: Telegram offers no idempotency key.
//
// Telegram has no delivery receipts, so nothing ever reaches
// Sink.DeliveryStatus from this channel.
func (c *Client) Send(ctx context.Context, m bot.Outgoing) (string, error) {
	chatID, err := strconv.ParseInt(m.To, 10, 64)
	if err != nil || chatID == 0 {
		return "", &bot.SendError{Err: fmt.Errorf("telegram: %q is not a Telegram chat id", m.To)}
	}
	if m.Text == "" {
		return "", &bot.SendError{Err: errors.New("telegram: empty message: Telegram refuses it")}
	}
	parts := splitText(m.Text, maxMessageUnits)
	var id int
	for i, part := range parts {
		msg := tgbotapi.NewMessage(chatID, part)
		if i == len(parts)-1 {
			msg.ReplyMarkup = replyMarkup(m)
		}
		id, err = c.sendOne(ctx, msg)
		if err != nil {
			return "", err
		}
	}
	return strconv.Itoa(id), nil
}

// sendOne makes one sendMessage call under the request deadline and types
// its failure for the outbox.
func (c *Client) sendOne(ctx context.Context, msg tgbotapi.MessageConfig) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	sent, err := c.with(ctx).Send(msg)
	if err != nil {
		retry, after := temporary(err)
		return 0, &bot.SendError{Err: c.describe("sendMessage", err), Temporary: retry, RetryAfter: after}
	}
	return sent.MessageID, nil
}

// replyMarkup is the keyboard for m; see Send.
func replyMarkup(m bot.Outgoing) any {
	var rows [][]tgbotapi.KeyboardButton
	options := m.Options
	if m.AskPhone {
		label := DefaultShareLabel
		if len(options) > 0 && options[0] != "" {
			label = options[0]
		}
		if len(options) > 0 {
			options = options[1:]
		}
		rows = append(rows, tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(label)))
	}
	for _, o := range options {
		if o != "" {
			rows = append(rows, tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButton(o)))
		}
	}
	if len(rows) == 0 {
		return tgbotapi.NewRemoveKeyboard(false)
	}
	return tgbotapi.NewOneTimeReplyKeyboard(rows...)
}
