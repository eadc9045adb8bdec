package rules

import (
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

// checkYAML is CheckYAML that also returns the number of tokens, which a
// rule set counts across its files.
func checkYAML(file string, data []byte) (int, error) {
	if len(data) > MaxYAMLBytes {
		return 0, fmt.Errorf("%s: %d bytes, more than the %d a YAML file may have", file, len(data), MaxYAMLBytes)
	}
	var s scanner.Scanner
	s.Init(string(data))
	flow, tokens := 0, 0
	var block []int // columns of the open block collections, increasing
	prev := (*token.Token)(nil)
	for {
		toks, err := s.Scan()
		for _, tk := range toks {
			pos := tk.Position
			if pos == nil {
				continue
			}
			if tokens++; tokens > MaxYAMLTokens {
				return tokens, fmt.Errorf("%s:%d:%d: more than %d YAML tokens (keys, values, punctuation) in one file", file, pos.Line, pos.Column, MaxYAMLTokens)
			}
			switch tk.Type {
			case token.AliasType:
				return tokens, fmt.Errorf("%s:%d:%d: an alias (*name): anchors and aliases are not supported", file, pos.Line, pos.Column)
			case token.TagType:
				return tokens, fmt.Errorf("%s:%d:%d: tag %s: tags are not supported", file, pos.Line, pos.Column, tk.Value)
			case token.SequenceStartType, token.MappingStartType:
				if flow++; flow > MaxYAMLFlowDepth {
					return tokens, fmt.Errorf("%s:%d:%d: flow collections ([…], {…}) nested more than %d deep", file, pos.Line, pos.Column, MaxYAMLFlowDepth)
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
			if flow+len(block) > MaxYAMLDepth {
				return tokens, fmt.Errorf("%s:%d:%d: nested more than %d deep", file, pos.Line, pos.Column, MaxYAMLDepth)
			}
			prev = tk
		}
		if err != nil {
			return tokens, nil
		}
	}
}
