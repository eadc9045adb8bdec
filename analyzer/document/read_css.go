package document

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Hidden text. A policy page can carry text its reader never sees — in
// <div hidden>, under display:none, in white on white — and before this
// reader knew about it such text counted as a disclosure. The reader is not
// a CSS engine: it evaluates the properties that make text invisible, from
// inline styles, presentational attributes and the simple selectors (tag,
// .class, #id) of the document's own <style> blocks, and inherits the
// result the way browsers do. Whatever it cannot evaluate (external
// stylesheets, scripts, complex selectors, media queries) leaves text
// visible, except that an unevaluated rule that sets colours makes the
// page's default colours unknown, so colour hiding is then judged only
// between colours the document states.

// hideReason says why text is not rendered; 0 is rendered.
type hideReason uint8

const (
	reasonNone hideReason = iota
	whyHiddenAttr
	whyDisplay
	whyVisibility
	whyFontSize
	whyOpacity
	whyZeroBox
	whyOffscreen
	whyClip
	whyScale
	whyContentVis
	whyColour
	whyTemplate
	whyDialog
	whyComment
	numReasons
)

var reasonText = [numReasons]string{
	"",
	"hidden attribute",
	"display:none",
	"visibility:hidden",
	"font-size too small to read",
	"opacity:0",
	"zero height or width with overflow hidden",
	"positioned off-screen",
	"clipped away (clip or clip-path)",
	"transform:scale(0)",
	"content-visibility:hidden",
	"text colour same as its background",
	"inside <template>",
	"inside a closed <dialog>",
	"HTML comment",
}

func (w hideReason) String() string {
	if w < numReasons {
		return reasonText[w]
	}
	return "hidden"
}

// Thresholds below which text counts as unreadable.
const (
	minFontPx   = 4     // 3pt: text this small is a line, not words
	minOpacity  = 0.1   // a tenth of the ink is not legible
	offscreenPx = -1000 // left, top or text-indent this far out is off the page
	colourNear  = 16    // channels this close read as one colour
	maxCSSRules = 4096  // selector-and-block pairs read from <style> blocks
	maxClasses  = 16    // classes of one element looked up
	defaultFont = 16
)

// The properties evaluated, one slot each.
const (
	propDisplay = iota
	propVisibility
	propFontSize
	propOpacity
	propHeight
	propMaxHeight
	propWidth
	propMaxWidth
	propOverflowX
	propOverflowY
	propPosition
	propLeft
	propTop
	propTextIndent
	propClip
	propClipPath
	propTransform
	propContentVis
	propColor
	propBackground
	numProps
)

// Slot values. Booleans are 1 for the hiding case and 2 for the other,
// so that a declaration restoring the default still overrides.
const (
	valYes = 1
	valNo  = 2
)

// Kinds of a font-size, colour or background slot.
const (
	kindAbs     = 1 // font-size in px
	kindRel     = 2 // font-size as a factor of the parent's
	kindColour  = 3 // an RGBA colour, alpha in the low byte
	kindCurrent = 4 // currentColor
	kindUnknown = 5 // a colour or background the reader cannot evaluate
)

// cssStyle is the declarations of one style attribute or rule, reduced to
// the slots that matter.
type cssStyle struct {
	set, imp uint32 // slots declared, and those declared !important
	val      [numProps]uint32
	kind     [numProps]uint8
}

func (s *cssStyle) put(p int, v uint32, kind uint8, important bool) {
	s.set |= 1 << p
	if important {
		s.imp |= 1 << p
	} else {
		s.imp &^= 1 << p
	}
	s.val[p], s.kind[p] = v, kind
}

func (s *cssStyle) has(p int) bool { return s.set&(1<<p) != 0 }

func (s *cssStyle) yes(p int) bool { return s.has(p) && s.val[p] == valYes }

// parseDecls reads "prop: value; …" into s; later declarations win
// unless an earlier one is !important, as in CSS.
func parseDecls(src string, s *cssStyle) {
	for len(src) > 0 {
		end := cssSkip(src, 0, ";", '(', ')')
		decl := src[:end]
		if end < len(src) {
			src = src[end+1:]
		} else {
			src = ""
		}
		colon := strings.IndexByte(decl, ':')
		if colon < 0 {
			continue
		}
		name := asciiLower(strings.TrimSpace(decl[:colon]))
		value := strings.TrimSpace(decl[colon+1:])
		important := false
		if k := strings.LastIndexByte(value, '!'); k >= 0 && strings.EqualFold(strings.TrimSpace(value[k+1:]), "important") {
			value, important = strings.TrimSpace(value[:k]), true
		}
		applyDecl(s, name, asciiLower(value), important)
	}
}

