package telegram

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// maxTextRunes caps the text passed on. Telegram's own limits are 4096
// for a message and 1024 for a caption; the cap guards against a forged
// or future update, not against debtors.
const maxTextRunes = 4096

// decoder turns one Telegram update into a bot.Inbound. The webhook and
// Poll share it, so both paths decide alike what is a debtor's message.
type decoder struct {
	api      *Client
	maxMedia int64
	now      func() time.Time
	log      *slog.Logger
}

// inbound decodes upd. ok is false for an update the bot does not handle:
// anything but a new message in a private chat with a person (edits,
// channel posts, callbacks, groups, other bots). err is set only when a
// file could not be fetched for now; the caller must let Telegram retry.
//
// ProviderID is "upd:<update_id>": update ids are unique per bot and
// Telegram redelivers an update with the same id, so the router dedupes
// webhook retries and re-polled updates on it.
func (d decoder) inbound(ctx context.Context, upd tgbotapi.Update) (in bot.Inbound, ok bool, err error) {
	msg := upd.Message
	if msg == nil || msg.Chat == nil || msg.Chat.Type != "private" || msg.From == nil || msg.From.IsBot {
		return bot.Inbound{}, false, nil
	}
	in = bot.Inbound{
		Channel:    Channel,
		ProviderID: "upd:" + strconv.Itoa(upd.UpdateID),
		From:       strconv.FormatInt(msg.Chat.ID, 10),
		Text:       bot.CapRunes(firstNonEmpty(msg.Text, msg.Caption), maxTextRunes),
		At:         d.now().UTC(),
	}
	if msg.Date > 0 {
		in.At = time.Unix(int64(msg.Date), 0).UTC()
	}
	in.Phone, in.PhoneShared = ownPhone(msg)
	media, err := d.media(ctx, msg)
	if err != nil {
		return bot.Inbound{}, false, err
	}
	in.Media = media
	return in, true, nil
}

// ownPhone returns the sender's number when the message shares the
// sender's own contact — what the "share my phone number" button sends;
// Telegram sets contact.user_id from its own records, so it vouches for
// the number. Someone else's contact (or a typed-in contact card) gives
// no phone: the message then reaches the dialog as an empty message and
// the dialog asks again.
func ownPhone(msg *tgbotapi.Message) (phone string, shared bool) {
	c := msg.Contact
	if c == nil || c.UserID == 0 || c.UserID != msg.From.ID {
		return "", false
	}
	phone = e164(c.PhoneNumber)
	return phone, phone != ""
}

// e164 writes Telegram's phone_number ("31612345678", sometimes with a
// "+" or spaces) as E.164: "+" and 8 to 15 digits. Anything else is not a
// number the bot can match, and gives "".
func e164(raw string) string {
	digits := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		switch ch := raw[i]; {
		case ch >= '0' && ch <= '9':
			digits = append(digits, ch)
		case ch == '+' && len(digits) == 0, ch == ' ', ch == '-', ch == '(', ch == ')':
		default:
			return ""
		}
	}
	if len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return ""
	}
	return "+" + string(digits)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
