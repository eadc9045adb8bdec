package document

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shownAndHidden reads src and returns the text of its blocks and of
// its hidden blocks with their reason ("text [reason]").
func shownAndHidden(t *testing.T, name, src string) (shown, hidden []string) {
	t.Helper()
	doc := mustRead(t, name, src)
	for _, b := range doc.Blocks {
		shown = append(shown, b.Text)
	}
	for _, b := range doc.Hidden {
		if b.Hidden != "" {
			hidden = append(hidden, b.Text+" ["+b.Hidden+"]")
		}
	}
	return shown, hidden
}

// TestHiddenKinds covers each way a page can keep text from its reader,
// and the look-alikes that stay visible.
func TestHiddenKinds(t *testing.T) {
	for _, c := range []struct {
		name, src     string
		shown, hidden []string
	}{
		{"hidden attribute", `<p>前<p hidden>藏<p>后`, []string{"前", "后"}, []string{"藏 [hidden attribute]"}},
		{"hidden overridden by display", `<p hidden style="display:block">显</p>`, []string{"显"}, nil},
		{"display none inline", `<p>我们收集<span style="display: none !important">位置信息和</span>设备信息</p>`,
			[]string{"我们收集设备信息"}, []string{"我们收集位置信息和设备信息 [display:none]"}},
		{"visibility", `<div style="visibility:hidden">藏<span style="visibility:visible">显</span></div><p style="visibility:collapse">叠</p>`,
			[]string{"显"}, []string{"藏显 [visibility:hidden]", "叠 [visibility:hidden]"}},
		{"font-size", `<div style="font-size:0">藏<span style="font-size:14px">显</span><span style="font-size:1.5em">零</span></div><p style="font:0/0 a">简</p><p style="font-size:2pt">小</p><p style="font-size:9pt">常</p>`,
			[]string{"显", "常"}, []string{"藏显零 [font-size too small to read]", "简 [font-size too small to read]", "小 [font-size too small to read]"}},
		{"opacity", `<div style="opacity:.3"><p style="opacity:.2">藏</p><p>淡</p></div><p style="opacity:0">零</p>`,
			[]string{"淡"}, []string{"藏 [opacity:0]", "零 [opacity:0]"}},
		{"zero box", `<div style="height:0;overflow:hidden">藏</div><div style="max-width:0px;overflow-x:hidden">窄</div><div style="height:0">溢</div>`,
			[]string{"溢"}, []string{"藏 [zero height or width with overflow hidden]", "窄 [zero height or width with overflow hidden]"}},
		{"off-screen", `<p style="position:absolute;left:-9999px">左</p><p style="position:fixed;top:-100vh">上</p><p style="position:absolute;left:-20px">近</p><p style="left:-9999px">静</p><p style="text-indent:-9999px">缩<span style="display:block;text-indent:0">回</span></p>`,
			[]string{"近", "静", "回"}, []string{"左 [positioned off-screen]", "上 [positioned off-screen]", "缩回 [positioned off-screen]"}},
		{"clip", `<p style="position:absolute;clip:rect(0,0,0,0)">剪</p><p style="clip:rect(0 0 0 0)">静</p><p style="clip-path:inset(50%)">切</p><p style="clip-path:circle(0)">圆</p>`,
			[]string{"静"}, []string{"剪 [clipped away (clip or clip-path)]", "切 [clipped away (clip or clip-path)]", "圆 [clipped away (clip or clip-path)]"}},
		{"scale and content-visibility", `<p style="transform:scale(0)">缩</p><p style="transform:scale(1)">常</p><p style="content-visibility:hidden">容</p>`,
			[]string{"常"}, []string{"缩 [transform:scale(0)]", "容 [content-visibility:hidden]"}},
		{"colour", `<p style="color:#fff">白</p><p style="color:white;background:#000">黑底</p><div style="background-color:rgb(0,0,0)"><p style="color:#010101">近</p></div><p style="color:rgba(0,0,0,0)">透</p><p style="color:hsl(0,0%,100%)">色</p><p style="color:#eee">灰</p>`,
			[]string{"黑底", "灰"}, []string{"白 [text colour same as its background]", "近 [text colour same as its background]", "透 [text colour same as its background]", "色 [text colour same as its background]"}},
		{"presentational colours", `<body bgcolor="#000000"><p>默认</p><p><font color="ffffff">白字</font></p></body>`,
			[]string{"白字"}, []string{"默认 [text colour same as its background]"}},
		{"background currentColor", `<p style="color:#336;background:currentColor">同</p>`, nil, []string{"同 [text colour same as its background]"}},
		{"aria-hidden alone is visible", `<p aria-hidden="true">读屏不读</p><p aria-hidden="true" style="display:none">都藏</p>`,
			[]string{"读屏不读"}, []string{"都藏 [display:none]"}},
		{"style block rules", `<style>.x{display:none} #y{visibility:hidden} em{font-size:0} .z{display:none} .z{display:block}</style><p class="a x">类</p><p id="y">号</p><p><em>斜</em>正</p><p class="z">后规则</p>`,
			[]string{"正", "后规则"}, []string{"类 [display:none]", "号 [visibility:hidden]", "斜正 [font-size too small to read]"}},
		{"rule after use and important", `<p class="q">先用</p><p class="r" style="display:block">重要</p><style>.q{display:none}.r{display:none!important}</style>`,
			nil, []string{"先用 [display:none]", "重要 [display:none]"}},
		{"complex selectors are skipped", `<style>div p{display:none} p:first-child{display:none} @media print{.m{display:none}}</style><div><p class="m">显</p></div>`,
			[]string{"显"}, nil},
		{"comment", `<p>前<!-- 注释里的话 -->后</p>`, []string{"前后"}, []string{"前 注释里的话 后 [HTML comment]"}},
		{"template and dialog", `<template><p>模板</p></template><dialog>对话</dialog><dialog open>开着</dialog>`,
			[]string{"开着"}, []string{"模板 [inside <template>]", "对话 [inside a closed <dialog>]"}},
		{"hidden link", `<p>见<a href="https://x.example/p" style="display:none">链接</a>此</p>`,
			[]string{"见此"}, []string{"见链接 (https://x.example/p)此 [display:none]"}},
		{"implied end of p", `<p style="display:none">藏<div>显</div><p style="display:none">藏2<table><tr><td>格</td><td>子</td></tr></table>`,
			[]string{"显"}, []string{"藏 [display:none]", "藏2 [display:none]", "格 | 子 [display:none]"}},
		{"unclosed div hides what follows", `<div style="display:none">藏<p>也藏`, nil, []string{"藏 [display:none]", "也藏 [display:none]"}},
		{"void elements do not hide", `<img hidden><br style="display:none"><hr hidden>显`, []string{"显"}, nil},
		{"self-closing is ignored", `<div style="display:none"/>藏<p>也藏</p>`, nil, []string{"藏 [display:none]", "也藏 [display:none]"}},
		{"reopened formatting", `<p><font style="display:none">藏</p><p>仍藏</p>`, nil, []string{"藏 [display:none]", "仍藏 [display:none]"}},
		{"late body tag", `<p>前</p><body style="color:#fff"><p>后</p>`, nil, []string{"前 [text colour same as its background]", "后 [text colour same as its background]"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			shown, hidden := shownAndHidden(t, "h.html", c.src)
			if diff := cmp.Diff(c.shown, shown); diff != "" {
				t.Errorf("shown (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.hidden, hidden); diff != "" {
				t.Errorf("hidden (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHiddenTables checks hidden cells and rows: a hidden cell leaves its
// column empty, a hidden row is left out, and Hidden holds the rows as
// they would read, numbered as tables of their own.
func TestHiddenTables(t *testing.T) {
	src := `<table>
<tr><th>SDK</th><th>用途</th></tr>
<tr><td>个推</td><td>推送<span hidden>和统计</span></td></tr>
<tr hidden><td>友盟</td><td>统计</td></tr>
</table>`
	doc := mustRead(t, "t.html", src)
	want := []Block{
		{Line: 2, Text: "SDK | 用途", Table: 1, Cells: []string{"SDK", "用途"}, Header: true},
		{Line: 3, Text: "个推 | 推送", Table: 1, Cells: []string{"个推", "推送"}},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	wantHidden := []Block{
		{Line: 2, Text: "SDK | 用途", Table: 1, Cells: []string{"SDK", "用途"}, Header: true},
		{Line: 3, Text: "个推 | 推送和统计", Table: 1, Cells: []string{"个推", "推送和统计"}, Hidden: "hidden attribute"},
		{Line: 4, Text: "友盟 | 统计", Table: 1, Cells: []string{"友盟", "统计"}, Hidden: "hidden attribute"},
	}
	if diff := cmp.Diff(wantHidden, doc.Hidden); diff != "" {
		t.Errorf("hidden (-want +got):\n%s", diff)
	}
}

// TestHiddenMarkdown covers HTML inside Markdown: an HTML block that
// leaves a hiding element open hides the Markdown after it until its end
// tag, inline hiding elements hide their text, and <style> rules apply
// across blocks.
func TestHiddenMarkdown(t *testing.T) {
	src := "# 隐私政策\n\n<style>.old{display:none}</style>\n\n可见段落。\n\n<div hidden>\n\n## 旧版\n\n被藏的段落。\n\n| SDK | 用途 |\n|---|---|\n| 友盟 | 统计 |\n\n</div>\n\n之后可见。我们收集<span style=\"display:none\">位置信息和</span>设备信息。\n\n<p class=\"old\">类规则藏起的。</p>\n\n- 列表<b hidden>藏</b>项\n"
	doc := mustRead(t, "p.md", src)
	var shown []string
	for _, b := range doc.Blocks {
		shown = append(shown, b.Text)
	}
	if diff := cmp.Diff([]string{"隐私政策", "可见段落。", "之后可见。我们收集设备信息。", "列表项"}, shown); diff != "" {
		t.Errorf("shown (-want +got):\n%s", diff)
	}
	var hidden []string
	for _, b := range doc.Hidden {
		hidden = append(hidden, fmt.Sprintf("%d %s [%s]", b.Line, b.Text, b.Hidden))
	}
	want := []string{"1 隐私政策 []", "9 旧版 [hidden attribute]", "11 被藏的段落。 [hidden attribute]", "13 SDK | 用途 [hidden attribute]",
		"15 友盟 | 统计 [hidden attribute]", "19 之后可见。我们收集位置信息和设备信息。 [display:none]", "21 类规则藏起的。 [display:none]", "23 列表藏项 [hidden attribute]"}
	if diff := cmp.Diff(want, hidden); diff != "" {
		t.Errorf("hidden (-want +got):\n%s", diff)
	}
}

// TestHiddenHostile feeds hiding markup built to be slow or to grow
// memory: every shape must read in linear time (hang guard) and within a
// generous memory bound.
func TestHiddenHostile(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		err  string // expected error, if any
	}{
		{"distinct styles and many classes", repeatJoin(100000, func(i int) string {
			return fmt.Sprintf(`<span class="a b c d e f g h i j k l m n o p q r s t c%d" style="color:#%06x;font-size:%dpx;opacity:.9">w</span>`, i%5000, i, 10+i%7)
		}), ""},
		{"style block with 100000 rules", "<style>" + repeatJoin(100000, func(i int) string { return fmt.Sprintf(".c%d{display:none}", i) }) + "</style>" +
			repeatJoin(20000, func(i int) string { return fmt.Sprintf(`<p class="c%d">x</p>`, i*5) }), ""},
		{"unbalanced braces in a style block", "<style>" + strings.Repeat("{", 200000) + strings.Repeat(".x{color:red}", 1000) + "</style><p>x</p>", ""},
		{"comments", repeatJoin(300000, func(i int) string { return fmt.Sprintf("<!-- 第%d条 -->x", i) }), ""},
		{"end tags against blocks in a formatting element", "<b style=\"color:red\">" + strings.Repeat("<div>", 200) + "x" + strings.Repeat("</b>x", 200000), ""},
		{"unclosed formatting in every paragraph", strings.Repeat(`<p><font color="#333">第一条说明`, 100000), ""},
		{"reopen flood", strings.Repeat(`<p><font style="display:none"><b style="color:red"><i class=q><u id=a><s class=b>x`, 60000),
			"more than 500000 reopened formatting elements"},
		{"deep hidden nesting", strings.Repeat(`<span style="display:none"><b hidden>`, 120) + strings.Repeat("x</b></span>", 120) + strings.Repeat("<p>y", 100000), ""},
		{"long style attribute", `<p>y</p><p style="` + strings.Repeat("color:red;", 200000) + `display:none">x</p>`, ""},
		{"inline hiding in Markdown", strings.Repeat(`文字<span style="display:none">藏</span>`, 100000), ""},
	} {
		name := "h.html"
		if strings.HasPrefix(c.name, "inline hiding in Markdown") {
			name = "h.md"
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		quick(t, c.name, func() {
			_, err := Read(name, []byte(c.src), Limits{})
			if (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
		})
		runtime.ReadMemStats(&after)
		// Allocation, not peak: a bound of 40 times the input catches
		// growth beyond linear without failing on a busy machine.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(40*len(c.src))+64<<20 {
			t.Errorf("%s: %d MB allocated for %d KB", c.name, alloc>>20, len(c.src)>>10)
		}
	}
}

// TestHiddenPaddedStyle: padding a style attribute does not push the
// declaration that hides out of reach.
func TestHiddenPaddedStyle(t *testing.T) {
	shown, hidden := shownAndHidden(t, "p.html", `<p>y</p><p style="`+strings.Repeat("color:red;", 200000)+`display:none">x</p>`)
	if diff := cmp.Diff([]string{"y"}, shown); diff != "" || len(hidden) != 1 {
		t.Errorf("shown (-want +got):\n%s\nhidden %q", diff, hidden)
	}
}

func repeatJoin(n int, f func(int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
	}
	return b.String()
}

// TestCSSSkip covers the one scanner of style text: quotes hide every
// stop, and only the nesting pair asked for is counted.
func TestCSSSkip(t *testing.T) {
	for _, c := range []struct {
		s           string
		i           int
		stops       string
		open, close byte
		want        int
	}{
		{`color:red;top:0`, 0, ";", '(', ')', 9},
		{`background:url(data:x;base64,AA);x:1`, 0, ";", '(', ')', 32},
		{`content:";";x:1`, 0, ";", '(', ')', 11},
		{`a)b;c`, 0, ";", '(', ')', 3}, // a stray close does not go negative
		{`p{color:red}`, 0, "{;", 0, 0, 1},
		{`@charset "x;{";p{}`, 0, "{;", 0, 0, 14},
		{`{a{b}c}d`, 1, "}", '{', '}', 6},
		{`{a:"}"}`, 1, "}", '{', '}', 6},
		{`{unclosed`, 1, "}", '{', '}', 9},
	} {
		if got := cssSkip(c.s, c.i, c.stops, c.open, c.close); got != c.want {
			t.Errorf("cssSkip(%q, %d, %q) = %d, want %d", c.s, c.i, c.stops, got, c.want)
		}
	}
}
