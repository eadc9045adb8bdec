package policy

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
	"github.com/sdkaudit/sdkaudit/rules"
)

func lexicon(t testing.TB) *Lexicon {
	t.Helper()
	db, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return NewLexicon(db)
}

// textDoc makes a document of one block per line, as the text reader does.
func textDoc(lines ...string) *Document {
	d := &Document{Name: "t.txt", Format: "text", Encoding: "utf-8"}
	for i, l := range lines {
		d.Blocks = append(d.Blocks, Block{Line: i + 1, Text: l})
	}
	return d
}

// tableDoc is a document holding one table: a header row and rows of
// cells, each block's text its cells joined as the reader joins them.
func tableDoc(header []string, rows ...[]string) *Document {
	d := &Document{Name: "t.html", Format: "html", Encoding: "utf-8"}
	for i, cells := range append([][]string{header}, rows...) {
		d.Blocks = append(d.Blocks, Block{Line: i + 1, Table: 1, Header: i == 0, Cells: cells, Text: strings.Join(cells, " | ")})
	}
	return d
}

func ids(d *Declaration) (perms, data, sdks, vendors, unres, denials []string) {
	for _, p := range d.Permissions {
		perms = append(perms, strings.TrimPrefix(p.Name, "android.permission."))
	}
	for _, c := range d.DataCategories {
		data = append(data, c.ID)
	}
	for _, s := range d.SDKs {
		sdks = append(sdks, s.ID)
	}
	for _, v := range d.Vendors {
		vendors = append(vendors, v.ID)
	}
	for _, u := range d.Unresolved {
		unres = append(unres, u.Name)
	}
	for _, n := range d.Denials {
		denials = append(denials, n.Kind+":"+strings.TrimPrefix(n.ID, "android.permission."))
	}
	return
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestPermissionContextAndNegation(t *testing.T) {
	lx := lexicon(t)
	d := lx.Extract([]*Document{textDoc(
		"我们会在您授权后申请地理位置、通讯录、摄像头、麦克风等权限。",
		"如您拒绝接受短信营销，可以退订。",
		"我们会保存您与客服的通话记录。",
		"我们不会申请日历权限，也不会读取您的短信。",
		"We request access to your camera, microphone and precise location.",
		"We do not access your call logs.",
	)})
	perms, _, _, _, _, denials := ids(d)
	for _, want := range []string{"ACCESS_FINE_LOCATION", "READ_CONTACTS", "CAMERA", "RECORD_AUDIO"} {
		if !has(perms, want) {
			t.Errorf("missing %s in %v", want, perms)
		}
	}
	for _, not := range []string{"READ_SMS", "READ_CALL_LOG", "READ_CALENDAR", "RECEIVE_SMS"} {
		if has(perms, not) {
			t.Errorf("%s declared from a mention that is not about access: %v", not, perms)
		}
	}
	for _, want := range []string{"permission:READ_CALENDAR", "permission:READ_SMS", "permission:READ_CALL_LOG"} {
		if !has(denials, want) {
			t.Errorf("missing denial %s in %v", want, denials)
		}
	}
}

func TestVendorNarrowedByContext(t *testing.T) {
	lx := lexicon(t)
	d := lx.Extract([]*Document{textDoc(
		"为适配消息推送功能，我们会与华为、小米共享设备型号。",
		"实名认证时，我们会使用腾讯云提供的人脸识别服务。",
		"您可以使用百度账号进行小程序登录。",
		"我们与北京腾云天下科技有限公司共享统计信息。",
	)})
	_, _, sdks, vendors, _, _ := ids(d)
	for _, want := range []string{"huawei-push", "xiaomi-push", "tencent-cloud-faceid", "talkingdata-app-analytics"} {
		if !has(sdks, want) {
			t.Errorf("missing %s in %v", want, sdks)
		}
	}
	for _, not := range []string{"huawei-hms-core", "huawei-ads", "huawei-location", "bugly", "gdt-ylh", "baidu-location", "baidu-map"} {
		if has(sdks, not) {
			t.Errorf("%s declared by a vendor mention whose context does not fit: %v", not, sdks)
		}
	}
	if !has(vendors, "baidu") {
		t.Errorf("baidu must stay a vendor-level declaration: %v", vendors)
	}
}

func TestUnresolvedCompaniesKept(t *testing.T) {
	lx := lexicon(t)
	d := lx.Extract([]*Document{textDoc(
		"本产品由北京示例天下科技有限公司（以下简称“我们”）提供。",
		"我们会与第三方服务商（杭州示例风控科技有限公司、每日互动股份有限公司）共享设备信息用于消息推送。",
		"We share crash data with Example Analytics Inc. and with Google LLC.",
	)})
	_, _, sdks, _, unres, _ := ids(d)
	if !has(unres, "杭州示例风控科技有限公司") || !has(unres, "Example Analytics Inc.") {
		t.Errorf("unresolved third parties lost: %v", unres)
	}
	if has(unres, "北京示例天下科技有限公司") {
		t.Errorf("the operator is not a third party: %v", unres)
	}
	if has(unres, "Google LLC") {
		t.Errorf("a known vendor is not unresolved: %v", unres)
	}
	if !has(sdks, "getui-push") {
		t.Errorf("getui-push missing: %v", sdks)
	}
}

func TestOrdinaryWordNames(t *testing.T) {
	lx := lexicon(t)
	d := lx.Extract([]*Document{textDoc(
		"Adjust your notification settings at any time.",
		"You can adjust or branch out.",
		"We use Adjust and Firebase Crashlytics to measure installs and crashes.",
	)})
	_, _, sdks, _, _, _ := ids(d)
	if !has(sdks, "adjust") || !has(sdks, "firebase-crashlytics") {
		t.Errorf("want adjust and firebase-crashlytics, got %v", sdks)
	}
	if has(sdks, "branch") {
		t.Errorf("plain word 'branch' detected as an SDK: %v", sdks)
	}
}

func TestSDKTableRows(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "list.html", Format: "html", Blocks: []Block{
		{Line: 1, Text: "第三方SDK目录", Heading: 2},
		{Line: 3, Table: 1, Header: true, Cells: []string{"SDK名称", "第三方公司名称", "使用目的", "收集个人信息类型", "所需权限"}},
		{Line: 4, Table: 1, Cells: []string{"个推推送SDK", "每日互动股份有限公司", "消息推送", "设备标识符（IMEI、Android ID、OAID）、网络信息", "读取电话状态"}},
		{Line: 5, Table: 1, Cells: []string{"某某内部SDK", "杭州示例科技有限公司", "内部统计", "设备型号", "无"}},
		{Line: 6, Table: 1, Cells: []string{"高德定位", "高德软件有限公司", "定位", "精确位置信息", "位置权限"}},
		{Line: 8, Table: 2, Header: true, Cells: []string{"权限名称", "使用场景"}},
		{Line: 9, Table: 2, Cells: []string{"android.permission.RECORD_AUDIO", "语音消息"}},
	}}
	d := lx.Extract([]*Document{doc})
	byID := map[string]DeclaredSDK{}
	for _, s := range d.SDKs {
		byID[s.ID] = s
	}
	g, ok := byID["getui-push"]
	if !ok || g.How != "table" || g.Purpose != "消息推送" || !g.PerSDKData {
		t.Fatalf("getui-push row: %+v", g)
	}
	for _, want := range []string{"imei", "android-id", "oaid"} {
		if !has(g.Data, want) {
			t.Errorf("getui-push data %v lacks %s", g.Data, want)
		}
	}
	if !has(g.Permissions, "android.permission.READ_PHONE_STATE") {
		t.Errorf("getui-push permissions %v", g.Permissions)
	}
	perms, _, sdks, _, unres, _ := ids(d)
	if !has(unres, "某某内部SDK") {
		t.Errorf("unresolved row lost: %v (sdks %v)", unres, sdks)
	}
	if !has(perms, "RECORD_AUDIO") || !has(perms, "ACCESS_FINE_LOCATION") {
		t.Errorf("permissions from tables: %v", perms)
	}
	if !has(sdks, "amap-location") {
		t.Errorf("amap row: %v", sdks)
	}
}

