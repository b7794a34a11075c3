// Package twilio is the Twilio channel: SMS and WhatsApp arrive through
// signed TwiML webhooks (normalised to bot.Inbound, delivery reports to
// bot.DeliveryStatus) and leave through the Messages API (Sender). It
// knows Twilio's wire formats and nothing of dialogs.
package twilio
