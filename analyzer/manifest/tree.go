package manifest

import (
	"encoding/xml"
	"errors"
	"fmt"
)

const androidNS = "http://schemas.android.com/apk/res/android"

// node is one element of the decoded document.
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	// refs are the attributes that hold resource references (binary XML
	// only), by index in attrs.
	refs []attrRef
}

type attrRef struct {
	attr int
	id   uint32
}

// attr returns the value of the android: attribute local, falling back to an
// attribute of that local name in any namespace, which is how Android treats
// manifests written without the namespace.
func (n *node) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space == androidNS {
			return a.Value, true
		}
	}
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) attrIndex(local string) int {
	for i, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space == androidNS {
			return i
		}
	}
	for i, a := range n.attrs {
		if a.Name.Local == local {
			return i
		}
	}
	return -1
}

var errTooBig = errors.New("document exceeds the element limit")
var errTooDeep = errors.New("document exceeds the nesting limit")

// treeBuilder implements apkparser.ManifestEncoder.
type treeBuilder struct {
	root     *node
	nodes    []*node // every element, in document order
	stack    []*node
	elements int
	maxElems int
	maxDepth int
	extra    int // elements closed without being open, or roots after the first
	// err keeps our own limit errors, which apkparser flattens to text.
	err error
}

func (b *treeBuilder) EncodeToken(t xml.Token) error {
	switch t := t.(type) {
	case xml.StartElement:
		b.elements++
		if b.elements > b.maxElems {
			b.err = fmt.Errorf("%w (%d)", errTooBig, b.maxElems)
			return b.err
		}
		if len(b.stack) >= b.maxDepth {
			b.err = fmt.Errorf("%w (%d)", errTooDeep, b.maxDepth)
			return b.err
		}
		n := &node{name: t.Name.Local, attrs: append([]xml.Attr(nil), t.Attr...)}
		b.nodes = append(b.nodes, n)
		if len(b.stack) == 0 {
			if b.root != nil {
				// Android stops at the end of the first root element.
				b.extra++
			} else {
				b.root = n
			}
		} else {
			p := b.stack[len(b.stack)-1]
			p.children = append(p.children, n)
		}
		b.stack = append(b.stack, n)
	case xml.EndElement:
		if len(b.stack) == 0 {
			b.extra++
			return nil
		}
		b.stack = b.stack[:len(b.stack)-1]
	}
	return nil
}

func (b *treeBuilder) Flush() error { return nil }