func TestNothingRecognisedWarns(t *testing.T) {
	d := lexicon(t).Extract([]*Document{textDoc("Lorem ipsum dolor sit amet.")})
	if len(d.Warnings) != 1 {
		t.Fatalf("warnings: %v", d.Warnings)
	}
}

// The reference policy names its vendors by legal entity and brand inside
// prose; every vendor with a rule must resolve, and the permission sentence
// must give location, contacts, camera and microphone but not calendar,
// SMS or call log.
func TestReferencePolicy(t *testing.T) {
	path := testenv.Shared(t, "seed", "000_feac4a27d79445a3.txt")
	d, err := lexicon(t).Load([]string{path}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	perms, _, sdks, vendors, _, _ := ids(d)
	wantVendors := []string{"getui", "huawei", "xiaomi", "oppo", "vivo", "meizu", "talkingdata", "qiniu",
		"alibaba-cloud", "qinlizhizhao", "sobot", "7moor", "yazx", "shuzilm", "shumei", "weifangcheng",
		"tencent-cloud", "china-mobile"}
	for _, v := range wantVendors {
		if !has(vendors, v) {
			t.Errorf("vendor %s not resolved; vendors %v", v, vendors)
		}
	}
	wantSDKs := []string{"getui-push", "huawei-push", "xiaomi-push", "oppo-push", "vivo-push", "meizu-push",
		"talkingdata-app-analytics", "qiniu-storage", "sobot-customer-service", "shumei-device-fingerprint",
		"shuzilm-trusted-id", "tencent-cloud-faceid", "cmcc-number-auth"}
	for _, s := range wantSDKs {
		if !has(sdks, s) {
			t.Errorf("SDK %s not declared; sdks %v", s, sdks)
		}
	}
	// Services that run on the provider's side (logistics, virtual numbers,
	// the call centre, risk scoring) are recipients, not SDKs in the app:
	// they stay on their vendor.
	for _, s := range []string{"sf-express-logistics", "alibaba-cloud-privacy-number", "qinlizhizhao-virtual-number", "7moor-call-center", "yazx-risk-service"} {
		if has(sdks, s) {
			t.Errorf("server-side service %s declared as an SDK", s)
		}
		found := false
		for _, v := range d.Vendors {
			found = found || slices.Contains(v.SDKs, s)
		}
		if !found {
			t.Errorf("server-side service %s not kept on its vendor", s)
		}
	}
	for _, s := range []string{"bugly", "gdt-ylh", "huawei-ads", "huawei-location", "huawei-hms-core", "baidu-location", "umeng-analytics"} {
		if has(sdks, s) {
			t.Errorf("SDK %s declared but the policy does not name it", s)
		}
	}
	for _, p := range []string{"READ_CONTACTS", "CAMERA", "RECORD_AUDIO"} {
		if !has(perms, p) {
			t.Errorf("permission %s missing: %v", p, perms)
		}
	}
	if !has(perms, "ACCESS_FINE_LOCATION") && !has(perms, "ACCESS_COARSE_LOCATION") {
		t.Errorf("location missing: %v", perms)
	}
	for _, p := range []string{"READ_CALENDAR", "WRITE_CALENDAR", "READ_SMS", "RECEIVE_SMS", "SEND_SMS", "READ_CALL_LOG"} {
		if has(perms, p) {
			t.Errorf("permission %s must not be declared: %v", p, perms)
		}
	}
}

func TestDeclarationFileRoundTrip(t *testing.T) {
	lx := lexicon(t)
	src := lx.Extract([]*Document{textDoc(
		"为适配消息推送功能，我们会与每日互动股份有限公司共享设备标识符。",
		"您可以关闭摄像头、麦克风权限。",
		"我们与杭州示例风控科技有限公司合作。",
		"本政策由深圳市腾讯计算机系统有限公司（以下简称“我们”）制定。",
	)})
	if got := vendorIDs(src.Operators); !slices.Equal(got, []string{"tencent"}) {
		t.Errorf("operators %v, want [tencent]", got)
	}
	file := WriteDeclFile(src, "com.example.app")
	df, err := ParseDeclFile("decl.yaml", file, lx.db)
	if err != nil {
		t.Fatalf("extracted declaration does not check:\n%s\n%v", file, err)
	}
	back := df.Declaration("decl.yaml", file, lx)
	if diff := cmp.Diff(vendorIDs(src.Operators), vendorIDs(back.Operators)); diff != "" {
		t.Errorf("round trip changed the operators (-extracted +reloaded):\n%s\n%s", diff, file)
	}
	p1, d1, s1, _, u1, _ := ids(src)
	p2, d2, s2, _, u2, _ := ids(back)
	for _, pair := range [][2][]string{{p1, p2}, {d1, d2}, {s1, s2}, {u1, u2}} {
		a, b := append([]string{}, pair[0]...), append([]string{}, pair[1]...)
		sort.Strings(a)
		sort.Strings(b)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("round trip changed a list (-extracted +reloaded):\n%s\n%s", diff, file)
		}
	}
}