// asciiLower is strings.ToLower without the copy for text already in lower
// case, as style attributes nearly always are.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

func applyDecl(s *cssStyle, name, v string, imp bool) {
	if s.imp != 0 {
		// An earlier !important declaration of the same slot stands.
		if p := slotOf(name); p >= 0 && s.imp&(1<<p) != 0 && !imp {
			return
		}
	}
	yesNo := func(p int, yes bool) {
		if yes {
			s.put(p, valYes, 0, imp)
		} else {
			s.put(p, valNo, 0, imp)
		}
	}
	switch name {
	case "display":
		yesNo(propDisplay, v == "none")
	case "visibility":
		switch v {
		case "hidden", "collapse":
			yesNo(propVisibility, true)
		case "visible":
			yesNo(propVisibility, false)
		}
	case "font-size":
		if kind, px, ok := fontSize(v); ok {
			s.put(propFontSize, math.Float32bits(float32(px)), kind, imp)
		}
	case "font":
		// The shorthand's size is its first token that is a size: "0/0 a"
		// is the classic way to make text vanish.
		for _, tok := range strings.Fields(v) {
			size, _, _ := strings.Cut(tok, "/")
			if kind, px, ok := fontSize(size); ok {
				s.put(propFontSize, math.Float32bits(float32(px)), kind, imp)
				break
			}
		}
	case "opacity":
		if f, ok := numberOrPercent(v); ok {
			s.put(propOpacity, math.Float32bits(float32(max(0, min(1, f)))), 0, imp)
		}
	case "height", "max-height", "width", "max-width":
		yesNo(slotOf(name), tinyLength(v))
	case "overflow":
		f := strings.Fields(v)
		if len(f) == 0 {
			return
		}
		x, y := f[0], f[0]
		if len(f) > 1 {
			y = f[1]
		}
		yesNo(propOverflowX, clips(x))
		yesNo(propOverflowY, clips(y))
	case "overflow-x":
		yesNo(propOverflowX, clips(v))
	case "overflow-y":
		yesNo(propOverflowY, clips(v))
	case "position":
		switch v {
		case "absolute", "fixed":
			s.put(propPosition, valYes, 1, imp) // kind 1: out of flow, so clip applies
		case "relative", "sticky":
			s.put(propPosition, valYes, 0, imp)
		case "static":
			yesNo(propPosition, false)
		}
	case "left", "top", "text-indent":
		yesNo(slotOf(name), farNegative(v))
	case "clip":
		yesNo(propClip, clipRectEmpty(v))
	case "clip-path":
		yesNo(propClipPath, clipPathEmpty(v))
	case "transform":
		yesNo(propTransform, scaleZero(v))
	case "content-visibility":
		yesNo(propContentVis, v == "hidden")
	case "color":
		if kind, c := parseColour(v); kind != 0 {
			s.put(propColor, c, kind, imp)
		}
	case "background-color", "background":
		if kind, c := parseBackground(v, name == "background"); kind != 0 {
			s.put(propBackground, c, kind, imp)
		}
	}
}

// slotOf maps a property to its slot, -1 for one not read; shorthands
// map to one of their slots, which is enough for the !important check.
func slotOf(name string) int {
	switch name {
	case "display":
		return propDisplay
	case "visibility":
		return propVisibility
	case "font-size", "font":
		return propFontSize
	case "opacity":
		return propOpacity
	case "height":
		return propHeight
	case "max-height":
		return propMaxHeight
	case "width":
		return propWidth
	case "max-width":
		return propMaxWidth
	case "overflow", "overflow-x":
		return propOverflowX
	case "overflow-y":
		return propOverflowY
	case "position":
		return propPosition
	case "left":
		return propLeft
	case "top":
		return propTop
	case "text-indent":
		return propTextIndent
	case "clip":
		return propClip
	case "clip-path":
		return propClipPath
	case "transform":
		return propTransform
	case "content-visibility":
		return propContentVis
	case "color":
		return propColor
	case "background", "background-color":
		return propBackground
	}
	return -1
}

func clips(v string) bool {
	switch v {
	case "hidden", "clip", "auto", "scroll":
		return true
	}
	return false
}

