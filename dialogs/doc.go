// Package dialogs is the debtor conversation: a pure state machine
// (Step) and the understanding of free text in Dutch, English and French
// (intents, amounts, dates, numbers, yes/no). It does no I/O: no network,
// no database, no files, no clock — time comes in as an argument.
package dialogs