func vendorIDs(vs []DeclaredVendor) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

// A row that names the iOS app's permission declares no Android permission
// (PS147): the whole row is the sense of its cells.
func TestIOSPermissionInTableRow(t *testing.T) {
	lx := lexicon(t)
	d := tableDoc([]string{"Purpose", "Data used", "Legal basis"},
		[]string{"Show you the UV index for your location", "Location", "Your consent (the iOS location permission)"},
		[]string{"Send the notifications you enabled", "Push token, location", "Your consent (the iOS notification permission)"})
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{d}))
	for _, not := range []string{"ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "POST_NOTIFICATIONS"} {
		if has(perms, not) {
			t.Errorf("%s declared from a row about the iOS permission: %v", not, perms)
		}
	}
}

// 头条 inside 趣头条 in an SDK table's name cell names no ByteDance product
// (PN108 reaches table rows).
func TestNameSenseInTableRow(t *testing.T) {
	lx := lexicon(t)
	d := tableDoc([]string{"SDK名称", "使用目的", "收集信息", "公司名称"},
		[]string{"今日头条穿山甲广告", "广告", "手机设备信息", "北京字节跳动科技有限公司"},
		[]string{"趣头条推送", "消息推送", "手机设备信息、消息通知", "上海基分文化传播有限公司"})
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{d}))
	if !has(sdks, "pangle-csj") || has(sdks, "volcengine-gmp-push") {
		t.Errorf("want Pangle and no ByteDance push from 趣头条推送: %v", sdks)
	}
}

func TestDeclarationFileErrors(t *testing.T) {
	db, _ := rules.Embedded()
	for _, tc := range []struct {
		in, want string
	}{
		{"schema: sdkaudit-declaration/1\npermisions: []\n", "permisions"},
		{"schema: sdkaudit-declaration/1\nsdks:\n  - id: getui\n", "decl.yaml:3: unknown SDK id \"getui\""},
		{"schema: sdkaudit-declaration/1\ndata_categories:\n  - imei\n  - location\n", "decl.yaml:4: unknown data category"},
		{"schema: sdkaudit-declaration/1\npermissions:\n  - CAMERA\n", "decl.yaml:3: unknown permission"},
		{"schema: other/2\n", "decl.yaml:1: schema"},
		{"schema: sdkaudit-declaration/1\nsdks:\n  - purpose: x\n", "needs an id"},
		{"schema: sdkaudit-declaration/1\noperators:\n  - 示例科技\n", "decl.yaml:3: unknown vendor"},
	} {
		_, err := ParseDeclFile("decl.yaml", []byte(tc.in), db)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.in, err, tc.want)
		}
	}
}

// Permissions named only as what a future change would need, or as the
// examples of a hedged "may need" list, are not declared.
func TestHypotheticalDeclaresNothing(t *testing.T) {
	lx := lexicon(t)
	d := lx.Extract([]*Document{textDoc(
		"如果更新的内容需要采集您的通讯录、地理位置等个人敏感信息，仍会再次以显著方式征求您的同意。",
		"我们在提供服务的过程中，可能需要您开通一些设备权限，例如通知、相册、相机、蓝牙访问权限。",
		"为扫码登录，我们会申请相机权限。",
	)})
	perms, _, _, _, _, _ := ids(d)
	if !has(perms, "CAMERA") {
		t.Errorf("CAMERA missing from %v", perms)
	}
	for _, not := range []string{"READ_CONTACTS", "ACCESS_FINE_LOCATION", "POST_NOTIFICATIONS", "BLUETOOTH_CONNECT", "READ_MEDIA_IMAGES"} {
		if has(perms, not) {
			t.Errorf("%s declared from a hypothetical mention: %v", not, perms)
		}
	}
}

// A vendor's map brand named for positioning only is its location SDK;
// the map SDK's full name, or a map use, keeps the map SDK.
func TestMapBrandForLocation(t *testing.T) {
	lx := lexicon(t)
	for _, c := range []struct {
		text, want, not string
	}{
		{"第三方SDK名称：高德地图 用途：用于提供精准定位服务", "amap-location", "amap-map"},
		{"我们使用了百度地图定位SDK，需要采集您的经纬度信息。", "baidu-location", "baidu-map"},
		{"第三方SDK名称：高德地图 用途：在地图上展示门店位置", "amap-map", "amap-location"},
		{"百度地图SDK会用到GPS定位，获取用户的位置。", "baidu-map", "baidu-location"},
	} {
		_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(c.text)}))
		if !has(sdks, c.want) || has(sdks, c.not) {
			t.Errorf("%s: got %v, want %s and not %s", c.text, sdks, c.want, c.not)
		}
	}
}

