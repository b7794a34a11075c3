// Package hotstate keeps the bot's hot, disposable state — dialog positions,
// attempt counters, per-conversation locks — in Redis (Redis) or in process
// memory (Memory, for the embedded default). Losing it loses no data: at
// most a debtor's position inside a dialog.
package hotstate
