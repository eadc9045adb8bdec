package hostile

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync"
	"time"
)

// Peak runs fn and returns how far the process's memory rose above where
// it stood before, and how that was measured. On Linux it is the kernel's
// peak resident set (VmHWM, reset through /proc/self/clear_refs after the
// heap is returned to the system), which counts the DEX readers' mapped
// buffers too; elsewhere it samples the Go runtime's own total every
// millisecond, which sees only the Go heap.
func Peak(fn func()) (rise int64, how string) {
	runtime.GC()
	debug.FreeOSMemory()
	if before, ok := rss("VmRSS:"); ok && os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil {
		fn()
		if peak, ok := rss("VmHWM:"); ok {
			return peak - before, "peak RSS (VmHWM)"
		}
	}
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	read := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	base := read()
	var peak int64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			v := read()
			mu.Lock()
			peak = max(peak, v)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return max(peak, read()) - base, "Go runtime memory, sampled"
}

func rss(field string) (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	i := bytes.Index(b, []byte(field))
	if i < 0 {
		return 0, false
	}
	line := b[i+len(field):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	f := bytes.Fields(line)
	if len(f) < 1 {
		return 0, false
	}
	kb, err := strconv.ParseInt(string(f[0]), 10, 64)
	return kb << 10, err == nil
}