// A payment product's name before 账号 is the user's account with the
// service; product words that finish the matched product's own name do
// not turn it into a sibling.
func TestPaymentAccountAndOwnProductWords(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"提现时我们可能会收集您的第三方支付账号，例如微信支付账号。",
		"第三方SDK名称：友盟+统计分析SDK 用途：提供统计分析服务",
	)}))
	if has(sdks, "wechat-pay") {
		t.Errorf("wechat-pay declared from the user's payment account: %v", sdks)
	}
	if !has(sdks, "umeng-analytics") || has(sdks, "umeng-apm") {
		t.Errorf("友盟+统计分析SDK: got %v, want umeng-analytics only", sdks)
	}
}

// A vocabulary word that is a label of a host name (VoIP.ms) names a
// service, not a permission; a permission literal keeps its last word.
func TestWordInHostName(t *testing.T) {
	lx := lexicon(t)
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"This allows the app to request the new message from VoIP.ms and display a notification for it.",
		"权限：ohos.permission.MICROPHONE，使用麦克风录制音频。",
	)}))
	if has(perms, "USE_SIP") {
		t.Errorf("USE_SIP declared from a host name: %v", perms)
	}
	if !has(perms, "RECORD_AUDIO") {
		t.Errorf("RECORD_AUDIO missing: %v", perms)
	}
}

// A channel SDK's row whose link cell lists the policies of the SDKs it
// brings along declares them; a row's purpose names an umbrella's parts.
func TestSDKRowLinkLabelsAndParts(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "list.html", Format: "html", Blocks: []Block{
		{Line: 1, Table: 1, Header: true, Cells: []string{"第三方名称", "公司", "使用目的", "收集类型", "第三方隐私政策链接"}},
		{Line: 2, Table: 1, Cells: []string{"华为游戏服务SDK", "华为技术有限公司", "登录、支付", "设备信息", "华为推送隐私政策：https://example.com/p"}},
		{Line: 3, Table: 1, Cells: []string{"微信SDK", "腾讯科技（深圳）有限公司", "登录、支付、分享", "设备信息", ""}},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc}))
	for _, want := range []string{"huawei-push", "wechat-opensdk", "wechat-pay"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
}

// Every alternative of the negation pattern holds a trigger, so the
// prefilter in negationEnd never hides a negation.
func TestNegationTriggersCoverPattern(t *testing.T) {
	src := negationRe.String()
	if !strings.HasPrefix(src, "(") || !strings.HasSuffix(src, ")") {
		t.Fatalf("negationRe is not one group: %s", src)
	}
	src = src[1 : len(src)-1]
	depth, start := 0, 0
	var alts []string
	for i, r := range src {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth == 0 {
				alts = append(alts, src[start:i])
				start = i + 1
			}
		}
	}
	alts = append(alts, src[start:])
	for _, a := range alts {
		if !containsAny(a, negationTriggers) {
			t.Errorf("alternative %q has no trigger", a)
		}
	}
}

// Names that mean someone else's product here: the app's own name in the
// opening sentence, a shared alias with another owner, a cloud brand, a
// vendor in a policy pointer or in a list of verification bodies.
func TestNamesOfOtherOwners(t *testing.T) {
	lx := lexicon(t)
	for _, c := range []struct {
		lines []string
		want  string
		not   []string
	}{
		{[]string{"权限说明", "在您使用TIM服务的过程中，我们访问您的各项权限是为了向您提供服务。", "为保障您正常使用TIM服务，我们需要访问您的存储权限。"}, "", []string{"tencent-im"}},
		{[]string{"5.华为获取oaid SDK，用途：向用户提供个性化的商业广告，收集个人信息类型：常用设备信息"}, "", []string{"msa-oaid"}},
		{[]string{"我们集成了OAID SDK（移动安全联盟），用于获取设备标识符。"}, "msa-oaid", nil},
		{[]string{"移动安全技术服务商。其“可信ID”能够解决APP推广过程中的数据不透明。"}, "", []string{"shuzilm-trusted-id"}},
		{[]string{"我们接入了数盟可信ID SDK，收集设备信息用于反作弊。"}, "shuzilm-trusted-id", nil},
		{[]string{"移动SDK | 一键登录 | 网络状态、IMSI"}, "cmcc-number-auth", nil},
		{[]string{"为找回账号，我们会收集您填写的信息（密保问题、紧急联系人、QQ、微信号、微博昵称）。"}, "", []string{"qq-connect"}},
		{[]string{"我们集成了友盟移动SDK用于统计。"}, "", []string{"cmcc-number-auth"}},
		{[]string{"作业帮APP集成北京百度网讯科技有限公司的百度智能云SDK，以用于提供基于HTTPDNS服务的域名解析功能。"}, "", []string{"baidu-bos"}},
		{[]string{"供应商需将上述信息提供给合法存有您个人信息的第三方机构（有关政府部门、电信运营商、中国银联、支付宝）进行比对核验。"}, "", []string{"unionpay-uppay"}},
		{[]string{"为便于您了解【MobTech】采集的数据类型及用途，您可以登陆其网站了解【MobTech】隐私权政策。"}, "", []string{"mobtech-common"}},
	} {
		_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(c.lines...)}))
		if c.want != "" && !has(sdks, c.want) {
			t.Errorf("%q: %s missing from %v", c.lines, c.want, sdks)
		}
		for _, n := range c.not {
			if has(sdks, n) {
				t.Errorf("%q: %s declared: %v", c.lines, n, sdks)
			}
		}
	}
}