// cssLength parses a CSS length: its size in px for absolute units, or a
// factor of the font size (em, %/100 …) with rel set.
func cssLength(v string) (px float64, rel, ok bool) {
	v = strings.TrimSpace(v)
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.' || v[i] == '-' || v[i] == '+') {
		i++
	}
	if i == 0 || i > 24 {
		return 0, false, false
	}
	n, err := strconv.ParseFloat(v[:i], 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false, false
	}
	switch v[i:] {
	case "":
		return n, false, n == 0
	case "px":
		return n, false, true
	case "pt":
		return n * 4 / 3, false, true
	case "pc":
		return n * 16, false, true
	case "in":
		return n * 96, false, true
	case "cm":
		return n * 96 / 2.54, false, true
	case "mm":
		return n * 96 / 25.4, false, true
	case "q":
		return n * 96 / 101.6, false, true
	case "rem":
		return n * defaultFont, false, true
	case "em":
		return n, true, true
	case "ex", "ch":
		return n / 2, true, true
	case "%":
		return n / 100, true, true
	case "vw", "vh", "vmin", "vmax", "svw", "svh", "lvw", "lvh", "dvw", "dvh":
		// A viewport is some 1000 px: -100vw is a screen away.
		return n * 10, false, true
	}
	return 0, false, false
}

var fontKeywords = map[string]float64{
	"xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18,
	"x-large": 24, "xx-large": 32, "xxx-large": 48,
}

func fontSize(v string) (kind uint8, px float64, ok bool) {
	if k, found := fontKeywords[v]; found {
		return kindAbs, k, true
	}
	switch v {
	case "smaller":
		return kindRel, 0.83, true
	case "larger":
		return kindRel, 1.2, true
	}
	n, rel, ok := cssLength(v)
	if !ok || n < 0 {
		return 0, 0, false
	}
	if rel {
		return kindRel, n, true
	}
	return kindAbs, n, true
}

func numberOrPercent(v string) (float64, bool) {
	pct := strings.HasSuffix(v, "%")
	n, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err != nil || math.IsNaN(n) {
		return 0, false
	}
	if pct {
		n /= 100
	}
	return n, true
}

// tinyLength is a box size of at most one pixel (0 in any unit).
func tinyLength(v string) bool {
	n, rel, ok := cssLength(v)
	if !ok {
		return false
	}
	if rel {
		return n*defaultFont <= 1 && n >= 0
	}
	return n <= 1 && n >= 0
}

func farNegative(v string) bool {
	n, rel, ok := cssLength(v)
	if !ok {
		return false
	}
	if rel {
		if strings.HasSuffix(v, "%") {
			return false // relative to a container of unknown width
		}
		n *= defaultFont
	}
	return n <= offscreenPx
}

// cssArgs returns the arguments of the first fn(…) in v.
func cssArgs(v, fn string) ([]string, bool) {
	i := strings.Index(v, fn+"(")
	if i < 0 || (i > 0 && (v[i-1] >= 'a' && v[i-1] <= 'z' || v[i-1] == '-')) {
		return nil, false
	}
	rest := v[i+len(fn)+1:]
	j := strings.IndexByte(rest, ')')
	if j < 0 {
		return nil, false
	}
	return strings.FieldsFunc(rest[:j], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }), true
}

// clipRectEmpty is clip: rect(top right bottom left) leaving at most a
// pixel, the "visually hidden" pattern.
func clipRectEmpty(v string) bool {
	a, ok := cssArgs(v, "rect")
	if !ok || len(a) != 4 {
		return false
	}
	var n [4]float64
	for i, s := range a {
		px, rel, ok := cssLength(s)
		if !ok || rel {
			return false // auto or a relative edge: the box's own size
		}
		n[i] = px
	}
	return n[2]-n[0] <= 1 || n[1]-n[3] <= 1
}

func clipPathEmpty(v string) bool {
	if a, ok := cssArgs(v, "inset"); ok && len(a) > 0 {
		n, rel, ok := cssLength(a[0])
		return ok && rel && strings.HasSuffix(a[0], "%") && n >= 0.5 && len(a) == 1
	}
	for _, fn := range []string{"circle", "ellipse"} {
		if a, ok := cssArgs(v, fn); ok && len(a) > 0 {
			n, _, ok := cssLength(a[0])
			return ok && n == 0
		}
	}
	return false
}

func scaleZero(v string) bool {
	for _, fn := range []string{"scale", "scalex", "scaley", "scale3d"} {
		if a, ok := cssArgs(v, fn); ok {
			for k, s := range a {
				if k > 1 {
					break
				}
				if n, err := strconv.ParseFloat(s, 64); err == nil && n == 0 {
					return true
				}
			}
		}
	}
	return false
}

