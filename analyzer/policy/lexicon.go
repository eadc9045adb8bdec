package policy

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/sdkaudit/sdkaudit/rules"
)

// term is a word that declares permissions or data categories.
type term struct {
	text  string // folded; compacted when it contains Han
	han   bool
	perms []string
	data  []string
	// generic terms (短 words such as 电话, 通知, "location") declare
	// something only where the clause talks about access or collection.
	generic bool
}

// name is a product, vendor or legal-entity name.
type name struct {
	text    string // folded; compacted when it contains Han
	han     bool
	orig    string
	sdks    []string
	vendors []string
	// exactCase names are ordinary English words (Adjust, Branch,
	// Segment): they match only as written, capitalised.
	exactCase bool
	// compacted is text without spaces and joiners, for telling whether
	// a Latin name is part of a Han name already found.
	compacted string
	// shared are the SDKs this name is only a shared alias of (可信ID):
	// other vendors use it for their own products too.
	shared []string
}

// Lexicon is the rule database compiled for reading policies. Build it once
// with NewLexicon; it is read-only afterwards.
type Lexicon struct {
	db    *rules.DB
	terms []term // longest first
	names []name // longest first
	// permShort maps upper-case short permission names (CAMERA,
	// READ_PHONE_STATE) to full names, for permission tables that list
	// them literally.
	permShort map[string][]string
	// parts maps an SDK id to the ids of its modules (rules' parent), so
	// a row naming the umbrella SDK can be narrowed by its purpose.
	parts map[string][]string
	// fitsWords are every SDK's fits_words, folded: words that name a
	// kind of product by themselves (联运); fitsOf holds them per SDK.
	fitsWords []string
	fitsOf    map[string][]string
	// folded maps an SDK id to its name, Chinese name and aliases in
	// compact folded form, for the tests that look inside product names.
	folded map[string][]string
	// The words are indexed by their first character (a Han one is three
	// bytes) or first two Latin bytes: a clause is walked once to find the
	// words it can contain, instead of being searched once per word (a
	// thousand names and terms made reading a long policy quadratic in
	// practice).
	hanNames, latinNames, hanTerms, latinTerms *prefixIndex
	sense                                      senseIndex
}

// Index key lengths: one Han character, or two Latin letters.
const hanKey, latinKey = 3, 2

// prefixIndex finds which of a list of words occur in a text.
type prefixIndex struct {
	k     int
	words []string
	m     map[uint32][]int32
	short []int32 // words shorter than k: always candidates
}

func newPrefixIndex(k int) *prefixIndex { return &prefixIndex{k: k, m: map[uint32][]int32{}} }

// add indexes word as id (its position in the caller's list).
func (ix *prefixIndex) add(word string, id int) {
	for len(ix.words) <= id {
		ix.words = append(ix.words, "")
	}
	ix.words[id] = word
	if len(word) < ix.k {
		ix.short = append(ix.short, int32(id))
		return
	}
	key := keyAt(word, 0, ix.k)
	ix.m[key] = append(ix.m[key], int32(id))
}

// mark sets cand[id] for every indexed word that occurs in hay.
func (ix *prefixIndex) mark(hay string, cand []bool) {
	for _, id := range ix.short {
		cand[id] = true
	}
	for i := 0; i+ix.k <= len(hay); i++ {
		for _, id := range ix.m[keyAt(hay, i, ix.k)] {
			if !cand[id] && strings.HasPrefix(hay[i:], ix.words[id]) {
				cand[id] = true
			}
		}
	}
}

// keyAt packs the k bytes of s at i into an index key.
func keyAt(s string, i, k int) uint32 {
	var v uint32
	for j := i; j < i+k; j++ {
		v = v<<8 | uint32(s[j])
	}
	return v
}

