// Package browsertest starts Debian's headless Chromium for the tests that
// look at pages the way a person does (web chat, console), so every such
// test launches it with the same flags and the same missing-browser rule.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium; scripts/ensure-chromium.sh installs it.
const ChromiumPath = "/usr/bin/chromium"

// New starts a headless Chromium with a width×height window and returns
// its context, ended after timeout or when the test ends. Without Chromium
// the test is skipped, or fails when CI=true.
func New(t testing.TB, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		msg := ChromiumPath + " is missing; run scripts/ensure-chromium.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// Without these Chromium keeps calling home, which this closed
		// network refuses many times a second.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// Eval runs js in the page and returns its value, failing the test on error.
func Eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// Screenshot captures the page.
func Screenshot(t testing.TB, ctx context.Context) []byte {
	t.Helper()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return shot
}

// SaveForDocs writes a screenshot as name into the folder SCREENSHOTS names
// (relative to the module root), as `make screenshots` asks; an ordinary
// test run leaves the work tree alone.
func SaveForDocs(t testing.TB, name string, shot []byte) {
	t.Helper()
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		return
	}
	root, err := moduleRoot()
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(root, dir, name), shot, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
}

// moduleRoot is the nearest folder above the test's own with a go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