// SDK-list shapes: two names joined by 和, SDKs a row says its SDK brings
// along, and a record with a website line between its fields.
func TestSDKListShapes(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"并使用神策SDK和友盟SDK来分析具体问题。",
		"SDK名称：腾讯浏览服务",
		"公司名称：腾讯科技（深圳）有限公司",
		"SDK官网：https://x5.example.com/",
		"使用目的：APP内网页加载展示",
		"SDK名称：友盟+SDK",
		"公司名称：友盟同欣（北京）科技有限公司",
		"SDK官网：https://www.example.com/",
		"使用目的：友盟数据统计",
		"第三方SDK名称：Bugly 用途：用于应用升级 收集的个人信息类型：设备信息 第三方SDK名称：高德地图 用途：用于提供精准定位服务 收集的个人信息类型：位置信息",
	)}))
	for _, want := range []string{"sensors-analytics", "tencent-x5", "umeng-analytics", "bugly-beta", "amap-location"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
	doc := &Document{Name: "list.html", Format: "html", Blocks: []Block{
		{Line: 1, Table: 1, Header: true, Cells: []string{"SDK名称", "公司", "使用目的", "收集类型", "隐私政策链接"}},
		{Line: 2, Table: 1, Cells: []string{"YSDK", "深圳市腾讯计算机系统有限公司", "登录、支付", "设备信息", "https://example.com/p YSDK集成的SDK含有：腾讯开放平台、腾讯QQ钱包"}},
	}}
	_, _, sdks, _, _, _ = ids(lx.Extract([]*Document{doc}))
	for _, want := range []string{"qq-connect", "qq-wallet"} {
		if !has(sdks, want) {
			t.Errorf("bundled %s missing from %v", want, sdks)
		}
	}
}

// A page that shows a Markdown pipe table as text, one row a paragraph,
// is read as a table: its permission column declares, with Android's own
// permission labels.
func TestPipeParagraphTable(t *testing.T) {
	lx := lexicon(t)
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"我们接入的权限包括： 申请的权限 | 业务功能",
		"---|---",
		"写外部存储器（如：SD卡） | 保存用户头像",
		"连接网络（2G或3G） | 领取金币",
		"接收开机启动广播 | 确保计步的准确性",
		"结束系统任务 | 节省内存",
		"移除快捷方式 | 移除不必要的桌面快捷方式",
	)}))
	for _, want := range []string{"WRITE_EXTERNAL_STORAGE", "INTERNET", "RECEIVE_BOOT_COMPLETED", "KILL_BACKGROUND_PROCESSES", "com.android.launcher.permission.UNINSTALL_SHORTCUT"} {
		if !has(perms, want) {
			t.Errorf("%s missing from %v", want, perms)
		}
	}
	if has(perms, "com.android.launcher.permission.INSTALL_SHORTCUT") {
		t.Errorf("removing a shortcut declared installing one: %v", perms)
	}
}

// A long paragraph a converter underlined as a heading sets no section
// (its 不使用 must not negate the SDK list after it), and "==== 九、…"
// starts the next section.
func TestHeadingShapes(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.html", Format: "html", Blocks: []Block{
		{Line: 1, Heading: 1, Text: "七、隐私政策的更新 7.1 我们鼓励您在每次使用我们的服务时都查阅我们的隐私政策。如您不同意更新后的隐私政策内容，您应不使用或立即停止使用本平台服务。"},
		{Line: 2, Text: "========== 九、第三方 SDK信息公示"},
		{Line: 3, Text: "1、支付宝支付SDK 信息获取：设备号、IP地址 使用目的：支付"},
		{Line: 4, Text: "6、友盟统计分析组件SDK 信息获取：Mac地址 使用目的：数据统计"},
		{Line: 5, Text: "9、阿里移动Api 网关 SDK 让用户app的网络更加安全可靠。"},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc}))
	for _, want := range []string{"alipay-sdk", "umeng-analytics"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
	for _, not := range []string{"umeng-common", "alibaba-security-guard"} {
		if has(sdks, not) {
			t.Errorf("%s declared: %v", not, sdks)
		}
	}
}

// English and list shapes: a bare tracker list, the store the app comes
// from, an umbrella's bare name after its part, artifact names written
// with spaces; a permission list whose lead-in says refusing costs
// nothing; a vendor's unknown product in a row.
func TestListsAndLeadIns(t *testing.T) {
	lx := lexicon(t)
	perms, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"This policy covers versions distributed via Google Play.",
		"* [Flurry](https://example.com/flurry)",
		"* [Localytics](https://example.com/localytics)",
		"Firebase Analytics (Google): We use Firebase to understand how users interact with our app.",
		"`Play services ads identifier`: reads the advertising ID.",
		"本软件可能获取您终端设备的如下权限，当然您可以拒绝开启以下权限，关闭以下权限不会影响您对本软件其他功能的使用：",
		"访问相机：您可以使用摄像头扫码进行扫一扫；",
		"开启护眼模式：您在开启护眼模式后会添加护眼模式的悬浮窗，并需要获取您的进程列表保证悬浮窗的状态。",
	)}))
	for _, want := range []string{"flurry", "localytics-sdk", "firebase-analytics", "google-ads-identifier"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
	for _, not := range []string{"firebase-common", "google-mlkit-face"} {
		if has(sdks, not) {
			t.Errorf("%s declared: %v", not, sdks)
		}
	}
	for _, want := range []string{"CAMERA", "SYSTEM_ALERT_WINDOW", "GET_TASKS"} {
		if !has(perms, want) {
			t.Errorf("%s missing from %v", want, perms)
		}
	}
	doc := &Document{Name: "list.txt", Format: "text", Blocks: []Block{
		{Line: 1, Table: 1, Header: true, Cells: []string{"SDK名称", "使用目的", "收集信息", "隐私政策链接"}},
		{Line: 2, Table: 1, Cells: []string{"腾讯RTMP推流sdk(腾讯视频通信功能、腾讯云短视频sdk)", "直播、连麦", "详见右侧链接。", "https://example.com/p"}},
	}}
	_, _, sdks, _, _, _ = ids(lx.Extract([]*Document{doc}))
	if has(sdks, "tencent-gvoice") {
		t.Errorf("an unknown Tencent product read as GVoice: %v", sdks)
	}
}

// A hyphenated name's tail is no SDK: U-Share SDK is not ShareSDK.
func TestHyphenatedNameTail(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"为了向您提供一键分享服务，我们的产品集成友盟+ U-Share SDK，将收集您的设备标识信息。",
		"第三方SDK名称：Share SDK 用途：分享",
	)}))
	if !has(sdks, "sharesdk") || !has(sdks, "umeng-share") {
		t.Errorf("want sharesdk (from Share SDK) and umeng-share: %v", sdks)
	}
}

