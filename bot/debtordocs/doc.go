// Package debtordocs gives a debtor the documents of their case: the
// specification of the claim as a PDF (the lawyer's export, bot/portal,
// without what is for the lawyer: the dossier's internal entries, the
// evidence digests and the hash chain; with the legal basis of interest
// and costs and how to pay: IBAN, account holder, payment reference) and
// the creditor's copy of an invoice delivered with the import.
//
// A debtor has no login: each document is reached through a signed,
// expiring link (PUBLIC_URL/documenten/REF/…?v=EXPIRY&k=SIGNATURE, HMAC-
// SHA256 over the dossier number, the document and the expiry), which the
// bot shows in chat channels, and by e-mail the files travel as
// attachments (Attachments). Nobody can open a document by guessing a
// dossier number, and a link forwarded or found later stops working.
package debtordocs
