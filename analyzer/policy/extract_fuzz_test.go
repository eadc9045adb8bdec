package policy

import (
	"testing"

	"github.com/sdkaudit/sdkaudit/analyzer/document"
)

// The reader of declarations never panics on what the document reader
// gives it: odd tables, glued records, pipe paragraphs, broken labels.
func FuzzExtract(f *testing.F) {
	for _, seed := range []string{
		"申请的权限 | 业务功能\n\n---|---\n\n写外部存储器（如：SD卡） | 保存用户头像\n",
		"第三方SDK名称：Bugly 用途：用于应用升级 第三方SDK名称：高德地图 用途：用于提供精准定位服务",
		"第三方名称：\n极光\n使用目的：\n用于推送通知消息\n",
		"第三方SDK“友盟push”为优化体验；第三方SDK“小米、oppo、huawei、vivo”为推送；第三方SDK“七牛PCDN”；",
		"- **com.htc.launcher.permission.READ_SETTINGS**\n- android.permission.ACCESS_NETWORK_STAT\n",
		"七、更新 7.1 如您不同意更新后的隐私政策内容，您应不使用本平台服务。\n==========\n========== 九、第三方 SDK信息公示\n",
		"日历权限\n收集内容：日历事件信息(仅写入,不读取)\n",
		"YSDK集成的SDK含有：腾讯开放平台、腾讯QQ钱包 | 华为推送隐私政策：",
	} {
		f.Add([]byte(seed), uint8(0))
		f.Add([]byte(seed), uint8(1))
	}
	lx := lexicon(f)
	names := []string{"p.md", "p.txt", "p.html"}
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		if len(data) > 1<<16 {
			return
		}
		d, err := document.Read(names[int(kind)%len(names)], data, document.Limits{})
		if err != nil {
			return
		}
		lx.Extract([]*Document{d})
	})
}