// A row named by a kind of SDK takes its company's product of that kind;
// product words that name a function pick the module, not its base.
func TestGenericRowNamesAndModules(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "list.html", Format: "html", Blocks: []Block{
		{Line: 1, Table: 1, Header: true, Cells: []string{"SDK名称", "公司名称", "使用目的"}},
		{Line: 2, Table: 1, Cells: []string{"号码认证SDK", "阿里云计算有限公司", "一键登录"}},
		{Line: 3, Table: 1, Cells: []string{"京东支付 SDK", "京东科技控股股份有限公司", "支付"}},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc, textDoc("我们使用第三方极光站内消息PUSH SDK向您发送阈值提醒信息")}))
	for _, want := range []string{"aliyun-number-auth", "jpush"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
	for _, not := range []string{"jd-kepler", "jiguang-jcore"} {
		if has(sdks, not) {
			t.Errorf("%s declared: %v", not, sdks)
		}
	}
}

// A short title naming a capability, then a paragraph asking for "此权限",
// declares that permission; permission wordings of Chinese policies.
func TestTitledPermissionAndWordings(t *testing.T) {
	lx := lexicon(t)
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"6.Xiu浏览器的麦克风使用",
		"当您使用语音助手功能时，应用将会向您申请此权限来提供对应功能。",
		"8.Xiu浏览器的悬浮于其他应用之上",
		"当您窗口化、小窗视频播放功能时，应用将会申请此权限。",
		"我们需要获取您的应用程序任务次序变更权限。",
		"我们会获取您的安装权限，用于应用内升级。",
		"为查询是否安装了对应应用，我们会获取您的应用列表权限。",
	)}))
	for _, want := range []string{"RECORD_AUDIO", "SYSTEM_ALERT_WINDOW", "REORDER_TASKS", "REQUEST_INSTALL_PACKAGES", "QUERY_ALL_PACKAGES"} {
		if !has(perms, want) {
			t.Errorf("%s missing from %v", want, perms)
		}
	}
	if has(perms, "com.android.permission.GET_INSTALLED_APPS") {
		t.Errorf("a ROM permission declared from the AOSP wording: %v", perms)
	}
}

// Words of an unknown product that fit three or more of the vendor's
// products pick none of them.
func TestUnknownProductFitsMany(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, vendors, _, _ := ids(lx.Extract([]*Document{textDoc("腾讯云 互动直播 SDK")}))
	for _, not := range []string{"tencent-gme", "tencent-im", "tencent-trtc"} {
		if has(sdks, not) {
			t.Errorf("%s guessed: %v", not, sdks)
		}
	}
	if !has(vendors, "tencent-cloud") {
		t.Errorf("the vendor is not kept: %v", vendors)
	}
}

// A base module named bare for one of its parts' purposes is that part;
// cash paid out through a payment service is no SDK.
func TestBareBaseAndPayouts(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "list.html", Format: "html", Blocks: []Block{
		{Line: 1, Table: 1, Header: true, Cells: []string{"SDK名称", "收集信息", "使用目的", "公司"}},
		{Line: 2, Table: 1, Cells: []string{"极光", "IMEI", "推送消息", "深圳市和讯华谷信息技术有限公司"}},
		{Line: 3, Table: 1, Cells: []string{"友盟SDK", "IMEI", "统计用户数量", "友盟同欣（北京）科技有限公司"}},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc, textDoc("当您使用提现功能，通过支付宝进行提现时，我们会收集您的姓名和支付宝账号。")}))
	for _, want := range []string{"jpush", "umeng-common", "umeng-analytics"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
	for _, not := range []string{"jiguang-jcore", "alipay-sdk"} {
		if has(sdks, not) {
			t.Errorf("%s declared: %v", not, sdks)
		}
	}
}

// Run-on clauses joined by "；" are read one by one; a Latin word run onto
// a brand names its product; permission names of other namespaces are
// exact; permission wordings of game policies.
func TestRunOnsGluedProductsAndNamespaces(t *testing.T) {
	lx := lexicon(t)
	perms, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"第三方SDK“友盟push”为优化体验，缓存数据，需获取使用访问SD卡权限；第三方SDK“支付宝、微信、友盟”为根据用户网络状态提供相应服务，需获取使用访问网络状态权限；第三方SDK“小米、oppo、huawei、vivo”为推送，用于消息推送。",
		"当您使用视频播放时，我们通过第三方SDK七牛PCDN来优化您的播放体验。",
		"- **com.htc.launcher.permission.READ_SETTINGS**",
		"- **com.google.android.gms.permission.AD_ID**",
		"我们将获取强制退出后台进程权限，来正常使用我们产品的退出功能。",
	)}))
	for _, want := range []string{"umeng-push", "huawei-push", "vivo-push"} {
		if !has(sdks, want) {
			t.Errorf("%s missing from %v", want, sdks)
		}
	}
	if has(sdks, "qiniu-storage") {
		t.Errorf("七牛PCDN read as Qiniu storage: %v", sdks)
	}
	for _, want := range []string{"com.htc.launcher.permission.READ_SETTINGS", "com.google.android.gms.permission.AD_ID", "KILL_BACKGROUND_PROCESSES"} {
		if !has(perms, want) {
			t.Errorf("%s missing from %v", want, perms)
		}
	}
	if has(perms, "com.android.launcher.permission.READ_SETTINGS") {
		t.Errorf("HTC's launcher permission read as the AOSP launcher's: %v", perms)
	}
}

// A definition list's label and value on separate lines read as one field.
func TestDefinitionListRecord(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"极光推送",
		"第三方名称：",
		"极光",
		"使用目的：",
		"用于推送通知消息，如设备报警消息",
		"收集个人信息类型：",
		"设备标识符、设备硬件信息",
	)}))
	if !has(sdks, "jpush") || has(sdks, "jiguang-jcore") {
		t.Errorf("want jpush and not jiguang-jcore: %v", sdks)
	}
}

