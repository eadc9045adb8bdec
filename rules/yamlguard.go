package rules

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml/scanner"
	"github.com/goccy/go-yaml/token"
)

// Bounds on the YAML files sdkaudit reads: rule files, declaration files,
// waiver files, the config file. The largest file shipped in rules/data is
// about 50 KB, nests 5 deep (flow collections 1 deep) and holds 5 500
// tokens; the whole built-in set holds 43 000.
const (
	// MaxYAMLBytes is the largest YAML file read.
	MaxYAMLBytes = 1 << 20
	// MaxYAMLDepth bounds block and flow nesting together. goccy/go-yaml's
	// parser allocates quadratically in the depth (160 MiB for 20 KB of
	// "[[[…"), and its own decode limit is 10 000 levels.
	MaxYAMLDepth = 64
	// MaxYAMLFlowDepth bounds flow nesting ([…] and {…}) alone: sdkaudit's
	// files nest flow collections one deep ({en: …, zh: …}, [a, b]), and
	// deeply nested flow collections are the densest way to spend
	// go-yaml's time and memory.
	MaxYAMLFlowDepth = 8
	// MaxYAMLTokens bounds the tokens (scalars, indicators, comments) of
	// one file. Decoding costs go-yaml about 3 µs and 500 bytes a token, so
	// a megabyte of "a, a, a, …" (700 000 tokens) took 2 s and 360 MB,
	// where a megabyte of real rules holds about 110 000 tokens.
	MaxYAMLTokens = 150_000
)

// CheckYAML rejects YAML that would cost far more to decode than its
// size, or crash it, before goccy/go-yaml parses it: data over
// MaxYAMLBytes, nesting deeper than MaxYAMLDepth, flow collections nested
// deeper than MaxYAMLFlowDepth, more than MaxYAMLTokens tokens, any alias
// (*name) and any tag (!x). The decoder re-expands an alias every time it
// is used, so a kilobyte of anchors that alias each other, directly or
// through merge keys (<<: *a), grows exponentially (a "billion laughs")
// and never finishes; and a tag on an empty value decoded into a list
// ("vendors: !x") makes go-yaml v1.19.2 dereference nil. No sdkaudit file
// needs either. The error names file and, where known, line and column;
// syntax errors are left to the decoder, which reports them better.
func CheckYAML(file string, data []byte) error {
	_, err := checkYAML(file, data)
	return err
}

// guardPrefixes are the prefixes of a large file scanned before all of
// it. go-yaml's scanner tokenizes its whole input in one call and keeps
// every token, some 200 bytes each: a megabyte of "a, a, a, …" cost it
// 150 to 250 MB and up to a second before the count could refuse the
// file. The scanner reads left to right, so a prefix is tokenized as the
// file is except at its very end, where the cut can split a token in two
// ("0:0" is one scalar, "0:" two tokens); prefixes are therefore held to
// the token and flow-depth budgets plus prefixSlack. A file over a budget
// is refused from the first prefix over it, for a cost that follows the
// budget rather than the file's size; a file within the budgets is then
// scanned whole, which at most doubles the scan of a file over 64 KiB.
// FuzzYAMLGuardPrefix checks that a prefix never exceeds the file by more.
var guardPrefixes = []int{64 << 10, 128 << 10, 256 << 10, 512 << 10}

// prefixSlack is how many tokens, and levels of flow nesting, a prefix
// may hold beyond the whole file's.
const prefixSlack = 4

// guardLimits are what scanGuard enforces.
type guardLimits struct {
	tokens, flow int
	// structure: also refuse aliases, tags and nesting past MaxYAMLDepth,
	// which need the whole file to be judged right.
	structure bool
}

var (
	wholeLimits  = guardLimits{tokens: MaxYAMLTokens, flow: MaxYAMLFlowDepth, structure: true}
	prefixLimits = guardLimits{tokens: MaxYAMLTokens + prefixSlack, flow: MaxYAMLFlowDepth + prefixSlack}
)

// checkYAML is CheckYAML that also returns the number of tokens, which a
// rule set counts across its files.
func checkYAML(file string, data []byte) (int, error) {
	if len(data) > MaxYAMLBytes {
		return 0, fmt.Errorf("%s: %d bytes, more than the %d a YAML file may have", file, len(data), MaxYAMLBytes)
	}
	for _, n := range guardPrefixes {
		if n >= len(data) {
			break
		}
		if _, err := scanGuard(file, data[:prefixCut(data, n)], prefixLimits); err != nil {
			return 0, err
		}
	}
	st, err := scanGuard(file, data, wholeLimits)
	return st.tokens, err
}

// prefixCut is where a prefix of about n bytes ends: after the last line
// break in its second half, or at n when a long line crosses it (a
// megabyte on the second line must not make every prefix one line long).
func prefixCut(data []byte, n int) int {
	if i := bytes.LastIndexByte(data[:n], '\n'); i >= n/2 {
		return i + 1
	}
	return n
}

// guardStats is what scanGuard saw.
type guardStats struct {
	tokens, maxFlow int
}

// scanGuard runs the checks over the tokens of data.
func scanGuard(file string, data []byte, lim guardLimits) (guardStats, error) {
	var st guardStats
	var s scanner.Scanner
	s.Init(string(data))
	flow := 0
	var block []int // columns of the open block collections, increasing
	prev := (*token.Token)(nil)
	for {
		toks, err := s.Scan()
		for _, tk := range toks {
			pos := tk.Position
			if pos == nil {
				continue
			}
			if st.tokens++; st.tokens > lim.tokens {
				return st, fmt.Errorf("%s:%d:%d: more than %d YAML tokens (keys, values, punctuation) in one file", file, pos.Line, pos.Column, MaxYAMLTokens)
			}
			switch tk.Type {
			case token.AliasType:
				if lim.structure {
					return st, fmt.Errorf("%s:%d:%d: an alias (*name): anchors and aliases are not supported", file, pos.Line, pos.Column)
				}
			case token.TagType:
				if lim.structure {
					return st, fmt.Errorf("%s:%d:%d: tag %s: tags are not supported", file, pos.Line, pos.Column, tk.Value)
				}
			case token.SequenceStartType, token.MappingStartType:
				flow++
				st.maxFlow = max(st.maxFlow, flow)
				if flow > lim.flow {
					return st, fmt.Errorf("%s:%d:%d: flow collections ([…], {…}) nested more than %d deep", file, pos.Line, pos.Column, MaxYAMLFlowDepth)
				}
			case token.SequenceEndType, token.MappingEndType:
				flow = max(flow-1, 0)
			case token.SequenceEntryType, token.MappingValueType:
				if flow > 0 {
					break
				}
				// A block mapping nests at its key's column, a block
				// sequence at its dash's.
				col := pos.Column
				if tk.Type == token.MappingValueType && prev != nil {
					col = prev.Position.Column
				}
				for len(block) > 0 && block[len(block)-1] >= col {
					block = block[:len(block)-1]
				}
				block = append(block, col)
			}
			if lim.structure && flow+len(block) > MaxYAMLDepth {
				return st, fmt.Errorf("%s:%d:%d: nested more than %d deep", file, pos.Line, pos.Column, MaxYAMLDepth)
			}
			prev = tk
		}
		if err != nil {
			return st, nil
		}
	}
}
