package policy

import (
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// t2sVocabPairs are vocabulary words as a policy from Taiwan or Hong Kong
// writes them, with the folded form the matcher sees.
var t2sVocabPairs = []struct{ trad, want string }{
	// permissions and device data
	{"個人資料", "个人信息"},
	{"個人資訊", "个人信息"},
	{"個人信息", "个人信息"},
	{"權限", "权限"},
	{"相機", "相机"},
	{"相機權限", "相机权限"},
	{"攝像頭", "摄像头"},
	{"攝影機", "摄影机"},
	{"麥克風", "麦克风"},
	{"錄音", "录音"},
	{"通訊錄", "通讯录"},
	{"聯絡人", "联系人"},
	{"聯繫人", "联系人"},
	{"位置", "位置"},
	{"位置資訊", "位置信息"},
	{"精確位置", "精确位置"},
	{"大致位置", "大致位置"},
	{"地理位置", "地理位置"},
	{"經緯度", "经纬度"},
	{"定位", "定位"},
	{"定位權限", "定位权限"},
	{"背景定位", "背景定位"},
	{"簡訊", "短信"},
	{"簡訊內容", "短信内容"},
	{"讀取簡訊", "读取短信"},
	{"傳送簡訊", "传送短信"},
	{"通話紀錄", "通话记录"},
	{"通話記錄", "通话记录"},
	{"電話", "电话"},
	{"撥打電話", "拨打电话"},
	{"手機號碼", "手机号码"},
	{"電話號碼", "电话号码"},
	{"行事曆", "日历"},
	{"日曆", "日历"},
	{"推播", "推送"},
	{"推播通知", "推送通知"},
	{"儲存", "存储"},
	{"儲存空間", "存储空间"},
	{"外部儲存", "外部存储"},
	{"讀寫儲存", "读写存储"},
	{"相簿", "相册"},
	{"相冊", "相册"},
	{"照片", "照片"},
	{"影片", "视频"},
	{"視訊", "视频"},
	{"視頻", "视频"},
	{"音訊", "音频"},
	{"裝置", "设备"},
	{"裝置資訊", "设备信息"},
	{"裝置識別碼", "设备识别码"},
	{"裝置型號", "设备型号"},
	{"設備資訊", "设备信息"},
	{"行動裝置", "移动设备"},
	{"應用程式", "应用程序"},
	{"應用程式列表", "应用程序列表"},
	{"已安裝的應用程式", "已安装的应用程序"},
	{"應用列表", "应用列表"},
	{"剪貼簿", "剪切板"},
	{"剪貼板", "剪贴板"},
	{"剪切板", "剪切板"},
	{"網路", "网络"},
	{"網絡", "网络"},
	{"網際網路", "互联网"},
	{"網路狀態", "网络状态"},
	{"無線網路", "无线网络"},
	{"行動網路", "移动网络"},
	{"資訊", "信息"},
	{"登入", "登录"},
	{"登錄", "登录"},
	{"一鍵登入", "一键登录"},
	{"一鍵登錄", "一键登录"},
	{"本機號碼", "本机号码"},
	{"註冊", "注册"},
	{"註銷", "注销"},
	{"廣告", "广告"},
	{"廣告識別碼", "广告识别码"},
	{"個性化廣告", "个性化广告"},
	{"支付", "支付"},
	{"分享", "分享"},
	{"地圖", "地图"},
	{"當機", "崩溃"},
	{"當機分析", "崩溃分析"},
	{"當機報告", "崩溃报告"},
	{"崩潰", "崩溃"},
	{"閃退", "闪退"},
	{"臉部辨識", "人脸识别"},
	{"人臉辨識", "人脸识别"},
	{"人臉識別", "人脸识别"},
	{"生物辨識", "生物识别"},
	{"指紋", "指纹"},
	{"實名認證", "实名认证"},
	{"身分證", "身份证"},
	{"身份證", "身份证"},
	{"客服", "客服"},
	{"線上客服", "线上客服"},
	{"即時通訊", "即时通讯"},
	{"風控", "风控"},
	{"風險控制", "风险控制"},
	{"雲儲存", "云存储"},
	{"雲端儲存", "云端存储"},
	{"感測器", "传感器"},
	{"傳感器", "传感器"},
	{"加速度感測器", "加速度传感器"},
	{"藍牙", "蓝牙"},
	{"藍牙權限", "蓝牙权限"},
	{"記憶體", "内存"},
	{"檔案", "文件"},
	{"紀錄", "记录"},
	{"使用紀錄", "使用记录"},
	{"瀏覽紀錄", "浏览记录"},
	{"日誌", "日志"},
	{"伺服器", "服务器"},
	{"IP位址", "IP地址"},
	{"MAC位址", "MAC地址"},
	{"軟體", "软件"},
	{"硬體", "硬件"},
	{"螢幕", "屏幕"},
	{"螢幕錄製", "屏幕录制"},
	{"電子郵件", "电子邮件"},
	{"郵件", "邮件"},
	{"暱稱", "昵称"},
	{"頭像", "头像"},
	{"統計", "统计"},
	{"數據分析", "数据分析"},
	{"蒐集", "收集"},
	{"使用者", "用户"},
	{"帳號", "帐号"},
	{"賬號", "账号"},
	{"帳戶", "帐户"},
	{"傳送", "传送"},
	{"讀取", "读取"},
	{"合作夥伴", "合作伙伴"},
	{"隱私權政策", "隐私权政策"},
	{"委託處理", "委托处理"},
	{"諮詢", "咨询"},
	{"遊戲", "游戏"},
	{"每週", "每周"},
	{"發佈", "发布"},
	{"於", "于"},
	// SDK vendors and products
	{"華為", "华为"},
	{"華為推送", "华为推送"},
	{"華為移動服務", "华为移动服务"},
	{"小米", "小米"},
	{"小米推送", "小米推送"},
	{"騰訊", "腾讯"},
	{"騰訊雲", "腾讯云"},
	{"騰訊地圖", "腾讯地图"},
	{"阿里巴巴", "阿里巴巴"},
	{"阿里雲", "阿里云"},
	{"支付寶", "支付宝"},
	{"螞蟻金服", "蚂蚁金服"},
	{"百度", "百度"},
	{"百度地圖", "百度地图"},
	{"高德地圖", "高德地图"},
	{"網易", "网易"},
	{"網易雲信", "网易云信"},
	{"新浪微博", "新浪微博"},
	{"極光", "极光"},
	{"極光推送", "极光推送"},
	{"友盟", "友盟"},
	{"友盟統計", "友盟统计"},
	{"個推", "个推"},
	{"每日互動", "每日互动"},
	{"數美", "数美"},
	{"數盟", "数盟"},
	{"七牛", "七牛"},
	{"七牛雲", "七牛云"},
	{"容聯", "容联"},
	{"容聯雲通訊", "容联云通讯"},
	{"智齒", "智齿"},
	{"智齒客服", "智齿客服"},
	{"字節跳動", "字节跳动"},
	{"穿山甲", "穿山甲"},
	{"廣點通", "广点通"},
	{"榮耀", "荣耀"},
	{"維沃", "维沃"},
	{"歐珀", "欧珀"},
	{"魅族", "魅族"},
	{"神策數據", "神策数据"},
	{"極驗", "极验"},
	{"融雲", "融云"},
	{"環信", "环信"},
	{"聲網", "声网"},
	{"聽雲", "听云"},
	{"頂象", "顶象"},
	{"同盾", "同盾"},
	{"釘釘", "钉钉"},
	{"蘋果", "苹果"},
	{"中國移動", "中国移动"},
	{"中國聯通", "中国联通"},
	{"中國電信", "中国电信"},
	{"銀聯", "银联"},
	{"雲閃付", "云闪付"},
	{"京東", "京东"},
	{"美團", "美团"},
	{"微信支付", "微信支付"},
	// sentences, Taiwan and Hong Kong style
	{"我們會蒐集您的裝置資訊", "我们会收集您的设备信息"},
	{"為提供推播、地圖、登入與當機分析等功能", "为提供推送、地图、登录与崩溃分析等功能"},
	{"經您同意後讀取通訊錄", "经您同意后读取通讯录"},
	{"我們不會存取您的通話紀錄或簡訊", "我们不会存取您的通话记录或短信"},
	{"從相簿挑選照片與影片", "从相册挑选照片与视频"},
	{"裝置的位置資訊（包含精確位置）", "设备的位置信息（包含精确位置）"},
	{"當機時，系統會產生當機報告", "崩溃时，系统会产生崩溃报告"},
	{"這裡、裏面", "这里、里面"},
}

func TestToSimplifiedVocabularyPairs(t *testing.T) {
	for _, p := range t2sVocabPairs {
		if got := toSimplified(p.trad); got != p.want {
			t.Errorf("toSimplified(%q) = %q, want %q", p.trad, got, p.want)
		}
		if got := toSimplified(p.want); got != p.want {
			t.Errorf("toSimplified(%q) = %q, want it unchanged", p.want, got)
		}
	}
	if len(t2sVocabPairs) < 150 {
		t.Errorf("%d pairs, want at least 150", len(t2sVocabPairs))
	}
}

// Simplified text that contains a rewrite's characters but not its word.
func TestToSimplifiedLeavesMainlandWords(t *testing.T) {
	for _, s := range []string{
		"当机立断", "當機立斷→当机立断", "当机构依法要求时", "当机主更换手机号码", "当机器学习模型",
		"电影片段", "摄影片刻", "上网路由器", "家庭网路由器",
		"纪录片", "世界纪录", "档案馆", "健康档案", "音讯全无",
		"显著", "著作权", "乾隆", "慰藉", "覆盖", "克服", "于是", "复制", "征求", "了解", "伙伴", "折叠", "秘密", "里面",
		"安装", "装载", "应用程序", "个人信息", "通讯录", "账号", "帐号", "后台定位",
	} {
		want := s
		if before, after, ok := strings.Cut(s, "→"); ok {
			s, want = before, after
		}
		if got := toSimplified(s); got != want {
			t.Errorf("toSimplified(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestToSimplifiedASCIIAndInvalidUTF8(t *testing.T) {
	for _, s := range []string{
		"", "a", "Privacy Policy: we collect your IMEI, Android ID and location.\n\t<b>OK</b>",
		"\xff", "\xff\xfe\xfd", "abc\x80def", "\xe5\x80", "\xe5\x80\x8b"[:2] + "x", "\xed\xa0\x80", // truncated 個, surrogate half
		"\uFFFD", "ひらがなとカタカナ", "한국어 텍스트", "𠀀𪚥", "emoji 🙂",
	} {
		if got := toSimplified(s); got != s {
			t.Errorf("toSimplified(%q) = %q, want it unchanged", s, got)
		}
		if n := testing.AllocsPerRun(10, func() { toSimplified(s) }); n != 0 {
			t.Errorf("toSimplified(%q) allocates %v times", s, n)
		}
	}
	// Invalid bytes beside Traditional characters stay where they were.
	for in, want := range map[string]string{
		"\xff個\xfe人資料\x80": "\xff个\xfe人资料\x80",
		"個人資料\xff":         "个人信息\xff",
		"\xe5簡訊\xe5\x80":   "\xe5短信\xe5\x80",
		"簡\xff訊":           "简\xff讯",
		"ASCII 權限 and 裝置.": "ASCII 权限 and 设备.",
	} {
		if got := toSimplified(in); got != want {
			t.Errorf("toSimplified(%q) = %q, want %q", in, got, want)
		}
	}
}

// Random mixes of Traditional characters, rule words, ASCII and broken
// UTF-8: no panic, never longer, ASCII and invalid bytes kept in order, and
// a string without Traditional characters or rule words comes back as is.
func TestToSimplifiedRandom(t *testing.T) {
	pieces := []string{
		"a", " ", "\n", "\xff", "\xe5", "\xe5\x80", "\xed\xa0\x80", "\xf0\x9f", "🙂", "𠀀", "，",
		"個", "人", "資", "料", "资", "讯", "簡", "訊", "当", "當", "機", "机", "立", "網", "路", "由",
		"電", "影", "片", "紀", "錄", "纪", "录", "音", "檔", "案", "行", "動", "裝", "置", "使", "用", "者",
		"應", "程", "式", "的", "丰", "豐", "並", "\uf967", "著", "乾",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	nonCJK := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError || r < 0x3000 || r > 0xFFFF {
				b.WriteString(s[i : i+n])
			}
			i += n
		}
		return b.String()
	}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := sb.String()
		out := toSimplified(in)
		if len(out) > len(in) {
			t.Fatalf("toSimplified(%q) = %q is longer", in, out)
		}
		if nonCJK(out) != nonCJK(in) {
			t.Fatalf("toSimplified(%q) = %q changed bytes outside the CJK characters", in, out)
		}
		if utf8.ValidString(in) != utf8.ValidString(out) {
			t.Fatalf("toSimplified(%q) = %q changed validity", in, out)
		}
	}
}

func TestToSimplifiedAllocations(t *testing.T) {
	// Simplified text with nothing to rewrite: the folded forms of the
	// vocabulary pairs, each a fixed point.
	var sb strings.Builder
	for _, p := range t2sVocabPairs {
		sb.WriteString(p.want)
		sb.WriteString("，")
	}
	simplified := sb.String()
	if got := toSimplified(simplified); got != simplified {
		t.Fatalf("Simplified text changed:\n%s", t2sFirstDiff(simplified, got))
	}
	if n := testing.AllocsPerRun(20, func() { toSimplified(simplified) }); n != 0 {
		t.Errorf("Simplified text: %v allocations, want 0", n)
	}
	for _, name := range []string{"zh-hant-table.html", "zh-text-seed-style.txt"} {
		text := t2sReadPolicy(t, name)
		if n := testing.AllocsPerRun(20, func() { toSimplified(text) }); n > 1 {
			t.Errorf("%s: %v allocations, want at most 1", name, n)
		}
	}
}

// The seed policy is mainland Simplified text; folding may only apply the
// regional rewrites listed here, each of which keeps the meaning.
func TestToSimplifiedSeedPolicy(t *testing.T) {
	data, err := os.ReadFile(testenv.Shared(t, "seed", "000_feac4a27d79445a3.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := string(data)
	want := strings.NewReplacer(
		"资讯", "信息", // 职场资讯服务, 内容…和资讯: news and information, 信息 for matching
		"储存", "存储", // 复制或储存: the same verb
	).Replace(in)
	got := toSimplified(in)
	if got != want {
		t.Errorf("seed policy changed beyond the listed rewrites:\n%s", t2sFirstDiff(want, got))
	}
	if again := toSimplified(got); again != got {
		t.Errorf("folding twice differs:\n%s", t2sFirstDiff(got, again))
	}
}

// Every team policy folds to a fixed point, and the Simplified ones change
// only through the regional rewrites (never through the character table).
func TestToSimplifiedPoliciesIdempotent(t *testing.T) {
	docs, _ := filepath.Glob(filepath.Join("testdata", "policies", "*"))
	for _, doc := range docs {
		if strings.HasSuffix(doc, ".json") || strings.HasSuffix(doc, ".yaml") || filepath.Base(doc) == "README.md" {
			continue
		}
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		once := toSimplified(string(data))
		if twice := toSimplified(once); twice != once {
			t.Errorf("%s: folding twice differs:\n%s", doc, t2sFirstDiff(once, twice))
		}
		if strings.Contains(doc, "hant") {
			continue
		}
		for _, r := range string(data) {
			if t2sRune(r) != r {
				t.Errorf("%s: Simplified policy has character %q folded to %q", doc, r, t2sRune(r))
			}
		}
	}
}

func TestToSimplifiedTable(t *testing.T) {
	if t2sTab.size < 2500 {
		t.Errorf("table has %d characters, want at least 2,500", t2sTab.size)
	}
	t.Logf("table: %d characters, %d regional words", t2sTab.size, len(t2sWords))
	// One step is enough: no Simplified character is folded again.
	for r := rune(t2sLo); r <= t2sCompatHi; r++ {
		if f := t2sRune(r); f != r && t2sRune(f) != f {
			t.Errorf("%c folds to %c, which folds to %c", r, f, t2sRune(f))
		}
	}
	// Characters that are also standard Simplified, with a common
	// Simplified meaning, are never folded.
	for _, r := range "著乾藉覆剋吒麽甦幺釐阪干后发只么余系里台制面谷出钟冲历复征了伙折秘向" {
		if f := t2sRune(r); f != r {
			t.Errorf("%c folds to %c", r, f)
		}
	}
	prev := 1 << 30
	for _, w := range t2sWords {
		for _, r := range w.from {
			if t2sRune(r) != r {
				t.Errorf("word %s: %c is not in folded form", w.from, r)
			}
		}
		for _, r := range w.to + w.notPrev + w.notNext {
			if t2sRune(r) != r {
				t.Errorf("word %s: %c in its replacement or context is not in folded form", w.from, r)
			}
		}
		if len(w.to) > len(w.from) {
			t.Errorf("word %s: replacement %s is longer", w.from, w.to)
		}
		if n := utf8.RuneCountInString(w.from); n > prev {
			t.Errorf("word %s is out of order: the list is longest first", w.from)
		} else {
			prev = n
		}
		if !w.tradOnly {
			if got := toSimplified(w.from); got != w.to {
				t.Errorf("toSimplified(%q) = %q, want %q", w.from, got, w.to)
			}
		} else if got := toSimplified(w.from); got != w.from {
			t.Errorf("toSimplified(%q) = %q: a Traditional-only rewrite fired on Simplified text", w.from, got)
		}
	}
}

// t2sYAMLStrings returns the Chinese vocabulary of the rule files: terms,
// names, brands, aliases and legal names (not notes or sources).
func t2sYAMLStrings(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "rules", "data", "*.yaml"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "rules", "data", "sdks", "*.yaml"))
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no rule files under rules/data")
	}
	var out []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				switch k {
				case "note", "notes", "sources", "removed_or_changed", "policy_url", "en":
					continue
				}
				walk(x, k)
			}
		case []any:
			for _, x := range v {
				walk(x, key)
			}
		case string:
			switch key {
			case "zh", "aliases", "legal_names":
				for _, r := range v {
					if unicode.Is(unicode.Han, r) {
						out = append(out, v)
						break
					}
				}
			}
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		walk(v, "")
	}
	if len(out) < 500 {
		t.Fatalf("only %d Chinese strings in the rule files", len(out))
	}
	return out
}

