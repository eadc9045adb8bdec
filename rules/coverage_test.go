package rules

import (
	"testing"
)

func TestCoverageCounts(t *testing.T) {
	db := mustEmbedded(t)
	if n := len(db.SDKs); n < 250 {
		t.Errorf("%d SDK entries, want at least 250", n)
	}
	if n := len(db.Permissions); n < 80 {
		t.Errorf("%d permissions, want at least 80", n)
	}
	if n := len(db.DataCategories); n < 28 {
		t.Errorf("%d data categories, want at least 28", n)
	}
	if n := len(db.APIs); n < 90 {
		t.Errorf("%d API rules, want at least 90", n)
	}
	kinds := map[string]int{}
	for _, s := range db.SDKs {
		kinds[s.Kind]++
	}
	if kinds[KindSDK] < 200 || kinds[KindLibrary] < 40 {
		t.Errorf("kinds = %v; want at least 200 SDKs and 40 libraries", kinds)
	}
	t.Logf("%d SDK entries (%v), %d vendors, %d permissions, %d data categories, %d API rules",
		len(db.SDKs), kinds, len(db.Vendors), len(db.Permissions), len(db.DataCategories), len(db.APIs))
}

// TestDangerousPermissionsCovered lists every AOSP permission whose
// current protection level is dangerous; each must have an entry.
func TestDangerousPermissionsCovered(t *testing.T) {
	db := mustEmbedded(t)
	dangerous := []string{
		"ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION", "ACCESS_BACKGROUND_LOCATION", "ACCESS_MEDIA_LOCATION",
		"CAMERA", "RECORD_AUDIO", "READ_CONTACTS", "WRITE_CONTACTS", "GET_ACCOUNTS",
		"READ_PHONE_STATE", "READ_PHONE_NUMBERS", "CALL_PHONE", "ANSWER_PHONE_CALLS", "USE_SIP", "ACCEPT_HANDOVER",
		"READ_CALL_LOG", "WRITE_CALL_LOG", "PROCESS_OUTGOING_CALLS",
		"READ_SMS", "SEND_SMS", "RECEIVE_SMS", "RECEIVE_MMS", "RECEIVE_WAP_PUSH",
		"READ_CALENDAR", "WRITE_CALENDAR", "BODY_SENSORS", "BODY_SENSORS_BACKGROUND", "ACTIVITY_RECOGNITION",
		"READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE",
		"READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO", "READ_MEDIA_AUDIO", "READ_MEDIA_VISUAL_USER_SELECTED",
		"BLUETOOTH_SCAN", "BLUETOOTH_CONNECT", "BLUETOOTH_ADVERTISE", "UWB_RANGING", "NEARBY_WIFI_DEVICES",
		"POST_NOTIFICATIONS",
	}
	for _, p := range dangerous {
		perm, ok := db.Permission("android.permission." + p)
		if !ok {
			t.Errorf("dangerous permission %s missing", p)
			continue
		}
		if perm.ProtectionLevel != "dangerous" {
			t.Errorf("%s protection_level = %q, want dangerous", p, perm.ProtectionLevel)
		}
		if !perm.PrivacyRelevant {
			t.Errorf("%s is dangerous but not privacy_relevant", p)
		}
	}
	if p, ok := db.Permission("com.android.voicemail.permission.ADD_VOICEMAIL"); !ok || p.ProtectionLevel != "dangerous" {
		t.Error("ADD_VOICEMAIL missing or not dangerous")
	}
	for _, name := range []string{
		"android.permission.QUERY_ALL_PACKAGES", "android.permission.GET_TASKS",
		"android.permission.SYSTEM_ALERT_WINDOW", "android.permission.REQUEST_INSTALL_PACKAGES",
		"android.permission.PACKAGE_USAGE_STATS", "com.android.permission.GET_INSTALLED_APPS",
		"com.google.android.gms.permission.AD_ID", "android.permission.ACCESS_WIFI_STATE",
		"android.permission.BLUETOOTH", "android.permission.BLUETOOTH_ADMIN",
		"android.permission.READ_PRIVILEGED_PHONE_STATE", "android.permission.MANAGE_EXTERNAL_STORAGE",
	} {
		if _, ok := db.Permission(name); !ok {
			t.Errorf("privacy-relevant permission %s missing", name)
		}
	}
}

func TestPermissionlessDataPointsAreCategories(t *testing.T) {
	db := mustEmbedded(t)
	for _, id := range []string{"clipboard", "android-id", "mac", "installed-apps", "oaid", "serial", "sensors"} {
		if _, ok := db.DataCategory(id); !ok {
			t.Errorf("data category %q missing", id)
		}
	}
}

