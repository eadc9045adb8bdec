package main

import (
	"cmp"
	"encoding/json"
	"os"

	"github.com/sdkaudit/sdkaudit/analyzer/audit"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// englishLeft returns the words of a Chinese report that are English:
// ASCII words outside code spans and links that are no part of a name the
// rules give in Chinese (brands such as TalkingData, terms such as OAID).
func englishLeft(t *testing.T, report string) []string {
	t.Helper()
	db, err := loadRules("", false)
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`[A-Za-z][A-Za-z'-]*[A-Za-z]`)
	allowed := map[string]bool{"SDK": true, "API": true, "sdkaudit": true, "dev": true, "apis": true}
	// Container formats (the summary table's format column) are identifiers too.
	ids := map[string]bool{"app": false, "apk": true, "aab": true, "apks": true, "xapk": true, "apkm": true}
	allow := func(s string) {
		for _, w := range word.FindAllString(s, -1) {
			allowed[w] = true
		}
	}
	for _, s := range db.SDKs {
		allow(s.Name.ZH)
		ids[s.ID] = true
	}
	for _, v := range db.Vendors {
		// A brand without a Chinese form is shown as it is.
		allow(cmp.Or(v.Brand.ZH, v.Brand.EN))
		ids[v.ID] = true
		for _, n := range v.LegalNames {
			if strings.ContainsFunc(n, func(r rune) bool { return r > 0x2e80 }) {
				allow(n)
			}
		}
	}
	for _, c := range db.DataCategories {
		allow(c.Name.ZH)
		ids[c.ID] = true
	}
	for _, a := range db.APIs {
		ids[a.ID] = true
	}
	for _, p := range db.Permissions {
		allow(p.Label.ZH)
		allow(p.Purpose.ZH)
	}
	for _, c := range audit.Checks {
		ids[string(c.Kind)] = true
	}
	// Code spans, styles, tags, links and entities hold identifiers.
	strip := regexp.MustCompile("(?s)<style>.*?</style>|<code>.*?</code>|`[^`]*`|\\]\\([^)]*\\)|<[^>]*>|https?://[^\\s<\"]+|&[a-z]+;")
	text := strip.ReplaceAllString(report, " ")
	var left []string
	seen := map[string]bool{}
	for _, tok := range regexp.MustCompile(`[A-Za-z0-9_.:/$*-]+`).FindAllString(text, -1) {
		// Identifiers: dotted or snake names, paths, versions, constants
		// and the rules' ids.
		if strings.ContainsAny(tok, "._/:$*0123456789") || ids[tok] || tok == strings.ToUpper(tok) {
			continue
		}
		for _, w := range word.FindAllString(tok, -1) {
			if !allowed[w] && !seen[w] {
				seen[w] = true
				left = append(left, w)
			}
		}
	}
	return left
}

// A reviewer fluent in Chinese reads the zh reports with no English left
// but identifiers, in Markdown and in HTML, in a diff as in an audit.
func TestChineseReportsHaveNoEnglishLeft(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	for _, args := range [][]string{
		{"audit", app, "--policy", pol, "--format", "markdown", "--lang", "zh"},
		{"audit", app, "--policy", pol, "--format", "html", "--lang", "zh"},
		{"audit", app, "--policy", pol, "--format", "table", "--lang", "zh"},
		{"diff", fixture(t, "full.apk"), app, "--policy", pol, "--format", "markdown", "--lang", "zh"},
		{"audit", fixture(t, "dataaccess.apk"), "--policy", pol, "--format", "markdown", "--lang", "zh"},
		{"audit", filepath.Join("..", "..", "fixtures", "apk", "channels"), "--policy", pol, "--format", "markdown", "--lang", "zh"},
		{"audit", filepath.Join("..", "..", "fixtures", "apk", "channels"), "--policy", pol, "--format", "table", "--lang", "zh"},
	} {
		out, stderr, _ := runCLI(t, args...)
		if out == "" {
			t.Fatalf("%v: no output: %s", args, stderr)
		}
		if left := englishLeft(t, out); len(left) > 0 {
			t.Errorf("%s --format %s: English left in the Chinese report: %v", args[0], args[len(args)-3], left)
		}
	}
}

