package telegram

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// Poll receives updates by long polling (getUpdates) until ctx is done,
// for running without a public URL. It is its own loop rather than the
// library's GetUpdatesChan, which has no context, cannot be stopped
// mid-request, and advances past an update whether or not it was kept.
//
// Polling and a webhook cannot both be active (Telegram answers 409), so
// Poll first deletes the webhook, keeping pending updates. For the same
// reason only one process may poll a bot (Telegram answers a second one
// with 409): scaled out, run the webhook instead.
//
// Each update goes through the same decoding as the webhook. The offset
// moves past an update only once sink.Receive committed it (or it is one
// the bot ignores); on a failed commit or fetch Poll backs off and asks for
// the same updates again — at least once, in order; the router dedupes.
//
// Updates committed just before ctx is done are confirmed to Telegram only
// by a next getUpdates, so after a restart they may come once more; the
// router dedupes them on ProviderID.
//
// Poll returns nil when ctx is done, and an error only when Telegram
// refuses the bot itself (401: token revoked). Other failures are logged
// and retried with backoff (PollBackoff doubling to one minute).
func (c *Client) Poll(ctx context.Context, sink bot.Sink, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := decoder{api: c, maxMedia: c.cfg.MaxMediaBytes, now: c.cfg.Now, log: log}
	wait := backoff{first: c.cfg.PollBackoff}
	if err := c.leaveWebhook(ctx, &wait, log); err != nil || ctx.Err() != nil {
		return err
	}
	wait.reset()
	log.Info("telegram: polling for updates", "bot", c.Username())
	offset := 0
	for {
		updates, err := c.getUpdates(ctx, offset, c.cfg.PollTimeout)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			if fatal(err) {
				return err
			}
			log.Warn("telegram: getUpdates failed; retrying", "err", err)
			if !sleep(ctx, wait.next()) {
				return nil
			}
			continue
		}
		var failed error
		for _, upd := range updates {
			if failed = d.receive(ctx, upd, sink); failed != nil {
				break
			}
			offset = upd.UpdateID + 1
		}
		if failed != nil {
			_, retryAfter := temporary(failed) // Telegram's flood-control hint, if that was it
			if !sleep(ctx, max(wait.next(), retryAfter)) {
				return nil
			}
			continue
		}
		wait.reset()
	}
}

// leaveWebhook deletes the webhook, retrying until it is gone or ctx is
// done; an error only when Telegram refuses the token.
func (c *Client) leaveWebhook(ctx context.Context, wait *backoff, log *slog.Logger) error {
	for {
		err := c.deleteWebhook(ctx)
		switch {
		case err == nil, ctx.Err() != nil:
			return nil
		case fatal(err):
			return err
		}
		log.Warn("telegram: could not delete the webhook; retrying", "err", err)
		if !sleep(ctx, wait.next()) {
			return nil
		}
	}
}

// getUpdates asks for the updates from offset on, waiting up to timeout
// for one to arrive (whole seconds, at least one).
func (c *Client) getUpdates(ctx context.Context, offset int, timeout time.Duration) ([]tgbotapi.Update, error) {
	secs := max(1, int(timeout.Round(time.Second)/time.Second))
	ctx, cancel := context.WithTimeout(ctx, time.Duration(secs)*time.Second+c.cfg.RequestTimeout)
	defer cancel()
	updates, err := c.with(ctx).GetUpdates(tgbotapi.UpdateConfig{
		Offset: offset, Timeout: secs, AllowedUpdates: []string{"message"},
	})
	if err != nil {
		return nil, c.describe("getUpdates", err)
	}
	return updates, nil
}

// fatal: Telegram does not accept the bot's token; polling cannot work.
func fatal(err error) bool {
	tgErr, ok := apiError(err)
	return ok && tgErr.Code == http.StatusUnauthorized
}

// backoff doubles the wait after each failure, up to maxPollBackoff.
type backoff struct{ first, cur time.Duration }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.first
	} else {
		b.cur = min(2*b.cur, maxPollBackoff)
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }

// sleep waits d or until ctx is done; false when ctx is done.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
