package importfile

import (
	"bufio"
	"bytes"
	"cmp"
	"container/heap"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Source yields the cases of a file one at a time: Next returns io.EOF
// after the last. Import reads from one.
type Source interface {
	Next() (*Record, error)
}

// StreamOptions steer a Stream.
type StreamOptions struct {
	// ChunkRows bounds the CSV rows held in memory at once (default
	// 20,000). A file with more rows is sorted by dossier number in
	// chunks of that many into temporary files, which are then merged, so
	// that the rows of one dossier meet wherever they stand in the file.
	ChunkRows int
	// TempDir holds those files (default: the system's); they are removed
	// by Close.
	TempDir string
	// Problem is called for every bad row or case as it is found: rows
	// that cannot be read at once, in file order; disagreements between
	// the rows of one dossier when its case is put together. Required.
	Problem func(Problem)
	// Documents, when set, is the folder invoice copies named by path are
	// read from (LoadDocuments), one case at a time.
	Documents fs.FS
}

// Stream reads a case file one case at a time, with memory bounded by
// ChunkRows whatever the file's size. A file of at most ChunkRows rows
// gives its cases in file order, exactly as Parse; a larger one gives them
// in dossier-number order. JSON files are read whole (Parse), as before.
type Stream struct {
	opt StreamOptions
	// Either the cases in memory (small file, JSON) …
	records []Record
	// … or the merge of the sorted chunk files.
	merge *runMerge
	names []string // the CSV header's column names
	files []*os.File

	held, maxHeld int // rows (CSV) or cases (JSON) held in memory now / at most
}

// NewStream opens a case file for streaming, choosing CSV or JSON as Parse
// does. The CSV header is read (and checked) before it returns.
func NewStream(r io.Reader, name string, opt StreamOptions) (*Stream, error) {
	if opt.ChunkRows <= 0 {
		opt.ChunkRows = 20000
	}
	if opt.Problem == nil {
		return nil, errors.New("importfile: StreamOptions.Problem is required")
	}
	ext := strings.ToLower(filepath.Ext(name))
	br := bufio.NewReader(r)
	if ext != ".csv" && ext != ".txt" {
		head, _ := br.Peek(512)
		head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
		if ext == ".json" || bytes.HasPrefix(bytes.TrimSpace(head), []byte("[")) {
			res, err := ParseJSON(br)
			if err != nil {
				return nil, err
			}
			s := &Stream{opt: opt, records: res.Records}
			for _, p := range res.Problems {
				opt.Problem(p)
			}
			s.held = len(res.Records)
			s.maxHeld = s.held
			return s, nil
		}
	}
	s := &Stream{opt: opt}
	if err := s.readCSV(br); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// MaxHeld is the most rows (CSV) or cases (JSON) the stream held in
// memory at once: at most ChunkRows, plus one row per chunk file while
// merging.
func (s *Stream) MaxHeld() int { return s.maxHeld }

// Close removes the temporary files.
func (s *Stream) Close() error {
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.Close(), os.Remove(f.Name()))
	}
	s.files = nil
	return errors.Join(errs...)
}

func (s *Stream) hold(n int) {
	s.held += n
	s.maxHeld = max(s.maxHeld, s.held)
}

// row is a CSV row that parsed: its line, dossier number and fields.
type row struct {
	line   int
	ref    string
	fields []string
}

// readCSV reads every row: a bad one is reported at once, a good one is
// kept, and every ChunkRows kept rows are sorted into a chunk file.
func (s *Stream) readCSV(br *bufio.Reader) error {
	cr, names, err := openCSV(br)
	if err != nil {
		return err
	}
	s.names = names
	var rows []row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.opt.Problem(Problem{Line: pe.StartLine, Reason: fmt.Sprintf("cannot read the row: %v", pe.Err)})
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(names) {
			s.opt.Problem(Problem{Line: line, Reason: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(names))})
			continue
		}
		ref, reason := rowRef(names, rec)
		if reason != "" {
			s.opt.Problem(Problem{Line: line, Reason: reason})
			continue
		}
		rows = append(rows, row{line: line, ref: ref, fields: rec})
		s.hold(1)
		if len(rows) == s.opt.ChunkRows {
			if err := s.spill(rows); err != nil {
				return err
			}
			s.hold(-len(rows))
			rows = rows[:0]
		}
	}
	if len(s.files) == 0 {
		// Small enough to group in memory, in file order, as Parse does.
		g := newGrouper()
		for _, r := range rows {
			g.addRow(r.line, s.fieldsOf(r.fields))
		}
		res := g.result()
		for _, p := range res.Problems {
			s.opt.Problem(p)
		}
		s.records = res.Records
		return nil
	}
	if len(rows) > 0 {
		if err := s.spill(rows); err != nil {
			return err
		}
		s.hold(-len(rows))
	}
	m, err := newRunMerge(s.files)
	if err != nil {
		return err
	}
	s.merge = m
	s.hold(len(s.files)) // the merge holds one row of each file
	return nil
}

