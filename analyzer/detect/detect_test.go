package detect

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdkaudit/sdkaudit/analyzer/inventory"
	"github.com/sdkaudit/sdkaudit/analyzer/manifest"
	"github.com/sdkaudit/sdkaudit/analyzer/native"
	"github.com/sdkaudit/sdkaudit/rules"
)

func testDB() *rules.DB {
	return &rules.DB{SDKs: []rules.SDK{
		{ID: "broad-tencent", Kind: "sdk", Category: "other", Signatures: rules.Signatures{DexPrefixes: []string{"com.tencent.mm"}}},
		{ID: "bugly", Kind: "sdk", Category: "crash", Signatures: rules.Signatures{DexPrefixes: []string{"com.tencent.bugly"}}},
		{ID: "wechat", Kind: "sdk", Category: "social-login", Signatures: rules.Signatures{DexPrefixes: []string{"com.tencent.mm.opensdk"}, Components: []string{"*.wxapi.WXEntryActivity"}}},
		{ID: "getui-push", Kind: "sdk", Category: "push", AdapterFor: []string{"huawei-push"}, Signatures: rules.Signatures{DexPrefixes: []string{"com.igexin"}, MetaData: []string{"GETUI_APPID"}, NativeLibs: []string{"libgetuiext*.so"}}},
		{ID: "huawei-push", Kind: "sdk", Category: "push", Signatures: rules.Signatures{DexPrefixes: []string{"com.huawei.hms.push"}}},
		{ID: "mipush", Kind: "sdk", Category: "push", Signatures: rules.Signatures{Permissions: []string{"*.permission.MIPUSH_RECEIVE"}, Components: []string{"com.xiaomi.push.service."}}},
		{ID: "okhttp", Kind: "library", Category: "network", Signatures: rules.Signatures{DexPrefixes: []string{"okhttp3"}, Assets: []string{"okhttp3/*.txt"}}},
		{ID: "self", Kind: "sdk", Category: "other", Signatures: rules.Signatures{DexPrefixes: []string{"org.example"}}},
	}}
}

func testInventory() *inventory.Inventory {
	return &inventory.Inventory{
		Manifest: &manifest.Manifest{
			Package: "org.example.app",
			Components: []manifest.Component{
				{Type: "activity", Name: "org.example.app.wxapi.WXEntryActivity"},
				{Type: "service", Name: "com.xiaomi.push.service.XMPushService"},
			},
			MetaData:            []manifest.MetaData{{Owner: "application", Name: "GETUI_APPID"}},
			DeclaredPermissions: []manifest.Permission{{Name: "org.example.app.permission.MIPUSH_RECEIVE"}},
		},
		Dex: inventory.Dex{Files: []inventory.DexFile{
			{Name: "classes.dex", ClassList: []string{
				"Lcom/tencent/bugly/crashreport/CrashReport;",
				"Lcom/tencent/bugly/Bugly;",
				"Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;",
				"Lorg/example/app/MainActivity;",
				"Lcom/huawei/hms/push/HmsMessageService;",
				"LNoPackage;",
			}},
			{Name: "classes2.dex", ClassList: []string{
				"Lcom/igexin/sdk/PushManager;",
				"Lokhttp3/OkHttpClient;",
				"Lokhttp3x/NotOkHttp;",
			}},
		}},
		NativeLibs: []native.ABI{{ABI: "arm64-v8a", Libs: []native.Lib{{Name: "libgetuiext3.so", Path: "lib/arm64-v8a/libgetuiext3.so"}}}},
		Assets:     []string{"assets/okhttp3/publicsuffixes.txt"},
	}
}

