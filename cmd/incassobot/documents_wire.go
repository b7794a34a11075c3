package main

import (
	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/debtordocs"
	"github.com/incassobot/incassobot/bot/email"
	"github.com/incassobot/incassobot/casestore"
)

// wireDocuments gives debtors their documents (the specification, the
// invoice copies): attached to e-mail always, as signed links with
// DOCUMENT_LINK_KEY; and switches inbound e-mail on with
// EMAIL_INBOUND_SIGNING_KEY.
func wireDocuments(e *env, cfg config, st casestore.Store, r *running, conv *bot.Conversations) {
	dc := cfg.Documents
	svc := &debtordocs.Service{Store: st, Key: dc.LinkKey, PublicURL: cfg.Channels.PublicURL, Bank: dc.Bank, Now: e.now, Log: e.log,
		Agency: debtordocs.Agency{Name: or(cfg.AgencyName, "incassobot"), Address: cfg.AgencyAddress, KvK: cfg.AgencyKvK, WKI: cfg.AgencyWKI}}
	r.outbox.Attach = svc
	if len(dc.LinkKey) > 0 {
		r.deps.Documents = svc.Handler()
		conv.Documents = svc
		e.log.Info("document links on", "base", cfg.Channels.PublicURL+"/documenten/")
	} else {
		e.log.Info("document links are off", "why", "DOCUMENT_LINK_KEY is not set")
	}
	if dc.Bank.IBAN == "" {
		e.log.Warn("AGENCY_IBAN is not set: the specification names no account to pay to")
	}
	if dc.InboundSigningKey == "" {
		e.log.Info("inbound e-mail is off", "why", "EMAIL_INBOUND_SIGNING_KEY is not set")
		return
	}
	r.deps.EmailWebhook = email.NewWebhook(email.Inbound{SigningKey: dc.InboundSigningKey, Now: e.now, Tokens: conv.Hot}, r.router, e.log)
	if cfg.Channels.Email == nil {
		e.log.Warn("inbound e-mail is on but SMTP_URL is not set: answers wait in the outbox until e-mail can be sent")
	}
	e.log.Info("inbound e-mail on", "webhook", cfg.Channels.PublicURL+"/webhooks/email")
}
