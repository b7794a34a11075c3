// Package email is the e-mail channel: it delivers the outbox's replies and
// reminders over SMTP (github.com/wneessen/go-mail) as plain text, with the
// case's dossier number in a Dutch subject. It knows SMTP and the
// bot.Sender contract, nothing of dialogs. Incoming e-mail is not read.
package email
