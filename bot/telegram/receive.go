package telegram

import (
	"context"
	"errors"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// errFetch marks a file that could not be fetched for now (the webhook
// answers 503; Poll retries the update).
var errFetch = errors.New("telegram: file not fetched")

// receive decodes upd and hands it to sink: nil when the message is
// committed or is one the bot ignores, an error when Telegram must send
// the update again. Both the webhook and Poll come through here.
func (d decoder) receive(ctx context.Context, upd tgbotapi.Update, sink bot.Sink) error {
	in, ok, err := d.inbound(ctx, upd)
	if err != nil {
		d.log.Warn("telegram: update not taken: file not fetched", "update_id", upd.UpdateID, "err", err)
		return fmt.Errorf("%w: %w", errFetch, err)
	}
	if !ok {
		d.log.Debug("telegram: update ignored", "update_id", upd.UpdateID)
		return nil
	}
	if err := sink.Receive(ctx, in); errors.Is(err, bot.ErrBusy) {
		d.log.Debug("telegram: busy, update refused", "update_id", upd.UpdateID)
		return err
	} else if err != nil {
		d.log.Error("telegram: message not committed", "update_id", upd.UpdateID, "err", err)
		return err
	}
	return nil
}
