// Package twiliofake is a local stand-in for Twilio's Messages API and
// media URLs (an httptest server), plus Twilio's webhook signature, for
// tests of the Twilio channel and end-to-end tests of the bot.
package twiliofake