// openCSV reads the header and returns the reader positioned at the first
// row, with the header's column names.
func openCSV(br *bufio.Reader) (*csv.Reader, []string, error) {
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3) // Excel's UTF-8 byte order mark
	}
	head, _ := br.Peek(4096)
	first, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	cr.Comma = ','
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, fmt.Errorf("file is empty: a header row is required")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	names, err := checkHeader(header)
	if err != nil {
		return nil, nil, err
	}
	return cr, names, nil
}

func (s *Stream) fieldsOf(rec []string) fields {
	f := make(fields, len(s.names))
	for i, n := range s.names {
		f[n] = rec[i]
	}
	return f
}

// rowRef checks one row as the grouper would and returns its dossier
// number, or why the row is bad.
func rowRef(names, rec []string) (string, string) {
	f := make(fields, len(names))
	for i, n := range names {
		f[n] = rec[i]
	}
	var errs rowErrors
	r := parseCaseFields(f, &errs)
	inv := parseInvoice(f, &errs)
	documentSource(inv.Number, f.get("invoice_document"), "", &errs)
	if len(errs) > 0 {
		return "", errs.String()
	}
	return r.Case.Ref, ""
}

// spill writes rows sorted by dossier number, then line, to a new chunk
// file: line, dossier number, then the fields, as CSV.
func (s *Stream) spill(rows []row) error {
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(strings.Compare(a.ref, b.ref), cmp.Compare(a.line, b.line))
	})
	f, err := os.CreateTemp(s.opt.TempDir, "incassobot-import-*.csv")
	if err != nil {
		return fmt.Errorf("import: a temporary file: %w", err)
	}
	s.files = append(s.files, f)
	bw := bufio.NewWriter(f)
	w := csv.NewWriter(bw)
	for _, r := range rows {
		if err := w.Write(append([]string{strconv.Itoa(r.line), r.ref}, r.fields...)); err != nil {
			return fmt.Errorf("import: writing a temporary file: %w", err)
		}
	}
	w.Flush()
	if err := cmp.Or(w.Error(), bw.Flush()); err != nil {
		return fmt.Errorf("import: writing a temporary file: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return nil
}

// Next returns the next case; io.EOF after the last. Problems found while
// putting a case together go to StreamOptions.Problem, and a case with
// such a problem is not returned (its good rows are, as Parse keeps them).
func (s *Stream) Next() (*Record, error) {
	for {
		if s.merge == nil {
			if len(s.records) == 0 {
				s.records = nil
				return nil, io.EOF
			}
			rec := s.records[0]
			s.records[0] = Record{}
			s.records = s.records[1:]
			s.held--
			if !s.loadDocuments(&rec) {
				continue
			}
			return &rec, nil
		}
		group, err := s.merge.nextGroup()
		if err != nil {
			return nil, err
		}
		g := newGrouper()
		for _, r := range group {
			g.addRow(r.line, s.fieldsOf(r.fields))
		}
		res := g.result()
		for _, p := range res.Problems {
			s.opt.Problem(p)
		}
		for i := range res.Records {
			if s.loadDocuments(&res.Records[i]) {
				return &res.Records[i], nil
			}
		}
	}
}

// loadDocuments reads rec's invoice copies when a folder was given; false
// (with the problems reported) when one cannot be used.
func (s *Stream) loadDocuments(rec *Record) bool {
	if s.opt.Documents == nil {
		return true
	}
	bad := loadDocuments(s.opt.Documents, rec)
	for _, p := range bad {
		s.opt.Problem(p)
	}
	return len(bad) == 0
}

// runMerge merges sorted chunk files into groups of one dossier's rows.
type runMerge struct {
	h runHeap
}

type run struct {
	r   *csv.Reader
	cur row
}

type runHeap []*run

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	return cmp.Or(strings.Compare(h[i].cur.ref, h[j].cur.ref), cmp.Compare(h[i].cur.line, h[j].cur.line)) < 0
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*run)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func newRunMerge(files []*os.File) (*runMerge, error) {
	m := &runMerge{}
	for _, f := range files {
		r := &run{r: csv.NewReader(bufio.NewReader(f))}
		r.r.FieldsPerRecord = -1
		ok, err := r.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			m.h = append(m.h, r)
		}
	}
	heap.Init(&m.h)
	return m, nil
}

// advance reads the run's next row; false at its end.
func (r *run) advance() (bool, error) {
	rec, err := r.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil || len(rec) < 2 {
		return false, fmt.Errorf("import: reading a temporary file: %v", err)
	}
	line, err := strconv.Atoi(rec[0])
	if err != nil {
		return false, fmt.Errorf("import: reading a temporary file: %w", err)
	}
	r.cur = row{line: line, ref: rec[1], fields: rec[2:]}
	return true, nil
}

// nextGroup returns every row of the next dossier number, in line order;
// io.EOF when all are done.
func (m *runMerge) nextGroup() ([]row, error) {
	if len(m.h) == 0 {
		return nil, io.EOF
	}
	ref := m.h[0].cur.ref
	var group []row
	for len(m.h) > 0 && m.h[0].cur.ref == ref {
		top := m.h[0]
		group = append(group, top.cur)
		ok, err := top.advance()
		if err != nil {
			return nil, err
		}
		if ok {
			heap.Fix(&m.h, 0)
		} else {
			heap.Pop(&m.h)
		}
	}
	return group, nil
}