// Colours.

var namedColours = map[string]uint32{
	"black": 0x000000, "white": 0xffffff, "red": 0xff0000, "green": 0x008000, "blue": 0x0000ff,
	"yellow": 0xffff00, "gray": 0x808080, "grey": 0x808080, "silver": 0xc0c0c0, "maroon": 0x800000,
	"purple": 0x800080, "fuchsia": 0xff00ff, "lime": 0x00ff00, "olive": 0x808000, "navy": 0x000080,
	"teal": 0x008080, "aqua": 0x00ffff, "orange": 0xffa500, "snow": 0xfffafa, "ghostwhite": 0xf8f8ff,
	"whitesmoke": 0xf5f5f5, "seashell": 0xfff5ee, "floralwhite": 0xfffaf0, "ivory": 0xfffff0,
	"linen": 0xfaf0e6, "oldlace": 0xfdf5e6, "honeydew": 0xf0fff0, "mintcream": 0xf5fffa,
	"azure": 0xf0ffff, "aliceblue": 0xf0f8ff, "lavenderblush": 0xfff0f5, "cornsilk": 0xfff8dc,
	"beige": 0xf5f5dc, "lightyellow": 0xffffe0, "lightcyan": 0xe0ffff, "gainsboro": 0xdcdcdc,
	"lightgray": 0xd3d3d3, "lightgrey": 0xd3d3d3, "darkgray": 0xa9a9a9, "darkgrey": 0xa9a9a9,
	"dimgray": 0x696969, "dimgrey": 0x696969,
}

// parseColour returns kindColour with 0xRRGGBBAA, kindCurrent, kindUnknown
// for a colour it cannot evaluate, or 0 for inherit-like values.
func parseColour(v string) (uint8, uint32) {
	v = strings.TrimSpace(v)
	switch v {
	case "", "inherit", "unset", "revert", "revert-layer":
		return 0, 0
	case "initial":
		return kindUnknown, 0
	case "transparent":
		return kindColour, 0
	case "currentcolor":
		return kindCurrent, 0
	}
	if c, ok := namedColours[v]; ok {
		return kindColour, c<<8 | 0xff
	}
	if strings.HasPrefix(v, "#") {
		h := v[1:]
		if len(h) == 3 || len(h) == 4 {
			var b strings.Builder
			for i := 0; i < len(h); i++ {
				b.WriteByte(h[i])
				b.WriteByte(h[i])
			}
			h = b.String()
		}
		if len(h) == 6 {
			h += "ff"
		}
		if len(h) == 8 {
			if n, err := strconv.ParseUint(h, 16, 32); err == nil {
				return kindColour, uint32(n)
			}
		}
		return kindUnknown, 0
	}
	for _, fn := range []string{"rgba", "rgb", "hsla", "hsl"} {
		if !strings.HasPrefix(v, fn+"(") {
			continue
		}
		a, ok := cssArgs(v, fn)
		if !ok {
			return kindUnknown, 0
		}
		// "rgb(0 0 0 / 50%)" puts the alpha after a slash.
		var parts []string
		for _, s := range a {
			if s != "/" {
				parts = append(parts, strings.TrimPrefix(s, "/"))
			}
		}
		if len(parts) < 3 || len(parts) > 4 {
			return kindUnknown, 0
		}
		var n [4]float64
		n[3] = 1
		for i, s := range parts {
			f, ok := numberOrPercent(strings.TrimSuffix(s, "deg"))
			if !ok {
				return kindUnknown, 0
			}
			if strings.HasSuffix(s, "%") && fn[0] == 'r' && i < 3 {
				f *= 255
			}
			n[i] = f
		}
		r, g, b := n[0], n[1], n[2]
		if fn[0] == 'h' {
			r, g, b = hslToRGB(n[0], n[1], n[2])
		}
		ch := func(f float64) uint32 { return uint32(max(0, min(255, math.Round(f)))) }
		return kindColour, ch(r)<<24 | ch(g)<<16 | ch(b)<<8 | ch(n[3]*255)
	}
	return kindUnknown, 0
}

// hslToRGB converts hue in degrees and saturation and lightness as fractions.
func hslToRGB(h, s, l float64) (float64, float64, float64) {
	h = math.Mod(math.Mod(h, 360)+360, 360) / 360
	s, l = max(0, min(1, s)), max(0, min(1, l))
	q := l + s - l*s
	if l < 0.5 {
		q = l * (1 + s)
	}
	p := 2*l - q
	hue := func(t float64) float64 {
		t = math.Mod(t+1, 1)
		switch {
		case t < 1.0/6:
			return p + (q-p)*6*t
		case t < 0.5:
			return q
		case t < 2.0/3:
			return p + (q-p)*(2.0/3-t)*6
		}
		return p
	}
	return hue(h+1.0/3) * 255, hue(h) * 255, hue(h-1.0/3) * 255
}

