package document

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

func mustRead(t *testing.T, name, src string) *Document {
	t.Helper()
	doc, err := Read(name, []byte(src), Limits{})
	if err != nil {
		t.Fatalf("Read(%q): %v", name, err)
	}
	return doc
}

// blockTexts is the blocks without their table fields, for prose tests.
type textLine struct {
	Line    int
	Text    string
	Heading int
}

func blockLines(d *Document) []textLine {
	var out []textLine
	for _, b := range d.Blocks {
		out = append(out, textLine{b.Line, b.Text, b.Heading})
	}
	return out
}

func TestReadHTMLWordSpans(t *testing.T) {
	src := `<html><head><meta charset="utf-8"><title>隐私政策</title></head>
<body lang=ZH-CN>
<div class=WordSection1>
<p class=MsoNormal><span lang=EN-US>每日</span><span>互动</span><span
style='font-family:宋体'>股份有限公司</span><o:p></o:p></p>
<p class=MsoNormal><b><span>友盟</span></b><span lang=EN-US>SDK</span><span>&nbsp;</span><span>v9</span></p>
</div></body></html>`
	doc := mustRead(t, "p.html", src)
	want := []textLine{{4, "每日互动股份有限公司", 0}, {6, "友盟SDK v9", 0}}
	if diff := cmp.Diff(want, blockLines(doc)); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if doc.Format != "html" || doc.Encoding != "utf-8" || doc.Name != "p.html" {
		t.Errorf("got format %q encoding %q name %q", doc.Format, doc.Encoding, doc.Name)
	}
	doc = mustRead(t, "w.html", `<p class=MsoNormal><span lang=EN-US>每日</span><span>互动</span><span>股份有限公司</span></p>`)
	if diff := cmp.Diff([]textLine{{1, "每日互动股份有限公司", 0}}, blockLines(doc)); diff != "" {
		t.Errorf("span soup (-want +got):\n%s", diff)
	}
}

