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
		{Path: "play-services-base.properties", Group: "com.google.android.gms", Artifact: "play-services-base", Version: "18.9.0"},
		{Path: "play-services-tasks.properties", Group: "com.google.android.gms", Artifact: "play-services-tasks", Version: "18.4.0"},
	}
	for _, tc := range []struct {
		id       string
		prefixes []string
		want     string
	}{
		{"", []string{"com.google.android.gms.ads"}, "22.1.0"},
		{"", []string{"com.google.android.gms.ads.identifier"}, "18.0.0"},
		{"", []string{"androidx.core"}, "1.9.0"},
		{"", []string{"androidx"}, ""}, // artifacts disagree: no single version
		{"", []string{"com.igexin"}, ""},
		// The SDK's own artifact outranks one that shares its packages.
		{"google-play-services-base", []string{"com.google.android.gms.common", "com.google.android.gms.tasks"}, "18.9.0"},
		{"", []string{"com.google.android.gms.common", "com.google.android.gms.tasks"}, "18.4.0"},
		{"huawei-hms-core", []string{"com.huawei.hms.api"}, ""}, // not androidx core's
	} {
		if got, _ := version(files, tc.id, tc.prefixes); got != tc.want {
			t.Errorf("version(%q, %v) = %q, want %q", tc.id, tc.prefixes, got, tc.want)
		}
	}
}