// referencePolicyVendors are the data recipients named in the reference
// policy (shared/seed/000_feac4a27d79445a3.txt, 脉脉隐私政策 2022-03-16),
// spelt exactly as the policy prints them, with the vendor they must
// resolve to. textOnly marks the vendors without any public client code.
var referencePolicyVendors = []struct {
	name     string
	vendor   string
	textOnly bool
}{
	{"深圳永安在线科技有限公司", "yazx", true},
	{"北京数字联盟网络科技有限公司", "shuzilm", false},
	{"北京数美时代科技有限公司", "shumei", false},
	{"华为", "huawei", false},
	{"小米", "xiaomi", false},
	{"OPPO", "oppo", false},
	{"VIVO", "vivo", false},
	{"魅族", "meizu", false},
	{"每日互动股份有限公司", "getui", false},
	{"北京微方程科技有限公司", "weifangcheng", true},
	{"北京腾云天下科技有限公司", "talkingdata", false},
	{"腾讯云", "tencent-cloud", false},
	{"上海七牛信息技术有限公司", "qiniu", false},
	{"阿里云计算有限公司", "alibaba-cloud", false},
	{"北京勤力智兆科技有限公司", "qinlizhizhao", true},
	{"北京智齿众服技术咨询有限公司", "sobot", false},
	{"北京容联七陌科技有限公司", "7moor", false},
	{"顺丰", "sf-express", false},
	{"易宝科技有限公司", "yeepay", false},
	{"易宝支付", "yeepay", false},
	{"支付宝", "alipay", false},
	{"微信支付", "tenpay", false},
	{"中国移动通信集团北京有限公司", "china-mobile", false},
}

func TestReferencePolicyVendorsResolve(t *testing.T) {
	db := mustEmbedded(t)
	for _, rv := range referencePolicyVendors {
		got := db.VendorsByName(rv.name)
		if len(got) != 1 || got[0].ID != rv.vendor {
			t.Errorf("VendorsByName(%q) = %v, want [%s]", rv.name, ids(got), rv.vendor)
			continue
		}
		sdks := db.SDKsByVendor(rv.vendor)
		if len(sdks) == 0 {
			t.Errorf("vendor %q (%s) has no SDK entry", rv.vendor, rv.name)
			continue
		}
		withSig := 0
		for _, s := range sdks {
			if !s.Signatures.Empty() {
				withSig++
			}
		}
		if rv.textOnly && withSig > 0 {
			t.Errorf("vendor %q is text-only but has %d SDKs with signatures", rv.vendor, withSig)
		}
		if !rv.textOnly && withSig == 0 {
			t.Errorf("vendor %q (%s) has no SDK with signatures", rv.vendor, rv.name)
		}
	}
}

// TestReferencePolicySDKNames: product names the reference policy uses in
// running text resolve to SDK entries.
func TestReferencePolicySDKNames(t *testing.T) {
	db := mustEmbedded(t)
	for name, want := range map[string]string{
		"微信支付": "wechat-pay",
		"支付宝":  "alipay-sdk",
		"易宝支付": "yeepay-payment",
		"顺丰":   "sf-express-logistics",
	} {
		got := db.SDKsByName(name)
		if len(got) != 1 || got[0].ID != want {
			t.Errorf("SDKsByName(%q) = %v, want %s", name, sdkIDs(got), want)
		}
	}
}

