// Package demo is the demo data set: twenty realistic Dutch and Belgian
// collection cases, dated relative to "now", that the embedded default
// store is seeded with so a fresh `incassobot serve` has cases to talk about.
package demo
