// Package payments is the bot's side of a payment coming in, from any
// source (a collector in the console, an online checkout's webhook, a
// bank statement line): casestore.ApplyPayment files it, and Record adds
// the collector's note and thanks the debtor, with the new balance, on
// their own channel, all in the caller's transaction.
package payments
