package inventory

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// A split set's member can be a sparse file of any size: the set's digest
// hashes every member whole, and that took minutes outside every budget.
// Hashing now stops at the deadline, and the inventory says why its
// sha256 is empty.
func TestHashingStopsAtTheDeadline(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "..", "fixtures", "apk", "formats", "maimai-split")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Create(filepath.Join(dir, "split_huge.apk"))
	if err != nil {
		t.Fatal(err)
	}
	// 256 GiB of holes: minutes to hash, no disk space.
	if err := f.Truncate(256 << 30); err != nil {
		t.Skipf("sparse file: %v", err)
	}
	f.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	type result struct {
		inv *Inventory
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		inv, err := ScanFile(ctx, dir, Options{})
		done <- result{inv, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(testenv.Hang(60 * time.Second)):
		t.Fatal("still hashing 60 s after a 2 s deadline")
	}
	t.Logf("returned after %v", time.Since(start))
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.inv.SHA256 != "" || r.inv.Status != StatusIncomplete {
		t.Errorf("sha256 %q, status %s", r.inv.SHA256, r.inv.Status)
	}
	found := false
	for _, p := range r.inv.Errors {
		found = found || (p.Stage == "timeout" && strings.Contains(p.Message, "SHA-256"))
	}
	if !found {
		t.Errorf("no timeout problem about the digest: %+v", r.inv.Errors)
	}
}
