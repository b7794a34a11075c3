// Package loadgen drives a running incassobot the way many debtors and the
// providers would, through signed Twilio webhooks and Telegram updates, and
// plays Twilio and Telegram for the replies, then audits the system of record.
package loadgen