var regionPrefix = regexp.MustCompile(`^(中国|北京市?|上海市?|天津市?|重庆市?|深圳市?|广州市?|杭州市?|南京市?|成都市?|武汉市?|西安市?|苏州市?|厦门市?|珠海市?|(?:浙江|江苏|广东|福建|山东|湖北|湖南|四川|河北|河南|安徽|江西|辽宁|陕西)省?)`)
var corpSuffix = regexp.MustCompile(`(股份有限公司|有限责任公司|有限公司|集团有限公司|集团|公司)$`)
var industryWord = regexp.MustCompile(`(网络科技|信息科技|信息技术|科技发展|网络技术|科技|网络|信息|技术|软件|计算机系统|咨询|数据|通信)$`)

// legalCore strips region and corporate words from a Chinese legal name
// (北京腾云天下科技有限公司 → 腾云天下) so the short form policies also use
// resolves; it returns "" when too little is left to be distinctive.
func legalCore(s string) string {
	core := regionPrefix.ReplaceAllString(s, "")
	core = corpSuffix.ReplaceAllString(core, "")
	for i := 0; i < 3; i++ {
		core = industryWord.ReplaceAllString(core, "")
	}
	if !hasHan(core) || runeLen(core) < 3 || core == s {
		return ""
	}
	return core
}