// The vocabulary is written in Simplified characters: none of its
// characters may be folded, and every Traditional form of them must be.
func TestToSimplifiedRuleVocabulary(t *testing.T) {
	strs := t2sYAMLStrings(t)
	han := map[rune]bool{}
	for _, s := range strs {
		for _, r := range s {
			if unicode.Is(unicode.Han, r) {
				han[r] = true
			}
		}
		if got := toSimplified(s); got != s {
			t.Logf("vocabulary %q folds to %q", s, got)
		}
	}
	for r := range han {
		if f := t2sRune(r); f != r {
			t.Errorf("vocabulary character %c is folded to %c", r, f)
		}
	}
	// The Traditional forms of the vocabulary, from the hand-listed
	// pairs: each of their characters must fold to its counterpart.
	covered := map[rune]bool{}
	for _, p := range t2sVocabPairs {
		tr, want := []rune(p.trad), []rune(toSimplified(p.trad))
		if len(tr) != len(want) {
			continue // a regional rewrite
		}
		for i, r := range tr {
			if r != want[i] && han[want[i]] {
				covered[want[i]] = true
			}
		}
	}
	t.Logf("%d Chinese strings, %d Han characters; the hand pairs fold to %d of them", len(strs), len(han), len(covered))

	variants := t2sUnihan(t)
	// Every Traditional variant Unihan lists for a vocabulary character
	// is folded to it, except Traditional forms that are standard
	// Simplified characters in their own right.
	kept := "剋覆乾著藉"
	n := 0
	for s := range han {
		for _, tr := range variants.trad[s] {
			if tr == s || tr > 0xFFFF {
				continue
			}
			n++
			if strings.ContainsRune(kept, tr) {
				if t2sRune(tr) != tr {
					t.Errorf("%c (Traditional form of %c) is folded, but is kept as a Simplified character", tr, s)
				}
				continue
			}
			if f := t2sRune(tr); f != s {
				t.Errorf("%c, Traditional form of vocabulary %c, folds to %c", tr, s, f)
			}
		}
	}
	t.Logf("Unihan: %d Traditional forms of vocabulary characters checked", n)
}

