package policy

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// toSimplified folds Traditional Chinese characters to Simplified, character
// by character, and then rewrites a small set of regional words to the
// mainland vocabulary. It is for matching only: reports keep the original
// text.
//
// The character table (t2sPairs, t2sCompatPairs) has 3,102 entries: every
// BMP character with a BMP Simplified variant in Unihan (kSimplifiedVariant)
// that is not itself a standard Simplified character (not in the 2013 Table
// of General Standard Chinese Characters, Unihan kTGH), preferring a
// standard one as the target — 2,684 of the characters are in Big5, which
// covers the common Traditional repertoire of Taiwan and Hong Kong — with
// 46 hand corrections where Unihan gives an obscure, older or Japanese form
// (託→托 not 讬, 諮→咨, 鉅→巨, 讚→赞, 鍊→炼, 噁→恶, 奬→奖 not 奨 …), the
// forms Unihan lists only as semantic variants (週→周, 佔→占, 佈→布,
// 淨→净, 遊→游, 暱→昵, 裏→里, 爲→为, 衆→众, 啓→启 …) and the CJK
// Compatibility Ideographs that decompose to a Traditional character. A few
// characters that are both Traditional and standard Simplified are folded
// because policies only use them in their Traditional sense: 於→于, 夥→伙
// (合作夥伴), 復→复, 徵→征, 瞭→了, 祕→秘, 裡→里, 摺→折. Characters whose
// Simplified use is common are left alone: 著 (显著), 乾 (乾隆), 藉 (慰藉),
// 覆 (覆盖), 剋, 吒, 麽, 甦, 幺, 釐, 阪.
//
// After the fold, these words are rewritten (written here folded; the
// Traditional spelling in brackets is what a policy from Taiwan or Hong Kong
// writes, and folds to the left-hand side first). The longest word wins at
// each position, and the output is not scanned again.
//
//	应用程式 (應用程式) → 应用程序    个人资料 (個人資料) → 个人信息
//	通话纪录 (通話紀錄) → 通话记录    网际网路 (網際網路) → 互联网
//	脸部辨识 (臉部辨識) → 人脸识别    行动装置 (行動裝置) → 移动设备
//	行动网路 (行動網路) → 移动网络    行事历 (行事曆) → 日历
//	剪贴簿 (剪貼簿) → 剪切板          记忆体 (記憶體) → 内存
//	感测器 (感測器) → 传感器          伺服器 → 服务器
//	联络人 (聯絡人) → 联系人          身分证 (身分證) → 身份证
//	使用者 → 用户                     简讯 (簡訊) → 短信
//	推播 → 推送                       相簿 → 相册
//	装置 (裝置) → 设备                网路 (網路) → 网络, not before 由 (网路由器)
//	资讯 (資訊) → 信息                登入 → 登录
//	辨识 (辨識) → 识别                影片 → 视频, not after 电 or 摄 (电影片段)
//	视讯 (視訊) → 视频                萤幕 (螢幕) → 屏幕
//	软体 (軟體) → 软件                硬体 (硬體) → 硬件
//	位址 → 地址                       蒐集 → 收集
//	储存 (儲存) → 存储                当机 (當機) → 崩溃, not before 器构关场制会… (当机立断, 当机构)
//	音訊 → 音频, 檔案 → 文件, 紀錄 → 记录: only when written in Traditional
//	characters, because 音讯 (news of someone), 档案 (archive, dossier) and
//	纪录 (纪录片, 世界纪录) are ordinary mainland words with another meaning.
//
// The rewrites also apply to Simplified text, which is where the trade-off
// lies: 资讯 (news, information), 储存, 装置, 个人资料, 影片 and 使用者 are
// mainland words too. Each rewrite maps to a word of the same meaning as far
// as a privacy policy is concerned, so Simplified text only gains matches
// (职场资讯 becomes 职场信息, 储存 becomes 存储); the vocabulary is folded the
// same way, so a term spelled with a regional word still matches. 纪录 is
// rewritten in 通话纪录 only. 帐号/账号 are both in the vocabulary and are
// not touched; 著 is not folded (着 vs 显著).
//
// Cost: one pass over s. When nothing changes (Simplified, ASCII or
// invalid UTF-8 input), s is returned as is and nothing is allocated;
// otherwise the result is built in a single allocation. Invalid UTF-8 bytes
// are copied through unchanged. Folding output again is a no-op on real
// text, but not guaranteed for contrived strings where a rewrite's output
// and the following character form another rule's word.
func toSimplified(s string) string {
	var b strings.Builder
	done := 0 // s[:done] has been written to b, once b is in use
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := t2sDecode(s, i)
		if r < t2sLo {
			i += n
			continue
		}
		f := t2sRune(r)
		if g := t2sGroup(f); g != nil {
			if end, to := t2sWordAt(s, i, g); end > 0 {
				if b.Cap() == 0 {
					b.Grow(len(s)) // no rewrite or fold lengthens the text
				}
				b.WriteString(s[done:i])
				b.WriteString(to)
				i, done = end, end
				continue
			}
		}
		if f != r {
			if b.Cap() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[done:i])
			b.WriteRune(f)
			i += n
			done = i
			continue
		}
		i += n
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// t2sWord is a regional word rewritten after the character fold.
type t2sWord struct {
	from, to string // from is written in folded (Simplified) characters
	tradOnly bool   // only when the text spelled from with Traditional characters
	notPrev  string // no rewrite right after one of these (folded) characters
	notNext  string // no rewrite right before one of these (folded) characters
}

