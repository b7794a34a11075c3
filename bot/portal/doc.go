// Package portal is the creditors' pages under /portal: their cases, one
// case's conversation and dossier, evidence files and a printable export,
// each read in the reader's scope so no creditor sees another's case.
package portal