func TestSameVersion(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"2.9.1", "2.9.1", true},
		{"2.9.1", "2.9.1.lite", true},
		{"2.9.1.lite", "2.9.1", true},
		{"2.9", "2.9.1", false},
		{"2.9.1", "2.9.10", false},
		{"2.9.1", "2.9.1-beta", true},
		{"1.0", "2.0", false},
	} {
		if got := sameVersion(tc.a, tc.b); got != tc.want {
			t.Errorf("sameVersion(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestConstantRank(t *testing.T) {
	for _, tc := range []struct {
		class, field, value string
		want                int
	}{
		{"com.umeng.commonsdk.statistics.SdkVersion", "SDK_VERSION", "2.1.0", 1},
		{"com.tencent.wxop.stat.common.StatConstants", "VERSION", "2.0.3", 2},
		{"com.facebook.FacebookSdkVersion", "BUILD", "4.25.0", 2},
		{"com.x.Build", "BUILD", "4.25.0", 0},
		{"com.bumptech.glide.BuildConfig", "VERSION_NAME", "4.9.0", 3},
		{"com.x.BuildConfig", "VERSION_NAME", "1.0", 0},
		{"cn.bmob.v3.BmobConstants", "VERSION_NAME", "v3.5.3", 2},
	} {
		if got := constantRank(tc.class, tc.field, tc.value); got != tc.want {
			t.Errorf("constantRank(%s.%s = %q) = %d, want %d", tc.class, tc.field, tc.value, got, tc.want)
		}
	}
}

// Versions the code states: a constant goes to the SDK whose prefix owns
// its class, a better-named constant wins, disagreement gives nothing, the
// app's own constants are ignored, and a native library's string is the
// last resort.
func TestCodeVersions(t *testing.T) {
	inv := testInventory()
	dc := func(class, field, v string) inventory.VersionString {
		return inventory.VersionString{Kind: inventory.VersionDexConstant, Path: "classes.dex", Class: class, Field: field, Version: v}
	}
	inv.VersionStrings = []inventory.VersionString{
		dc("com.tencent.bugly.BuildConfig", "VERSION_NAME", "1.0.2"),
		dc("com.tencent.bugly.crashreport.CrashModule", "SDK_VERSION", "3.4.4"),
		dc("com.tencent.mm.opensdk.constants.Build", "SDK_VERSION_NAME", "6.8.0"),
		dc("com.tencent.mm.opensdk.constants.Build2", "SDK_VERSION", "6.8.1"),
		dc("com.huawei.hms.push.BuildConfig", "VERSION_NAME", "v6.3.0"),
		dc("org.example.app.BuildConfig", "VERSION_NAME", "9.9.9"),
		{Kind: inventory.VersionNativeString, Path: "lib/arm64-v8a/libgetuiext3.so", Lib: "libgetuiext3.so", Version: "3.2.1"},
	}
	got := map[string]string{}
	for _, d := range NewIndex(testDB()).Detect(inv).SDKs {
		if d.Version != "" {
			got[d.ID] = d.Version + " @ " + d.VersionSource
		}
	}
	want := map[string]string{
		"bugly":       `3.4.4 @ classes.dex: com.tencent.bugly.crashreport.CrashModule.SDK_VERSION = "3.4.4"`,
		"huawei-push": `6.3.0 @ classes.dex: com.huawei.hms.push.BuildConfig.VERSION_NAME = "v6.3.0"`,
		"getui-push":  `3.2.1 @ lib/arm64-v8a/libgetuiext3.so: string "3.2.1"`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("versions (-want +got):\n%s", d)
	}
}

// A demo whose launcher sits under a vendor root (cn.jiguang.jmlinkdemo
// under a cn.jiguang rule) is the app's own code; a launcher in a package a
// rule names itself (an engine's activity) is not.
func TestLauncherPackageIsTheApps(t *testing.T) {
	db := &rules.DB{SDKs: []rules.SDK{
		{ID: "jcore", Kind: "sdk", Category: "push", AllowRootPrefix: true, Signatures: rules.Signatures{DexPrefixes: []string{"cn.jiguang"}}},
		{ID: "engine", Kind: "library", Category: "framework", Signatures: rules.Signatures{DexPrefixes: []string{"com.engine.player"}}},
	}}
	main := []manifest.IntentFilter{{Actions: []string{"android.intent.action.MAIN"}, Categories: []string{"android.intent.category.LAUNCHER"}}}
	inv := &inventory.Inventory{
		Manifest: &manifest.Manifest{Package: "com.jiguang.demo", Components: []manifest.Component{
			{Type: "activity", Name: "cn.jiguang.demo.MainActivity", IntentFilters: main},
		}},
		Dex: inventory.Dex{Files: []inventory.DexFile{{Name: "classes.dex", ClassList: []string{
			"Lcn/jiguang/demo/MainActivity;", "Lcn/jiguang/demo/R;", "Lcn/jiguang/demo/Util;",
		}}}},
	}
	if got := NewIndex(db).Detect(inv); len(got.SDKs)+len(got.Traces) != 0 {
		t.Errorf("the demo's own code was attributed: %+v", got)
	}
	inv.Components[0].Name = "com.engine.player.PlayerActivity"
	inv.Dex.Files[0].ClassList = []string{"Lcom/engine/player/PlayerActivity;", "Lcom/engine/player/Native;", "Lcom/engine/player/View;"}
	if got := NewIndex(db).Detect(inv); len(got.SDKs) != 1 || got.SDKs[0].ID != "engine" {
		t.Errorf("an engine's launcher hid the engine: %+v", got.SDKs)
	}
}

// A dex_strings hit is evidence of the SDK's own code on its own: renamed
// code leaves no package to match.
func TestDexStrings(t *testing.T) {
	db := &rules.DB{SDKs: []rules.SDK{{ID: "hia", Kind: "sdk", Category: "analytics",
		Signatures: rules.Signatures{DexPrefixes: []string{"com.huawei.hianalytics"}, DexStrings: []string{"HiAnalytics/Server"}}}}}
	ix := NewIndex(db)
	if got := ix.DexStrings(); len(got) != 1 || got[0] != "HiAnalytics/Server" {
		t.Fatalf("DexStrings() = %v", got)
	}
	inv := &inventory.Inventory{Manifest: &manifest.Manifest{Package: "org.example.app"},
		Dex: inventory.Dex{Files: []inventory.DexFile{{Name: "classes.dex", ClassList: []string{"Lcom/huawei/a/a;"}, Strings: []string{"HiAnalytics/Server"}}}}}
	got := ix.Detect(inv).SDKs
	if len(got) != 1 || got[0].ID != "hia" || got[0].Evidence[0].Kind != KindDexString || got[0].Evidence[0].Trace {
		t.Errorf("got %+v", got)
	}
}

func TestPlayServicesBundle(t *testing.T) {
	var classes []string
	for _, m := range bundleModules[:8] {
		classes = append(classes, "Lcom/google/android/gms/"+m+"/A;")
	}
	if !playServicesBundle(classes) {
		t.Error("8 bundle-only modules not taken for the bundle")
	}
	if playServicesBundle(classes[:7]) {
		t.Error("7 modules taken for the bundle")
	}
}
