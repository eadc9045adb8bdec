package rules

import (
	"fmt"

	"github.com/goccy/go-yaml/scanner"
	"github.com/goccy/go-yaml/token"
)

// Bounds on the YAML files sdkaudit reads: rule files, declaration files,
// waiver files. The largest file shipped in rules/data is about 50 KB and
// nests 5 deep.
const (
	// MaxYAMLBytes is the largest YAML file read. goccy/go-yaml allocates
	// a few hundred bytes per token, so the size cap is also the memory
	// cap of decoding.
	MaxYAMLBytes = 1 << 20
	// MaxYAMLDepth bounds block and flow nesting together. goccy/go-yaml's
	// parser allocates quadratically in the depth (160 MiB for 20 KB of
	// "[[[…"), and its own decode limit is 10 000 levels.
	MaxYAMLDepth = 64
)

// CheckYAML rejects YAML that would cost far more to decode than its
// size, or crash it, before goccy/go-yaml parses it: data over
// MaxYAMLBytes, nesting deeper than MaxYAMLDepth, any alias (*name) and
// any tag (!x). The decoder re-expands an alias every time it is used, so
// a kilobyte of anchors that alias each other, directly or through merge
// keys (<<: *a), grows exponentially (a "billion laughs") and never
// finishes; and a tag on an empty value decoded into a list ("vendors: !x")
// makes go-yaml v1.19.2 dereference nil. No sdkaudit file needs either.
// The error names file and, where known, line and column; syntax errors
// are left to the decoder, which reports them better.
func CheckYAML(file string, data []byte) error {
	if len(data) > MaxYAMLBytes {
		return fmt.Errorf("%s: %d bytes, more than the %d a YAML file may have", file, len(data), MaxYAMLBytes)
	}
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
			switch tk.Type {
			case token.AliasType:
				return fmt.Errorf("%s:%d:%d: an alias (*name): anchors and aliases are not supported", file, pos.Line, pos.Column)
			case token.TagType:
				return fmt.Errorf("%s:%d:%d: tag %s: tags are not supported", file, pos.Line, pos.Column, tk.Value)
			case token.SequenceStartType, token.MappingStartType:
				flow++
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
				return fmt.Errorf("%s:%d:%d: nested more than %d deep", file, pos.Line, pos.Column, MaxYAMLDepth)
			}
			prev = tk
		}
		if err != nil {
			return nil
		}
	}
}