func TestDetect(t *testing.T) {
	got := NewIndex(testDB()).Detect(testInventory()).SDKs
	want := []Detection{
		{ID: "bugly", Category: "crash", Kind: "sdk", Confidence: "medium", Evidence: []Evidence{
			{Kind: KindDexPrefix, Signature: "com.tencent.bugly", Where: "classes.dex", Classes: 2}}},
		{ID: "getui-push", Category: "push", Kind: "sdk", Confidence: "high", Evidence: []Evidence{
			{Kind: KindDexPrefix, Signature: "com.igexin", Where: "classes2.dex", Classes: 1},
			{Kind: KindMetaData, Signature: "GETUI_APPID", Where: "meta-data GETUI_APPID on application", Trace: true},
			{Kind: KindNativeLib, Signature: "libgetuiext*.so", Where: "lib/arm64-v8a/libgetuiext3.so"}}},
		{ID: "huawei-push", Category: "push", Kind: "sdk", Confidence: "low", Via: "getui-push", Evidence: []Evidence{
			{Kind: KindDexPrefix, Signature: "com.huawei.hms.push", Where: "classes.dex", Classes: 1}}},
		{ID: "mipush", Category: "push", Kind: "sdk", Confidence: "high", Evidence: []Evidence{
			{Kind: KindComponent, Signature: "com.xiaomi.push.service.", Where: "service com.xiaomi.push.service.XMPushService"},
			{Kind: KindPermission, Signature: "*.permission.MIPUSH_RECEIVE", Where: "permission org.example.app.permission.MIPUSH_RECEIVE", Trace: true}}},
		{ID: "okhttp", Category: "network", Kind: "library", Confidence: "high", Evidence: []Evidence{
			{Kind: KindAsset, Signature: "okhttp3/*.txt", Where: "assets/okhttp3/publicsuffixes.txt"},
			{Kind: KindDexPrefix, Signature: "okhttp3", Where: "classes2.dex", Classes: 1}}},
		{ID: "wechat", Category: "social-login", Kind: "sdk", Confidence: "high", Evidence: []Evidence{
			{Kind: KindComponent, Signature: "*.wxapi.WXEntryActivity", Where: "activity org.example.app.wxapi.WXEntryActivity"},
			{Kind: KindDexPrefix, Signature: "com.tencent.mm.opensdk", Where: "classes.dex", Classes: 1}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("detections (-want +got):\n%s", diff)
	}
}

func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		glob, s string
		want    bool
	}{
		{"*.wxapi.WXEntryActivity", "a.b.wxapi.WXEntryActivity", true},
		{"*.wxapi.WXEntryActivity", "a.b.wxapi.WXEntryActivityX", false},
		{"com.x.*.Y", "com.x.a.b.Y", true},
		{"exact", "exact", true},
		{"exact", "exactly", false},
	} {
		if got := wildcard(tc.glob, tc.s); got != tc.want {
			t.Errorf("wildcard(%q, %q) = %v", tc.glob, tc.s, got)
		}
	}
}

func TestVersionFromMetaInf(t *testing.T) {
	files := []inventory.VersionFile{
		{Path: "META-INF/com.google.android.gms_play-services-ads.version", Group: "com.google.android.gms", Artifact: "play-services-ads", Version: "22.1.0"},
		{Path: "META-INF/com.google.android.gms_play-services-ads-identifier.version", Group: "com.google.android.gms", Artifact: "play-services-ads-identifier", Version: "18.0.0"},
		{Path: "META-INF/androidx.core_core.version", Group: "androidx.core", Artifact: "core", Version: "1.9.0"},
		{Path: "META-INF/androidx.activity_activity.version", Group: "androidx.activity", Artifact: "activity", Version: "1.6.0"},
	}
	for _, tc := range []struct {
		prefixes []string
		want     string
	}{
		{[]string{"com.google.android.gms.ads"}, "22.1.0"},
		{[]string{"com.google.android.gms.ads.identifier"}, "18.0.0"},
		{[]string{"androidx.core"}, "1.9.0"},
		{[]string{"androidx"}, ""}, // artifacts disagree: no single version
		{[]string{"com.igexin"}, ""},
	} {
		if got, _ := version(files, tc.prefixes); got != tc.want {
			t.Errorf("version(%v) = %q, want %q", tc.prefixes, got, tc.want)
		}
	}
}
