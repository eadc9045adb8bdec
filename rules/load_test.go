package rules

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func mustEmbedded(t *testing.T) *DB {
	t.Helper()
	db, err := Embedded()
	if err != nil {
		t.Fatalf("Embedded: %v", err)
	}
	return db
}

func TestEmbeddedLoadsAndValidates(t *testing.T) {
	db := mustEmbedded(t)
	if errs := Validate(db); len(errs) > 0 {
		t.Fatalf("Validate(embedded): %v", errors.Join(errs...))
	}
	if len(db.SDKs) == 0 || len(db.Vendors) == 0 || len(db.Permissions) == 0 || len(db.DataCategories) == 0 || len(db.APIs) == 0 {
		t.Fatalf("empty data set: %d sdks, %d vendors, %d permissions, %d categories, %d apis",
			len(db.SDKs), len(db.Vendors), len(db.Permissions), len(db.DataCategories), len(db.APIs))
	}
	for _, s := range db.SDKs {
		if !strings.HasPrefix(s.Source, DirSDKs+"/") || !strings.Contains(s.Source, ".yaml:") {
			t.Errorf("sdk %q: Source %q does not name file and line", s.ID, s.Source)
		}
	}
	// The cache hands out the same validated set.
	again, err := Embedded()
	if err != nil || again != db {
		t.Errorf("Embedded() second call = %p, %v; want cached %p", again, err, db)
	}
}

func TestVersion(t *testing.T) {
	v := Version()
	re := regexp.MustCompile(`^\d{4}\.\d{2}\.\d{2}-\d+ \(sha256:[0-9a-f]{12}\)$`)
	if !re.MatchString(v) {
		t.Fatalf("Version() = %q, want like 2026.11.28-1 (sha256:abcdef123456)", v)
	}
	db := mustEmbedded(t)
	if !strings.HasPrefix(v, db.Version+" ") || !strings.Contains(v, db.Hash) {
		t.Errorf("Version() = %q, db has %q / %q", v, db.Version, db.Hash)
	}
}

func TestHashCoversNamesAndContents(t *testing.T) {
	base := fstest.MapFS{
		"VERSION":        {Data: []byte("2026.11.28-1\n")},
		"sdks/a.yaml":    {Data: []byte("sdks: []\n")},
		"vendors.yaml":   {Data: []byte("vendors: []\n")},
		"README.md":      {Data: []byte("not part of the rule set")},
		"sdks/notes.txt": {Data: []byte("ignored")},
	}
	h1 := loadHash(t, base)
	if h2 := loadHash(t, base); h1 != h2 {
		t.Fatalf("hash not stable: %s vs %s", h1, h2)
	}
	changed := cloneFS(base)
	changed["sdks/a.yaml"] = &fstest.MapFile{Data: []byte("sdks: [] # edit\n")}
	if loadHash(t, changed) == h1 {
		t.Error("hash did not change with file content")
	}
	renamed := cloneFS(base)
	delete(renamed, "sdks/a.yaml")
	renamed["sdks/b.yaml"] = &fstest.MapFile{Data: []byte("sdks: []\n")}
	if loadHash(t, renamed) == h1 {
		t.Error("hash did not change with file name")
	}
	ignored := cloneFS(base)
	ignored["README.md"] = &fstest.MapFile{Data: []byte("edited")}
	if loadHash(t, ignored) != h1 {
		t.Error("hash changed with a file that is not part of the rule set")
	}
}

func loadHash(t *testing.T, fsys fstest.MapFS) string {
	t.Helper()
	db, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(db.Hash) != 12 {
		t.Fatalf("hash %q is not 12 hex digits", db.Hash)
	}
	return db.Hash
}

func cloneFS(m fstest.MapFS) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// writeTree writes files (slash paths) under a new temp dir and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTypoKeyNamesFileAndLine(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sdks/extra.yaml": `sdks:
  - id: acme-push
    name: {en: Acme Push}
    vendor: getui
    category: push
    kind: sdk
    signatures:
      dex_prefix: [com.acme.push]
    confidence: low
    note: test entry