// NewLexicon compiles db's vocabulary.
func NewLexicon(db *rules.DB) *Lexicon {
	lx := &Lexicon{db: db, permShort: map[string][]string{}, sense: newSenseIndex(), parts: map[string][]string{}}
	for i := range db.SDKs {
		s := &db.SDKs[i]
		if s.Parent != "" && s.Kind == "sdk" && len(s.AdapterFor) == 0 {
			lx.parts[s.Parent] = append(lx.parts[s.Parent], s.ID)
		}
		for _, w := range s.FitsWords {
			f := fold(w)
			if lx.fitsOf == nil {
				lx.fitsOf = map[string][]string{}
			}
			lx.fitsOf[s.ID] = append(lx.fitsOf[s.ID], f)
			if !slices.Contains(lx.fitsWords, f) {
				lx.fitsWords = append(lx.fitsWords, f)
			}
		}
	}
	termIdx := map[string]int{}
	addOne := func(f string, h, generic bool, perm, data string) {
		i, ok := termIdx[f]
		if !ok {
			lx.terms = append(lx.terms, term{text: f, han: h, generic: generic})
			i = len(lx.terms) - 1
			termIdx[f] = i
		}
		if perm != "" && !slices.Contains(lx.terms[i].perms, perm) {
			lx.terms[i].perms = append(lx.terms[i].perms, perm)
		}
		if data != "" && !slices.Contains(lx.terms[i].data, data) {
			lx.terms[i].data = append(lx.terms[i].data, data)
		}
	}
	addTerm := func(raw string, perm, data string) {
		f := fold(raw)
		if f == "" {
			return
		}
		h := hasHan(f)
		if h {
			f = compact(f)
		}
		addOne(f, h, (h && runeLen(f) <= 2) || (!h && !strings.ContainsAny(f, " -")), perm, data)
		if !h && strings.ContainsAny(f, " -_") {
			// Identifiers are written every way: "Android ID",
			// AndroidID, ANDROID_ID, androidId, android-id; and a
			// constant as words: BOOT_COMPLETED, "Boot completed".
			for _, v := range []string{strings.NewReplacer(" ", "", "-", "", "_", "").Replace(f), strings.NewReplacer(" ", "_", "-", "_").Replace(f), strings.ReplaceAll(f, "_", " ")} {
				if len(v) >= 5 && v != f {
					addOne(v, false, false, perm, data)
				}
			}
		}
	}
	for _, p := range db.Permissions {
		for _, t := range append(append([]string{}, p.Terms.ZH...), p.Terms.EN...) {
			addTerm(t, p.Name, "")
		}
		short := p.Name[strings.LastIndexByte(p.Name, '.')+1:]
		if strings.Contains(short, "_") || len(short) >= 6 {
			lx.permShort[short] = append(lx.permShort[short], p.Name)
		}
	}
	for _, c := range db.DataCategories {
		for _, t := range append(append([]string{}, c.Terms.ZH...), c.Terms.EN...) {
			addTerm(t, "", c.ID)
		}
		for _, t := range []string{c.Name.ZH, c.Name.EN} {
			if t == c.Name.EN && !strings.ContainsAny(t, " -") && !slices.ContainsFunc(c.Terms.EN, func(e string) bool { return strings.EqualFold(e, t) }) {
				// A one-word English name (Name) is a category's label,
				// not a word that discloses it ("to name a file").
				continue
			}
			addTerm(t, "", c.ID)
		}
	}

	nameIdx := map[string]int{}
	addName := func(raw, sdk, vendor string, shared bool) {
		f := fold(raw)
		if f == "" {
			return
		}
		h := hasHan(f)
		if h {
			f = compact(f)
			if runeLen(f) < 2 {
				return
			}
		} else if len(f) < 3 && f != "qq" {
			return
		}
		key := f
		exact := !h && isOrdinaryWord(raw)
		if exact {
			key = "\x00" + raw
		}
		i, ok := nameIdx[key]
		if !ok {
			lx.names = append(lx.names, name{text: f, han: h, orig: raw, exactCase: exact})
			i = len(lx.names) - 1
			nameIdx[key] = i
		}
		n := &lx.names[i]
		if sdk != "" && !slices.Contains(n.sdks, sdk) {
			n.sdks = append(n.sdks, sdk)
			if shared {
				n.shared = append(n.shared, sdk)
			}
		} else if sdk != "" && !shared {
			// Also an ordinary alias of the SDK: not shared after all.
			n.shared = slices.DeleteFunc(n.shared, func(s string) bool { return s == sdk })
		}
		if vendor != "" && !slices.Contains(n.vendors, vendor) {
			n.vendors = append(n.vendors, vendor)
		}
	}
	lx.folded = make(map[string][]string, len(db.SDKs))
	for _, s := range db.SDKs {
		for _, n := range append([]string{s.Name.EN, s.Name.ZH}, s.Aliases...) {
			lx.folded[s.ID] = append(lx.folded[s.ID], compact(fold(n)))
			addName(n, s.ID, "", false)
			// Flutter and React Native list their plugins by package
			// name (google_sign_in, firebase_analytics): the snake-case
			// form of a Latin product name is that product.
			// ShareSDK, OpenSDK: policies write them apart too ("Share
			// SDK").
			if f := fold(n); !hasHan(f) && len(f) > 5 && strings.HasSuffix(f, "sdk") && f[len(f)-4] >= 'a' && f[len(f)-4] <= 'z' {
				addName(f[:len(f)-3]+" sdk", s.ID, "", false)
			}
			// Unity3D, Cocos2dx: a version-like digit that policies set
			// apart ("unity 3D SDK").
			if f := fold(n); !hasHan(f) && !strings.Contains(f, " ") {
				if i := letterDigit(f); i > 0 {
					addName(f[:i]+" "+f[i:], s.ID, "", false)
				}
			}
			// play-services-ads-identifier: an artifact name, which an
			// open-source notice writes with spaces too.
			if f := fold(n); !hasHan(f) && strings.Count(f, "-") >= 2 && !strings.Contains(f, " ") {
				addName(strings.ReplaceAll(f, "-", " "), s.ID, "", false)
			}
			if f := fold(n); !hasHan(f) && strings.ContainsAny(f, " -") {
				addName(strings.NewReplacer(" ", "_", "-", "_").Replace(f), s.ID, "", false)
				// BumpTechGlide, GoogleSignIn: the words run together.
				if joined := strings.NewReplacer(" ", "", "-", "").Replace(f); len(joined) >= 8 {
					addName(joined, s.ID, "", false)
				}
			}
		}
	}
	for _, s := range db.SDKs {
		for _, n := range s.SharedAliases {
			addName(n, s.ID, "", true)
		}
	}
	for _, v := range db.Vendors {
		all := append([]string{v.Brand.EN, v.Brand.ZH}, v.Aliases...)
		all = append(all, v.LegalNames...)
		for _, n := range all {
			addName(n, "", v.ID, false)
		}
		for _, ln := range v.LegalNames {
			if c := legalCore(ln); c != "" {
				addName(c, "", v.ID, false)
			}
		}
	}
	// A word that names an AOSP permission and a same-named permission of
	// another namespace (Play services' ACTIVITY_RECOGNITION) means the
	// AOSP one.
	for i := range lx.terms {
		t := &lx.terms[i]
		var keep []string
		for _, p := range t.perms {
			short := p[strings.LastIndexByte(p, '.')+1:]
			if !strings.HasPrefix(p, "android.permission.") && slices.Contains(t.perms, "android.permission."+short) {
				continue
			}
			keep = append(keep, p)
		}
		t.perms = keep
	}
	sort.SliceStable(lx.terms, func(i, j int) bool { return len(lx.terms[i].text) > len(lx.terms[j].text) })
	sort.SliceStable(lx.names, func(i, j int) bool { return len(lx.names[i].text) > len(lx.names[j].text) })
	lx.hanNames, lx.latinNames = newPrefixIndex(hanKey), newPrefixIndex(latinKey)
	for i := range lx.names {
		n := &lx.names[i]
		n.compacted = compact(n.text)
		if n.han {
			lx.hanNames.add(n.text, i)
		} else {
			lx.latinNames.add(n.text, i)
		}
	}
	lx.hanTerms, lx.latinTerms = newPrefixIndex(hanKey), newPrefixIndex(latinKey)
	for i, t := range lx.terms {
		if t.han {
			lx.hanTerms.add(t.text, i)
		} else {
			lx.latinTerms.add(t.text, i)
		}
	}
	return lx
}

