package importfile

import (
	"bufio"
	"bytes"
	"io"
	"path/filepath"
	"strings"
)

// Parse reads a case file, choosing CSV or JSON by the file name's
// extension (.csv, .json) or, for any other name, by whether the content
// starts with "[".
func Parse(r io.Reader, name string) (*Result, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return ParseCSV(r)
	case ".json":
		return ParseJSON(r)
	}
	br := bufio.NewReader(r)
	head, _ := br.Peek(512)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("[")) {
		return ParseJSON(br)
	}
	return ParseCSV(br)
}