// t2sWords is the regional vocabulary, longest first. Every from must be a
// fixed point of the character fold, and no to may be longer than its from
// (toSimplified sizes its buffer by the input).
var t2sWords = []t2sWord{
	{from: "应用程式", to: "应用程序"},
	{from: "个人资料", to: "个人信息"},
	{from: "通话纪录", to: "通话记录"},
	{from: "网际网路", to: "互联网"},
	{from: "脸部辨识", to: "人脸识别"},
	{from: "行动装置", to: "移动设备"},
	{from: "行动网路", to: "移动网络"},
	{from: "行事历", to: "日历"},
	{from: "剪贴簿", to: "剪切板"},
	{from: "记忆体", to: "内存"},
	{from: "感测器", to: "传感器"},
	{from: "伺服器", to: "服务器"},
	{from: "联络人", to: "联系人"},
	{from: "身分证", to: "身份证"},
	{from: "使用者", to: "用户"},
	{from: "简讯", to: "短信"},
	{from: "推播", to: "推送"},
	{from: "相簿", to: "相册"},
	{from: "装置", to: "设备"},
	{from: "网路", to: "网络", notNext: "由"},
	{from: "资讯", to: "信息"},
	{from: "登入", to: "登录"},
	{from: "辨识", to: "识别"},
	{from: "影片", to: "视频", notPrev: "电摄"},
	{from: "视讯", to: "视频"},
	{from: "萤幕", to: "屏幕"},
	{from: "软体", to: "软件"},
	{from: "硬体", to: "硬件"},
	{from: "位址", to: "地址"},
	{from: "蒐集", to: "收集"},
	{from: "储存", to: "存储"},
	{from: "当机", to: "崩溃", notNext: t2sMachineWords},
	{from: "音讯", to: "音频", tradOnly: true},
	{from: "档案", to: "文件", tradOnly: true},
	{from: "纪录", to: "记录", tradOnly: true},
}

// t2sMachineWords are the characters that make 当机 the start of "when the
// 机…" (当机构 when the institution, 当机主 when the phone's owner, 当机器 …)
// or the idiom 当机立断 rather than a crash.
const t2sMachineWords = "立断器构关场制会票型身动能械密要遇缘房组主号率车载体理灵智敏警床舱翼位芯顶箱"

// t2sWordAt returns the end of the regional word from ws (the words that
// start with the folded rune at s[i]) that s[i:] starts with, and its
// replacement; end is 0 when none matches.
func t2sWordAt(s string, i int, ws []t2sWord) (int, string) {
	for _, w := range ws {
		end, trad, ok := t2sMatch(s, i, w.from)
		if !ok || w.tradOnly && !trad {
			continue
		}
		if w.notNext != "" && end < len(s) {
			r, _ := t2sDecode(s, end)
			if strings.ContainsRune(w.notNext, t2sRune(r)) {
				continue
			}
		}
		if w.notPrev != "" && i > 0 {
			r, _ := utf8.DecodeLastRuneInString(s[:i])
			if strings.ContainsRune(w.notPrev, t2sRune(r)) {
				continue
			}
		}
		return end, w.to
	}
	return 0, ""
}

// t2sMatch reports whether s[i:], folded character by character, starts
// with word; end is the offset after it and trad whether any of its
// characters was Traditional.
func t2sMatch(s string, i int, word string) (end int, trad, ok bool) {
	for _, p := range word {
		if i >= len(s) {
			return 0, false, false
		}
		r, n := t2sDecode(s, i)
		f := t2sRune(r)
		if f != p {
			return 0, false, false
		}
		trad = trad || f != r
		i += n
	}
	return i, trad, true
}

const (
	t2sLo       = 0x3400 // CJK Extension A …
	t2sHi       = 0x9FFF // … through the end of the URO block
	t2sCompatLo = 0xF900 // CJK Compatibility Ideographs
	t2sCompatHi = 0xFAFF
)

// t2sTables is the character table as dense arrays (a lookup is one index,
// which matters on 40 KB policies), and the regional words grouped by their
// first rune.
type t2sTables struct {
	main   [t2sHi - t2sLo + 1]uint16
	compat [t2sCompatHi - t2sCompatLo + 1]uint16
	group  [t2sHi - t2sLo + 1]uint8 // index+1 in words of the rune's words
	words  [][]t2sWord
	size   int // number of Traditional characters folded
}

var t2sTab = t2sBuild()

// t2sRune folds one character.
func t2sRune(r rune) rune {
	if r >= t2sLo {
		if r <= t2sHi {
			if m := t2sTab.main[r-t2sLo]; m != 0 {
				return rune(m)
			}
		} else if r >= t2sCompatLo && r <= t2sCompatHi {
			if m := t2sTab.compat[r-t2sCompatLo]; m != 0 {
				return rune(m)
			}
		}
	}
	return r
}

// t2sGroup returns the regional words that start with the folded rune f,
// longest first.
func t2sGroup(f rune) []t2sWord {
	if f < t2sLo || f > t2sHi {
		return nil
	}
	if g := t2sTab.group[f-t2sLo]; g != 0 {
		return t2sTab.words[g-1]
	}
	return nil
}

// t2sDecode is utf8.DecodeRuneInString(s[i:]) with a fast path for the
// three-byte sequences Chinese text is made of. It may return a surrogate
// or overlong value for an invalid sequence; neither is in the tables, and
// the caller copies those bytes unchanged.
func t2sDecode(s string, i int) (rune, int) {
	if i+2 < len(s) && s[i]&0xF0 == 0xE0 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		return rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s[i:])
}

