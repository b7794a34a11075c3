package docs

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A clean clone must carry everything its tests and its product need: no
// source, script or document may reach for a folder beside the repository
// (the workspace's shared reference material is not there on a fresh
// machine). This test reads every tracked and untracked-but-not-ignored
// text file and fails on a path that climbs out of the repository.
var outsidePath = regexp.MustCompile(`\.\./shared|"\.\.",\s*"\.\.",\s*"shared"|"shared",\s*"fixtures"|\bshared/(DESIGN|STYLE)\.md|\bshared/fixtures\b`)

func TestNothingRefersOutsideTheRepository(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files := repoFiles(t, root)
	if len(files) < 50 {
		t.Fatalf("found only %d files under %s; is this the repository root?", len(files), root)
	}
	self := filepath.Join("docs", "selfcontained_test.go")
	for _, rel := range files {
		if rel == self || !textFile(rel) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			continue // deleted in the work tree but still tracked
		}
		for n, line := range strings.Split(string(data), "\n") {
			if outsidePath.MatchString(line) {
				t.Errorf("%s:%d refers to a path outside the repository: %s", rel, n+1, strings.TrimSpace(line))
			}
		}
	}
}

// repoFiles lists the files git knows (tracked, and untracked but not
// ignored); without git it walks the tree.
func repoFiles(t *testing.T, root string) []string {
	out, err := exec.Command("git", "-C", root, "ls-files", "--cached", "--others", "--exclude-standard").Output()
	if err == nil {
		var files []string
		for _, f := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if f != "" {
				files = append(files, filepath.FromSlash(f))
			}
		}
		return files
	}
	var files []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, rel)
		}
		return nil
	})
	return files
}

func textFile(rel string) bool {
	switch filepath.Ext(rel) {
	case ".go", ".md", ".sh", ".sql", ".yaml", ".yml", ".tsv", ".csv", ".json", ".html", ".js", ".css", ".txt", "":
		return true
	}
	return false
}
