package rules

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sdkaudit/sdkaudit/internal/safefile"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// fillYAML repeats unit after head up to the size cap, then ends with
// tail: a file of exactly the shape the generator names, as large as
// any YAML file may be.
func fillYAML(head, unit, tail string) []byte {
	var b strings.Builder
	b.WriteString(head)
	for b.Len()+len(unit)+len(tail) < MaxYAMLBytes {
		b.WriteString(unit)
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// denseYAML are one-megabyte files that passed the size and depth
// checks yet cost go-yaml seconds and hundreds of megabytes: the
// 62-deep flow sequences of the report (2.2 s, 640 MB to decode, and
// minutes to format an error about), flow mappings, flat lists, block
// lists, keys and comments.
func denseYAML() map[string][]byte {
	return map[string][]byte{
		"flow-seq-62-deep": fillYAML("x: [", strings.Repeat("[", 62)+"a"+strings.Repeat("]", 62)+", ", "a]\n"),
		"flow-map-31-deep": fillYAML("x: [", strings.Repeat("{a: ", 31)+"a"+strings.Repeat("}", 31)+", ", "a]\n"),
		"flow-seq-8-deep":  fillYAML("x: [", strings.Repeat("[", 7)+"a"+strings.Repeat("]", 7)+", ", "a]\n"),
		"flat-flow-list":   fillYAML("x: [", "a, ", "a]\n"),
		"block-list":       fillYAML("x:\n", "- a\n", ""),
		"block-keys":       fillYAML("x:\n", "  k: v\n", ""),
		"comments":         fillYAML("", "#\n", "x: 1\n"),
		"tiny-sdks":        fillYAML("sdks:\n", "  - {id: a, name: {en: b}}\n", ""),
	}
}

// Every dense shape is refused by the guard, before go-yaml parses it,
// within a second or two and a bounded allocation: the guard scans
// prefixes first, so its cost follows the token budget, not the size.
func TestYAMLComplexityBudget(t *testing.T) {
	for name, data := range denseYAML() {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			err := CheckYAML(name+".yaml", data)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes: %v, %d MiB allocated: %v", len(data), took, alloc>>20, err)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), name+".yaml:") {
				t.Errorf("want one line naming the file: %q", err)
			}
			// Without the prefixes the scan alone allocated 150 to 250 MiB.
			if alloc > 160<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
			if took > testenv.Hang(30*time.Second) {
				t.Errorf("took %v", took)
			}
		})
	}
}

// The bounds are where the constants say, and real files are far inside
// them.
func TestYAMLBudgetEdges(t *testing.T) {
	nest := func(n int) []byte {
		return []byte("x: " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
	}
	if err := CheckYAML("ok.yaml", nest(MaxYAMLFlowDepth)); err != nil {
		t.Errorf("flow depth %d: %v", MaxYAMLFlowDepth, err)
	}
	if err := CheckYAML("deep.yaml", nest(MaxYAMLFlowDepth+1)); err == nil || !strings.Contains(err.Error(), "deep.yaml:1:") {
		t.Errorf("flow depth %d: %v", MaxYAMLFlowDepth+1, err)
	}
	// "- a\n" is two tokens.
	list := func(items int) []byte { return []byte(strings.Repeat("- a\n", items)) }
	if n, err := checkYAML("ok.yaml", list(MaxYAMLTokens/2)); err != nil || n != MaxYAMLTokens {
		t.Errorf("%d tokens: %d, %v", MaxYAMLTokens, n, err)
	}
	if _, err := checkYAML("big.yaml", list(MaxYAMLTokens/2+1)); err == nil {
		t.Errorf("%d tokens accepted", MaxYAMLTokens+2)
	}
	for _, name := range []string{FileVendors, FilePermissions, FileAPIs, FileDataCategories} {
		data, err := safefile.ReadFS(EmbeddedFS(), name, MaxYAMLBytes)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := checkYAML(name, data); err != nil || n > MaxYAMLTokens/10 {
			t.Errorf("%s: %d tokens, %v", name, n, err)
		}
	}
}

// FuzzYAMLGuardPrefix checks what the prefix scans rely on: a prefix,
// cut where checkYAML cuts, holds at most prefixSlack more tokens and
// levels of flow nesting than the whole file, and is never refused when
// the whole file is accepted. Otherwise a prefix could refuse a file
// that is within every budget.
func FuzzYAMLGuardPrefix(f *testing.F) {
	for _, s := range []string{
		"a: [b, {c: d}]\n",
		"x:\n  - 'quoted\n    over lines'\n  - \"dq \\\" esc\"\n",
		"k: |\n  block\n  *notalias\nm: >-\n  folded\n",
		"note: see [1 and {2\nnext: [a,\n  b]\n",
		"? complex\n: value\n--- \ndoc2: 1\n...\n",
		"- - - [[[x]]]\n",
		"# comment [\nkey: value # trailing {\n",
		"0:0",
	} {
		f.Add([]byte(s), uint16(len(s)/2))
	}
	f.Fuzz(func(t *testing.T, data []byte, at uint16) {
		if len(data) == 0 || len(data) > 4096 {
			return
		}
		cut := prefixCut(data, 1+int(at)%len(data))
		whole, errWhole := scanGuard("f", data, wholeLimits)
		part, errPart := scanGuard("f", data[:cut], prefixLimits)
		if errWhole != nil {
			return
		}
		if errPart != nil {
			t.Fatalf("prefix of %d bytes refused, whole file accepted: %v", cut, errPart)
		}
		if part.tokens > whole.tokens+prefixSlack || part.maxFlow > whole.maxFlow+prefixSlack {
			t.Fatalf("prefix of %d bytes: %+v, whole file %+v", cut, part, whole)
		}
	})
}

// ruleFS builds a rule directory from generated files.
func ruleFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

// sdkList is an sdks/*.yaml file of n minimal entries, ids from first.
func sdkList(first, n int) string {
	var b strings.Builder
	b.WriteString("sdks:\n")
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "  - {id: r%07d}\n", i)
	}
	return b.String()
}

