package twilio

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/incassobot/incassobot/bot"
)

// deliveryStatuses maps Twilio's MessageStatus values that say something
// about delivery to the bot's words. The steps before "sent" (accepted,
// scheduled, sending) and inbound ones are acknowledged and not passed on:
// they would only add noise to the dossier.
var deliveryStatuses = map[string]string{
	"queued":      "queued",
	"sent":        "sent",
	"delivered":   "delivered",
	"read":        "read",
	"failed":      "failed",
	"undelivered": "undelivered",
	"canceled":    "failed", // a scheduled message that will never go out
}

// NewStatusWebhook handles Twilio's status callbacks (POST
// /webhooks/twilio/status) for messages the Sender sent: 403 without a
// valid signature, 415 for a body that is not a form, 413 over 64 KiB, 400
// for a malformed form or one without MessageSid or MessageStatus, 500 when the
// sink could not record it, 200 otherwise (also for statuses it ignores).
func NewStatusWebhook(cfg Config, sink bot.Sink, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	log = log.With("channel_provider", "twilio")
	if cfg.AuthToken == "" || cfg.PublicURL == "" {
		log.Error("twilio status webhook: AuthToken or PublicURL not set; every request will be refused")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readSignedForm(w, r, cfg, log) {
			return
		}
		f := r.PostForm
		sid := strings.TrimSpace(f.Get("MessageSid"))
		twStatus := strings.ToLower(strings.TrimSpace(f.Get("MessageStatus")))
		if sid == "" || twStatus == "" {
			http.Error(w, "MessageSid or MessageStatus is missing", http.StatusBadRequest)
			return
		}
		status, known := deliveryStatuses[twStatus]
		if !known {
			log.Debug("twilio status webhook: status ignored", "message_sid", sid, "status", twStatus)
			w.WriteHeader(http.StatusOK)
			return
		}
		ds := bot.DeliveryStatus{
			Channel:    statusChannel(f.Get("From"), f.Get("To")),
			ProviderID: sid,
			Status:     status,
			ErrorCode:  strings.TrimSpace(f.Get("ErrorCode")),
			At:         cfg.now(),
		}
		if err := sink.DeliveryStatus(r.Context(), ds); err != nil {
			log.Error("twilio status webhook: status not recorded", "message_sid", sid, "err", err)
			http.Error(w, "not recorded", http.StatusInternalServerError)
			return
		}
		log.Info("twilio status webhook: status recorded", "message_sid", sid, "status", status, "error_code", ds.ErrorCode)
		w.WriteHeader(http.StatusOK)
	})
}

// statusChannel tells WhatsApp from SMS by the "whatsapp:" addresses.
func statusChannel(from, to string) string {
	if strings.HasPrefix(from, whatsAppPrefix) || strings.HasPrefix(to, whatsAppPrefix) {
		return ChannelWhatsApp
	}
	return ChannelSMS
}
