// Package bankfile reads bank statements — CAMT.053 (ISO 20022
// BankToCustomerStatement, versions .001.02 to .001.08, as Dutch and
// Belgian banks export them) and a CSV layout of our own (docs/PAYMENTS.md)
// — into statement lines, reporting each bad entry by its line in the file.
package bankfile