func t2sBuild() *t2sTables {
	t := &t2sTables{}
	fill := func(pairs string, lo, hi rune, dst []uint16) {
		var from rune = -1
		for _, r := range pairs {
			if from < 0 {
				from = r
				continue
			}
			if from < lo || from > hi || r < t2sLo || r > 0xFFFF || r == from {
				panic("policy: bad Traditional-Simplified pair " + string(from) + string(r))
			}
			dst[from-lo] = uint16(r)
			t.size++
			from = -1
		}
	}
	fill(t2sPairs, t2sLo, t2sHi, t.main[:])
	fill(t2sCompatPairs, t2sCompatLo, t2sCompatHi, t.compat[:])
	for _, w := range t2sWords {
		first, _ := utf8.DecodeRuneInString(w.from)
		if first < t2sLo || first > t2sHi {
			panic("policy: regional word outside the CJK range: " + w.from)
		}
		g := &t.group[first-t2sLo]
		if *g == 0 {
			t.words = append(t.words, nil)
			*g = uint8(len(t.words))
		}
		t.words[*g-1] = append(t.words[*g-1], w)
	}
	for _, ws := range t.words {
		slices.SortStableFunc(ws, func(a, b t2sWord) int { return len(b.from) - len(a.from) })
	}
	return t
}