`,
	})
	_, err := Load(os.DirFS(dir))
	if err == nil {
		t.Fatal("Load accepted an unknown key")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "rules: ") {
		t.Errorf("error %q lacks the rules: prefix", msg)
	}
	if !strings.Contains(msg, "sdks/extra.yaml:8:") {
		t.Errorf("error %q does not name sdks/extra.yaml line 8", msg)
	}
	if !strings.Contains(msg, "dex_prefix") {
		t.Errorf("error %q does not name the unknown key", msg)
	}
}

func TestTypoKeyInEveryFileKind(t *testing.T) {
	cases := map[string]string{
		FileVendors:        "vendors:\n  - id: acme\n    brnd: {en: Acme}\n",
		FilePermissions:    "permissions:\n  - name: android.permission.X\n    protection: normal\n",
		FileDataCategories: "data_categories:\n  - id: x\n    sensitive: device\n",
		FileAPIs:           "apis:\n  - id: x\n    refs: Lx;->y\n",
		"sdks/x.yaml":      "sdk:\n  - id: x\n",
	}
	for name, body := range cases {
		dir := writeTree(t, map[string]string{name: body})
		_, err := Load(os.DirFS(dir))
		if err == nil {
			t.Errorf("%s: unknown key accepted", name)
			continue
		}
		if !regexp.MustCompile(regexp.QuoteMeta(name) + `:\d+:\d+: `).MatchString(err.Error()) {
			t.Errorf("%s: error %q lacks file:line:column", name, err)
		}
	}
}

func TestSyntaxErrorNamesFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"vendors.yaml": "vendors:\n  - id: acme\n    brand: {en: Acme\n",
	})
	_, err := Load(os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "rules: vendors.yaml:") {
		t.Fatalf("want a vendors.yaml error, got %v", err)
	}
}

func TestUnknownRuleFileRejected(t *testing.T) {
	dir := writeTree(t, map[string]string{"vendor.yaml": "vendors: []\n"})
	_, err := Load(os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "vendor.yaml") {
		t.Fatalf("want an unknown-file error naming vendor.yaml, got %v", err)
	}
	empty := t.TempDir()
	if _, err := Load(os.DirFS(empty)); err == nil {
		t.Fatal("Load accepted a directory with no rule files")
	}
}

func TestRetiredFileParsing(t *testing.T) {
	dir := writeTree(t, map[string]string{
		FileRetiredIDs: "# header\n\nold-sdk   # 2026-12-01 split\nBad_ID\n",
	})
	_, err := Load(os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "retired-ids.txt:4:") {
		t.Fatalf("want an error at retired-ids.txt:4, got %v", err)
	}
	dir = writeTree(t, map[string]string{FileRetiredIDs: "# header\nold-sdk # why\n"})
	db, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(db.RetiredIDs) != 1 || db.RetiredIDs[0] != "old-sdk" {
		t.Errorf("RetiredIDs = %v", db.RetiredIDs)
	}
}

func TestMergeExtendsAndReplaces(t *testing.T) {
	base := mustEmbedded(t)
	orig, ok := base.SDK("getui-push")
	if !ok {
		t.Fatal("getui-push missing from embedded set")
	}
	origNote := orig.Note
	dir := writeTree(t, map[string]string{
		"VERSION": "2026.12.01-1\n",
		"vendors.yaml": `vendors:
  - id: acme
    brand: {en: Acme, zh: 阿克米}
    legal_names: [阿克米科技有限公司]
    country: CN
    note: local test vendor
`,
		"sdks/local.yaml": `sdks:
  - id: acme-analytics
    name: {en: Acme Analytics, zh: 阿克米统计}
    aliases: [阿克米统计SDK]
    vendor: acme
    category: analytics
    kind: sdk
    signatures:
      dex_prefixes: [com.acme.analytics]
    data: [android-id]
    permissions: [android.permission.INTERNET]
    confidence: low
    note: local test entry
  - id: getui-push
    name: {en: Getui Push (local override), zh: 个推推送}
    vendor: getui
    category: push
    kind: sdk
    signatures:
      dex_prefixes: [com.igexin]
    confidence: high
    note: replaced locally
`,
	})
	extra, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load partial set: %v", err)
	}
	merged, err := base.Merge(extra)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if len(merged.SDKs) != len(base.SDKs)+1 {
		t.Errorf("merged has %d SDKs, want %d", len(merged.SDKs), len(base.SDKs)+1)
	}
	if s, ok := merged.SDK("getui-push"); !ok || s.Note != "replaced locally" {
		t.Errorf("getui-push not replaced: %+v", s)
	}
	if s, ok := base.SDK("getui-push"); !ok || s.Note != origNote {
		t.Error("Merge changed the base set")
	}
	if s, ok := merged.SDK("acme-analytics"); !ok || s.Source != "sdks/local.yaml:2" {
		t.Errorf("acme-analytics: %+v", s)
	}
	if v := merged.VendorsByName("阿克米科技有限公司"); len(v) != 1 || v[0].ID != "acme" {
		t.Errorf("VendorsByName(local legal name) = %v", v)
	}
	if merged.Version != base.Version+"+2026.12.01-1" {
		t.Errorf("merged Version = %q", merged.Version)
	}
	if merged.Hash == base.Hash || len(merged.Hash) != 12 {
		t.Errorf("merged Hash = %q (base %q)", merged.Hash, base.Hash)
	}
	for i := 1; i < len(merged.SDKs); i++ {
		if merged.SDKs[i-1].ID >= merged.SDKs[i].ID {
			t.Fatalf("merged SDKs not sorted at %d: %q, %q", i, merged.SDKs[i-1].ID, merged.SDKs[i].ID)
		}
	}
}

func TestMergeReportsBrokenReferences(t *testing.T) {
	base := mustEmbedded(t)
	dir := writeTree(t, map[string]string{
		"sdks/local.yaml": `sdks:
  - id: acme-ads
    name: {en: Acme Ads}
    vendor: no-such-vendor
    category: adverts
    kind: sdk
    signatures:
      dex_prefixes: [com.tencent]
    data: [no-such-data]
    permissions: [android.permission.NO_SUCH]
    confidence: sure
    note: broken on purpose
