package inventory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	gen "github.com/sdkaudit/sdkaudit/analyzer/internal/hostile"
)

func TestMemoryBudget(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(100)
	a, _ := m.Acquire(ctx, 60)
	// A request larger than the whole budget is served alone.
	big := make(chan int64)
	go func() {
		n, _ := m.Acquire(ctx, 1000)
		big <- n
	}()
	waitQueued(t, m)
	// First come, first served: a small request behind the big one waits
	// even though it would fit.
	small := make(chan struct{})
	go func() {
		n, _ := m.Acquire(ctx, 10)
		defer m.Release(n)
		close(small)
	}()
	time.Sleep(20 * time.Millisecond)
	select {
	case <-small:
		t.Fatal("a later request overtook an earlier one")
	default:
	}
	m.Release(a)
	n := <-big
	if n != 100 || m.Peak() != 100 {
		t.Fatalf("oversized request got %d, peak %d", n, m.Peak())
	}
	m.Release(n)
	<-small

	// A cancelled wait takes nothing and does not block the queue.
	hold, _ := m.Acquire(ctx, 100)
	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error)
	go func() {
		_, err := m.Acquire(cctx, 50)
		errc <- err
	}()
	waitQueued(t, m)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	m.Release(hold)
	if free, queued := m.Free(); free != 100 || queued {
		t.Fatalf("free %d, queued %v", free, queued)
	}

	// Admit waits for the room without keeping it.
	hold, _ = m.Acquire(ctx, 80)
	admitted := make(chan struct{})
	go func() {
		_ = m.Admit(ctx, 50)
		close(admitted)
	}()
	waitQueued(t, m)
	m.Release(hold)
	<-admitted
	if free, _ := m.Free(); free != 100 {
		t.Fatalf("Admit kept %d", 100-free)
	}

	// A nil budget never waits.
	var none *Memory
	if n, err := none.Acquire(ctx, 1<<40); n != 0 || err != nil {
		t.Fatal(n, err)
	}
	none.Release(0)
}

func waitQueued(t *testing.T, m *Memory) {
	t.Helper()
	for range 1000 {
		if _, q := m.Free(); q {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("nothing queued")
}

// Many goroutines taking and releasing never exceed the budget.
func TestMemoryBudgetConcurrent(t *testing.T) {
	m := NewMemory(1000)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				n, _ := m.Acquire(context.Background(), int64(100+(i*j)%900))
				m.Release(n)
			}
		}()
	}
	wg.Wait()
	if m.Peak() > 1000 {
		t.Fatalf("peak %d", m.Peak())
	}
}

// ExpectedMemory reads only the directory: the weights of the largest DEX
// (and nested APK) entries, as many as read at once.
func TestExpectedMemory(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.apk")
	z := gen.Zip(gen.Entry{Name: "AndroidManifest.xml", Data: plainManifest()},
		gen.Entry{Name: "classes.dex", Data: make([]byte, 3000), Stored: true},
		gen.Entry{Name: "classes2.dex", Data: make([]byte, 2000), Stored: true},
		gen.Entry{Name: "classes3.dex", Data: make([]byte, 1000), Stored: true},
		gen.Entry{Name: "assets/a.txt", Data: make([]byte, 9000), Stored: true})
	if err := os.WriteFile(p, z, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := ExpectedMemory(p, Options{Workers: 2}); got != dexWeight(3000)+dexWeight(2000) {
		t.Errorf("two workers: %d", got)
	}
	if got := ExpectedMemory(p, Options{Workers: 8}); got != dexWeight(6000) {
		t.Errorf("eight workers: %d", got)
	}
	if got := ExpectedMemory(dir, Options{}); got != 0 {
		t.Errorf("directory: %d", got)
	}
	if got := ExpectedMemory(filepath.Join(dir, "missing"), Options{}); got != 0 {
		t.Errorf("missing: %d", got)
	}
}