// A vendor named for crash statistics is its crash product: 统计 fits every
// analytics product, 崩溃 only one.
func TestNarrowerKindWins(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc("目前我们的统计崩溃日志服务由腾讯科技（深圳）有限公司提供，我们会接入腾讯的SDK，他们会通过SDK收集您的IMEI信息。")}))
	if !has(sdks, "bugly") {
		t.Errorf("bugly missing from %v", sdks)
	}
}

// 服务类型 is a record's purpose line.
func TestServiceTypeIsPurpose(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"使用SDK名称：友盟SDK",
		"服务类型：使用数据分析",
		"收集个人信息类型：设备信息（IMEI/MAC/Android ID）",
		"隐私权政策链接：https://example.com/policy",
	)}))
	if !has(sdks, "umeng-analytics") {
		t.Errorf("umeng-analytics missing from %v", sdks)
	}
}

// A vendor named for a purpose means its current product, not one it
// discontinued.
func TestDiscontinuedNotNarrowedTo(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc("腾讯广告SDK之外，我们还与腾讯合作进行广告投放，腾讯会收集您的设备标识信息用于广告投放。")}))
	if has(sdks, "tencent-mobwin") {
		t.Errorf("a discontinued ad SDK read from the vendor's name: %v", sdks)
	}
}

// Items under an iOS permission heading are the iOS app's.
func TestIOSHeading(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Heading: 2, Text: "iOS权限"},
		{Line: 2, Text: "您使用签到功能时，我们需要获取您的日历权限，来保证签到日期与系统日期相同。"},
		{Line: 3, Heading: 2, Text: "Android权限"},
		{Line: 4, Text: "您使用扫一扫时，我们需要获取您的相机权限。"},
	}}
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if has(perms, "READ_CALENDAR") || !has(perms, "CAMERA") {
		t.Errorf("want CAMERA and not READ_CALENDAR: %v", perms)
	}
}

// A base named bare in a document that names its parts stands for them;
// named with SDK it is the base itself.
func TestBareBaseInDocument(t *testing.T) {
	lx := lexicon(t)
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"We use Firebase Analytics and Firebase Crashlytics.",
		"Information collected by Firebase may also be used to improve the performance of our apps.",
	)}))
	if has(sdks, "firebase-common") || !has(sdks, "firebase-analytics") {
		t.Errorf("want firebase-analytics and not firebase-common: %v", sdks)
	}
	_, _, sdks, _, _, _ = ids(lx.Extract([]*Document{textDoc("SDK名称：友盟SDK 用途：统计分析", "我们使用了友盟统计分析SDK。")}))
	if !has(sdks, "umeng-common") {
		t.Errorf("友盟SDK names the base: %v", sdks)
	}
}

// A record about a permission ("Ø系统设置" over 对应业务功能 / 调用目的 /
// 获取权限方式) names a permission, not a third party; under an iOS
// lead-in its records are the iOS app's.
func TestPermissionRecords(t *testing.T) {
	lx := lexicon(t)
	perms, _, _, _, unres, _ := ids(lx.Extract([]*Document{textDoc(
		"安卓系统调用的设备权限如下：",
		"Ø网络",
		"对应业务功能:游戏运行",
		"调用目的：游戏需联网方可连接到服务器上正常运行。",
		"获取权限方式：首次安装APP时向您申请。",
		"Ø系统设置",
		"对应业务功能:游戏运行；",
		"调用目的：读写系统设置，以便游戏提供合理的屏幕亮度。",
		"获取权限方式：首次安装APP时向您申请。",
		"iOS系统调用的设备权限如下：",
		"Ø日历",
		"对应业务功能:游戏直播；",
		"调用目的：玩家使用直播插件进行游戏画面直播；",
		"获取权限方式：首次使用直播插件时向系统进行申请。",
	)}))
	if !has(perms, "INTERNET") || !has(perms, "WRITE_SETTINGS") || has(perms, "READ_CALENDAR") {
		t.Errorf("want INTERNET and WRITE_SETTINGS, not READ_CALENDAR: %v", perms)
	}
	if len(unres) != 0 {
		t.Errorf("permission records read as third parties: %v", unres)
	}
}

// A table of how often each item is collected (信息名称：IMEI / 收集主体：…)
// is about data items: the item is no third party, and the last field of
// one record ("收集频次：最高8次/分钟") names no next one.
func TestDataItemRecords(t *testing.T) {
	lx := lexicon(t)
	_, data, sdks, _, unres, _ := ids(lx.Extract([]*Document{textDoc(
		"信息收集频次公示表",
		"信息名称：IMEI",
		"使用目的：安全运行与风险验证",
		"收集主体：当前APP、腾讯Bugly",
		"收集频次（以正常使用、浏览APP为前提）：最高8次/分钟",
		"信息名称：IP地址",
		"使用目的：内容推荐",
		"收集主体：当前APP、快手广告SDK",
		"收集频次（以正常使用、浏览APP为前提）：最高38次/分钟",
	)}))
	if len(unres) != 0 {
		t.Errorf("data items or record fields read as third parties: %v", unres)
	}
	if !has(data, "imei") || !has(data, "ip") || !has(sdks, "bugly") {
		t.Errorf("want imei, ip and bugly: data %v sdks %v", data, sdks)
	}
}

// A section whose first line says its feature was removed is history.
func TestRemovedSection(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Heading: 1, Text: "Privacy"},
		{Line: 2, Text: "The app uses Firebase Analytics."},
		{Line: 3, Heading: 2, Text: "Automatic crash reports"},
		{Line: 4, Text: "This was removed in version v2.57+"},
		{Line: 5, Text: "The app uses Bugsnag for automatic crash reports."},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if has(sdks, "bugsnag") || !has(sdks, "firebase-analytics") {
		t.Errorf("want firebase-analytics and not bugsnag: %v", sdks)
	}
}

// A heading over a denial ("## Network Access" / "The app DOES NOT:")
// names what is denied, not a permission the app asks for.
func TestHeadingOverDenial(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Heading: 2, Text: "Network Access"},
		{Line: 2, Text: "Joystick Launcher DOES NOT:"},
		{Line: 3, Text: "Require internet connection"},
		{Line: 4, Heading: 2, Text: "Camera"},
		{Line: 5, Text: "The app uses the camera to scan codes."},
	}}
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if has(perms, "INTERNET") || !has(perms, "CAMERA") {
		t.Errorf("want CAMERA and not INTERNET: %v", perms)
	}
}

