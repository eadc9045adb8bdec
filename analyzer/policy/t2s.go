package policy

import "strings"

// toSimplified folds the Traditional characters and regional words of the
// vocabulary sdkaudit matches (permissions, data, SDK and vendor names) to
// their Simplified, mainland forms. It is for matching only.
func toSimplified(s string) string {
	if !t2sHasTraditional(s) {
		// Regional words can be written in characters both scripts share
		// (登入, 推播): rewrite them anyway.
		return t2sWords.Replace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if m, ok := t2sChars[r]; ok {
			b.WriteRune(m)
		} else {
			b.WriteRune(r)
		}
	}
	return t2sWords.Replace(b.String())
}

func t2sHasTraditional(s string) bool {
	for _, r := range s {
		if _, ok := t2sChars[r]; ok {
			return true
		}
	}
	return false
}

// t2sWords rewrites regional vocabulary after the character fold.
var t2sWords = strings.NewReplacer(
	"个人资料", "个人信息", "应用程式", "应用程序", "储存空间", "存储空间", "行事历", "日历", "剪贴簿", "剪切板",
	"通话纪录", "通话记录", "脸部辨识", "人脸识别", "记忆体", "内存", "简讯", "短信", "推播", "推送", "相簿", "相册",
	"装置", "设备", "网路", "网络", "资讯", "信息", "登入", "登录", "当机", "崩溃", "辨识", "识别", "影片", "视频",
	"档案", "文件", "储存", "存储",
)

var t2sChars = t2sBuild()

func t2sBuild() map[rune]rune {
	m := map[rune]rune{}
	pairs := "個个們们權权機机攝摄頭头麥麦風风訊讯錄录話话電电簡简傳传應应歷历剪剪貼贴簿簿資资網网絡络設设備备裝装儲储存存冊册" +
		"聯联絡络態态識识標标碼码號号圖图處处臉脸辨辨認认證证實实際际錄录廣广告告統统計计數数據据訂订單单購购買买場场" +
		"區区點点圍围類类節节紀纪記记讀读寫写閱阅覽览瀏浏聲声語语視视頻频錄录音音樂乐檔档檢检測测雲云儲储轉转碼码處处" +
		"華华為为騰腾訊讯阿阿裏里里里巴巴網网易易極极光光盟盟數数美美牛牛聯联齒齿陌陌順顺豐丰銀银寶宝錢钱貝贝雙双" +
		"運运營营開开發发務务業业費费額额帳账戶户號号碼码密密鑰钥驗验證证碼码郵邮遞递寄寄線线連连結结鏈链" +
		"與与給给讓让說说這这時时會会對对於于從从來来後后無无須须將将還还過过還还並并並并於于麼么種种樣样點点麼么" +
		"關关閉闭啟启動动權权屬属許许請请須须須须收收集集據据獲获取取調调用用問问讀读當当執执行行權权協协議议條条款款" +
		"裡里邊边內内外外隱隐私私護护範范圍围責责觀观專专題题顯显示示憑凭臨临響响應应變变壓压靜静熱热環环境境" +
		"藍蓝牙牙無无線线體体溫温濕湿氣气壓压計计紀纪錄录簽签屬属據据儀仪錶表盤盘鐘钟錶表醫医療疗藥药" +
		"帳账號号綁绑綁绑雜杂質质級级產产權权擁拥擇择選选項项填填寫写標标籤签檔档夾夹蹤踪跡迹歸归"
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}