// t2sPairs lists the character table as Traditional–Simplified rune pairs
// in code point order, derived from the Unicode Unihan database
// (kSimplifiedVariant, kTGH, kBigFive) with the corrections and additions
// described at toSimplified.
const t2sPairs = "" +
	"㑯㑔㑳㑇㑶㐹㓨刾㘚㘎㜄㚯㜏㛣㠏㟆㥮㤘㩜㨫㩳㧐㩵擜㻽㻪䁻䀥䃮鿎䊷䌶䋙䌺䋚䌻䋹䌿䋻䌾䎱䎬䙡䙌䜀䜧䝼䞍" +
	"䥇䦂䥑鿏䥱䥾䦛䦶䦟䦷䯀䯅䰾鲃䱷䲣䱽䲝䲁鳚䲘鳤䴉鹮丟丢並并亂乱亙亘亞亚伕夫佇伫佈布佔占併并來来侖仑" +
	"侶侣侷局俁俣係系俔伣俠侠俥伡倀伥倆俩倈俫倉仓個个們们倖幸倣仿値值倫伦倲㑈偉伟偑㐽側侧偵侦偽伪傌㐷" +
	"傑杰傖伧傘伞備备傚效傢家傭佣傯偬傳传傴伛債债傷伤傾倾僂偻僅仅僉佥僑侨僕仆僞伪僥侥僨偾僱雇價价儀仪" +
	"儁㑺儂侬億亿儈侩儉俭儐傧儔俦儕侪儘尽償偿優优儲储儷俪儸㑩儺傩儻傥儼俨兇凶兌兑兒儿兗兖內内兩两冊册" +
	"冑胄冪幂凈净凍冻凜凛凱凯別别刪删剄刭則则剎刹剗刬剛刚剝剥剮剐剴剀創创剷铲劃划劇剧劉刘劊刽劌刿劍剑" +
	"劏㓥劑剂劚㔉勁劲動动勗勖務务勛勋勝胜勞劳勢势勦剿勩勚勱劢勳勋勵励勸劝勻匀匭匦匯汇匱匮區区協协卹恤" +
	"卻却卽即厙厍厭厌厲厉厴厣參参叄叁叢丛吳吴吶呐吿告呂吕咼呙員员唄呗唚吣唸念問问啓启啞哑啟启啢唡啣衔" +
	"喎㖞喚唤喪丧喫吃喬乔單单喲哟嗆呛嗇啬嗊唝嗎吗嗚呜嗩唢嗶哔嘆叹嘍喽嘓啯嘔呕嘖啧嘗尝嘜唛嘩哗嘮唠嘯啸" +
	"嘰叽嘵哓嘸呒嘽啴噁恶噓嘘噚㖊噝咝噠哒噥哝噦哕噯嗳噲哙噴喷噸吨噹当嚀咛嚇吓嚌哜嚐尝嚕噜嚙啮嚦呖嚨咙" +
	"嚮向嚲亸嚳喾嚴严嚶嘤囀啭囁嗫囂嚣囅冁囈呓囉啰囌苏囑嘱囪囱圇囵國国圍围園园圓圆圖图團团埡垭埰采執执" +
	"堅坚堊垩堖垴堝埚堯尧報报場场塊块塋茔塏垲塒埘塗涂塚冢塢坞塤埙塵尘塹堑墊垫墜坠墮堕墳坟墶垯墻墙墾垦" +
	"壇坛壋垱壓压壘垒壙圹壚垆壞坏壟垄壠垅壢坜壩坝壪塆壯壮壺壶壼壸壽寿夠够夢梦夥伙夾夹奐奂奧奥奩奁奪夺" +
	"奬奖奮奋奼姹妝妆妳你姍姗姦奸姪侄娛娱婁娄婦妇婭娅媧娲媯妫媰㛀媼媪媽妈嫗妪嫵妩嫻娴嫿婳嬃媭嬈娆嬋婵" +
	"嬌娇嬙嫱嬡嫒嬤嬷嬪嫔嬰婴嬸婶嬾懒孃娘孋㛤孌娈孫孙學学孿孪宮宫寢寝實实寧宁審审寫写寬宽寯㝦寵宠寶宝" +
	"將将專专尋寻對对導导尙尚尷尴屆届屍尸屓屃屜屉屢屡層层屨屦屬属岡冈峯峰峴岘島岛峽峡崍崃崑昆崗岗崙仑" +
	"崢峥崬岽嵐岚嵾㟥嶁嵝嶄崭嶇岖嶔嵚嶗崂嶠峤嶢峣嶧峄嶨峃嶮崄嶴岙嶸嵘嶺岭嶼屿嶽岳巋岿巒峦巔巅巖岩巰巯" +
	"帥帅師师帳帐帶带幀帧幃帏幓㡎幗帼幘帻幟帜幣币幫帮幬帱幹干幾几庫库廁厕廂厢廄厩廈厦廎庼廚厨廝厮廟庙" +
	"廠厂廡庑廢废廣广廩廪廬庐廳厅弒弑弔吊弳弪張张強强彆别彈弹彌弥彎弯彙汇彞彝彠彟彥彦彫雕彲彨彿佛後后" +
	"徑径從从徠徕復复徬彷徵征徹彻恆恒恥耻悅悦悞误悵怅悶闷悽凄惡恶惱恼惲恽惻恻愛爱愜惬愨悫愴怆愷恺愾忾" +
	"慄栗慇殷態态慍愠慘惨慚惭慟恸慣惯慪怄慫怂慮虑慳悭慶庆慺㥪慼戚慾欲憂忧憊惫憍㤭憐怜憑凭憒愦憖慭憚惮" +
	"憤愤憫悯憮怃憲宪憶忆懇恳應应懌怿懍懔懞蒙懟怼懣懑懤㤽懧㤖懨恹懲惩懶懒懷怀懸悬懺忏懼惧懾慑戀恋戇戆" +
	"戔戋戧戗戩戬戰战戱戏戲戏戶户拋抛挩捝挾挟捨舍捫扪捱挨捲卷掃扫掄抡掆㧏掗挜掙挣掛挂採采揀拣揚扬換换" +
	"揮挥揹背損损搖摇搗捣搵揾搶抢搾榨摀捂摑掴摜掼摟搂摯挚摳抠摶抟摺折摻掺撈捞撏挦撐撑撓挠撚捻撝㧑撟挢" +
	"撣掸撥拨撫抚撲扑撳揿撻挞撾挝撿捡擁拥擄掳擇择擊击擋挡擓㧟擔担據据擠挤擣捣擥㧛擬拟擯摈擰拧擱搁擲掷" +
	"擴扩擷撷擺摆擻擞擼撸擽㧰擾扰攄摅攆撵攏拢攔拦攖撄攙搀攛撺攜携攝摄攢攒攣挛攤摊攪搅攬揽敎教敗败敘叙" +
	"敵敌數数斂敛斃毙斆敩斕斓斬斩斷断於于旣既時时晉晋晝昼晩晚暈晕暉晖暘旸暢畅暫暂暱昵曄晔曆历曇昙曉晓" +
	"曏向曖暧曠旷曨昽曬晒書书會会朧胧朮术東东枴拐柵栅桿杆梔栀梘枧條条梟枭梱捆梲棁棄弃棖枨棗枣棟栋棡㭎" +
	"棧栈棲栖棶梾椏桠椲㭏楊杨楓枫楨桢業业極极榪杩榮荣榲榅榿桤構构槍枪槓杠槤梿槧椠槨椁槪概槮椮槳桨槶椢" +
	"槼椝樁桩樂乐樅枞樑梁樓楼標标樞枢樢㭤樣样樫㭴樳桪樸朴樹树樺桦樿椫橈桡橋桥機机橢椭橫横檁檩檉柽檔档" +
	"檜桧檟槚檢检檣樯檮梼檯台檳槟檸柠檻槛櫃柜櫓橹櫚榈櫛栉櫝椟櫞橼櫟栎櫥橱櫧槠櫨栌櫪枥櫫橥櫬榇櫱蘖櫳栊" +
	"櫸榉櫺棂櫻樱欄栏權权欏椤欒栾欖榄欞棂欽钦歎叹歐欧歟欤歡欢歲岁歷历歸归歿殁殘残殞殒殤殇殨㱮殫殚殮殓" +
	"殯殡殰㱩殲歼殺杀殼壳毀毁毆殴毬球毿毵氂牦氈毡氌氇氣气氫氢氬氩氳氲汎泛汙污汚污決决沒没沖冲況况洩泄" +
	"洶汹浹浃涇泾涼凉淒凄淚泪淥渌淨净淪沦淵渊淶涞淺浅渙涣減减渢沨渦涡測测渾浑湊凑湞浈湧涌湯汤溈沩準准" +
	"溝沟溫温溮浉溳涢溼湿滄沧滅灭滌涤滎荥滙汇滬沪滯滞滲渗滷卤滸浒滻浐滾滚滿满漁渔漊溇漚沤漢汉漣涟漬渍" +
	"漲涨漵溆漸渐漿浆潁颍潑泼潔洁潚㴋潛潜潤润潯浔潰溃潷滗潿涠澀涩澆浇澇涝澐沄澗涧澠渑澤泽澦滪澩泶澮浍" +
	"澱淀澾㳠濁浊濃浓濄㳡濕湿濘泞濚溁濛蒙濜浕濟济濤涛濧㳔濫滥濬浚濰潍濱滨濺溅濼泺濾滤瀂澛瀅滢瀆渎瀇㲿" +
	"瀉泻瀋沈瀏浏瀕濒瀘泸瀝沥瀟潇瀠潆瀦潴瀧泷瀨濑瀰弥瀲潋瀾澜灃沣灄滠灑洒灕漓灘滩灝灏灠漤灡㳕灣湾灤滦" +
	"灧滟災灾為为烏乌烴烃無无煉炼煒炜煙烟煢茕煥焕煩烦煬炀煱㶽熅煴熒荧熗炝熱热熲颎熾炽燁烨燄焰燈灯燉炖" +
	"燒烧燙烫燜焖營营燦灿燬毁燭烛燴烩燶㶶燻熏燼烬燾焘爍烁爐炉爛烂爭争爲为爺爷爾尔牆墙牘牍牠它牴抵牽牵" +
	"犖荦犛牦犢犊犧牺狀状狹狭狽狈猙狰猶犹猻狲獁犸獄狱獅狮獎奖獨独獪狯獫猃獮狝獰狞獱㺍獲获獵猎獷犷獸兽" +
	"獺獭獻献獼猕玀猡玆兹現现琺珐琿珲瑋玮瑒玚瑣琐瑤瑶瑩莹瑪玛瑯琅瑲玱璉琏璡琎璣玑璦瑷璫珰璯㻅環环璵玙" +
	"璸瑸璽玺璿璇瓊琼瓏珑瓔璎瓚瓒甌瓯甕瓮產产畝亩畢毕畫画異异當当疇畴疊叠痙痉痠酸痲麻痺痹痾疴瘂痖瘉愈" +
	"瘋疯瘍疡瘓痪瘞瘗瘡疮瘧疟瘮瘆瘲疭瘺瘘療疗癆痨癇痫癉瘅癒愈癘疠癟瘪癡痴癢痒癤疖癥症癧疬癩癞癬癣癭瘿" +
	"癮瘾癰痈癱瘫癲癫發发皚皑皰疱皸皲皺皱盃杯盜盗盞盏盡尽監监盤盘盧卢盪荡眞真眥眦眾众睏困睜睁睞睐瞇眯" +
	"瞘眍瞜䁖瞞瞒瞭了瞶瞆瞼睑矇蒙矓眬矚瞩矯矫矽硅砲炮硃朱硜硁硤硖硨砗硯砚碩硕碭砀碸砜確确碼码碽䂵磑硙" +
	"磚砖磠硵磣碜磧碛磯矶磽硗磾䃅礄硚礆硷礎础礙碍礦矿礪砺礫砾礬矾礱砻祕秘祿禄禍祸禎祯禕祎禡祃禦御禪禅" +
	"禮礼禰祢禱祷禿秃秈籼稅税稈秆稏䅉稜棱稟禀種种稱称穀谷穇䅟穌稣積积穎颖穠秾穡穑穢秽穩稳穫获穭稆窩窝" +
	"窪洼窮穷窯窑窵窎窶窭窺窥竄窜竅窍竇窦竈灶竊窃競竞筆笔筍笋筧笕筴䇲箇个箋笺箏筝箝钳節节範范築筑篋箧" +
	"篔筼篠筱篤笃篩筛篳筚簀箦簍篓簑蓑簞箪簡简簣篑簫箫簷檐簹筜簽签簾帘籃篮籌筹籐藤籔䉤籙箓籛篯籜箨籟籁" +
	"籠笼籤签籩笾籪簖籬篱籮箩籲吁粵粤糉粽糝糁糞粪糧粮糰团糲粝糴籴糶粜糹纟糾纠紀纪紂纣約约紅红紆纡紇纥" +
	"紈纨紉纫紋纹納纳紐纽紓纾純纯紕纰紖纼紗纱紘纮紙纸級级紛纷紜纭紝纴紡纺紬䌷紮扎細细紱绂紲绁紳绅紵纻" +
	"紹绍紺绀紼绋紿绐絀绌終终絃弦組组絅䌹絆绊絎绗結结絕绝絛绦絝绔絞绞絡络絢绚給给絨绒絰绖統统絲丝絳绛" +
	"絹绢綁绑綃绡綆绠綈绨綌绤綏绥綐䌼綑捆經经綜综綞缍綠绿綢绸綣绻綫线綬绶維维綯绹綰绾綱纲網网綴缀綵彩" +
	"綸纶綹绺綺绮綻绽綽绰綾绫綿绵緄绲緇缁緊紧緋绯緒绪緓绬緔绱緗缃緘缄緙缂線线緝缉緞缎締缔緡缗緣缘緦缌" +
	"編编緩缓緬缅緯纬緱缑緲缈練练緶缏緹缇緻致縈萦縉缙縊缢縋缒縐绉縑缣縕缊縗缞縛缚縝缜縞缟縟缛縣县縧绦" +
	"縫缝縭缡縮缩縱纵縲缧縳䌸縵缦縶絷縷缕縹缥總总績绩繃绷繅缫繆缪繒缯織织繕缮繖伞繚缭繞绕繡绣繢缋繩绳" +
	"繪绘繫系繭茧繮缰繯缳繰缲繳缴繸䍁繹绎繼继繽缤繾缱繿䍀纇颣纈缬纊纩續续纍累纏缠纓缨纔才纖纤纘缵纜缆" +
	"缽钵罃䓨罈坛罌罂罰罚罵骂罷罢羅罗羆罴羈羁羋芈羣群羥羟羨羡義义羶膻習习翬翚翹翘翽翙耬耧耮耢聖圣聞闻" +
	"聯联聰聪聲声聳耸聵聩聶聂職职聹聍聽听聾聋肅肃脅胁脈脉脛胫脣唇脫脱脹胀腎肾腖胨腡脶腦脑腫肿腳脚腸肠" +
	"膃腽膕腘膚肤膞䏝膠胶膩腻膽胆膾脍膿脓臇䐪臉脸臍脐臏膑臘腊臚胪臟脏臠脔臢臜臥卧臨临臺台與与興兴舉举" +
	"舊旧舘馆艙舱艤舣艦舰艫舻艱艰艷艳芻刍茲兹荊荆莊庄莖茎莢荚莧苋華华菴庵菸烟萇苌萊莱萬万萴荝萵莴葉叶" +
	"葒荭葤荮葦苇葷荤蒔莳蒞莅蒼苍蓀荪蓆席蓋盖蓮莲蓯苁蓴莼蓽荜蔔卜蔘参蔞蒌蔣蒋蔥葱蔦茑蔭荫蕁荨蕆蒇蕎荞" +
	"蕒荬蕓芸蕕莸蕘荛蕢蒉蕩荡蕪芜蕭萧蕷蓣薀蕰薈荟薊蓟薌芗薑姜薔蔷薘荙薟莶薦荐薩萨薴苧薵䓓薺荠藍蓝藎荩" +
	"藝艺藥药藪薮藭䓖藶苈藹蔼藺蔺蘀萚蘄蕲蘆芦蘇苏蘊蕴蘋苹蘚藓蘞蔹蘢茏蘭兰蘺蓠蘿萝虆蔂處处虛虚虜虏號号" +
	"虧亏虯虬蛺蛱蛻蜕蜆蚬蝕蚀蝟猬蝦虾蝨虱蝸蜗螄蛳螞蚂螢萤螮䗖螻蝼螿螀蟄蛰蟈蝈蟎螨蟣虮蟬蝉蟯蛲蟲虫蟶蛏" +
	"蟻蚁蠁蚃蠅蝇蠆虿蠍蝎蠐蛴蠑蝾蠟蜡蠣蛎蠨蟏蠱蛊蠶蚕蠻蛮衆众衊蔑術术衕同衚胡衛卫衝冲衞卫衹只袞衮裊袅" +
	"裏里補补裝装裡里製制複复褌裈褘袆褲裤褳裢褸褛褻亵襇裥襌褝襏袯襖袄襝裣襠裆襤褴襪袜襬䙓襯衬襲袭襴襕" +
	"覈核見见覎觃規规覓觅視视覘觇覡觋覥觍覦觎親亲覬觊覯觏覲觐覷觑覺觉覽览覿觌觀观觴觞觶觯觸触訁讠訂订" +
	"訃讣計计訊讯訌讧討讨訐讦訒讱訓训訕讪訖讫託托記记訛讹訝讶訟讼訢䜣訣诀訥讷訩讻訪访設设許许訴诉訶诃" +
	"診诊註注証证詁诂詆诋詎讵詐诈詒诒詔诏評评詖诐詗诇詘诎詛诅詞词詠咏詡诩詢询詣诣試试詩诗詫诧詬诟詭诡" +
	"詮诠詰诘話话該该詳详詵诜詼诙詿诖誄诔誅诛誆诓誇夸誌志認认誑诳誒诶誕诞誘诱誚诮語语誠诚誡诫誣诬誤误" +
	"誥诰誦诵誨诲說说説说誰谁課课誶谇誹诽誼谊誾訚調调諂谄諄谆談谈諉诿請请諍诤諏诹諑诼諒谅論论諗谂諛谀" +
	"諜谍諝谞諞谝諠喧諢诨諤谔諦谛諧谐諫谏諭谕諮咨諱讳諳谙諶谌諷讽諸诸諺谚諼谖諾诺謀谋謁谒謂谓謄誊謅诌" +
	"謊谎謎谜謐谧謔谑謖谡謗谤謙谦謚谥講讲謝谢謠谣謨谟謫谪謬谬謭谫謳讴謹谨謾谩譁哗證证譎谲譏讥譖谮識识" +
	"譙谯譚谭譜谱譟噪譫谵譯译議议譴谴護护譸诪譼䛓譽誉譾谫讀读讅谉變变讋詟讌宴讎雠讒谗讓让讕谰讖谶讚赞" +
	"讜谠讞谳豈岂豎竖豐丰豔艳豬猪豶豮貍狸貓猫貙䝙貝贝貞贞貟贠負负財财貢贡貧贫貨货販贩貪贪貫贯責责貯贮" +
	"貰贳貲赀貳贰貴贵貶贬買买貸贷貺贶費费貼贴貽贻貿贸賀贺賁贲賂赂賃赁賄贿賅赅資资賈贾賊贼賑赈賒赊賓宾" +
	"賕赇賙赒賚赉賜赐賞赏賠赔賡赓賢贤賣卖賤贱賦赋賧赕質质賬账賭赌賰䞐賴赖賵赗賸剩賺赚賻赙購购賽赛賾赜" +
	"贄贽贅赘贇赟贈赠贊赞贋赝贍赡贏赢贐赆贓赃贔赑贖赎贗赝贛赣赬赪趕赶趙赵趨趋趲趱跡迹踐践踴踊蹌跄蹕跸" +
	"蹟迹蹣蹒蹤踪蹺跷躂跶躉趸躊踌躋跻躍跃躎䟢躑踯躒跞躓踬躕蹰躚跹躡蹑躥蹿躦躜躪躏軀躯車车軋轧軌轨軍军" +
	"軑轪軒轩軔轫軛轭軟软軤轷軫轸軲轱軸轴軹轵軺轺軻轲軼轶軾轼較较輅辂輇辁輈辀載载輊轾輒辄輓挽輔辅輕轻" +
	"輛辆輜辎輝辉輞辋輟辍輥辊輦辇輩辈輪轮輬辌輯辑輳辏輸输輻辐輾辗輿舆轀辒轂毂轄辖轅辕轆辘轉转轍辙轎轿" +
	"轔辚轟轰轡辔轢轹轤轳辦办辭辞辮辫辯辩農农迴回逕迳這这連连週周進进遊游運运過过達达違违遙遥遜逊遞递" +
	"遠远適适遲迟遶绕遷迁選选遺遗遼辽邁迈還还邇迩邊边邏逻邐逦郞郎郟郏郵邮鄆郓鄉乡鄒邹鄔邬鄖郧鄧邓鄭郑" +
	"鄰邻鄲郸鄴邺鄶郐鄺邝酇酂酈郦醃腌醜丑醞酝醫医醬酱醱酦釀酿釁衅釃酾釅酽釋释釒钅釓钆釔钇釕钌釗钊釘钉" +
	"釙钋針针釣钓釤钐釦扣釧钏釩钒釵钗釷钍釹钕釺钎釾䥺鈀钯鈁钫鈃钘鈄钭鈈钚鈉钠鈍钝鈎钩鈐钤鈑钣鈒钑鈔钞" +
	"鈕钮鈞钧鈣钙鈥钬鈦钛鈧钪鈮铌鈰铈鈳钶鈴铃鈷钴鈸钹鈹铍鈺钰鈽钸鈾铀鈿钿鉀钾鉅巨鉈铊鉉铉鉋刨鉍铋鉑铂" +
	"鉕钷鉗钳鉚铆鉛铅鉞钺鉤钩鉦钲鉨鿭鉬钼鉭钽鉶铏鉸铰鉺铒鉻铬鉿铪銀银銃铳銅铜銍铚銑铣銓铨銖铢銘铭銚铫" +
	"銛铦銜衔銠铑銣铷銥铱銦铟銨铵銩铥銪铕銫铯銬铐銱铞銲焊銳锐銷销銹锈銻锑銼锉鋁铝鋃锒鋅锌鋇钡鋌铤鋏铗" +
	"鋒锋鋙铻鋝锊鋟锓鋣铘鋤锄鋥锃鋦锔鋨锇鋩铓鋪铺鋮铖鋯锆鋰锂鋱铽鋶锍鋸锯鋼钢錁锞錄录錆锖錇锫錈锩錏铔" +
	"錐锥錒锕錕锟錘锤錙锱錚铮錛锛錟锬錠锭錡锜錢钱錦锦錨锚錩锠錫锡錮锢錯错錳锰錶表錸铼鍀锝鍁锨鍃锪鍆钔" +
	"鍇锴鍈锳鍊炼鍋锅鍍镀鍔锷鍘铡鍚钖鍛锻鍠锽鍤锸鍥锲鍩锘鍬锹鍰锾鍵键鍶锶鍺锗鍼针鍾钟鎂镁鎄锿鎇镅鎊镑" +
	"鎌镰鎔镕鎖锁鎗枪鎘镉鎚锤鎛镈鎡镃鎢钨鎣蓥鎦镏鎧铠鎩铩鎪锼鎬镐鎮镇鎰镒鎲镋鎳镍鎵镓鎶鿔鎿镎鏃镞鏇旋" +
	"鏈链鏌镆鏍镙鏐镠鏑镝鏗铿鏘锵鏜镗鏝镘鏞镛鏟铲鏡镜鏢镖鏤镂鏨錾鏰镚鏵铧鏷镤鏹镪鏺䥽鏽锈鐃铙鐋铴鐐镣" +
	"鐒铹鐓镦鐔镡鐘钟鐙镫鐝镢鐠镨鐥䦅鐦锎鐧锏鐨镄鐫镌鐮镰鐯䦃鐲镯鐳镭鐵铁鐶镮鐸铎鐺铛鐿镱鑄铸鑈鿭鑊镬" +
	"鑌镔鑑鉴鑒鉴鑔镲鑕锧鑞镴鑠铄鑣镳鑥镥鑭镧鑰钥鑱镵鑲镶鑷镊鑹镩鑼锣鑽钻鑾銮鑿凿钁䦆長长門门閂闩閃闪" +
	"閆闫閈闬閉闭開开閌闶閎闳閏闰閑闲閒闲間间閔闵閘闸閡阂閣阁閤合閥阀閨闺閩闽閫阃閬阆閭闾閱阅閶阊閹阉" +
	"閻阎閼阏閽阍閾阈閿阌闃阒闆板闇暗闈闱闊阔闋阕闌阑闍阇闐阗闒阘闓闿闔阖闕阙闖闯關关闞阚闠阓闡阐闢辟" +
	"闤阛闥闼阬坑陘陉陝陕陣阵陰阴陳陈陸陆陽阳隄堤隉陧隊队階阶隕陨際际隣邻隨随險险隯陦隱隐隴陇隸隶隻只" +
	"雋隽雖虽雙双雛雏雜杂雞鸡離离難难雲云電电霑沾霢霡霧雾霽霁靂雳靄霭靆叇靈灵靉叆靑青靚靓靜静靦腼靨靥" +
	"鞀鼗鞏巩鞝绱鞦秋鞽鞒韁缰韃鞑韆千韉鞯韋韦韌韧韍韨韓韩韙韪韜韬韞韫韻韵響响頁页頂顶頃顷項项順顺頇顸" +
	"須须頊顼頌颂頎颀頏颃預预頑顽頒颁頓顿頗颇領领頜颌頡颉頤颐頦颏頭头頮颒頰颊頲颋頴颖頷颔頸颈頹颓頻频" +
	"顆颗題题額额顎颚顏颜顒颙顓颛願愿顙颡顛颠類类顢颟顥颢顧顾顫颤顬颥顯显顰颦顱颅顳颞顴颧風风颭飐颮飑" +
	"颯飒颱台颳刮颶飓颸飔颺飏颻飖颼飕飀飗飄飘飆飙飈飙飛飞飠饣飢饥飣饤飥饦飩饨飪饪飫饫飭饬飯饭飲饮飴饴" +
	"飼饲飽饱飾饰飿饳餃饺餄饸餅饼餉饷養养餌饵餎饹餏饻餑饽餒馁餓饿餕馂餖饾餘余餚肴餛馄餜馃餞饯餡馅館馆" +
	"餬糊餱糇餳饧餵喂餶馉餷馇餺馎餼饩餽馈餾馏餿馊饁馌饃馍饅馒饈馐饉馑饊馓饋馈饌馔饑饥饒饶饗飨饜餍饞馋" +
	"饢馕馬马馭驭馮冯馱驮馳驰馴驯馹驲駁驳駐驻駑驽駒驹駔驵駕驾駘骀駙驸駛驶駝驼駟驷駢骈駭骇駮驳駰骃駱骆" +
	"駸骎駿骏騁骋騂骍騅骓騌骔騍骒騎骑騏骐騖骛騙骗騤骙騧䯄騫骞騭骘騮骝騰腾騶驺騷骚騸骟騾骡驀蓦驁骜驂骖" +
	"驃骠驄骢驅驱驊骅驌骕驍骁驏骣驕骄驗验驚惊驛驿驟骤驢驴驤骧驥骥驦骦驪骊驫骉骯肮髏髅髒脏體体髕髌髖髋" +
	"髮发鬆松鬍胡鬚须鬢鬓鬥斗鬧闹鬨哄鬩阋鬮阄鬱郁鬹鬶魎魉魘魇魚鱼魛鱽魢鱾魨鲀魯鲁魴鲂魷鱿魺鲄鮁鲅鮃鲆" +
	"鮊鲌鮋鲉鮍鲏鮎鲇鮐鲐鮑鲍鮒鲋鮓鲊鮗鿴鮚鲒鮜鲘鮞鲕鮣䲟鮦鲖鮪鲔鮫鲛鮭鲑鮮鲜鮳鲓鮶鲪鮺鲝鯀鲧鯁鲠鯇鲩" +
	"鯉鲤鯊鲨鯒鲬鯔鲻鯕鲯鯖鲭鯗鲞鯛鲷鯝鲴鯡鲱鯢鲵鯤鲲鯧鲳鯨鲸鯪鲮鯫鲰鯰鲶鯴鲺鯷鳀鯽鲫鯿鳊鰁鳈鰂鲗鰃鳂" +
	"鰆䲠鰈鲽鰉鳇鰌䲡鰍鳅鰏鲾鰐鳄鰒鳆鰓鳃鰛鳁鰜鳒鰟鳑鰠鳋鰣鲥鰥鳏鰧䲢鰨鳎鰩鳐鰭鳍鰮鳁鰱鲢鰲鳌鰳鳓鰵鳘" +
	"鰷鲦鰹鲣鰺鲹鰻鳗鰼鳛鰾鳔鱂鳉鱅鳙鱈鳕鱉鳖鱒鳟鱔鳝鱖鳜鱗鳞鱘鲟鱝鲼鱟鲎鱠鲙鱣鳣鱤鳡鱧鳢鱨鲿鱭鲚鱯鳠" +
	"鱷鳄鱸鲈鱺鲡鳥鸟鳧凫鳩鸠鳲鸤鳳凤鳴鸣鳶鸢鳾䴓鴆鸩鴇鸨鴉鸦鴒鸰鴕鸵鴛鸳鴝鸲鴞鸮鴟鸱鴣鸪鴦鸯鴨鸭鴯鸸" +
	"鴰鸹鴴鸻鴷䴕鴻鸿鴿鸽鵁䴔鵂鸺鵃鸼鵐鹀鵑鹃鵒鹆鵓鹁鵜鹈鵝鹅鵠鹄鵡鹉鵪鹌鵬鹏鵮鹐鵯鹎鵰雕鵲鹊鵷鹓鵾鹍" +
	"鶄䴖鶇鸫鶉鹑鶊鹒鶓鹋鶖鹙鶘鹕鶚鹗鶡鹖鶥鹛鶩鹜鶪䴗鶬鸧鶯莺鶲鹟鶴鹤鶵雏鶹鹠鶺鹡鶻鹘鶼鹣鷀鹚鷁鹢鷂鹞" +
	"鷄鸡鷈䴘鷉䴘鷊鹝鷓鹧鷖鹥鷗鸥鷙鸷鷚鹨鷥鸶鷦鹪鷫鹔鷯鹩鷰燕鷲鹫鷳鹇鷸鹬鷹鹰鷺鹭鷽鸴鷿䴙鸂㶉鸇鹯鸊䴙" +
	"鸌鹱鸏鹲鸕鸬鸘鹴鸚鹦鸛鹳鸝鹂鸞鸾鹵卤鹹咸鹺鹾鹼碱鹽盐麗丽麥麦麩麸麪面麯曲麴麹麵面麼么黃黄黌黉點点" +
	"黨党黲黪黴霉黶黡黷黩黽黾黿鼋鼇鳌鼉鼍鼕冬鼴鼹齊齐齋斋齎赍齏齑齒齿齔龀齕龁齗龂齙龅齜龇齟龃齠龆齡龄" +
	"齣出齦龈齧啮齪龊齬龉齲龋齶腭齷龌龍龙龎厐龐庞龑䶮龔龚龕龛龜龟鿁䜤鿐䲤鿓鿒鿠鿟鿳鿸"

