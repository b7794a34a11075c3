package dialogs

import (
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// dialogs does no I/O: no network, no database, no files, no bot. The test
// reads the package's own source (this is the one place it may touch files).
func TestNoIOImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(gotoken.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if forbiddenImport(path) {
				t.Errorf("%s imports %s: dialogs must stay pure", name, path)
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d files", checked)
	}
}

func forbiddenImport(path string) bool {
	for _, p := range []string{"net", "database", "os", "io/ioutil", "github.com/jackc", "github.com/redis", "syscall"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return strings.HasSuffix(path, "/bot") || strings.Contains(path, "/bot/")
}

func TestForbiddenImportRule(t *testing.T) {
	for path, want := range map[string]bool{
		"net/http": true, "os": true, "os/exec": true, "database/sql": true, "github.com/jackc/pgx/v5": true,
		"github.com/redis/go-redis/v9": true, "github.com/incassobot/incassobot/bot": true, "io/ioutil": true,
		"strings": false, "time": false, "github.com/incassobot/incassobot/casestore": false, "notnet": false,
	} {
		if got := forbiddenImport(path); got != want {
			t.Errorf("forbiddenImport(%q) = %v, want %v", path, got, want)
		}
	}
}