// parseBackground reads background-color, or the colour of the
// background shorthand; an image makes the background unknown.
func parseBackground(v string, shorthand bool) (uint8, uint32) {
	if !shorthand {
		return parseColour(v)
	}
	if strings.Contains(v, "url(") || strings.Contains(v, "gradient(") || strings.Contains(v, "image(") {
		return kindUnknown, 0
	}
	if v == "none" {
		return kindColour, 0
	}
	// The colour is a whole token; functions keep their spaces.
	depth, start := 0, 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) {
			switch v[i] {
			case '(':
				depth++
				continue
			case ')':
				depth--
				continue
			}
			if depth > 0 || v[i] != ' ' {
				continue
			}
		}
		tok := v[start:i]
		start = i + 1
		if kind, c := parseColour(tok); kind == kindColour || kind == kindCurrent {
			return kind, c
		}
	}
	return 0, 0
}

// sameColour reports colours a reader cannot tell apart.
func sameColour(a, b uint32) bool {
	for shift := 8; shift <= 24; shift += 8 {
		x, y := int(a>>shift&0xff), int(b>>shift&0xff)
		if x-y > colourNear || y-x > colourNear {
			return false
		}
	}
	return true
}

// blend paints colour c (with alpha) over the opaque colour under it.
func blend(c, under uint32) uint32 {
	a := float64(c&0xff) / 255
	out := uint32(0xff)
	for shift := 8; shift <= 24; shift += 8 {
		x, y := float64(c>>shift&0xff), float64(under>>shift&0xff)
		out |= uint32(math.Round(x*a+y*(1-a))) << shift
	}
	return out
}

// Style sheets.

// cssRule is the merged declarations of one simple selector, with the order
// of the rule that set each slot.
type cssRule struct {
	st  cssStyle
	ord [numProps]int32
}

// styleSheet holds the rules of a document's <style> blocks whose selector
// is a single tag, class or id; others are skipped.
type styleSheet struct {
	keys  [3]map[string]*cssRule // by selTag, selClass, selID, then name
	rules int                    // selectors merged, capped at maxCSSRules
	order int32
	// uncertain is set when a rule the reader skipped (complex selector,
	// media query, external stylesheet) sets text colours (unsureFg) or
	// backgrounds (unsureBg): the page's default ones are then unknown.
	uncertain uint8
}

// parse reads style-sheet text in one pass; a brace it cannot match ends
// the sheet, as it would in a browser.
func (sh *styleSheet) parse(css string) {
	css = stripCSSComments(css)
	i := 0
	for i < len(css) && sh.rules < maxCSSRules {
		for i < len(css) && (css[i] == ' ' || css[i] == '\t' || css[i] == '\n' || css[i] == '}' || css[i] == ';') {
			i++
		}
		if strings.HasPrefix(css[i:], "<!--") {
			i += 4
			continue
		}
		if strings.HasPrefix(css[i:], "-->") {
			i += 3
			continue
		}
		if i >= len(css) {
			return
		}
		open := cssSkip(css, i, "{;", 0, 0)
		if open >= len(css) {
			return
		}
		if css[i] == '@' && css[open] == ';' {
			if strings.HasPrefix(css[i:], "@import") {
				sh.uncertain = unsureFg | unsureBg
			}
			i = open + 1 // @import, @charset
			continue
		}
		if css[open] == ';' {
			i = open + 1 // junk
			continue
		}
		end := cssSkip(css, open+1, "}", '{', '}')
		sel, body := css[i:open], css[open+1:min(end, len(css))]
		if css[i] == '@' {
			// Rules inside @media, @supports … apply only sometimes.
			if strings.Count(body, "color") > strings.Count(body, "-color") {
				sh.uncertain |= unsureFg
			}
			if strings.Contains(body, "background") {
				sh.uncertain |= unsureBg
			}
		} else {
			sh.rule(sel, body)
		}
		i = end + 1
	}
}

func stripCSSComments(s string) string {
	if !strings.Contains(s, "/*") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, "/*")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+2:], "*/")
		if j < 0 {
			return b.String()
		}
		b.WriteByte(' ')
		s = s[i+2+j+2:]
	}
}