// t2sCompatPairs folds the CJK Compatibility Ideographs whose canonical
// decomposition is a Traditional character in t2sPairs (fold applies NFKC
// only after toSimplified).
const t2sCompatPairs = "" +
	"豈岂車车賈贾龜龟龜龟懶懒癩癞羅罗蘿萝邏逻樂乐駱骆亂乱欄栏爛烂蘭兰鸞鸾嵐岚濫滥藍蓝襤褴臘腊蠟蜡來来" +
	"勞劳擄掳櫓橹爐炉盧卢蘆芦虜虏魯鲁鷺鹭祿禄綠绿錄录論论壟垄籠笼聾聋賂赂壘垒屢屡樓楼淚泪縷缕凜凛稜棱" +
	"綾绫讀读樂乐諾诺寧宁異异復复數数參参葉叶說说殺杀兩两糧粮諒谅勵励呂吕廬庐濾滤礪砺閭闾驪骊麗丽曆历" +
	"歷历轢轹憐怜戀恋撚捻漣涟煉炼璉琏練练聯联輦辇蓮莲連连鍊炼說说殮殓簾帘獵猎寧宁嶺岭瑩莹鈴铃靈灵領领" +
	"禮礼隸隶惡恶樂乐療疗遼辽龍龙暈晕劉刘紐纽類类陸陆倫伦崙仑淪沦輪轮慄栗裏里裡里離离藺蔺隣邻鱗鳞臨临" +
	"狀状識识輻辐見见塚冢諸诸飯饭飼饲館馆鶴鹤郞郎嘆叹層层懲惩漢汉禍祸禎祯穀谷節节練练縉缙視视謁谒謹谨" +
	"賓宾贈赠難难響响頻频舘馆並并塚冢墳坟懲惩殺杀漢汉節节絛绦練练華华視视調调諸诸請请謁谒諾诺諭谕謹谨" +
	"變变贈赠輸输遲迟鉶铏難难響响頻频龜龟龎厐"
