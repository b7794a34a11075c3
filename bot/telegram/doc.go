// Package telegram is the Telegram channel: it verifies and decodes Bot API
// updates (webhook or long polling) into bot.Inbound and sends bot.Outgoing
// through the Bot API. It knows Telegram and nothing of dialogs.
package telegram