// cssSkip returns the index of the first byte of stops at or after i
// that stands outside quoted strings and outside any open…close pair begun
// after i, or len(s). It is the one scanner of declarations (a ';' not
// inside url(data:…;base64,…)), rules (a '{' or ';') and blocks (the '}'
// closing one); open 0 nests nothing.
func cssSkip(s string, i int, stops string, open, close byte) int {
	depth := 0
	var quote byte
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case open != 0 && c == open:
			depth++
		case open != 0 && c == close && depth > 0:
			depth--
		case depth == 0 && strings.IndexByte(stops, c) >= 0:
			return i
		}
	}
	return len(s)
}

func (sh *styleSheet) rule(selectors, body string) {
	var st cssStyle
	parseDecls(body, &st)
	if st.set == 0 {
		return
	}
	sh.order++
	var unsure uint8
	if st.has(propColor) {
		unsure |= unsureFg
	}
	if st.has(propBackground) {
		unsure |= unsureBg
	}
	for _, sel := range strings.Split(selectors, ",") {
		kind, key, ok := selectorKey(strings.TrimSpace(sel))
		if !ok {
			sh.uncertain |= unsure
			continue
		}
		if sh.rules >= maxCSSRules {
			return
		}
		sh.rules++
		if sh.keys[kind] == nil {
			sh.keys[kind] = map[string]*cssRule{}
		}
		r := sh.keys[kind][key]
		if r == nil {
			r = &cssRule{}
			sh.keys[kind][key] = r
		}
		for p := 0; p < numProps; p++ {
			if !st.has(p) || (r.st.imp&(1<<p) != 0 && st.imp&(1<<p) == 0) {
				continue
			}
			r.st.put(p, st.val[p], st.kind[p], st.imp&(1<<p) != 0)
			r.ord[p] = sh.order
		}
	}
}

// Kinds of simple selector.
const (
	selTag = iota
	selClass
	selID
)

// selectorKey accepts a lone tag, .class or #id.
func selectorKey(sel string) (int, string, bool) {
	if sel == "" {
		return 0, "", false
	}
	kind, name := selTag, sel
	switch sel[0] {
	case '.':
		kind, name = selClass, sel[1:]
	case '#':
		kind, name = selID, sel[1:]
	}
	if name == "" || name[0] == '-' && len(name) == 1 || name[0] >= '0' && name[0] <= '9' {
		return 0, "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80) {
			return 0, "", false
		}
	}
	if kind == selTag {
		name = strings.ToLower(name)
	}
	return kind, name, true
}

// lookup returns the rule of a selector, nil if none.
func (sh *styleSheet) lookup(kind int, name string) *cssRule {
	if sh == nil || sh.keys[kind] == nil {
		return nil
	}
	return sh.keys[kind][name]
}

// elemAttrs is what an element's attributes say about its rendering; an
// element without any of these attributes has none. The style attribute
// is kept as text and parsed when the element is walked, so a document's
// memory stays bounded by its size.
type elemAttrs struct {
	style, class, id string
	colour, bg       uint32 // font color and bgcolor attributes, 0 for none
	flags            uint8
}

const (
	attrHidden = 1 << iota
	attrOpen
	attrColour
	attrBg
	attrFontBreak // <font> with face or size, which ends SVG content
)

// visState is the rendering state an element gives its content.
type visState struct {
	why     hideReason // hides everything inside, whatever descendants say
	visHide bool       // visibility:hidden, which a descendant can undo
	indent  bool       // text-indent far off-screen, which a descendant can undo
	fontPx  float32
	opacity float32
	colour  uint32
	colourK uint8 // 0 default (black), kindColour, kindUnknown
	bg      uint32
	bgK     uint8 // 0 default (white), kindColour, kindUnknown
	unsure  uint8 // default colours unknown: unsureFg, unsureBg
}

// Bits of styleSheet.uncertain and visState.unsure.
const (
	unsureFg = 1 << iota
	unsureBg
)

func rootVis(sh *styleSheet) visState {
	v := visState{fontPx: defaultFont, opacity: 1}
	if sh != nil {
		v.unsure = sh.uncertain
	}
	return v
}

