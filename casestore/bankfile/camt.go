package bankfile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The parts of a CAMT.053 entry (Ntry) we read. Element names are matched
// without their namespace, so .001.02 and .001.08 share these types; where
// the versions differ (Sts as text or as Cd, a party's name directly or
// under Pty) both forms are read.
type camtEntry struct {
	NtryRef     string     `xml:"NtryRef"`
	Amt         camtAmount `xml:"Amt"`
	CdtDbtInd   string     `xml:"CdtDbtInd"`
	Sts         camtStatus `xml:"Sts"`
	BookgDt     camtDate   `xml:"BookgDt"`
	ValDt       camtDate   `xml:"ValDt"`
	AcctSvcrRef string     `xml:"AcctSvcrRef"`
	Txs         []camtTx   `xml:"NtryDtls>TxDtls"`
}

type camtAmount struct {
	Value string `xml:",chardata"`
	Ccy   string `xml:"Ccy,attr"`
}

type camtStatus struct {
	Text string `xml:",chardata"` // .001.02: <Sts>BOOK</Sts>
	Cd   string `xml:"Cd"`        // .001.08: <Sts><Cd>BOOK</Cd></Sts>
}

func (s camtStatus) code() string {
	if c := strings.TrimSpace(s.Cd); c != "" {
		return c
	}
	return strings.TrimSpace(s.Text)
}

type camtDate struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

func (d camtDate) value() string {
	if d.Dt != "" {
		return strings.TrimSpace(d.Dt)
	}
	return strings.TrimSpace(d.DtTm)
}

type camtParty struct {
	Nm  string `xml:"Nm"`
	Pty struct {
		Nm string `xml:"Nm"`
	} `xml:"Pty"`
}

func (p camtParty) name() string {
	if p.Nm != "" {
		return strings.TrimSpace(p.Nm)
	}
	return strings.TrimSpace(p.Pty.Nm)
}

type camtTx struct {
	AcctSvcrRef string     `xml:"Refs>AcctSvcrRef"`
	EndToEndID  string     `xml:"Refs>EndToEndId"`
	Amt         camtAmount `xml:"Amt"`
	TxAmt       camtAmount `xml:"AmtDtls>TxAmt>Amt"`
	Dbtr        camtParty  `xml:"RltdPties>Dbtr"`
	DbtrIBAN    string     `xml:"RltdPties>DbtrAcct>Id>IBAN"`
	Ustrd       []string   `xml:"RmtInf>Ustrd"`
	Ref         string     `xml:"RmtInf>Strd>CdtrRefInf>Ref"`
}

func (t camtTx) amount() camtAmount {
	if t.Amt.Value != "" {
		return t.Amt
	}
	return t.TxAmt
}

// parseCAMT walks the document and decodes each Ntry, noting its line.
func parseCAMT(data []byte) ([]Line, []Problem, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var lines []Line
	var problems []Problem
	seenRoot := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return lines, problems, fmt.Errorf("bankfile: line %d: not well-formed XML: %w", lineAt(data, dec.InputOffset()), err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !seenRoot {
			seenRoot = true
			if se.Name.Local != "Document" || !strings.Contains(se.Name.Space, "camt.053.001.") {
				return nil, nil, fmt.Errorf("bankfile: not a CAMT.053 statement (root %s in %q)", se.Name.Local, se.Name.Space)
			}
			continue
		}
		if se.Name.Local != "Ntry" {
			continue
		}
		at := lineAt(data, dec.InputOffset())
		var e camtEntry
		if err := dec.DecodeElement(&e, &se); err != nil {
			return lines, problems, fmt.Errorf("bankfile: line %d: entry unreadable: %w", at, err)
		}
		got, err := entryLines(at, e)
		if err != nil {
			problems = append(problems, Problem{Line: at, Reason: err.Error()})
			continue
		}
		lines = append(lines, got...)
	}
	if !seenRoot {
		return nil, nil, errors.New("bankfile: empty XML document")
	}
	return lines, problems, nil
}

// lineAt is the 1-based line of byte offset off.
func lineAt(data []byte, off int64) int {
	return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1
}

// entryLines turns an entry into statement lines: one, or one per
// transaction of a batch booked as one entry.
func entryLines(at int, e camtEntry) ([]Line, error) {
	if st := e.Sts.code(); st != "BOOK" {
		return nil, fmt.Errorf("entry status %q: only booked entries (BOOK) are imported", st)
	}
	ref := strings.TrimSpace(e.AcctSvcrRef)
	if ref == "" {
		ref = strings.TrimSpace(e.NtryRef)
	}
	if ref == "" && len(e.Txs) == 1 {
		ref = strings.TrimSpace(e.Txs[0].AcctSvcrRef)
	}
	if ref == "" {
		return nil, errors.New("no entry reference (AcctSvcrRef or NtryRef): it could not be recognised on a second import")
	}
	var credit bool
	switch e.CdtDbtInd {
	case "CRDT":
		credit = true
	case "DBIT":
	default:
		return nil, fmt.Errorf("CdtDbtInd %q is neither CRDT nor DBIT", e.CdtDbtInd)
	}
	booked, err := parseDay(e.BookgDt.value())
	if err != nil {
		return nil, fmt.Errorf("booking %w", err)
	}
	value := booked
	if v := e.ValDt.value(); v != "" {
		if value, err = parseDay(v); err != nil {
			return nil, fmt.Errorf("value %w", err)
		}
	}
	base := Line{Line: at, EntryRef: ref, BookedOn: booked, ValueDate: value, Credit: credit}
	if len(e.Txs) <= 1 {
		l := base
		if l.Amount, err = parseAmount(strings.TrimSpace(e.Amt.Value)); err != nil {
			return nil, err
		}
		l.Currency = e.Amt.Ccy
		if len(e.Txs) == 1 {
			fill(&l, e.Txs[0])
		}
		return []Line{l}, nil
	}
	out := make([]Line, 0, len(e.Txs))
	for i, tx := range e.Txs {
		l := base
		l.EntryRef = ref + "/" + strconv.Itoa(i+1)
		if r := strings.TrimSpace(tx.AcctSvcrRef); r != "" {
			l.EntryRef = ref + "/" + r
		}
		a := tx.amount()
		if l.Amount, err = parseAmount(strings.TrimSpace(a.Value)); err != nil {
			return nil, fmt.Errorf("transaction %d: %w", i+1, err)
		}
		l.Currency = a.Ccy
		fill(&l, tx)
		out = append(out, l)
	}
	return out, nil
}

func fill(l *Line, tx camtTx) {
	l.Name, l.IBAN = tx.Dbtr.name(), strings.TrimSpace(tx.DbtrIBAN)
	l.Remittance = strings.TrimSpace(strings.Join(tx.Ustrd, " "))
	l.Reference = strings.TrimSpace(tx.Ref)
}
