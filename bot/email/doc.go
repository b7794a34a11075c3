// Package email is the e-mail channel: it delivers the outbox's replies and
// reminders over SMTP (github.com/wneessen/go-mail) as plain text with
// their attachments, with the case's dossier number in a Dutch subject,
// and it reads the debtor's mail from the mail provider's signed inbound
// route (inbound.go), without the quoted letter and the signature
// (strip.go). It knows SMTP, the provider's form and the bot's Sink and
// Sender contracts, nothing of dialogs.
package email
