package casestore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"
)

// The dossier is a hash chain per case, so that a court can check that
// nobody changed, removed or reordered an entry after it was written:
// every entry carries Hash = EntryHash(the previous entry's hash, the
// entry), the first entry of a case chaining from "". Changing one byte
// of an entry breaks its hash; recomputing that hash breaks the next
// entry's; rewriting the whole rest of the chain changes the head, which
// the lawyer's export prints (a printed copy names the head it had).
//
// PostgreSQL computes the same hash in SQL (the function
// dossier_entry_hash of migration 00011) inside the insert; the SQLite
// store and every verification compute it here. The conformance suite
// checks that both agree.

// chainVersion starts every hashed text, so that a later encoding can
// never be mistaken for this one.
const chainVersion = "incassobot-dossier-v1"

// chainTime is how an entry's instant enters the hash: UTC with nine
// fraction digits (PostgreSQL keeps microseconds, so its last three are 0).
const chainTime = "2006-01-02T15:04:05.000000000Z"

// EntryHash is the hex SHA-256 that chains entry e, the seq-th of its case
// (from 1), to prev, the hash of the case's entry before it ("" for the
// first). body is the entry's body exactly as the store keeps it. Text
// fields are length-prefixed, so no field can borrow from its neighbour.
func EntryHash(prev string, caseID, seq int64, kind EntryKind, actor Actor, channel string, at time.Time, body []byte) string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte('\n')
	}
	b.WriteString(chainVersion + "\n" + prev + "\n")
	b.WriteString(strconv.FormatInt(caseID, 10) + "\n" + strconv.FormatInt(seq, 10) + "\n")
	field(string(kind))
	field(string(actor))
	field(channel)
	b.WriteString(at.UTC().Format(chainTime) + "\n")
	field(string(body))
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// ChainHead is where a case's chain stands: Seq entries, the last with
// Hash. A case without entries has the zero head.
type ChainHead struct {
	Seq  int64
	Hash string
}

// String is the head as the export prints it.
func (h ChainHead) String() string {
	if h.Seq == 0 {
		return "no entries"
	}
	return fmt.Sprintf("entry %d, sha256 %s", h.Seq, h.Hash)
}

// ChainLink is an entry as verification reads it back.
type ChainLink struct {
	ID, Seq int64
	Kind    EntryKind
	Actor   Actor
	Channel string
	Body    []byte // as stored
	At      time.Time
	Hash    string // as stored
}

// ChainBreak names the first entry of a case that does not match.
type ChainBreak struct {
	EntryID int64 // 0 when the head, not an entry, is wrong
	Seq     int64
	Reason  string
}

// ChainReport is the outcome of verifying one case's chain.
type ChainReport struct {
	CaseID  int64
	CaseRef string
	Entries int64
	Head    ChainHead // as recomputed up to the first break
	Broken  *ChainBreak
}

func (r ChainReport) String() string {
	if r.Broken == nil {
		return fmt.Sprintf("%s: %d entries, chain intact, head %s", r.CaseRef, r.Entries, r.Head.Hash)
	}
	if r.Broken.EntryID == 0 {
		return fmt.Sprintf("%s: %s", r.CaseRef, r.Broken.Reason)
	}
	return fmt.Sprintf("%s: entry %d (id %d) does not match: %s", r.CaseRef, r.Broken.Seq, r.Broken.EntryID, r.Broken.Reason)
}

// ChainCheck recomputes a case's chain entry by entry, in the order they
// were appended (by ID), and keeps the first break. Both stores feed it.
type ChainCheck struct {
	report ChainReport
}

// NewChainCheck starts the check of case caseID (dossier number ref).
func NewChainCheck(caseID int64, ref string) *ChainCheck {
	return &ChainCheck{report: ChainReport{CaseID: caseID, CaseRef: ref}}
}

