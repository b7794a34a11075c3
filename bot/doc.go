// Package bot runs conversations: it takes a normalised inbound message
// from any channel, steps the dialog with what the case store knows, and
// writes the message, the dialog's dossier entries, its effects and the
// replies in one store transaction. Channel adapters live in subpackages.
package bot