`,
	})
	extra, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = base.Merge(extra)
	if err == nil {
		t.Fatal("Merge accepted broken references")
	}
	// The error is one line; Problems lists every problem in it.
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("merge error is not one line: %q", err)
	}
	all := errors.Join(Problems(err)...)
	for _, want := range []string{
		`rules: sdks/local.yaml:2: sdk "acme-ads": vendor "no-such-vendor" not found`,
		`category "adverts"`,
		`data category "no-such-data" not found`,
		`permission "android.permission.NO_SUCH" not found`,
		`confidence "sure"`,
		`dex prefix "com.tencent" is a vendor root`,
	} {
		if !strings.Contains(all.Error(), want) {
			t.Errorf("merge error lacks %q:\n%v", want, all)
		}
	}
}

func TestRetiredIDCannotBeReused(t *testing.T) {
	base := mustEmbedded(t)
	dir := writeTree(t, map[string]string{FileRetiredIDs: "getui-push # pretend it was retired\n"})
	extra, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	_, err = base.Merge(extra)
	if err == nil || !strings.Contains(err.Error(), `id "getui-push" is retired`) {
		t.Fatalf("want a retired-id error, got %v", err)
	}
}

func TestLookups(t *testing.T) {
	db := mustEmbedded(t)
	if s, ok := db.SDK("getui-push"); !ok || s.Vendor != "getui" {
		t.Errorf("SDK(getui-push) = %+v, %v", s, ok)
	}
	if _, ok := db.SDK("no-such-sdk"); ok {
		t.Error("SDK(no-such-sdk) found")
	}
	if v, ok := db.Vendor("getui"); !ok || v.Brand.ZH != "个推" {
		t.Errorf("Vendor(getui) = %+v, %v", v, ok)
	}
	if p, ok := db.Permission("android.permission.CAMERA"); !ok || p.ProtectionLevel != "dangerous" {
		t.Errorf("Permission(CAMERA) = %+v, %v", p, ok)
	}
	if c, ok := db.DataCategory("imei"); !ok || c.Sensitivity != SensitivityDevice {
		t.Errorf("DataCategory(imei) = %+v, %v", c, ok)
	}
	for _, name := range []string{"每日互动股份有限公司", "个推", "GeTui", "ＧｅＴｕｉ"} {
		if v := db.VendorsByName(name); len(v) != 1 || v[0].ID != "getui" {
			t.Errorf("VendorsByName(%q) = %v", name, ids(v))
		}
	}
	for _, name := range []string{"个推推送SDK", "个推推送 SDK", "GTSDK"} {
		if s := db.SDKsByName(name); len(s) != 1 || s[0].ID != "getui-push" {
			t.Errorf("SDKsByName(%q) = %v", name, sdkIDs(s))
		}
	}
	if got := db.SDKsByVendor("getui"); len(got) < 2 {
		t.Errorf("SDKsByVendor(getui) = %v", sdkIDs(got))
	}
}

func ids(vs []*Vendor) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func sdkIDs(ss []*SDK) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestNormalizeName(t *testing.T) {
	cases := map[string]string{
		"ＧｅＴｕｉ":  "getui",
		"Ge Tui": "getui",
		"友盟同欣（北京）科技有限公司": "友盟同欣(北京)科技有限公司",
		"个推·推送":          "个推推送",
		"\u200b个推\ufeff": "个推",
	}
	for in, want := range cases {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// A name is either an SDK's own alias or one it shares with other
// vendors' products, never both.
func TestSharedAliasNotAlsoAnAlias(t *testing.T) {
	base := mustEmbedded(t)
	dir := writeTree(t, map[string]string{
		"sdks/local.yaml": `sdks:
  - id: acme-trusted-id
    name: {en: Acme trusted ID}
    aliases: [Acme ID, 可信ID]
    shared_aliases: [可信ID]
    vendor: tencent
    category: device-id
    kind: sdk
    signatures:
      dex_prefixes: [com.acme.trustedid]
    confidence: medium
    note: both kinds of alias on purpose
`,
	})
	extra, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	_, err = base.Merge(extra)
	if err == nil || !strings.Contains(err.Error(), `"可信ID" is both an alias and a shared alias`) {
		t.Fatalf("Merge error %v, want the alias named as both", err)
	}
}