func TestReadHTMLBreaksAndBlocks(t *testing.T) {
	src := `<body>
<h2>第三方SDK列表</h2>
<p class=MsoNormal>1. 友盟统计SDK<br>2. 个推推送SDK<br/>
3. 极光<span>推送</span></p>
<ul><li>位置信息<li>设备信息</ul>
<div>外层<div>内层</div>尾部</div>
<p>未闭合段落
<p>第二段
<blockquote>引用</blockquote>
</body>`
	doc := mustRead(t, "p.htm", src)
	want := []textLine{
		{2, "第三方SDK列表", 2},
		{3, "1. 友盟统计SDK", 0},
		{3, "2. 个推推送SDK", 0},
		{4, "3. 极光推送", 0},
		{5, "位置信息", 0},
		{5, "设备信息", 0},
		{6, "外层", 0},
		{6, "内层", 0},
		{6, "尾部", 0},
		{7, "未闭合段落", 0},
		{8, "第二段", 0},
		{9, "引用", 0},
	}
	if diff := cmp.Diff(want, blockLines(doc)); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadHTMLWhitespace(t *testing.T) {
	// Source wrapping between CJK characters is not a space; a real space,
	// a wrap between Latin words and NBSP are; zero-width characters go.
	src := "<p>每日互\n  动 股份\u200b有限公司</p>\n<p>Umeng\nPush&nbsp;SDK\u3000v2 \u00a0 x</p><p>a&#10;b</p>"
	doc := mustRead(t, "w.html", src)
	want := []textLine{{1, "每日互动 股份有限公司", 0}, {3, "Umeng Push SDK v2 x", 0}, {4, "a b", 0}}
	if diff := cmp.Diff(want, blockLines(doc)); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadHTMLLineNumbers(t *testing.T) {
	src := "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<style>\r\np { color: red }\r\n</style>\r\n</head>\r\n<body>\r\n<!-- a\r\ncomment -->\r\n<p>\r\n\r\n  first</p>\r\n<p>sec<!--\n\n-->ond</p>\r\n<table>\r\n<tr><td>a</td><td>\nb</td></tr>\r\n<tr>\r\n<td></td><td>c</td></tr></table>\r\n<p>last</p>"
	doc := mustRead(t, "l.html", src)
	var got []int
	for _, b := range doc.Blocks {
		got = append(got, b.Line)
	}
	if diff := cmp.Diff([]int{13, 14, 18, 21, 22}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if doc.Blocks[1].Text != "second" {
		t.Errorf("comment split text: %q", doc.Blocks[1].Text)
	}
}

func TestReadHTMLIgnored(t *testing.T) {
	src := `<html><head><title>标题</title><script>var x = "<p>secret</p>";</script>
<style>.a{}</style></head><body><noscript>请启用JavaScript</noscript>
<script type="text/javascript">document.write("no")</script>
<template><p>模板</p></template><select><option>中文</option></select>
<p>正文<script>alert(1)</script>继续</p><style/>.x{}</style><p>后</p></body></html>`
	doc := mustRead(t, "i.html", src)
	want := []textLine{{5, "正文继续", 0}, {5, "后", 0}}
	if diff := cmp.Diff(want, blockLines(doc)); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadHTMLLinks(t *testing.T) {
	src := `<p>友盟隐私政策：<a href="https://www.umeng.com/policy">https://www.umeng.com/policy</a></p>
<p><a href="https://open.getui.com/privacy">个推隐私政策</a>。</p>
<p><a href="#top">回到顶部</a><a href="javascript:void(0)">按钮</a></p>
<p>联系 <a href="mailto:privacy@example.com">privacy@example.com</a></p>
<table><tr><td>极光</td><td><a href="https://www.jiguang.cn/license/privacy">隐私</a></td></tr><tr><td>a</td><td>b</td></tr></table>`
	doc := mustRead(t, "a.html", src)
	want := []string{
		"友盟隐私政策：https://www.umeng.com/policy",
		"个推隐私政策 (https://open.getui.com/privacy)。",
		"回到顶部按钮",
		"联系 privacy@example.com",
		"极光 | 隐私 (https://www.jiguang.cn/license/privacy)",
		"a | b",
	}
	var got []string
	for _, b := range doc.Blocks {
		got = append(got, b.Text)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}

func TestReadHTMLTableSpans(t *testing.T) {
	src := `<p>前言</p>
<table border=1>
<tr><th>SDK名称</th><th colspan=2>收集信息</th><th>目的</th></tr>
<tr><td rowspan=2>友盟<br>SDK</td><td>设备信息</td><td rowspan="3">位置</td><td>统计</td></tr>
<tr><td>IMEI</td><td>分析</td></tr>
<tr><td colspan=2>个推</td><td>推送</td></tr>
<tr><td colspan=1000000>整行说明</td></tr>
</table>
<p>后记</p>`
	doc := mustRead(t, "t.html", src)
	want := []Block{
		{Line: 1, Text: "前言"},
		{Line: 3, Text: "SDK名称 | 收集信息 | 收集信息 | 目的", Table: 1, Cells: []string{"SDK名称", "收集信息", "收集信息", "目的"}, Header: true},
		{Line: 4, Text: "友盟 SDK | 设备信息 | 位置 | 统计", Table: 1, Cells: []string{"友盟 SDK", "设备信息", "位置", "统计"}},
		{Line: 5, Text: "友盟 SDK | IMEI | 位置 | 分析", Table: 1, Cells: []string{"友盟 SDK", "IMEI", "位置", "分析"}},
		{Line: 6, Text: "个推 | 个推 | 位置 | 推送", Table: 1, Cells: []string{"个推", "个推", "位置", "推送"}},
		{Line: 7, Text: "整行说明 | 整行说明 | 整行说明 | 整行说明", Table: 1, Cells: []string{"整行说明", "整行说明", "整行说明", "整行说明"}},
		{Line: 9, Text: "后记"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadHTMLHeaderRows(t *testing.T) {
	src := `<table><thead><tr><td>名称</td><td>公司</td></tr></thead>
<tbody><tr><td>友盟</td><td>友盟同欣</td></tr></tbody></table>
<table><tr><th>权限</th><th>用途</th></tr><tr><th>相机</th><td>扫码</td></tr></table>
<table><tr><td><p><b><span>SDK</span></b></p></td><td><strong>用途</strong> </td><td></td></tr>
<tr><td><b>个推</b></td><td>推送</td><td>x</td></tr></table>
<table><tr><td><b>名称</b></td><td>用途</td></tr><tr><td>a</td><td>b</td></tr></table>`
	doc := mustRead(t, "h.html", src)
	type row struct {
		Table  int
		Cells  []string
		Header bool
	}
	var got []row
	for _, b := range doc.Blocks {
		got = append(got, row{b.Table, b.Cells, b.Header})
	}
	want := []row{
		{1, []string{"名称", "公司"}, true},
		{1, []string{"友盟", "友盟同欣"}, false},
		{2, []string{"权限", "用途"}, true},
		{2, []string{"相机", "扫码"}, false},
		{3, []string{"SDK", "用途", ""}, true},
		{3, []string{"个推", "推送", "x"}, false},
		{4, []string{"名称", "用途"}, false},
		{4, []string{"a", "b"}, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestReadHTMLTableShapes(t *testing.T) {
	// A one-cell layout table and a table whose cell holds a heading are
	// read as prose; a table nested in a data cell is flattened into it;
	// unclosed cells and rows close implicitly.
	src := `<table><tr><td><h1>隐私政策</h1><p>第一段</p>
<table><tr><td>名称</td><td>用途</td></tr><tr><td>友盟<table><tr><td>内</td><td>嵌</td></tr></table></td><td>统计</td></tr></table>
</td></tr></table>
<table><tr><td>a<td>b<tr><td>c<td>d</table>`
	doc := mustRead(t, "s.html", src)
	want := []Block{
		{Line: 1, Text: "隐私政策", Heading: 1},
		{Line: 1, Text: "第一段"},
		{Line: 2, Text: "名称 | 用途", Table: 1, Cells: []string{"名称", "用途"}},
		{Line: 2, Text: "友盟 内 嵌 | 统计", Table: 1, Cells: []string{"友盟 内 嵌", "统计"}},
		{Line: 4, Text: "a | b", Table: 2, Cells: []string{"a", "b"}},
		{Line: 4, Text: "c | d", Table: 2, Cells: []string{"c", "d"}},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadHTMLMalformedOrder(t *testing.T) {
	// A caption after the rows closes the open row; text a browser would
	// move out of the table, or a link split by <br>, never sends line
	// numbers backwards.
	src := "<table><tr><td>a<td>b<caption>标题</caption><tr><td>c<td>d\n</td>外<td>e</table>\n<p><a href=https://u.cn/p>\n文字<br></a></p>"
	doc := mustRead(t, "m.html", src)
	want := []Block{
		{Line: 1, Text: "a | b", Table: 1, Cells: []string{"a", "b"}},
		{Line: 1, Text: "标题"},
		{Line: 2, Text: "外"},
		{Line: 2, Text: "c | d | e", Table: 1, Cells: []string{"c", "d", "e"}},
		{Line: 4, Text: "文字"},
		{Line: 4, Text: "(https://u.cn/p)"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func gbkBytes(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadGBKHTML(t *testing.T) {
	// Word's export: a long <html> start tag before the meta charset.
	page := `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">` + strings.Repeat("<!-- padding -->", 80) + `
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312"></head>
<body><p class=MsoNormal><span>每日</span><span>互动股份有限公司（个推）</span></p>
<table><tr><th>第三方SDK</th><th>收集的个人信息</th></tr><tr><td>个推推送</td><td>设备标识符、网络信息</td></tr></table></body></html>`
	data := gbkBytes(t, page)
	doc, err := Read("policy.html", data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Encoding != "gb18030" {
		t.Errorf("encoding %q, want gb18030", doc.Encoding)
	}
	want := []Block{
		{Line: 5, Text: "每日互动股份有限公司（个推）"},
		{Line: 6, Text: "第三方SDK | 收集的个人信息", Table: 1, Cells: []string{"第三方SDK", "收集的个人信息"}, Header: true},
		{Line: 6, Text: "个推推送 | 设备标识符、网络信息", Table: 1, Cells: []string{"个推推送", "设备标识符、网络信息"}},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}

	// Without a declaration, and with a wrong UTF-8 one, GBK bytes are
	// still recognised.
	for _, src := range []string{"<p>我们使用友盟统计SDK收集设备信息</p>", `<meta charset="utf-8"><p>我们使用友盟统计SDK收集设备信息</p>`} {
		doc, err := Read("x.html", gbkBytes(t, src), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Encoding != "gb18030" || doc.Blocks[0].Text != "我们使用友盟统计SDK收集设备信息" {
			t.Errorf("%q: got %q %q", src, doc.Encoding, doc.Blocks[0].Text)
		}
	}
}

func TestReadGBKText(t *testing.T) {
	doc, err := Read("p.txt", gbkBytes(t, "隐私政策\n\n我们会收集您的设备信息。\n"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []textLine{{1, "隐私政策", 0}, {3, "我们会收集您的设备信息。", 0}}
	if diff := cmp.Diff(want, blockLines(doc)); diff != "" || doc.Encoding != "gb18030" {
		t.Errorf("encoding %q; blocks (-want +got):\n%s", doc.Encoding, diff)
	}
	// Latin-1 text is not mistaken for GBK.
	doc, err = Read("p.txt", []byte("Caf\xe9 cr\xe8me policy\n"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Encoding != "windows-1252" || doc.Blocks[0].Text != "Café crème policy" {
		t.Errorf("latin-1: %q %q", doc.Encoding, doc.Blocks[0].Text)
	}
}

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xff, 0xfe)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestReadUTF16(t *testing.T) {
	text := "隐私政策\r\n\r\n我们使用\u200b个推SDK。😀\r\n名称\t公司\t用途\r\n个推\t每日互动\t推送\r\n"
	doc, err := Read("policy.txt", utf16le(text, true), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Document{Name: "policy.txt", Format: "text", Encoding: "utf-16le", Blocks: []Block{
		{Line: 1, Text: "隐私政策"},
		{Line: 3, Text: "我们使用个推SDK。😀"},
		{Line: 4, Text: "名称 | 公司 | 用途", Table: 1, Cells: []string{"名称", "公司", "用途"}},
		{Line: 5, Text: "个推 | 每日互动 | 推送", Table: 1, Cells: []string{"个推", "每日互动", "推送"}},
	}}
	if diff := cmp.Diff(want, doc); diff != "" {
		t.Errorf("document (-want +got):\n%s", diff)
	}

	// Big-endian with a BOM, and Notepad's BOM-less UTF-16LE.
	var be []byte
	be = append(be, 0xfe, 0xff)
	for _, u := range utf16.Encode([]rune("<p>Privacy</p>")) {
		be = append(be, byte(u>>8), byte(u))
	}
	if doc, err := Read("p", be, Limits{}); err != nil || doc.Encoding != "utf-16be" || doc.Format != "html" || doc.Blocks[0].Text != "Privacy" {
		t.Errorf("utf-16be: %+v %v", doc, err)
	}
	if doc, err := Read("p.txt", utf16le("We collect device IDs.\n", false), Limits{}); err != nil || doc.Encoding != "utf-16le" || doc.Blocks[0].Text != "We collect device IDs." {
		t.Errorf("bom-less utf-16le: %+v %v", doc, err)
	}
	// A lone surrogate and an odd trailing byte read as U+FFFD.
	if doc, err := Read("p.txt", []byte("\xff\xfeW\x00\x00\xd8e\x00 \x00\x00\xdcx"), Limits{}); err != nil || doc.Blocks[0].Text != "W\ufffde \ufffd\ufffd" {
		t.Errorf("broken utf-16: %+v %v", doc, err)
	}
	if doc, err := Read("p.md", append([]byte("\xef\xbb\xbf"), "# 标题\n"...), Limits{}); err != nil || doc.Encoding != "utf-8" || doc.Blocks[0].Heading != 1 {
		t.Errorf("utf-8 bom: %+v %v", doc, err)
	}
}

func TestReadMarkdown(t *testing.T) {
	src := `---
title: 隐私政策
---
# 隐私政策 #

本政策适用于**每日互动**
提供的产品，and it
applies _everywhere_.

## 一、我们收集的信息
- 设备信息（` + "`READ_PHONE_STATE`" + `、android.permission.ACCESS_FINE_LOCATION）
- 第三方SDK：[个推](https://www.getui.com/privacy)，见<https://x.cn/p>
  及其关联方
1. 位置信息<br>精确位置

| SDK名称 | 公司 | 用途 |
|:---|---|---:|
| 友盟 | 友盟同欣（北京）科技有限公司 | 统计 \| 分析 |
| 极光 | 深圳市和讯华谷信息技术有限公司 |
| a | b | c | d |

> 引用的 *说明*，<span>见</span>[隐私][ref]。

说明文字
=====

[ref]: https://example.com/privacy "标题"
` + "```\ncode  line\n```\n" + `最后 ~~删除~~ \*星号\* a * b`
	doc := mustRead(t, "policy.md", src)
	want := []Block{
		{Line: 4, Text: "隐私政策", Heading: 1},
		{Line: 6, Text: "本政策适用于每日互动提供的产品，and it applies everywhere.", Heading: 0},
		{Line: 10, Text: "一、我们收集的信息", Heading: 2},
		{Line: 11, Text: "设备信息（READ_PHONE_STATE、android.permission.ACCESS_FINE_LOCATION）"},
		{Line: 12, Text: "第三方SDK：个推 (https://www.getui.com/privacy)，见https://x.cn/p 及其关联方"},
		{Line: 14, Text: "位置信息 精确位置"},
		{Line: 16, Text: "SDK名称 | 公司 | 用途", Table: 1, Cells: []string{"SDK名称", "公司", "用途"}, Header: true},
		{Line: 18, Text: "友盟 | 友盟同欣（北京）科技有限公司 | 统计 | 分析", Table: 1, Cells: []string{"友盟", "友盟同欣（北京）科技有限公司", "统计 | 分析"}},
		{Line: 19, Text: "极光 | 深圳市和讯华谷信息技术有限公司 | ", Table: 1, Cells: []string{"极光", "深圳市和讯华谷信息技术有限公司", ""}},
		{Line: 20, Text: "a | b | c", Table: 1, Cells: []string{"a", "b", "c"}},
		{Line: 22, Text: "引用的 说明，见隐私 (https://example.com/privacy)。"},
		{Line: 24, Text: "说明文字", Heading: 1},
		{Line: 29, Text: "code line"},
		{Line: 31, Text: "最后 删除 *星号* a * b"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if doc.Format != "markdown" {
		t.Errorf("format %q", doc.Format)
	}
}

func TestReadMarkdownHTMLBlocks(t *testing.T) {
	src := `##第一条 范围

<table>
<tr><th>SDK</th><th>用途</th></tr>
<tr><td rowspan=2>友盟</td><td>统计</td></tr>
<tr><td>分析</td></tr>
</table>

| a | b |
|---|---|
| 1 | 2 |
<div align="center">**不是**Markdown</div>
#1 不是标题`
	doc := mustRead(t, "p.md", src)
	want := []Block{
		{Line: 1, Text: "第一条 范围", Heading: 2},
		{Line: 4, Text: "SDK | 用途", Table: 1, Cells: []string{"SDK", "用途"}, Header: true},
		{Line: 5, Text: "友盟 | 统计", Table: 1, Cells: []string{"友盟", "统计"}},
		{Line: 6, Text: "友盟 | 分析", Table: 1, Cells: []string{"友盟", "分析"}},
		{Line: 9, Text: "a | b", Table: 2, Cells: []string{"a", "b"}, Header: true},
		{Line: 11, Text: "1 | 2", Table: 2, Cells: []string{"1", "2"}},
		{Line: 12, Text: "**不是**Markdown"},
		{Line: 13, Text: "#1 不是标题"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadText(t *testing.T) {
	src := "隐私政策\n\n  我们收集  设备信息。\t\n\t\n名称\t公司\t用途\n友盟\t\t统计\n\n尾\u00a0部\u2060"
	doc := mustRead(t, "p.txt", src)
	want := []Block{
		{Line: 1, Text: "隐私政策"},
		{Line: 3, Text: "我们收集 设备信息。"},
		{Line: 5, Text: "名称 | 公司 | 用途", Table: 1, Cells: []string{"名称", "公司", "用途"}},
		{Line: 6, Text: "友盟 |  | 统计", Table: 1, Cells: []string{"友盟", "", "统计"}},
		{Line: 8, Text: "尾 部"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

// A policy kept in source code as one string literal: its escaped line
// breaks make the blocks, all on the literal's line.
func TestReadEscapedLines(t *testing.T) {
	src := "class P {\n  static const text = \"1、权限\\n1）录音\\n2）摄像头\\n3）使用蓝牙\";\n}\n"
	doc := mustRead(t, "p.dart", src)
	want := []Block{
		{Line: 1, Text: "class P {"},
		{Line: 2, Text: "static const text = \"1、权限"},
		{Line: 2, Text: "1）录音"},
		{Line: 2, Text: "2）摄像头"},
		{Line: 2, Text: "3）使用蓝牙\";"},
		{Line: 3, Text: "}"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

func TestReadFormatSniffing(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"a.htm", "plain words", "html"},
		{"a.XHTML", "plain", "html"},
		{"a.markdown", "<p>x</p>", "markdown"},
		{"a.txt", "# not a heading here", "text"},
		{"policy", "<!DOCTYPE html><title>t</title><p>x</p>", "html"},
		{"policy", "\n  <div>隐私</div>", "html"},
		{"policy", "text first\n<table><tr><td>x</td></tr></table>", "html"},
		{"policy", "# 隐私政策\n正文", "markdown"},
		{"policy", "名称|用途\n---|---\n友盟|统计", "markdown"},
		{"policy", "- **设备信息**：用于统计\n- 位置", "markdown"},
		{"policy", "- 设备信息\n- 位置", "text"},
		{"policy", "隐私政策\n我们收集信息。", "text"},
		{"policy", "#1 item\n", "text"},
	} {
		doc, err := Read(c.name, []byte(c.src), Limits{})
		if err != nil {
			t.Errorf("%s %q: %v", c.name, c.src, err)
			continue
		}
		if doc.Format != c.want {
			t.Errorf("%s %q: format %q, want %q", c.name, c.src, doc.Format, c.want)
		}
	}
}

func TestReadRejects(t *testing.T) {
	zip := []byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml")
	docx := append(append([]byte{}, zip...), "....word/document.xml...."...)
	for _, c := range []struct {
		name string
		data []byte
		is   error
		msg  string
	}{
		{"p.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ErrNotText, "document: p.pdf: PDF file, not a text document"},
		{"p.html", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrNotText, "document: p.html: PNG file, not a text document"},
		{"p.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), ErrNotText, "document: p.jpg: JPEG file, not a text document"},
		{"p.gif", []byte("GIF89a\x01\x00"), ErrNotText, "document: p.gif: GIF file, not a text document"},
		{"p.zip", zip, ErrNotText, "document: p.zip: ZIP file, not a text document"},
		{"p.docx", docx, ErrNotText, "document: p.docx: DOCX file, not a text document"},
		{"p.txt", nil, ErrEmpty, "document: p.txt: document is empty"},
		{"p.txt", []byte(" \r\n\t\u3000\u200b\n"), ErrEmpty, "document: p.txt: document is empty"},
		{"p.html", []byte("<html><head><script>render()</script></head><body><div id=app></div></body></html>"), ErrEmpty, "document: p.html: document is empty"},
		{"p.bin", []byte("ab\x00\x00\x01\x02\x03\x00\x00\x00\xff\xfe\x00\x00\x10\x11"), ErrBinary, "document: p.bin: binary data, not a text document"},
		{"", nil, ErrEmpty, "document: document is empty"},
	} {
		doc, err := Read(c.name, c.data, Limits{})
		if doc != nil || !errors.Is(err, c.is) || err.Error() != c.msg {
			t.Errorf("%s: got %v, %v; want %q", c.name, doc, err, c.msg)
		}
	}
	_, err := Read("big.txt", bytes.Repeat([]byte("a"), 101), Limits{MaxBytes: 100})
	if err == nil || err.Error() != "document: big.txt: 101 bytes, larger than the 100-byte limit" {
		t.Errorf("size limit: %v", err)
	}
}

// quick fails when a hostile input takes more than a fraction of a
// second, or ten times that under the race detector, which slows this
// code about eightfold.
// quick runs f and fails only when it takes long enough to mean a hang
// or quadratic work (hours at these sizes): speed itself is measured by
// benchmarks, and a timed assertion would fail on a loaded machine. The
// time is logged.
func quick(t *testing.T, what string, f func()) {
	t.Helper()
	const hang = 30 * time.Second
	start := time.Now()
	f()
	d := time.Since(start)
	t.Logf("%s: %v", what, d)
	if d > testenv.Hang(hang) {
		t.Errorf("%s took %v: quadratic or stuck", what, d)
	}
}

func TestReadHostileHTML(t *testing.T) {
	quick(t, "100k nested divs", func() {
		src := strings.Repeat("<div>", 100000) + "x" + strings.Repeat("</div>", 100000)
		_, err := Read("n.html", []byte(src), Limits{})
		if err == nil || !strings.Contains(err.Error(), "nested more than 256 deep") {
			t.Errorf("nested divs: %v", err)
		}
	})
	quick(t, "1e6 colspan", func() {
		src := `<table><tr><td colspan=1000000>x</td></tr><tr><td colspan="1000000">y</td><td>z</td></tr></table>`
		doc, err := Read("c.html", []byte(src), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		// Capped at HTML's 1000 columns, then at the table's width.
		if n := len(doc.Blocks[0].Cells); n != 1000 {
			t.Errorf("colspan row has %d cells", n)
		}
		src = `<table><tr><td colspan=1000000>x</td><td>y</td></tr></table>`
		_, err = Read("c.html", []byte(src), Limits{MaxCells: 500})
		if err == nil || !strings.Contains(err.Error(), "more than 500 cells") {
			t.Errorf("MaxCells: %v", err)
		}
		src = `<table>` + strings.Repeat(`<tr><td rowspan=0 colspan=999>x</td><td>y</td></tr>`, 300) + `</table>`
		_, err = Read("c.html", []byte(src), Limits{})
		if err == nil || !strings.Contains(err.Error(), "more than 200000 cells") {
			t.Errorf("MaxCells default: %v", err)
		}
	})
	quick(t, "unclosed tag flood", func() {
		src := strings.Repeat("<p><span><b>x", 150000)
		doc, err := Read("u.html", []byte(src), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Blocks) != 150000 {
			t.Errorf("%d blocks", len(doc.Blocks))
		}
		_, err = Read("u.html", []byte(strings.Repeat("<li>x", 600000)), Limits{})
		if err == nil || !strings.Contains(err.Error(), "more than 500000 HTML elements") {
			t.Errorf("node flood: %v", err)
		}
		_, err = Read("u.html", []byte(strings.Repeat("<span>x", 300)), Limits{})
		if err == nil {
			t.Errorf("span flood accepted")
		}
		_, err = Read("u.html", []byte("<p>"+strings.Repeat("a<!---->", 300000)), Limits{})
		if err != nil {
			t.Errorf("comment flood: %v", err)
		}
	})
	quick(t, "markdown brackets", func() {
		src := "# t\n" + strings.Repeat("[](", 100000) + strings.Repeat("`` ` ", 50000) + strings.Repeat("<a", 50000) + strings.Repeat("<!--", 50000)
		if _, err := Read("m.md", []byte(src), Limits{}); err != nil {
			t.Error(err)
		}
	})
}

// A policy kept as preformatted text (a corpus's export, a converter's
// output) is read line by line, its pipe tables as tables; a row whose
// line break was lost is split again, and prose after a table is not a
// row of it.
func TestReadPreAsMarkdown(t *testing.T) {
	src := "<html><body><p>前言</p>\n<pre>**权限说明**\n" +
		"权限 | 用途 | 可关闭\n" +
		"---|---|---\n" +
		"存储 | 保存文件 | 是\n" +
		"相机 | 扫码 | 是\n" +
		"本政策更新时，我们会发送通知。\n" +
		"SDK名称 | 公司 | 链接\n" +
		"---|---|---\n" +
		"QQ互联 | 腾讯 | [https://a.cn/](https://a.cn/)  微博分享 | 微梦 | https://b.cn\n" +
		"</pre><p>结尾</p></body></html>"
	doc := mustRead(t, "policy.html", src)
	want := []Block{
		{Line: 1, Text: "前言"},
		{Line: 2, Text: "权限说明"},
		{Line: 3, Text: "权限 | 用途 | 可关闭", Table: 1, Cells: []string{"权限", "用途", "可关闭"}, Header: true},
		{Line: 5, Text: "存储 | 保存文件 | 是", Table: 1, Cells: []string{"存储", "保存文件", "是"}},
		{Line: 6, Text: "相机 | 扫码 | 是", Table: 1, Cells: []string{"相机", "扫码", "是"}},
		{Line: 7, Text: "本政策更新时，我们会发送通知。"},
		{Line: 8, Text: "SDK名称 | 公司 | 链接", Table: 2, Cells: []string{"SDK名称", "公司", "链接"}, Header: true},
		{Line: 10, Text: "QQ互联 | 腾讯 | https://a.cn/", Table: 2, Cells: []string{"QQ互联", "腾讯", "https://a.cn/"}},
		{Line: 10, Text: "微博分享 | 微梦 | https://b.cn", Table: 2, Cells: []string{"微博分享", "微梦", "https://b.cn"}},
		{Line: 11, Text: "结尾"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	// Rows a converter wrapped: the link on a line of its own after a row
	// that left it blank, and a row broken after a pipe whose remaining
	// cells follow without a leading pipe. Prose after the table still
	// ends it.
	wrapped := "<pre>SDK | 功能 | 信息 | 链接\n" +
		"---|---|---|---\n" +
		"极光SDK | 推送 | 设备信息 |\n" +
		"https://j.cn/privacy\n" +
		"微信SDK| 分享|\n" +
		"设备信息| https://w.cn\n" +
		"这是表格之后的说明。\n" +
		"</pre>"
	doc = mustRead(t, "wrapped.html", wrapped)
	wantWrapped := []Block{
		{Line: 1, Text: "SDK | 功能 | 信息 | 链接", Table: 1, Cells: []string{"SDK", "功能", "信息", "链接"}, Header: true},
		{Line: 3, Text: "极光SDK | 推送 | 设备信息 | https://j.cn/privacy", Table: 1, Cells: []string{"极光SDK", "推送", "设备信息", "https://j.cn/privacy"}},
		{Line: 5, Text: "微信SDK | 分享 | 设备信息 | https://w.cn", Table: 1, Cells: []string{"微信SDK", "分享", "设备信息", "https://w.cn"}},
		{Line: 7, Text: "这是表格之后的说明。"},
	}
	if diff := cmp.Diff(wantWrapped, doc.Blocks); diff != "" {
		t.Errorf("wrapped rows (-want +got):\n%s", diff)
	}
	// Short lines that do not end in a pipe are rows of their own (the
	// remaining cells of a spanned row), not the rest of the row above.
	spanned := "<pre>SDK | 目的 | 信息 | 备注\n" +
		"---|---|---|---\n" +
		"EXOPlayer | 播放 | 查看WLAN连接 | 播放网络音频\n" +
		"开机启动 | 接收开机启动广播时需要\n" +
		"查看网络状态 | 查看网络状态\n" +
		"</pre>"
	doc = mustRead(t, "spanned.html", spanned)
	wantSpanned := []Block{
		{Line: 1, Text: "SDK | 目的 | 信息 | 备注", Table: 1, Cells: []string{"SDK", "目的", "信息", "备注"}, Header: true},
		{Line: 3, Text: "EXOPlayer | 播放 | 查看WLAN连接 | 播放网络音频", Table: 1, Cells: []string{"EXOPlayer", "播放", "查看WLAN连接", "播放网络音频"}},
		{Line: 4, Text: "开机启动 | 接收开机启动广播时需要 |  | ", Table: 1, Cells: []string{"开机启动", "接收开机启动广播时需要", "", ""}},
		{Line: 5, Text: "查看网络状态 | 查看网络状态 |  | ", Table: 1, Cells: []string{"查看网络状态", "查看网络状态", "", ""}},
	}
	if diff := cmp.Diff(wantSpanned, doc.Blocks); diff != "" {
		t.Errorf("spanned rows (-want +got):\n%s", diff)
	}
	// One line of preformatted text stays one block.
	doc = mustRead(t, "code.html", "<p>a</p><pre>x  |  y</pre>")
	if got := blockLines(doc); len(got) != 2 || got[1].Text != "x | y" {
		t.Errorf("short pre: %+v", got)
	}
}

// Policy collections keep sections parted by a row of "=" and break lines
// with two trailing spaces: the row is a separator, not the underline that
// would make the whole section above it one heading, and a hard break ends
// a block as <br> does; a short line all in bold and broken after heads
// what follows. A one-line paragraph over "=" is still a heading, and a
// list item keeps its indented broken lines but not an unindented one.
func TestReadMarkdownSeparatorsAndHardBreaks(t *testing.T) {
	src := "==========\n" +
		"**二、服务简介**  \n" +
		"基于服务的重要性，学员应同意：  \n" +
		"(1)提供详尽资料。\n" +
		"(2)不断更新资料。\n" +
		"**IOS端**  \n" +
		"第三方SDK“个推push”需获取通知权限。\n" +
		"==========\n" +
		"说明文字\n" +
		"=====\n" +
		"*   **腾讯Bugly**  \n" +
		"    **使用目的：**崩溃日志上报  \n" +
		"\n" +
		"  10. 本软件可能获取如下权限，关闭以下权限不会影响其他功能：  \n" +
		"访问相机：您可以使用摄像头扫码；  \n"
	doc := mustRead(t, "policy.md", src)
	want := []Block{
		{Line: 2, Text: "二、服务简介"},
		{Line: 3, Text: "基于服务的重要性，学员应同意："},
		{Line: 4, Text: "(1)提供详尽资料。 (2)不断更新资料。"},
		{Line: 6, Text: "IOS端"},
		{Line: 7, Text: "第三方SDK“个推push”需获取通知权限。"},
		{Line: 9, Text: "说明文字", Heading: 1},
		{Line: 11, Text: "腾讯Bugly 使用目的：崩溃日志上报"},
		{Line: 14, Text: "本软件可能获取如下权限，关闭以下权限不会影响其他功能："},
		{Line: 15, Text: "访问相机：您可以使用摄像头扫码；"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

// In a <pre>, shown line by line, a numbered line starts a block even when
// its mark is escaped, and a short numbered title is apart from the
// description under it — unless it breaks inside brackets; a line holding
// one field of a record (使用目的：…) is a block of its own, and so is the
// line after it, while a line holding several fields stays with its run.
func TestReadPreNumberedLines(t *testing.T) {
	src := "<pre>四、我们产品所需的重要权限\n" +
		"下面是本应用程序请求的所有重要权限\n" +
		"1\\. 接听或拨打电话\n" +
		"来电秀的接听或者挂断电话需要该权限。\n" +
		"2\\. 互联网访问\n" +
		"来电秀将会使用网络以执行某些功能。\n" +
		"（14）中国移动插码SDK（Webtrends\n" +
		"SDK）：为了了解您历史访问数据。\n" +
		"</pre>"
	src += "<pre>LicoLico接入的第三方SDK包括：\n" +
		"友盟SDK\n" +
		"信息类型：设备信息\n" +
		"使用目的：统计分析、推送信息\n" +
		"移动一键登录\n" +
		"官网链接：https://a.cn 第三方SDK名称：高德地图 公司全称：高德软件有限公司\n" +
		"使用目的：位置水印\n" +
		"</pre>"
	doc := mustRead(t, "policy.html", src)
	want := []Block{
		{Line: 1, Text: "四、我们产品所需的重要权限"},
		{Line: 2, Text: "下面是本应用程序请求的所有重要权限"},
		{Line: 3, Text: "1. 接听或拨打电话"},
		{Line: 4, Text: "来电秀的接听或者挂断电话需要该权限。"},
		{Line: 5, Text: "2. 互联网访问"},
		{Line: 6, Text: "来电秀将会使用网络以执行某些功能。"},
		{Line: 7, Text: "（14）中国移动插码SDK（Webtrends SDK）：为了了解您历史访问数据。"},
		{Line: 9, Text: "LicoLico接入的第三方SDK包括：友盟SDK"},
		{Line: 11, Text: "信息类型：设备信息"},
		{Line: 12, Text: "使用目的：统计分析、推送信息"},
		{Line: 13, Text: "移动一键登录官网链接：https://a.cn 第三方SDK名称：高德地图 公司全称：高德软件有限公司"},
		{Line: 15, Text: "使用目的：位置水印"},
	}
	if diff := cmp.Diff(want, doc.Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}

// Rows glued on one line are split in linear time, up to the cell budget,
// and a <pre> of many table lines is bounded by the same budget.
func TestReadHostileGluedRows(t *testing.T) {
	quick(t, "one line of 150k glued rows", func() {
		src := "a | b\n---|---\n" + strings.Repeat("x | y  ", 150000) + "\n"
		_, err := Read("g.md", []byte(src), Limits{})
		if err == nil || !strings.Contains(err.Error(), "more than 200000 cells") {
			t.Errorf("glued rows: %v", err)
		}
	})
	quick(t, "pre of 150k table lines", func() {
		src := "<pre>a | b\n---|---\n" + strings.Repeat("x | y\n", 150000) + "</pre>"
		_, err := Read("p.html", []byte(src), Limits{})
		if err == nil || !strings.Contains(err.Error(), "more than 200000 cells") {
			t.Errorf("pre table: %v", err)
		}
	})
}

// English prose wrapped at a fixed width is joined back into its
// sentences; short lines, list items and Chinese lines stay lines.
func TestReadTextJoinsHardWraps(t *testing.T) {
	src := "Privacy Policy\n" +
		"The Mobile Oxford app does not collect personal information. We do use Google\n" +
		"Analytics to collect general anonymous information about which screens are used\n" +
		"most frequently.\n" +
		"- a list item that is long enough to be wrapped at a fixed width, more or less\n" +
		"- another item\n" +
		"我们会收集您的设备信息用于保障账号安全和服务的正常运行这是一行很长的中文没有标点\n" +
		"第二行\n"
	d, err := Read("p.txt", []byte(src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range d.Blocks {
		got = append(got, fmt.Sprintf("%d:%s", b.Line, b.Text))
	}
	want := []string{
		"1:Privacy Policy",
		"2:The Mobile Oxford app does not collect personal information. We do use Google Analytics to collect general anonymous information about which screens are used most frequently.",
		"5:- a list item that is long enough to be wrapped at a fixed width, more or less",
		"6:- another item",
		"7:我们会收集您的设备信息用于保障账号安全和服务的正常运行这是一行很长的中文没有标点",
		"8:第二行",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
}