// A brand said once over a list of its products' short names declares
// each product, and the brand alone is no base module.
func TestBrandOverItsProducts(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Text: "We use these services to power mobile features:"},
		{Line: 2, Text: "Firebase (Google):"},
		{Line: 3, Text: "Analytics (anonymized usage data)"},
		{Line: 4, Text: "Cloud Messaging (push notifications)"},
		{Line: 5, Text: "Google Gemini API: AI-powered content"},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if has(sdks, "firebase-common") || !has(sdks, "firebase-analytics") || !has(sdks, "firebase-messaging") {
		t.Errorf("want firebase-analytics and firebase-messaging, not firebase-common: %v", sdks)
	}
}

// A table row named only by a vendor ("腾讯SDK") is the product its
// purpose cell names.
func TestVendorRowNamedByPurpose(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Table: 1, Header: true, Cells: []string{"第三方名称", "第三方需要申请的权限", "第三方提供的功能", "第三方收集的个人信息"}, Text: "第三方名称 | 第三方需要申请的权限 | 第三方提供的功能 | 第三方收集的个人信息"},
		{Line: 2, Table: 1, Cells: []string{"阿里SDK", "获取设备信息", "阿里支付", "手机设备信息"}, Text: "阿里SDK | 获取设备信息 | 阿里支付 | 手机设备信息"},
		{Line: 3, Table: 1, Cells: []string{"腾讯SDK", "获取设备信息", "腾讯云移动直播", "手机设备信息"}, Text: "腾讯SDK | 获取设备信息 | 腾讯云移动直播 | 手机设备信息"},
	}}
	_, _, sdks, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if !has(sdks, "alipay-sdk") || !has(sdks, "tencent-trtc") || has(sdks, "tencent-gvoice") {
		t.Errorf("want alipay-sdk and tencent-trtc, not tencent-gvoice: %v", sdks)
	}
}

// A heading under a heading about permissions names one of them; the text
// under it keeps its own sense.
func TestHeadingsUnderPermissions(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Heading: 3, Text: "Sipdroid requests the following permissions on startup:"},
		{Line: 2, Heading: 4, Text: "Contacts"},
		{Line: 3, Text: "Used for displaying contact names, and for adding names to missed call notifications."},
		{Line: 4, Heading: 3, Text: "About us"},
		{Line: 5, Heading: 4, Text: "Phone"},
	}}
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if !has(perms, "READ_CONTACTS") || has(perms, "POST_NOTIFICATIONS") || has(perms, "READ_PHONE_STATE") {
		t.Errorf("want READ_CONTACTS only: %v", perms)
	}
}

// Only a lead-in's own sentence decides whether the list after it is
// denied: a paragraph that said 不再收集 before "您可在以下情形…：" still
// introduces what is used.
func TestLeadInSentenceDecides(t *testing.T) {
	lx := lexicon(t)
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{textDoc(
		"当您取消该授权后，我们将不再收集该信息。您可在以下情形自主选择是否提供个人信息：",
		"",
		"4）基于电话权限的相关功能：我们会向您申请电话权限以获得IMEI。",
	)}))
	if !has(perms, "READ_PHONE_STATE") {
		t.Errorf("want READ_PHONE_STATE: %v", perms)
	}
}

// A table of permissions the line before it says were removed lists
// denials, literal names included; an iOS lead-in "IOS方面：" scopes what
// follows to the iOS app.
func TestRemovedPermissionTable(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Text: "Versions 0.9.* of the app contained the following permissions (removed in v0.10.0):"},
		{Line: 2, Table: 1, Header: true, Cells: []string{"Permission", "", "Version"}, Text: "Permission |  | Version"},
		{Line: 3, Table: 1, Cells: []string{"READ_CALENDAR", "To interact with the Calendar app.", "v0.9.0"}, Text: "READ_CALENDAR | To interact with the Calendar app. | v0.9.0"},
		{Line: 4, Text: "IOS方面："},
		{Line: 5, Text: "我们会在您授权后获取广告追踪权限以获取IDFA。"},
	}}
	d := lx.Extract([]*Document{doc})
	perms, _, _, _, _, _ := ids(d)
	if has(perms, "READ_CALENDAR") || has(perms, "AD_ID") {
		t.Errorf("want neither READ_CALENDAR nor AD_ID: %v", perms)
	}
	denied := false
	for _, dn := range d.Denials {
		denied = denied || strings.HasSuffix(dn.ID, "READ_CALENDAR")
	}
	if !denied {
		t.Errorf("READ_CALENDAR is not recorded as denied: %+v", d.Denials)
	}
}

// An item headed 设备信息 in a list of permissions is the phone-state
// permission; a data item 设备信息 elsewhere is only data.
func TestDeviceInfoPermissionItem(t *testing.T) {
	lx := lexicon(t)
	doc := &Document{Name: "p.md", Format: "markdown", Blocks: []Block{
		{Line: 1, Heading: 3, Text: "三、可能需要开启的权限"},
		{Line: 2, Text: "存储权限。使用文件存储权限以实现信息的本地保存。"},
		{Line: 3, Text: "设备信息。用于根据不同的设备和系统版本来提供不同的功能和体验。"},
		{Line: 4, Heading: 3, Text: "四、我们收集的信息"},
		{Line: 5, Text: "设备信息。例如，设备型号、操作系统版本。"},
	}}
	perms, _, _, _, _, _ := ids(lx.Extract([]*Document{doc}))
	if !has(perms, "READ_PHONE_STATE") {
		t.Errorf("want READ_PHONE_STATE: %v", perms)
	}
	doc.Blocks = doc.Blocks[3:]
	perms, _, _, _, _, _ = ids(lx.Extract([]*Document{doc}))
	if has(perms, "READ_PHONE_STATE") {
		t.Errorf("a data item declared the permission: %v", perms)
	}
}