// The Markdown report is the compliance deliverable: summary, findings
// with evidence (policy sentences quoted), draft rows for both lists,
// date, versions and the limits of the analysis, in both languages.
func TestMarkdownDeliverable(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	for lang, want := range map[string][]string{
		"en": {"## Summary", "**Verdict**", "## Findings with their evidence", "**In the app**", "> `", "## Draft rows for the policy's third-party SDK list",
			"## Draft rows for the policy's permission list", "| Read calendar | `android.permission.READ_CALENDAR` |", "Report date | 2026-12-07", "## What this analysis could not see", "sdkaudit dev with rules"},
		"zh": {"## 一分钟摘要", "**结论**", "## 问题详情与证据", "**应用中的证据**", "> `", "## 第三方SDK目录补充建议（草稿）",
			"## 设备权限调用清单补充建议（草稿）", "| 读取日历活动 | `android.permission.READ_CALENDAR` |", "报告日期 | 2026-12-07", "## 分析局限", "草拟日期：2026-12-07"},
	} {
		out, _, _ := runCLI(t, "audit", app, "--policy", pol, "--format", "markdown", "--lang", lang)
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s Markdown lacks %q", lang, w)
			}
		}
		if strings.Contains(out, "android.permission.READ_CALENDAR |") && !strings.Contains(out, "读取日历活动") && lang == "zh" {
			t.Errorf("zh draft rows show a raw permission name")
		}
	}
}

// --format html is one self-contained printable page: no script, no
// external style, font or image; it opens in a real headless browser when
// one is installed.
func TestHTMLReport(t *testing.T) {
	app := fixture(t, "maimai-like.apk")
	pol := policyFixture("maimai-like-policy.txt")
	out, stderr, code := runCLI(t, "audit", app, "--policy", pol, "--format", "html", "--lang", "zh", "--fail-on", "none")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"<!DOCTYPE html>", `<meta charset="utf-8">`, "@media print", "第三方SDK目录补充建议", "设备权限调用清单补充建议"} {
		if !strings.Contains(out, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	for _, bad := range regexp.MustCompile(`(?i)<script|<link|<img|<iframe|src=|url\(|@import`).FindAllString(out, -1) {
		t.Errorf("HTML refers to something outside the file: %s", bad)
	}
	browser := ""
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell", "firefox"} {
		if p, err := exec.LookPath(b); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Skip("no headless browser installed (chromium or firefox)")
	}
	dir := t.TempDir()
	page := writeFile(t, dir, "report.html", []byte(out))
	abs, _ := filepath.Abs(page)
	pdf := filepath.Join(dir, "report.pdf")
	var cmd *exec.Cmd
	if strings.Contains(filepath.Base(browser), "firefox") {
		cmd = exec.Command(browser, "--headless", "--screenshot", filepath.Join(dir, "shot.png"), "file://"+abs)
	} else {
		cmd = exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir="+filepath.Join(dir, "profile"), "--print-to-pdf="+pdf, "file://"+abs)
	}
	cmd.Env = append(os.Environ(), "HOME="+dir)
	done := make(chan error, 1)
	var combined strings.Builder
	cmd.Stdout, cmd.Stderr = &combined, &combined
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v: %s", browser, err, combined.String())
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("%s did not finish within 2 minutes", browser)
	}
	if strings.Contains(filepath.Base(browser), "firefox") {
		if st, err := os.Stat(filepath.Join(dir, "shot.png")); err != nil || st.Size() == 0 {
			t.Fatalf("firefox rendered nothing: %v", err)
		}
		return
	}
	data, err := os.ReadFile(pdf)
	if err != nil || !strings.HasPrefix(string(data), "%PDF") || len(data) < 10000 {
		t.Fatalf("the browser did not print the page: %v (%d bytes) %s", err, len(data), combined.String())
	}
}

// SARIF rules link to their section of docs/findings.md, and every link
// lands on a heading of that file.
func TestSARIFRulesLinkToFindingsDoc(t *testing.T) {
	out, _, _ := runCLI(t, "audit", fixture(t, "maimai-like.apk"), "--policy", policyFixture("maimai-like-policy.txt"), "--format", "sarif")
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("%v", err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "findings.md"))
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, line := range strings.Split(string(doc), "\n") {
		if h, ok := strings.CutPrefix(line, "## "); ok {
			anchors[strings.ToLower(strings.ReplaceAll(h, " ", "-"))] = true
		}
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		base, anchor, ok := strings.Cut(r.HelpURI, "#")
		if !ok || !strings.HasSuffix(base, "/docs/findings.md") || !anchors[anchor] {
			t.Errorf("rule %s: helpUri %q is not a heading of docs/findings.md", r.ID, r.HelpURI)
		}
	}
}