// textWhy says why text directly in an element with this state is not
// rendered.
func (v *visState) textWhy() hideReason {
	switch {
	case v.why != 0:
		return v.why
	case v.visHide:
		return whyVisibility
	case v.indent:
		return whyOffscreen
	case v.fontPx < minFontPx:
		return whyFontSize
	}
	if v.colourK == kindColour && v.colour&0xff < 26 {
		return whyColour // transparent text
	}
	if v.colourK == kindUnknown || v.bgK == kindUnknown || (v.colourK == 0 && v.bgK == 0) {
		return 0
	}
	if v.colourK == 0 && v.unsure&unsureFg != 0 || v.bgK == 0 && v.unsure&unsureBg != 0 {
		return 0
	}
	fg, bg := v.colour, v.bg
	if v.colourK == 0 {
		fg = 0x000000ff
	}
	if v.bgK == 0 {
		bg = 0xffffffff
	}
	if sameColour(fg, bg) {
		return whyColour
	}
	return 0
}

// styleSource is one source of declarations for an element, in cascade
// order: presentational hints, tag, class, id, inline style.
type styleSource struct {
	st   *cssStyle
	spec int32
	ord  *[numProps]int32
}

// cascadeStyle picks, slot by slot, the declaration CSS would apply:
// !important first, then the more specific selector, then the later rule.
func cascadeStyle(cands []styleSource) cssStyle {
	var out cssStyle
	var win [numProps]struct {
		imp  bool
		spec int32
		ord  int32
	}
	for _, c := range cands {
		for p := 0; p < numProps; p++ {
			if !c.st.has(p) {
				continue
			}
			imp := c.st.imp&(1<<p) != 0
			ord := int32(0)
			if c.ord != nil {
				ord = c.ord[p]
			}
			w := &win[p]
			if out.has(p) && (w.imp && !imp || w.imp == imp && (w.spec > c.spec || w.spec == c.spec && w.ord > ord)) {
				continue
			}
			out.put(p, c.st.val[p], c.st.kind[p], imp)
			w.imp, w.spec, w.ord = imp, c.spec, ord
		}
	}
	return out
}

// elementStyle gathers the declarations that apply to one element: its
// presentational hints, the rules of its tag, classes and id, and its
// style attribute.
func elementStyle(sh *styleSheet, tagRule *cssRule, a *elemAttrs, buf []styleSource) cssStyle {
	var hint, inline cssStyle
	cands := buf[:0]
	if a != nil && a.flags&(attrColour|attrBg) != 0 {
		if a.flags&attrColour != 0 {
			hint.put(propColor, a.colour, kindColour, false)
		}
		if a.flags&attrBg != 0 {
			hint.put(propBackground, a.bg, kindColour, false)
		}
		cands = append(cands, styleSource{st: &hint, spec: -1})
	}
	if tagRule != nil {
		cands = append(cands, styleSource{st: &tagRule.st, spec: 1, ord: &tagRule.ord})
	}
	if a != nil && sh != nil {
		if classes := sh.keys[selClass]; a.class != "" && classes != nil {
			rest := a.class
			for n := 0; n < maxClasses; n++ {
				var c string
				if c, rest = nextClass(rest); c == "" {
					break
				}
				if r := classes[c]; r != nil {
					cands = append(cands, styleSource{st: &r.st, spec: 10, ord: &r.ord})
				}
			}
		}
		if a.id != "" {
			if r := sh.lookup(selID, a.id); r != nil {
				cands = append(cands, styleSource{st: &r.st, spec: 100, ord: &r.ord})
			}
		}
	}
	if a != nil && a.style != "" {
		parseDecls(a.style, &inline)
		if inline.set != 0 {
			cands = append(cands, styleSource{st: &inline, spec: 1000})
		}
	}
	switch len(cands) {
	case 0:
		return cssStyle{}
	case 1:
		return *cands[0].st
	}
	return cascadeStyle(cands)
}

// nextClass splits the first name off a class attribute; "" when
// there is none.
func nextClass(class string) (name, rest string) {
	i := 0
	for i < len(class) && (class[i] == ' ' || class[i] == '\t' || class[i] == '\n' || class[i] == '\f') {
		i++
	}
	j := i
	for j < len(class) && class[j] != ' ' && class[j] != '\t' && class[j] != '\n' && class[j] != '\f' {
		j++
	}
	return class[i:j], class[j:]
}

