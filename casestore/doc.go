// Package casestore holds the collection domain — creditors, debtors, cases,
// invoices, payments, disputes, plans, promises and the append-only dossier —
// the Store interface over them, and the money and law (costs, interest,
// balances, installment plans) computed exactly with shopspring/decimal.
//
// Implementations of Store live in subpackages named after what they depend
// on: casestore/postgres (the system of record) and casestore/sqlite (the
// embedded default). casestore/storetest is the conformance suite both pass.
package casestore