// t2sCorrected are the table entries that deliberately differ from Unihan's
// kSimplifiedVariant (mainland forms instead of obscure or older ones).
const t2sCorrected = "噁嚐奬嬾崙嶽巖悞戱摀擣滷瀰糰絃綵繖託諠諮譟讌讚賸遶釦鉅鉋銲鍊鍼鎌鎗鎚鑑闇頴飈餬餵駮鵰鶵鷰鹼齧"

// The table agrees with Unihan wherever Unihan has a Simplified variant.
func TestToSimplifiedTableMatchesUnihan(t *testing.T) {
	variants := t2sUnihan(t)
	agree, added := 0, 0
	for r := rune(t2sLo); r <= t2sHi; r++ {
		f := t2sRune(r)
		if f == r {
			continue
		}
		simp, ok := variants.simp[r]
		switch {
		case !ok:
			added++
		case slices.Contains(simp, f):
			agree++
			if strings.ContainsRune(t2sCorrected, r) {
				t.Errorf("%c→%c is listed as a correction but agrees with Unihan", r, f)
			}
		case !strings.ContainsRune(t2sCorrected, r):
			t.Errorf("%c folds to %c; Unihan kSimplifiedVariant says %s", r, f, string(simp))
		}
	}
	t.Logf("Unihan: %d entries agree, %d corrected, %d added from semantic variants", agree, len([]rune(t2sCorrected)), added)
}

