package iosgen

// The committed .ipa fixtures (fixtures/ipa/), built by
// `go test ./analyzer/inventory/ -run TestIPAFixturesCurrent -update-ipa`.
// The SDKs in them are named by the class, framework and bundle names
// their vendors document; the apps and their code are made up.

var (
	system = []string{
		"/System/Library/Frameworks/Foundation.framework/Foundation",
		"/System/Library/Frameworks/UIKit.framework/UIKit",
		"/usr/lib/libobjc.A.dylib",
		"/usr/lib/libSystem.B.dylib",
	}
	att = []string{
		"/System/Library/Frameworks/AdSupport.framework/AdSupport",
		"/System/Library/Frameworks/AppTrackingTransparency.framework/AppTrackingTransparency",
	}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

const entitlementsXML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>application-identifier</key>
	<string>ABCDE12345.com.example.shoplike</string>
	<key>aps-environment</key>
	<string>production</string>
	<key>com.apple.developer.associated-domains</key>
	<array>
		<string>applinks:shop.example.com</string>
	</array>
</dict>
</plist>
`

// ShopLikeIPA is an unencrypted shopping app (as Xcode exports it for
// ad-hoc distribution): SDKs linked statically into the executable
// (Getui, Umeng, WeChat, Alipay, Bugly, GDT, Sensors, AMap location),
// embedded frameworks (Facebook's core kit as a fat binary with its
// privacy manifest, Alamofire without one, Pangle's BUAdSDK), a
// notification-service extension, resource bundles, the app's own
// privacy manifest and signed entitlements.
func ShopLikeIPA() []byte { return shopLike(false) }

// ShopLikeNextIPA is the next release of ShopLike: AppsFlyer added (a
// framework with its privacy manifest, collecting the device id for
// tracking) and a Bluetooth usage key, for `sdkaudit diff`.
func ShopLikeNextIPA() []byte { return shopLike(true) }

func shopLike(next bool) []byte {
	root := "Payload/ShopLike.app/"
	info := map[string]any{
		"CFBundleIdentifier":                  "com.example.shoplike",
		"CFBundleExecutable":                  "ShopLike",
		"CFBundleName":                        "ShopLike",
		"CFBundleDisplayName":                 "购物样例",
		"CFBundleShortVersionString":          "5.2.0",
		"CFBundleVersion":                     "520",
		"CFBundlePackageType":                 "APPL",
		"MinimumOSVersion":                    "13.0",
		"NSCameraUsageDescription":            "扫一扫和拍摄商品评价需要使用相机",
		"NSLocationWhenInUseUsageDescription": "为你推荐附近门店",
		"NSPhotoLibraryUsageDescription":      "上传商品评价图片",
		"NSUserTrackingUsageDescription":      "用于向你展示更相关的广告",
		"NSContactsUsageDescription":          "从通讯录邀请好友",
		"NSMicrophoneUsageDescription":        "语音搜索商品",
		"LSApplicationQueriesSchemes":         []string{"weixin", "weixinULAPI", "alipay", "mqqapi"},
		"UIBackgroundModes":                   []string{"remote-notification", "location"},
		"CFBundleURLTypes": []any{
			map[string]any{"CFBundleURLName": "weixin", "CFBundleURLSchemes": []string{"wx1234567890abcdef"}},
			map[string]any{"CFBundleURLName": "alipay", "CFBundleURLSchemes": []string{"shoplikealipay"}},
		},
		"GADApplicationIdentifier": "ca-app-pub-0000000000000000~0000000000",
		"FacebookAppID":            "000000000000000",
	}
	if next {
		info["CFBundleShortVersionString"] = "5.3.0"
		info["CFBundleVersion"] = "530"
		info["NSBluetoothAlwaysUsageDescription"] = "连接智能门店设备"
	}
	exe := MachO{CPU: CPUArm64, Type: TypeExecute, MinOS: 0x000d0000, Chained: true, EncryptionInfo: true,
		Dylibs: concat(system, []string{
			"/System/Library/Frameworks/CoreLocation.framework/CoreLocation",
			"@rpath/FBSDKCoreKit.framework/FBSDKCoreKit",
			"@rpath/Alamofire.framework/Alamofire",
			"@rpath/BUAdSDK.framework/BUAdSDK",
		}),
		WeakLibs:   att,
		ClassNames: []string{"AppDelegate", "SLHomeViewController", "SLCartStore", "GeTuiSdk", "UMConfigure", "MobClick", "WXMediaMessage", "AlipaySDK", "Bugly", "GDTSplashAd", "SAConfigOptions", "AMapLocationManager"},
		ListedClasses: []string{"AppDelegate", "SLHomeViewController", "_TtC8ShopLike18CartViewController", "WXApi", "APayAuthInfo", "BuglyConfig",
			"GDTSDKConfig", "SensorsAnalyticsSDK", "AMapServices"},
		Entitlements: []byte(entitlementsXML),
	}
	fb := Framework{Name: "FBSDKCoreKit", Version: "17.0.0",
		Binary: Fat(
			MachO{CPU: CPUX86_64, Type: TypeDylib, ClassNames: []string{"FBSDKApplicationDelegate"}}.Bytes(),
			MachO{CPU: CPUArm64, Type: TypeDylib, MinOS: 0x000c0000, Dylibs: concat(system, att), ListedClasses: []string{"FBSDKApplicationDelegate", "FBSDKSettings", "FBSDKAppEvents"}, Chained: true}.Bytes(),
		),
		Privacy: PrivacyInfo(true, []string{"ep1.facebook.com"}, []Collected{
			{Type: "NSPrivacyCollectedDataTypeDeviceID", Linked: false, Tracking: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising"}},
			{Type: "NSPrivacyCollectedDataTypeProductInteraction", Linked: false, Tracking: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeAnalytics"}},
			{Type: "NSPrivacyCollectedDataTypeAdvertisingData", Linked: false, Tracking: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising"}},
		}, map[string][]string{"NSPrivacyAccessedAPICategoryUserDefaults": {"CA92.1"}}),
	}
	af := Framework{Name: "Alamofire", Version: "5.8.0",
		Binary: MachO{CPU: CPUArm64, Type: TypeDylib, MinOS: 0x000c0000, Dylibs: system, ListedClasses: []string{"_TtC9Alamofire7Session", "_TtC9Alamofire7Request"}}.Bytes()}
	bu := Framework{Name: "BUAdSDK", Version: "5.9.0.6",
		Binary: MachO{CPU: CPUArm64, Type: TypeDylib, MinOS: 0x000b0000, Dylibs: concat(system, att), ClassNames: []string{"BUAdSDKManager", "BUSplashAd", "BUNativeExpressAdManager"}}.Bytes()}
	ext := "PlugIns/NotificationService.appex/"
	extInfo := map[string]any{
		"CFBundleIdentifier":         "com.example.shoplike.NotificationService",
		"CFBundleExecutable":         "NotificationService",
		"CFBundleShortVersionString": "5.2.0",
		"CFBundleVersion":            "520",
		"NSExtension":                map[string]any{"NSExtensionPointIdentifier": "com.apple.usernotifications.service", "NSExtensionPrincipalClass": "NotificationService"},
	}
	appPrivacy := PrivacyInfo(false, nil, []Collected{
		{Type: "NSPrivacyCollectedDataTypePreciseLocation", Linked: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeAppFunctionality"}},
		{Type: "NSPrivacyCollectedDataTypePhoneNumber", Linked: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeAppFunctionality"}},
		{Type: "NSPrivacyCollectedDataTypePurchaseHistory", Linked: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeAppFunctionality"}},
		{Type: "NSPrivacyCollectedDataTypeCrashData", Linked: false, Purposes: []string{"NSPrivacyCollectedDataTypePurposeAppFunctionality"}},
	}, map[string][]string{
		"NSPrivacyAccessedAPICategoryFileTimestamp":  {"C617.1"},
		"NSPrivacyAccessedAPICategorySystemBootTime": {"35F9.1"},
	})
	files := []File{
		{Name: root + "Info.plist", Data: Plist(info, true)},
		{Name: root + "ShopLike", Data: exe.Bytes()},
		{Name: root + "PrivacyInfo.xcprivacy", Data: appPrivacy},
		{Name: root + "GoogleService-Info.plist", Data: Plist(map[string]any{"GOOGLE_APP_ID": "1:000000000000:ios:0000000000000000", "BUNDLE_ID": "com.example.shoplike"}, false)},
		{Name: root + "AMap.bundle/AMap3D.bundle/images/marker.png", Data: []byte("\x89PNG\r\n\x1a\n")},
		{Name: root + "Assets.car", Data: make([]byte, 512)},
		{Name: root + "_CodeSignature/CodeResources", Data: Plist(map[string]any{"files": map[string]any{}}, false)},
		{Name: root + ext + "Info.plist", Data: Plist(extInfo, false)},
		{Name: root + ext + "NotificationService", Data: MachO{CPU: CPUArm64, Type: TypeExecute, MinOS: 0x000d0000, Dylibs: system, ListedClasses: []string{"NotificationService"}, ClassNames: []string{"GeTuiExtSdk"}}.Bytes()},
	}
	fws := []Framework{af, bu, fb}
	if next {
		fws = append(fws, Framework{Name: "AppsFlyerLib", Version: "6.14.0",
			Binary: MachO{CPU: CPUArm64, Type: TypeDylib, MinOS: 0x000c0000, Dylibs: concat(system, att), ClassNames: []string{"AppsFlyerLib", "AppsFlyerDeepLinkResult"}}.Bytes(),
			Privacy: PrivacyInfo(true, []string{"appsflyersdk.com"}, []Collected{
				{Type: "NSPrivacyCollectedDataTypeDeviceID", Tracking: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising", "NSPrivacyCollectedDataTypePurposeAnalytics"}},
				{Type: "NSPrivacyCollectedDataTypeCoarseLocation", Purposes: []string{"NSPrivacyCollectedDataTypePurposeAnalytics"}},
			}, map[string][]string{"NSPrivacyAccessedAPICategorySystemBootTime": {"35F9.1"}}),
		})
	}
	for _, f := range fws {
		files = append(files, f.Files(root+"Frameworks/")...)
	}
	return Zip(files)
}

// NewsLikeIPA is a news app as the App Store delivers it: the main
// executable is FairPlay-encrypted (its statically linked SDKs, TalkingData,
// Shumei and JPush, are invisible), while the embedded Umeng framework
// (fat, with its privacy manifest) and Bugly framework (without one), a
// Weibo resource bundle and the Info.plist still speak. The Info.plist is
// XML.
func NewsLikeIPA() []byte {
	root := "Payload/NewsLike.app/"
	info := map[string]any{
		"CFBundleIdentifier":             "com.example.newslike",
		"CFBundleExecutable":             "NewsLike",
		"CFBundleName":                   "NewsLike",
		"CFBundleShortVersionString":     "3.1.4",
		"CFBundleVersion":                "3140",
		"MinimumOSVersion":               "12.0",
		"NSCameraUsageDescription":       "拍照上传头像",
		"NSUserTrackingUsageDescription": "为你推荐个性化内容和广告",
		"LSApplicationQueriesSchemes":    []string{"sinaweibo", "weibosdk"},
		"UIBackgroundModes":              []string{"audio"},
	}
	exe := MachO{CPU: CPUArm64, Type: TypeExecute, MinOS: 0x000c0000, Encrypted: true,
		Dylibs:        concat(system, []string{"@rpath/UMCommon.framework/UMCommon", "@rpath/Bugly.framework/Bugly"}),
		WeakLibs:      att,
		ClassNames:    []string{"AppDelegate", "TalkingData", "SmAntiFraud", "JPUSHService"},
		ListedClasses: []string{"AppDelegate", "NLFeedViewController"},
	}
	um := Framework{Name: "UMCommon", Version: "7.4.2",
		Binary: Fat(
			MachO{CPU: CPUArm64, Type: TypeDylib, MinOS: 0x000b0000, Dylibs: system, ClassNames: []string{"UMConfigure", "MobClick"}}.Bytes(),
			MachO{CPU: CPUX86_64, Type: TypeDylib, ClassNames: []string{"UMConfigure"}}.Bytes(),
		),
		Privacy: PrivacyInfo(false, nil, []Collected{
			{Type: "NSPrivacyCollectedDataTypeDeviceID", Purposes: []string{"NSPrivacyCollectedDataTypePurposeAnalytics"}},
			{Type: "NSPrivacyCollectedDataTypeProductInteraction", Purposes: []string{"NSPrivacyCollectedDataTypePurposeAnalytics"}},
		}, map[string][]string{"NSPrivacyAccessedAPICategoryUserDefaults": {"CA92.1"}}),
	}
	bg := Framework{Name: "Bugly", Version: "2.6.1",
		Binary: MachO{CPU: CPUArm64, Type: TypeDylib, MinOS: 0x000b0000, Dylibs: system, ClassNames: []string{"Bugly", "BuglyConfig"}}.Bytes()}
	files := []File{
		{Name: root + "Info.plist", Data: Plist(info, false)},
		{Name: root + "NewsLike", Data: exe.Bytes(), Stored: true},
		{Name: root + "PrivacyInfo.xcprivacy", Data: PrivacyInfo(true, []string{"ads.example-tracker.com"}, []Collected{
			{Type: "NSPrivacyCollectedDataTypeDeviceID", Tracking: true, Purposes: []string{"NSPrivacyCollectedDataTypePurposeThirdPartyAdvertising"}},
			{Type: "NSPrivacyCollectedDataTypeCoarseLocation", Purposes: []string{"NSPrivacyCollectedDataTypePurposeProductPersonalization"}},
		}, nil)},
		{Name: root + "WeiboSDK.bundle/images/logo.png", Data: []byte("\x89PNG\r\n\x1a\n")},
	}
	for _, f := range []Framework{bg, um} {
		files = append(files, f.Files(root+"Frameworks/")...)
	}
	return Zip(files)
}
