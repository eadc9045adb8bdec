package rules

import (
	"bytes"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// yamlDB loads and validates the embedded YAML the slow way.
func yamlDB(t testing.TB) *DB {
	t.Helper()
	db, err := Load(EmbeddedFS())
	if err != nil {
		t.Fatalf("Load(embedded): %v", err)
	}
	if errs := Validate(db); len(errs) > 0 {
		t.Fatalf("Validate(embedded): %v", errors.Join(errs...))
	}
	return db
}

// Embedded trusts the snapshot without validating it, so it must be
// exactly what the YAML loads to.
func TestSnapshotCurrent(t *testing.T) {
	want := yamlDB(t)
	got, err := loadSnapshot(snapshotData, EmbeddedFS())
	if err != nil {
		t.Fatalf("snapshot.gob is not usable (%v); run go generate ./rules", err)
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(DB{})); d != "" {
		t.Fatalf("snapshot.gob differs from rules/data (-yaml +snapshot):\n%s\nrun go generate ./rules", d)
	}
	// The indexes are rebuilt, not stored; spot-check that they work.
	for _, s := range want.SDKs {
		if g, ok := got.SDK(s.ID); !ok || g.ID != s.ID {
			t.Fatalf("snapshot SDK(%q) = %v, %v", s.ID, g, ok)
		}
	}
	if db := mustEmbedded(t); db.Hash != want.Hash {
		t.Errorf("Embedded().Hash = %s, want %s", db.Hash, want.Hash)
	}
}

// A snapshot that does not match the embedded files, for whatever reason,
// must be ignored in favour of the YAML.
func TestSnapshotFallsBackToYAML(t *testing.T) {
	want := yamlDB(t)
	flipped := bytes.Clone(snapshotData)
	flipped[len(flipped)*2/3] ^= 0x20 // inside the body: decodes, but the checksum differs
	cases := map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("not a gob stream"),
		"truncated": snapshotData[:len(snapshotData)/2],
		"flipped":   flipped,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := loadSnapshot(data, EmbeddedFS()); err == nil {
				t.Fatal("loadSnapshot accepted a damaged snapshot")
			}
			got, err := loadEmbedded(data, EmbeddedFS())
			if err != nil {
				t.Fatalf("loadEmbedded: %v", err)
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(DB{})); d != "" {
				t.Fatalf("fallback differs from YAML (-want +got):\n%s", d)
			}
		})
	}

	// Stale: the files changed after the snapshot was written.
	stale := fstest.MapFS{}
	err := fs.WalkDir(EmbeddedFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(EmbeddedFS(), p)
		stale[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stale[FileVersion] = &fstest.MapFile{Data: []byte("2099.01.01-1\n")}
	if _, err := loadSnapshot(snapshotData, stale); err == nil {
		t.Fatal("loadSnapshot accepted a snapshot of other files")
	}
	got, err := loadEmbedded(snapshotData, stale)
	if err != nil {
		t.Fatalf("loadEmbedded(stale): %v", err)
	}
	if got.Version != "2099.01.01-1" || got.Hash == want.Hash {
		t.Errorf("stale snapshot served: Version %q, Hash %s", got.Version, got.Hash)
	}
}

// The schema fingerprint must see a renamed or retyped field, since gob
// would otherwise decode an old snapshot silently.
func TestDescribeTypeSeesFields(t *testing.T) {
	type a struct {
		ID   string
		Tags []string
		x    int
	}
	type b struct {
		ID   string
		Tags []int
	}
	type c struct {
		ID   string
		Tags []string
	}
	desc := func(v any) string {
		var sb strings.Builder
		describeType(&sb, reflect.TypeOf(v), map[reflect.Type]bool{})
		return strings.TrimPrefix(sb.String(), reflect.TypeOf(v).Name())
	}
	if desc(a{}) == desc(b{}) {
		t.Errorf("retyped field not seen: %s", desc(a{}))
	}
	if desc(a{}) != desc(c{}) {
		t.Errorf("unexported field changed the description: %s vs %s", desc(a{}), desc(c{}))
	}
}

// BenchmarkEmbedded is the start-up cost of the snapshot path: reading and
// hashing the embedded files, checking and decoding the snapshot and
// building the indexes.
func BenchmarkEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadSnapshot(snapshotData, EmbeddedFS()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadYAML is the start-up cost without the snapshot.
func BenchmarkLoadYAML(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loadYAML(EmbeddedFS()); err != nil {
			b.Fatal(err)
		}
	}
}
