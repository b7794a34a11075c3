// Package browsertest starts Debian's headless Chromium for the tests that
// look at pages the way a person does (web chat, console), so every such
// test launches it with the same flags and the same missing-browser rule.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	requireChromium(t)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags(t.TempDir(), width, height)...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func requireChromium(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		msg := ChromiumPath + " is missing; run scripts/ensure-chromium.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// shared is the one Chromium of a test binary that Tab opens tabs in:
// starting a browser costs a second or two of the 2-core machine, a tab
// almost nothing.
var shared struct {
	once sync.Once
	ctx  context.Context
	err  error
}

// Tab opens a new tab of width×height, with its own cookies, in the test
// binary's one headless Chromium (started on first use; the kernel ends it
// with the binary), and
// returns its context, ended after timeout or when the test ends. Without
// Chromium the test is skipped, or fails when CI=true. EmulateViewport
// changes the size within a test.
func Tab(t testing.TB, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	requireChromium(t)
	shared.once.Do(func() {
		dir, err := profileDir()
		if err != nil {
			shared.err = err
			return
		}
		alloc, _ := chromedp.NewExecAllocator(context.Background(), flags(dir, 1366, 900)...)
		shared.ctx, _ = chromedp.NewContext(alloc)
		shared.err = chromedp.Do(shared.ctx) // starts the browser, with a blank first tab
	})
	if shared.err != nil {
		t.Fatalf("start Chromium: %v", shared.err)
	}
	// Each tab has a browser context of its own: no cookie of another
	// test (or another person in this one) is shared.
	tab, cancelTab := chromedp.NewContext(shared.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(tab, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelTab() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// profileDir is the shared browser's profile folder, named after this
// process. The browser ends with the process, so the folder cannot be
// removed by it; the next test binary removes those of processes gone.
func profileDir() (string, error) {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "browsertest-*"))
	for _, d := range old {
		pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "browsertest-"))
		if err != nil {
			continue
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); os.IsNotExist(err) {
			_ = os.RemoveAll(d)
		}
	}
	dir := filepath.Join(os.TempDir(), "browsertest-"+strconv.Itoa(os.Getpid()))
	return dir, os.MkdirAll(dir, 0o700)
}

// Overflow is how many CSS pixels the page is wider than the window: 0
// when nothing makes a reader scroll sideways.
func Overflow(t testing.TB, ctx context.Context) int {
	t.Helper()
	return Eval[int](t, ctx, `Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)`)
}

func flags(dir string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
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
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(width, height),
	}
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