// csvCoverage maps every row of shared/reference/sdks.csv (its sdk_id) to
// the entry that covers it here, so that no verified row is lost.
var csvCoverage = map[string]string{
	"getui_push": "getui-push", "getui_gy": "getui-gy", "huawei_push": "huawei-push",
	"huawei_hms_core": "huawei-hms-core", "xiaomi_push": "xiaomi-push", "oppo_push": "oppo-push",
	"vivo_push": "vivo-push", "meizu_push": "meizu-push", "honor_push": "honor-push",
	"talkingdata": "talkingdata-app-analytics", "tencent_faceid": "tencent-cloud-faceid",
	"qiniu": "qiniu-storage", "aliyun_privacy_number": "alibaba-cloud-privacy-number",
	"aliyun_number_auth": "aliyun-number-auth", "qinlizhizhao": "qinlizhizhao-virtual-number",
	"sobot": "sobot-customer-service", "7moor": "7moor-customer-service", "yeepay": "yeepay-payment",
	"alipay": "alipay-sdk", "wechat_opensdk": "wechat-opensdk", "cmcc_auth": "cmcc-number-auth",
	"cucc_auth": "cucc-number-auth", "ctcc_auth": "ctcc-number-auth", "shumei": "shumei-device-fingerprint",
	"shuzilm": "shuzilm-trusted-id", "yazx_threathunter": "yazx-risk-service",
	"weifangcheng_ads": "weifangcheng-ads", "sf_express": "sf-express-logistics",
	"umeng_analytics": "umeng-analytics", "umeng_push": "umeng-push", "umeng_share": "umeng-share",
	"jpush": "jpush", "jverification": "jverification", "bugly": "bugly", "tencent_matrix": "tencent-matrix",
	"tencent_x5": "tencent-x5", "tencent_tpns": "tencent-tpns", "tencent_mta": "tencent-mta",
	"tencent_beacon": "tencent-beacon", "baidu_map": "baidu-map", "baidu_location": "baidu-location",
	"amap": "amap-map", "tencent_map": "tencent-map", "pangle_csj": "pangle-csj", "gdt_ylh": "gdt-ylh",
	"kuaishou_ads": "kuaishou-ads", "baidu_mobads": "baidu-mobads", "baidu_mobstat": "baidu-mobstat",
	"baidu_push": "baidu-push", "weibo": "weibo-sdk", "qq_connect": "qq-connect", "sharesdk_mob": "sharesdk",
	"aliyun_emas_push": "aliyun-emas-push", "aliyun_oss": "aliyun-oss", "aliyun_httpdns": "aliyun-httpdns",
	"ali_utdid": "ali-utdid", "aliyun_realperson": "aliyun-real-person", "tencent_cos": "tencent-cos",
	"tencent_im": "tencent-im", "tencent_trtc": "tencent-trtc", "netease_im": "netease-nim",
	"netease_qiyu": "netease-qiyu", "netease_yidun": "netease-quicklogin", "rongcloud": "rongcloud-im",
	"agora": "agora-rtc", "easemob": "easemob-im", "zego": "zego-express", "growingio": "growingio",
	"sensorsdata": "sensors-analytics", "volcengine_applog": "volcengine-applog",
	"douyin_open": "douyin-open-sdk", "xiaomi_stat": "xiaomi-onetrack", "xiaomi_ads": "xiaomi-mimo-ads",
	"huawei_ads": "huawei-ads", "sigmob": "sigmob", "mintegral": "mintegral", "msa_oaid": "msa-oaid",
	"shanyan": "shanyan", "geetest": "geetest-captcha", "tongdun": "tongdun-fraud",
	"dingxiang": "dingxiang-risk", "megvii": "megvii-faceid", "iflytek": "iflytek-msc",
	"unionpay": "unionpay-uppay", "meiqia": "meiqia", "firebase_analytics": "firebase-analytics",
	"firebase_crashlytics": "firebase-crashlytics", "firebase_messaging": "firebase-messaging",
	"google_ads": "google-admob", "google_location": "google-location", "google_maps": "google-maps",
	"install_referrer": "play-install-referrer", "facebook_sdk": "facebook-core",
	"facebook_an": "facebook-audience-network", "appsflyer": "appsflyer", "adjust": "adjust",
	"branch": "branch", "sentry": "sentry", "onesignal": "onesignal", "braze": "braze",
	"mixpanel": "mixpanel", "amplitude": "amplitude", "google_signin": "google-sign-in",
	"unity_ads": "unity-ads", "applovin": "applovin", "ironsource": "ironsource",
}

func TestReferenceCSVCovered(t *testing.T) {
	db := mustEmbedded(t)
	if len(csvCoverage) != 106 {
		t.Errorf("csvCoverage has %d rows, sdks.csv has 106", len(csvCoverage))
	}
	for row, id := range csvCoverage {
		if _, ok := db.SDK(id); !ok {
			t.Errorf("sdks.csv row %s: entry %q missing", row, id)
		}
	}
}

// TestCommonSDKsPresent lists the SDKs users in China and worldwide meet
// most; each must have an entry.
func TestCommonSDKsPresent(t *testing.T) {
	db := mustEmbedded(t)
	for _, id := range []string{
		"umeng-common", "umeng-analytics", "umeng-push", "umeng-share", "umeng-apm", "umeng-verify",
		"jpush", "jiguang-jcore", "jverification", "bugly", "tencent-x5",
		"baidu-map", "baidu-location", "amap-map", "amap-location", "tencent-map", "tencent-location",
		"pangle-csj", "gdt-ylh", "kuaishou-ads", "baidu-mobads", "weibo-sdk", "qq-connect", "wechat-opensdk",
		"alipay-sdk", "unionpay-uppay", "sharesdk", "mobtech-common", "sensors-analytics", "growingio",
		"netease-nim", "rongcloud-im", "agora-rtc", "tencent-im", "tencent-trtc", "aliyun-emas-push",
		"aliyun-oss", "tencent-cos", "huawei-push", "huawei-account", "huawei-analytics", "huawei-location",
		"honor-push", "xiaomi-push", "oppo-push", "vivo-push", "meizu-push",
		"cmcc-number-auth", "cucc-number-auth", "ctcc-number-auth", "shumei-device-fingerprint",
		"tongdun-fraud", "geetest-captcha", "netease-yidun-captcha", "firebase-analytics",
		"firebase-messaging", "firebase-crashlytics", "google-admob", "google-location", "google-sign-in",
		"facebook-core", "appsflyer", "adjust", "branch", "sentry", "onesignal", "braze", "mixpanel",
		"amplitude", "segment",
		"okhttp", "retrofit", "gson", "glide", "fresco", "androidx", "kotlin-stdlib", "kotlinx-coroutines",
		"rxjava", "eventbus", "butterknife", "dagger", "lottie", "protobuf",
	} {
		if _, ok := db.SDK(id); !ok {
			t.Errorf("common SDK %q missing", id)
		}
	}
}
