package inventory

import (
	"context"
	"path/filepath"
	"testing"
)

// An app whose time budget runs out after the manifest is reported as
// incomplete with the reason, not dropped as an error.
func TestTimeoutMakesIncomplete(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	inv, err := ScanFile(ctx, filepath.Join("..", "..", "fixtures", "apk", "full.apk"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != StatusIncomplete || len(inv.Errors) == 0 || inv.Errors[len(inv.Errors)-1].Stage != "timeout" {
		t.Fatalf("status %s errors %+v", inv.Status, inv.Errors)
	}
	if inv.Package != "org.sdkaudit.fixture.full" {
		t.Fatalf("manifest facts lost: %q", inv.Package)
	}
}
