package telegram

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/incassobot/incassobot/bot"
)

// maxUpdateBytes bounds a webhook body. A Telegram update is a few KiB:
// files are never inline, only their ids.
const maxUpdateBytes = 1 << 20

// SecretHeader carries the webhook secret Telegram was given in setWebhook.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// NewWebhook is the handler for POST /webhooks/telegram. It answers:
//
//	403 the secret header is missing or wrong (nothing is read or kept)
//	415 the body is declared as something other than application/json
//	413 the body is over 1 MiB;  400 it is not a JSON update
//	200 the update was committed, or is one the bot ignores
//	503 a file that came with the message could not be fetched yet
//	500 the sink could not commit the message
//
// Telegram retries every non-2xx answer, with the same update_id, so a
// retry after 500/503 is deduplicated by the router. cfg gives the secret
// (an empty secret refuses every request) and the media limit; api fetches
// files.
func NewWebhook(cfg Config, api *Client, sink bot.Sink, log *slog.Logger) http.Handler {
	if api == nil || sink == nil {
		panic("telegram.NewWebhook: api and sink are required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	if cfg.WebhookSecret == "" {
		log.Error("telegram: no webhook secret configured; every webhook call will be refused")
	}
	d := decoder{api: api, maxMedia: cfg.MaxMediaBytes, now: cfg.Now, log: log}
	secret := []byte(cfg.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get(SecretHeader))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			log.Warn("telegram: webhook refused: missing or wrong secret token", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		// Telegram declares its updates as JSON; a body declared as anything
		// else (a form, text) is not an update, whatever it holds. A request
		// that declares nothing is judged by its body alone.
		if ct := r.Header.Get("Content-Type"); ct != "" {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				http.Error(w, "send the update as application/json", http.StatusUnsupportedMediaType)
				return
			}
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBytes))
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		} else if err != nil {
			http.Error(w, "could not read the update", http.StatusBadRequest)
			return
		}
		var upd tgbotapi.Update
		if err := json.Unmarshal(body, &upd); err != nil || upd.UpdateID <= 0 {
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
			return
		}
		switch err := d.receive(r.Context(), upd, sink); {
		case errors.Is(err, errFetch):
			http.Error(w, "file not available yet; retry", http.StatusServiceUnavailable)
		case errors.Is(err, bot.ErrBusy):
			bot.RefuseBusy(w) // Telegram delivers the update again
		case err != nil:
			http.Error(w, "not committed; retry", http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
}