// Add checks the next entry; after a break it only counts.
func (c *ChainCheck) Add(l ChainLink) {
	r := &c.report
	r.Entries++
	if r.Broken != nil {
		return
	}
	seq := r.Head.Seq + 1
	if l.Seq != seq {
		r.Broken = &ChainBreak{EntryID: l.ID, Seq: seq,
			Reason: fmt.Sprintf("it is numbered %d where entry %d was expected (an entry was removed or reordered)", l.Seq, seq)}
		return
	}
	want := EntryHash(r.Head.Hash, r.CaseID, seq, l.Kind, l.Actor, l.Channel, l.At, l.Body)
	if want != l.Hash {
		r.Broken = &ChainBreak{EntryID: l.ID, Seq: seq,
			Reason: fmt.Sprintf("its content or its predecessor changed: stored hash %.16s…, recomputed %.16s…", l.Hash, want)}
		return
	}
	r.Head = ChainHead{Seq: seq, Hash: want}
}

// Report ends the check: stored is the head the store keeps for the case
// (where the next append continues), which must be the last entry's, or
// entries were removed from the end.
func (c *ChainCheck) Report(stored ChainHead) ChainReport {
	r := c.report
	if r.Broken == nil && stored != r.Head {
		r.Broken = &ChainBreak{Seq: stored.Seq, Reason: fmt.Sprintf(
			"the chain's head says %d entries ending in %.16s…, the entries end at %d with %.16s… (entries were removed)",
			stored.Seq, stored.Hash, r.Head.Seq, r.Head.Hash)}
	}
	return r
}

// ChainRow is one row of the question both stores ask to verify: each
// case with the head it keeps and its entries in the order appended (by
// ID); Link is nil for a case without entries.
type ChainRow struct {
	CaseID  int64
	CaseRef string
	Head    ChainHead
	Link    *ChainLink
}

// CheckChains verifies the chains of the cases in rows (grouped by case,
// each case's entries in order) and returns a report per case, in the
// order the cases came.
func CheckChains(rows iter.Seq2[ChainRow, error]) ([]ChainReport, error) {
	var reports []ChainReport
	var check *ChainCheck
	var head ChainHead
	for row, err := range rows {
		if err != nil {
			return nil, err
		}
		if check == nil || check.report.CaseID != row.CaseID {
			if check != nil {
				reports = append(reports, check.Report(head))
			}
			check, head = NewChainCheck(row.CaseID, row.CaseRef), row.Head
		}
		if row.Link != nil {
			check.Add(*row.Link)
		}
	}
	if check != nil {
		reports = append(reports, check.Report(head))
	}
	return reports, nil
}

// The question both stores ask to verify, in the schema they share
// (migrations 00011): every case matching a condition on alias c, with its
// stored head and its entries in the order appended. body is the SQL
// expression of an entry's body as stored (PostgreSQL: e.body::text).
func ChainQuery(body, where string) string {
	return `SELECT c.id, c.ref, coalesce(h.seq, 0), coalesce(h.hash, ''),
			e.id, e.seq, e.kind, e.actor, e.channel, ` + body + `, e.at, e.hash
		FROM cases c
		LEFT JOIN dossier_heads h ON h.case_id = c.id
		LEFT JOIN dossier e ON e.case_id = c.id
		` + where + `
		ORDER BY c.ref, c.id, e.id`
}

// ChainCasesWithDossier is ChainQuery's condition for "every case that has
// a dossier".
const ChainCasesWithDossier = `WHERE EXISTS (SELECT 1 FROM dossier_heads h WHERE h.case_id = c.id)
		OR EXISTS (SELECT 1 FROM dossier e WHERE e.case_id = c.id)`

// OneChainReport is the report of case caseID among reports (one case
// asked for): ErrNotFound when the case was not found.
func OneChainReport(reports []ChainReport, caseID int64) (ChainReport, error) {
	if len(reports) == 0 {
		return ChainReport{}, fmt.Errorf("case %d: %w", caseID, ErrNotFound)
	}
	return reports[0], nil
}