// letterDigit returns the offset of the first digit that follows a letter
// in a word of at least three letters before it, or 0.
func letterDigit(f string) int {
	for i := 3; i < len(f); i++ {
		if f[i] >= '0' && f[i] <= '9' && f[i-1] >= 'a' && f[i-1] <= 'z' {
			return i
		}
	}
	return 0
}

// isOrdinaryWord reports whether an ASCII name is a single word that is
// also plain English (Adjust, Branch, Segment, HONOR): such a name counts
// only as a brand writes it. Other brands match in any case (BugSnag,
// MapBox, ONESIGNAL), as policies spell them every way.
func isOrdinaryWord(s string) bool {
	if len(s) < 2 || strings.ContainsAny(s, " .-_0123456789") {
		return false
	}
	return englishWords[strings.ToLower(s)]
}

// englishWords are brand names that are also common English words, in any
// case: as names they count only as the brand writes them.
var englishWords = map[string]bool{
	"honor": true, "adjust": true, "branch": true, "segment": true, "amplitude": true, "singular": true,
	"line": true, "here": true, "heap": true, "sentry": true, "unity": true, "stripe": true, "square": true,
	"flurry": true, "fabric": true, "parse": true, "realm": true, "meta": true, "mob": true, "moat": true,
	"braze": true, "airship": true, "tap": true, "smart": true, "apple": true, "amazon": true,
	"iterable": true, "bolt": true, "affirm": true, "batch": true, "radar": true, "verve": true, "embrace": true,
	"split": true, "intercom": true, "drift": true, "agora": true, "stream": true, "pusher": true, "plaid": true,
	"persona": true, "sift": true, "shield": true, "liftoff": true, "plausible": true, "fathom": true,
	"signal": true, "kit": true, "crash": true, "insight": true, "pulse": true, "beacon": true,
}
