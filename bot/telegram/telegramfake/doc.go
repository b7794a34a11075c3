// Package telegramfake is a local stand-in for the Telegram Bot API for
// tests: getMe, webhooks, getUpdates, sendMessage, getFile and file
// downloads, with scripted failures, plus builders for update JSON.
package telegramfake
