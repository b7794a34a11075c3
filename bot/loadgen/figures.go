package loadgen

import (
	"errors"
	"strings"
)

// The markers around the generated figures in docs/BENCHMARKS.md:
// scripts/bench.sh replaces what lies between them, and only that, so the
// prose around the figures is written by hand and survives a rerun.
const (
	FiguresBegin = "<!-- figures:begin -->"
	FiguresEnd   = "<!-- figures:end -->"
)

// SpliceFigures returns doc with the text between the figure markers
// replaced by figures. The markers stay; doc must hold each exactly once,
// begin before end, each on a line of its own, or nothing is changed.
func SpliceFigures(doc, figures string) (string, error) {
	if strings.Count(doc, FiguresBegin) != 1 || strings.Count(doc, FiguresEnd) != 1 {
		return doc, errors.New("loadgen: the document must hold " + FiguresBegin + " and " + FiguresEnd + " once each")
	}
	b := strings.Index(doc, FiguresBegin)
	e := strings.Index(doc, FiguresEnd)
	if e < b {
		return doc, errors.New("loadgen: " + FiguresEnd + " comes before " + FiguresBegin)
	}
	head := doc[:b+len(FiguresBegin)]
	if !strings.HasSuffix(doc[:b], "\n") && b != 0 || !strings.HasPrefix(doc[b+len(FiguresBegin):], "\n") ||
		!strings.HasSuffix(doc[:e], "\n") {
		return doc, errors.New("loadgen: the figure markers must each stand on a line of their own")
	}
	figures = strings.TrimSpace(figures)
	if figures != "" {
		figures += "\n"
	}
	return head + "\n" + figures + doc[e:], nil
}
