package rules

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strings"
)

// Parsing the embedded YAML with go-yaml takes 100–200 ms, which dominated
// the start-up of every sdkaudit run. snapshot.gob holds the same DB,
// already loaded and validated, as gob; decoding it takes a few
// milliseconds. `go generate ./rules` rewrites it, and TestSnapshotCurrent
// fails while it differs from what the YAML loads to.
//
//go:generate go run ./internal/gensnapshot snapshot.gob

//go:embed snapshot.gob
var snapshotData []byte

// snapshotFormat changes when the layout of the snapshot stream changes
// (not when the DB's fields change: schemaHash covers those).
const snapshotFormat = 1

// snapshotHeader precedes the DB in the gob stream. It is checked before
// the DB is trusted: Hash must be the content hash of the embedded files
// and Schema the fingerprint of the DB types this binary was built with.
// Body is the sha256 of the gob stream of the DB that follows, so that a
// damaged file cannot decode into rules that differ from the YAML.
type snapshotHeader struct {
	Format int
	Hash   string
	Schema string
	Body   []byte
}

// WriteSnapshot writes db as a snapshot that the embedded loader accepts
// for the rule files it was loaded from. It is for the generator behind
// `go generate ./rules`; db must be the validated result of [Load] on
// [EmbeddedFS], because the loader does not validate the snapshot again.
func WriteSnapshot(w io.Writer, db *DB) error {
	var body bytes.Buffer
	if err := gob.NewEncoder(&body).Encode(db); err != nil {
		return fmt.Errorf("rules: write snapshot: %w", err)
	}
	sum := sha256.Sum256(body.Bytes())
	h := snapshotHeader{Format: snapshotFormat, Hash: db.Hash, Schema: schemaHash(), Body: sum[:]}
	if err := gob.NewEncoder(w).Encode(h); err != nil {
		return fmt.Errorf("rules: write snapshot: %w", err)
	}
	if _, err := w.Write(body.Bytes()); err != nil {
		return fmt.Errorf("rules: write snapshot: %w", err)
	}
	return nil
}

// loadSnapshot decodes data as a snapshot of the rule set in fsys and
// rebuilds its indexes. Any mismatch is an error, on which the caller
// loads the YAML instead: a stale snapshot must never serve wrong rules.
func loadSnapshot(data []byte, fsys fs.FS) (*DB, error) {
	files, err := readRuleFiles(fsys)
	if err != nil {
		return nil, err
	}
	hash := contentHash(files)
	// bytes.Reader is an io.ByteReader, so gob reads no further than the
	// header and the rest of r is the body.
	r := bytes.NewReader(data)
	var h snapshotHeader
	if err := gob.NewDecoder(r).Decode(&h); err != nil {
		return nil, fmt.Errorf("rules: snapshot: %w", err)
	}
	body := data[len(data)-r.Len():]
	sum := sha256.Sum256(body)
	switch {
	case h.Format != snapshotFormat:
		return nil, fmt.Errorf("rules: snapshot: format %d, want %d", h.Format, snapshotFormat)
	case h.Hash != hash:
		return nil, fmt.Errorf("rules: snapshot: of rule files %s, embedded files are %s", h.Hash, hash)
	case h.Schema != schemaHash():
		return nil, errors.New("rules: snapshot: written for other DB types")
	case !bytes.Equal(h.Body, sum[:]):
		return nil, errors.New("rules: snapshot: body checksum mismatch")
	}
	db := new(DB)
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(db); err != nil {
		return nil, fmt.Errorf("rules: snapshot: %w", err)
	}
	if db.Hash != hash {
		return nil, fmt.Errorf("rules: snapshot: DB hash %s, want %s", db.Hash, hash)
	}
	db.finish()
	return db, nil
}

// schemaHash fingerprints the exported field names and types of DB,
// recursively. gob matches fields by name and leaves the ones it does not
// find zero, so without this a snapshot written before a field was added
// or retyped would decode without error into a DB that lacks it.
func schemaHash() string {
	var b strings.Builder
	describeType(&b, reflect.TypeFor[DB](), map[reflect.Type]bool{})
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

func describeType(b *strings.Builder, t reflect.Type, seen map[reflect.Type]bool) {
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Pointer:
		b.WriteString(t.Kind().String() + " ")
		describeType(b, t.Elem(), seen)
	case reflect.Map:
		b.WriteString("map[")
		describeType(b, t.Key(), seen)
		b.WriteString("]")
		describeType(b, t.Elem(), seen)
	case reflect.Struct:
		b.WriteString(t.Name())
		if seen[t] {
			return
		}
		seen[t] = true
		b.WriteString("{")
		for f := range t.Fields() {
			if !f.IsExported() {
				continue
			}
			b.WriteString(f.Name + " ")
			describeType(b, f.Type, seen)
			b.WriteString(";")
		}
		b.WriteString("}")
	default:
		b.WriteString(t.Kind().String())
	}
}