// child computes the state inside an element from the state around it
// and the element's own declarations.
func (v visState) child(st *cssStyle, a *elemAttrs) visState {
	hide := func(w hideReason) {
		if v.why == 0 {
			v.why = w
		}
	}
	if a != nil && a.flags&attrHidden != 0 && !(st.has(propDisplay) && st.val[propDisplay] == valNo) {
		hide(whyHiddenAttr)
	}
	if st.set == 0 {
		return v
	}
	if st.yes(propDisplay) {
		hide(whyDisplay)
	}
	if st.yes(propContentVis) {
		hide(whyContentVis)
	}
	if st.has(propOpacity) {
		v.opacity *= math.Float32frombits(st.val[propOpacity])
		if v.opacity < minOpacity {
			hide(whyOpacity)
		}
	}
	if (st.yes(propHeight) || st.yes(propMaxHeight)) && st.yes(propOverflowY) ||
		(st.yes(propWidth) || st.yes(propMaxWidth)) && st.yes(propOverflowX) {
		hide(whyZeroBox)
	}
	moved := st.yes(propPosition)
	if moved && (st.yes(propLeft) || st.yes(propTop)) {
		hide(whyOffscreen)
	}
	if moved && st.kind[propPosition] == 1 && st.yes(propClip) || st.yes(propClipPath) {
		hide(whyClip)
	}
	if st.yes(propTransform) {
		hide(whyScale)
	}
	if st.has(propVisibility) {
		v.visHide = st.val[propVisibility] == valYes
	}
	if st.has(propTextIndent) {
		v.indent = st.val[propTextIndent] == valYes
	}
	if st.has(propFontSize) {
		f := math.Float32frombits(st.val[propFontSize])
		if st.kind[propFontSize] == kindRel {
			v.fontPx *= f
		} else {
			v.fontPx = f
		}
	}
	if st.has(propColor) {
		switch st.kind[propColor] {
		case kindColour:
			v.colour, v.colourK = st.val[propColor], kindColour
		case kindUnknown:
			v.colourK = kindUnknown
		}
	}
	if st.has(propBackground) {
		c, k := st.val[propBackground], st.kind[propBackground]
		if k == kindCurrent {
			c, k = v.colour, v.colourK
			if k == 0 {
				c, k = 0x000000ff, kindColour
			}
		}
		switch {
		case k == kindUnknown:
			v.bgK = kindUnknown
		case k != kindColour || c&0xff == 0:
			// transparent: the background behind shows
		case c&0xff >= 0xf0:
			v.bg, v.bgK = c|0xff, kindColour
		case v.bgK == kindColour:
			v.bg = blend(c, v.bg)
		case v.bgK == 0 && v.unsure&unsureBg == 0:
			v.bg, v.bgK = blend(c, 0xffffffff), kindColour
		default:
			v.bgK = kindUnknown
		}
	}
	return v
}

// parseAttrsText reads the attributes of a tag written as text ("span
// style='…' hidden"), for inline HTML in Markdown.
func parseAttrsText(s string, fn func(k, v string)) {
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '/') {
			i++
		}
		j := i
		for j < len(s) && s[j] != '=' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '/' {
			j++
		}
		if j == i {
			return
		}
		name := strings.ToLower(s[i:j])
		i = j
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		val := ""
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				k := strings.IndexByte(s[i+1:], q)
				if k < 0 {
					val, i = s[i+1:], len(s)
				} else {
					val, i = s[i+1:i+1+k], i+2+k
				}
			} else {
				k := i
				for k < len(s) && s[k] != ' ' && s[k] != '\t' && s[k] != '\n' {
					k++
				}
				val, i = s[i:k], k
			}
		}
		fn(name, val)
	}
}

// setAttr records one attribute of an element; it reports whether the
// attribute is one elemAttrs keeps.
func (a *elemAttrs) setAttr(tag tagID, k string, v []byte, intern func([]byte) string) bool {
	switch k {
	case "style":
		a.style = intern(v)
	case "class":
		a.class = intern(v)
	case "id":
		a.id = intern(bytes.TrimSpace(v))
	case "hidden":
		a.flags |= attrHidden
	case "open":
		a.flags |= attrOpen
	case "color":
		if tag != tagFont {
			return false
		}
		if c, ok := legacyColour(v); ok {
			a.colour, a.flags = c, a.flags|attrColour
		}
	case "bgcolor":
		if c, ok := legacyColour(v); ok {
			a.bg, a.flags = c, a.flags|attrBg
		}
	default:
		return false
	}
	return true
}

// legacyColour reads a color or bgcolor attribute, which may leave out
// the '#'.
func legacyColour(v []byte) (uint32, bool) {
	s := strings.ToLower(strings.TrimSpace(string(v)))
	kind, c := parseColour(s)
	if kind == kindUnknown && (len(s) == 6 || len(s) == 3) {
		kind, c = parseColour("#" + s)
	}
	return c, kind == kindColour
}