// A rule directory is user input: before these bounds a million one-line
// rules took 100 s and 5.9 GB and printed an error per rule. Each bound
// now ends Load with one line naming the file where it was crossed.
func TestRuleSetBudgets(t *testing.T) {
	manyFiles := map[string]string{}
	for i := 0; i <= MaxRuleFiles; i++ {
		manyFiles[fmt.Sprintf("%s/f%04d.yaml", DirSDKs, i)] = "sdks: []\n"
	}
	bigFiles := map[string]string{}
	long := "x: '" + strings.Repeat("a", MaxYAMLBytes-16) + "'\n"
	for i := 0; i < MaxRuleSetBytes/MaxYAMLBytes+1; i++ {
		bigFiles[fmt.Sprintf("%s/f%02d.yaml", DirSDKs, i)] = long
	}
	manyTokens := map[string]string{}
	for i := 0; i < MaxRuleSetTokens/(MaxYAMLTokens-10)+1; i++ {
		manyTokens[fmt.Sprintf("%s/f%02d.yaml", DirSDKs, i)] = "sdks: []\n" + strings.Repeat("#\n", MaxYAMLTokens-10)
	}
	manyRules := map[string]string{}
	per := MaxRules / 2
	for i := 0; i < 3; i++ {
		manyRules[fmt.Sprintf("%s/f%d.yaml", DirSDKs, i)] = sdkList(i*per, per)
	}
	manyRetired := map[string]string{FileRetiredIDs: strings.Repeat("a\n", MaxRules+1)}
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"files", manyFiles, "rule files, more than"},
		{"bytes", bigFiles, "bytes a rule set may have"},
		{"tokens", manyTokens, "YAML tokens a rule set may have"},
		{"entries", manyRules, "entries a rule set may have"},
		{"retired-ids", manyRetired, "entries a rule set may have"},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			db, err := Load(ruleFS(c.files))
			t.Logf("%v: %v", time.Since(start), err)
			if db != nil || err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line with %q", err, c.want)
			}
			if c.name == "entries" && !errors.Is(err, errBudget) {
				t.Errorf("not errBudget: %v", err)
			}
		})
	}
}

// Many problems in one rule file are one error line, not one per problem.
func TestManyProblemsOneLine(t *testing.T) {
	db, err := Load(ruleFS(map[string]string{DirSDKs + "/x.yaml": sdkList(0, 2000)}))
	if err != nil {
		t.Fatal(err)
	}
	errs := Validate(db)
	if len(errs) < 2000 {
		t.Fatalf("%d problems", len(errs))
	}
	err = Summarize(errs)
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, fmt.Sprintf("(and %d more problems)", len(errs)-1)) {
		t.Errorf("%.300q", msg)
	}
	if got := Problems(fmt.Errorf("--rules x: %w", err)); len(got) != len(errs) {
		t.Errorf("Problems: %d, want %d", len(got), len(errs))
	}
}