type t2sVariants struct{ simp, trad map[rune][]rune }

// t2sUnihan reads the committed extract of Unicode's Unihan_Variants.txt
// (testdata/unihan: its kSimplifiedVariant and kTraditionalVariant lines),
// an oracle made by others for the character table.
func t2sUnihan(t *testing.T) *t2sVariants {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "unihan", "Unihan_Variants.extract.txt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	var r io.Reader = f
	v := &t2sVariants{simp: map[rune][]rune{}, trad: map[rune][]rune{}}
	parse := func(s string) rune {
		s, _, _ = strings.Cut(s, "<")
		n, err := strconv.ParseUint(strings.TrimPrefix(s, "U+"), 16, 32)
		if err != nil {
			t.Fatalf("Unihan: bad code point %q", s)
		}
		return rune(n)
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 || (f[1] != "kSimplifiedVariant" && f[1] != "kTraditionalVariant") {
			continue
		}
		c := parse(f[0])
		for _, x := range strings.Fields(f[2]) {
			if f[1] == "kSimplifiedVariant" {
				v.simp[c] = append(v.simp[c], parse(x))
			} else {
				v.trad[c] = append(v.trad[c], parse(x))
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(v.simp) < 1000 {
		t.Fatalf("Unihan: only %d kSimplifiedVariant entries", len(v.simp))
	}
	return v
}

func t2sReadPolicy(tb testing.TB, name string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "policies", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}

// t2sFirstDiff shows where two strings first differ.
func t2sFirstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	for i > 0 && !utf8.RuneStart(a[min(i, len(a)-1)]) {
		i--
	}
	lo := max(0, i-60)
	for lo > 0 && !utf8.RuneStart(a[lo]) {
		lo--
	}
	return "want …" + a[lo:min(len(a), i+60)] + "…\n got …" + b[lo:min(len(b), i+60)] + "…"
}

// t2sBenchText repeats a policy up to about 40 KB, cut at a rune boundary.
func t2sBenchText(b *testing.B, name string) string {
	s := t2sReadPolicy(b, name)
	var sb strings.Builder
	for sb.Len() < 40<<10 {
		sb.WriteString(s)
	}
	out := sb.String()[:40<<10]
	for !utf8.ValidString(out) {
		out = out[:len(out)-1]
	}
	return out
}

func BenchmarkToSimplified(b *testing.B) {
	inputs := []struct{ name, text string }{
		{"traditional-40KB", t2sBenchText(b, "zh-hant-table.html")},
		{"simplified-40KB", t2sBenchText(b, "team-zh-seed-style.txt")},         // nothing to change
		{"simplified-rewrite-40KB", t2sBenchText(b, "zh-text-seed-style.txt")}, // 个人资料 → 个人信息
	}
	if data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seed", "000_feac4a27d79445a3.txt")); err == nil {
		inputs = append(inputs, struct{ name, text string }{"seed-42KB", string(data)})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.text)))
			b.ReportAllocs()
			for b.Loop() {
				toSimplified(in.text)
			}
		})
	}
}
