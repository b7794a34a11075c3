package importfile

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseCSV reads a CSV file with a header row naming the columns (any
// order, case-insensitive). The delimiter is "," or ";" — Dutch and Belgian
// spreadsheets export ";" because "," is their decimal mark — chosen by
// whichever the header uses. An unknown or missing required column is an
// error for the whole file; a bad row is a Problem and the rest goes on.
func ParseCSV(r io.Reader) (*Result, error) {
	cr, names, err := openCSV(bufio.NewReader(r))
	if err != nil {
		return nil, err
	}
	g := newGrouper()
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			g.problem(pe.StartLine, fmt.Sprintf("cannot read the row: %v", pe.Err))
			continue
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(names) {
			g.problem(line, fmt.Sprintf("has %d fields, the header has %d", len(rec), len(names)))
			continue
		}
		f := make(fields, len(names))
		for i, n := range names {
			f[n] = rec[i]
		}
		g.addRow(line, f)
	}
	return g.result(), nil
}

func checkHeader(header []string) ([]string, error) {
	names := make([]string, len(header))
	seen := map[string]bool{}
	var errs []string
	for i, h := range header {
		n := strings.ToLower(strings.TrimSpace(h))
		names[i] = n
		if _, ok := knownColumn(n); !ok {
			errs = append(errs, fmt.Sprintf("unknown column %q", h))
		}
		if seen[n] {
			errs = append(errs, fmt.Sprintf("column %q appears twice", h))
		}
		seen[n] = true
	}
	for _, c := range Columns {
		if c.Required && !seen[c.Name] {
			errs = append(errs, fmt.Sprintf("required column %q is missing", c.Name))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("line 1 (header): %s", strings.Join(errs, "; "))
	}
	return names, nil
}
