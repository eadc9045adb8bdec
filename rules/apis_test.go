package rules

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// requiredAPIs pins the references the embedded apis.yaml must cover: each
// row needs an entry of that kind, ref and with_string whose data lists the
// category. worksUntil, when not zero, pins the entry's works_until_api.
var requiredAPIs = []struct {
	kind, ref, with string
	data            string
	worksUntil      int
}{
	// telephony
	{APIMethod, "Landroid/telephony/TelephonyManager;->getDeviceId", "", "imei", 28},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getImei", "", "imei", 28},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getMeid", "", "imei", 28},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getSubscriberId", "", "imsi", 28},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getSimSerialNumber", "", "iccid", 28},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getLine1Number", "", "phone-number", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getCellLocation", "", "cell-info", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getAllCellInfo", "", "cell-info", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getNeighboringCellInfo", "", "cell-info", 28},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getSimOperator", "", "network-carrier", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getNetworkOperator", "", "network-carrier", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getSimOperatorName", "", "network-carrier", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getNetworkOperatorName", "", "network-carrier", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getServiceState", "", "network-carrier", 0},
	{APIMethod, "Landroid/telephony/TelephonyManager;->listen", "", "cell-info", 0},
	{APIMethod, "Landroid/telephony/SubscriptionManager;->getActiveSubscriptionInfoList", "", "network-carrier", 0},
	// Wi-Fi, network, Bluetooth
	{APIMethod, "Landroid/net/wifi/WifiInfo;->getMacAddress", "", "mac", 22},
	{APIMethod, "Landroid/net/wifi/WifiInfo;->getBSSID", "", "wifi-info", 0},
	{APIMethod, "Landroid/net/wifi/WifiInfo;->getSSID", "", "wifi-info", 0},
	{APIMethod, "Landroid/net/wifi/WifiInfo;->getIpAddress", "", "ip", 0},
	{APIMethod, "Landroid/net/wifi/WifiManager;->getConnectionInfo", "", "wifi-info", 0},
	{APIMethod, "Landroid/net/wifi/WifiManager;->getScanResults", "", "wifi-info", 0},
	{APIMethod, "Landroid/net/wifi/WifiManager;->startScan", "", "wifi-info", 0},
	{APIMethod, "Landroid/net/wifi/WifiManager;->getConfiguredNetworks", "", "wifi-info", 0},
	{APIMethod, "Ljava/net/NetworkInterface;->getHardwareAddress", "", "mac", 29},
	{APIMethod, "Ljava/net/NetworkInterface;->getInetAddresses", "", "ip", 0},
	{APIMethod, "Landroid/bluetooth/BluetoothAdapter;->getAddress", "", "mac", 22},
	{APIMethod, "Landroid/bluetooth/BluetoothAdapter;->getBondedDevices", "", "bluetooth", 0},
	{APIMethod, "Landroid/bluetooth/BluetoothAdapter;->startDiscovery", "", "bluetooth", 0},
	{APIMethod, "Landroid/bluetooth/le/BluetoothLeScanner;->startScan", "", "bluetooth", 0},
	// Android ID and serial
	{APIMethod, "Landroid/provider/Settings$Secure;->getString", "android_id", "android-id", 0},
	{APIMethod, "Landroid/provider/Settings$System;->getString", "android_id", "android-id", 0},
	{APIMethod, "Landroid/os/Build;->getSerial", "", "serial", 28},
	{APIField, "Landroid/os/Build;->SERIAL", "", "serial", 25},
	// advertising and anonymous ids
	{APIMethod, "Lcom/bun/miitmdid/core/MdidSdkHelper;->InitSdk", "", "oaid", 0},
	{APIMethod, "Lcom/bun/miitmdid/core/MdidSdkHelper;->InitCert", "", "oaid", 0},
	{APIMethod, "Lcom/bun/miitmdid/interfaces/IdSupplier;->getOAID", "", "oaid", 0},
	{APIMethod, "Lcom/bun/supplier/IdSupplier;->getOAID", "", "oaid", 0},
	{APIMethod, "Lcom/huawei/hms/ads/identifier/AdvertisingIdClient;->getAdvertisingIdInfo", "", "oaid", 0},
	{APIMethod, "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient;->getAdvertisingIdInfo", "", "gaid", 0},
	{APIMethod, "Lcom/google/android/gms/ads/identifier/AdvertisingIdClient$Info;->getId", "", "gaid", 0},
	{APIMethod, "Landroidx/ads/identifier/AdvertisingIdClient;->getAdvertisingIdInfo", "", "gaid", 0},
	// apps
	{APIMethod, "Landroid/content/pm/PackageManager;->getInstalledPackages", "", "installed-apps", 0},
	{APIMethod, "Landroid/content/pm/PackageManager;->getInstalledApplications", "", "installed-apps", 0},
	{APIMethod, "Landroid/content/pm/PackageManager;->queryIntentActivities", "", "installed-apps", 0},
	{APIMethod, "Landroid/app/ActivityManager;->getRunningAppProcesses", "", "running-apps", 0},
	{APIMethod, "Landroid/app/ActivityManager;->getRunningTasks", "", "running-apps", 20},
	{APIMethod, "Landroid/app/ActivityManager;->getRecentTasks", "", "running-apps", 20},
	{APIMethod, "Landroid/app/usage/UsageStatsManager;->queryUsageStats", "", "app-usage", 0},
	// clipboard
	{APIMethod, "Landroid/content/ClipboardManager;->getPrimaryClip", "", "clipboard", 0},
	{APIMethod, "Landroid/content/ClipboardManager;->getText", "", "clipboard", 0},
	{APIMethod, "Landroid/text/ClipboardManager;->getText", "", "clipboard", 0},
	// location
	{APIMethod, "Landroid/location/LocationManager;->getLastKnownLocation", "", "precise-location", 0},
	{APIMethod, "Landroid/location/LocationManager;->requestLocationUpdates", "", "precise-location", 0},
	{APIMethod, "Lcom/google/android/gms/location/GeofencingClient;->addGeofences", "", "location-track", 0},
	{APIMethod, "Landroid/location/LocationManager;->requestSingleUpdate", "", "precise-location", 0},
	{APIMethod, "Landroid/location/LocationManager;->getCurrentLocation", "", "precise-location", 0},
	{APIMethod, "Lcom/google/android/gms/location/FusedLocationProviderClient;->getLastLocation", "", "precise-location", 0},
	{APIMethod, "Lcom/google/android/gms/location/FusedLocationProviderClient;->requestLocationUpdates", "", "precise-location", 0},
	{APIMethod, "Lcom/google/android/gms/location/FusedLocationProviderClient;->getCurrentLocation", "", "precise-location", 0},
	{APIMethod, "Lcom/google/android/gms/location/FusedLocationProviderApi;->getLastLocation", "", "precise-location", 0},
	// content URIs as fields
	{APIField, "Landroid/provider/ContactsContract$Contacts;->CONTENT_URI", "", "contacts", 0},
	{APIField, "Landroid/provider/ContactsContract$CommonDataKinds$Phone;->CONTENT_URI", "", "contacts", 0},
	{APIField, "Landroid/provider/ContactsContract$Data;->CONTENT_URI", "", "contacts", 0},
	{APIField, "Landroid/provider/ContactsContract$RawContacts;->CONTENT_URI", "", "contacts", 0},
	{APIField, "Landroid/provider/CallLog$Calls;->CONTENT_URI", "", "call-log", 0},
	{APIField, "Landroid/provider/Telephony$Sms;->CONTENT_URI", "", "sms", 0},
	{APIField, "Landroid/provider/Telephony$Sms$Inbox;->CONTENT_URI", "", "sms", 0},
	{APIField, "Landroid/provider/Telephony$Mms;->CONTENT_URI", "", "sms", 0},
	{APIField, "Landroid/provider/CalendarContract$Events;->CONTENT_URI", "", "calendar", 0},
	{APIField, "Landroid/provider/CalendarContract$Calendars;->CONTENT_URI", "", "calendar", 0},
	{APIField, "Landroid/provider/MediaStore$Images$Media;->EXTERNAL_CONTENT_URI", "", "photos-media", 0},
	{APIField, "Landroid/provider/MediaStore$Video$Media;->EXTERNAL_CONTENT_URI", "", "photos-media", 0},
	{APIField, "Landroid/provider/Browser;->BOOKMARKS_URI", "", "browsing-history", 22},
	// content URIs as strings
	{APIString, "content://sms*", "", "sms", 0},
	{APIString, "content://mms*", "", "sms", 0},
	{APIString, "content://mms-sms*", "", "sms", 0},
	{APIString, "content://call_log*", "", "call-log", 0},
	{APIString, "content://com.android.contacts*", "", "contacts", 0},
	{APIString, "content://contacts*", "", "contacts", 0},
	{APIString, "content://com.android.calendar*", "", "calendar", 0},
	{APIString, "content://icc/adn*", "", "contacts", 0},
	// accounts, sensors, camera, microphone
	{APIMethod, "Landroid/accounts/AccountManager;->getAccounts", "", "accounts", 0},
	{APIMethod, "Landroid/accounts/AccountManager;->getAccountsByType", "", "accounts", 0},
	{APIMethod, "Landroid/hardware/SensorManager;->registerListener", "", "sensors", 0},
	{APIMethod, "Landroid/hardware/Camera;->open", "", "camera", 0},
	{APIMethod, "Landroid/hardware/camera2/CameraManager;->openCamera", "", "camera", 0},
	{APIMethod, "Landroidx/camera/lifecycle/ProcessCameraProvider;->bindToLifecycle", "", "camera", 0},
	{APIMethod, "Landroid/media/AudioRecord;->startRecording", "", "microphone", 0},
	{APIMethod, "Landroid/media/AudioRecord;-><init>", "", "microphone", 0},
	{APIMethod, "Landroid/media/MediaRecorder;->setAudioSource", "", "microphone", 0},
	{APIMethod, "Landroid/media/MediaRecorder;->setVideoSource", "", "camera", 0},
	{APIMethod, "Landroid/speech/SpeechRecognizer;->startListening", "", "microphone", 0},
	// screen, notifications, biometrics
	{APIMethod, "Landroid/media/projection/MediaProjectionManager;->getMediaProjection", "", "screen-content", 0},
	{APIMethod, "Landroid/service/notification/NotificationListenerService;->getActiveNotifications", "", "notification-content", 0},
	{APIMethod, "Landroid/hardware/fingerprint/FingerprintManager;->authenticate", "", "biometric-result", 0},
	{APIMethod, "Landroid/hardware/biometrics/BiometricPrompt;->authenticate", "", "biometric-result", 0},
}

// excludedAPIs are references that must not be rules: they write rather
// than read, reveal only metadata, or say nothing on their own (see the
// header of apis.yaml).
var excludedAPIs = []struct{ kind, ref string }{
	{APIString, "android_id"},
	{APIMethod, "Landroid/content/ClipboardManager;->setPrimaryClip"},
	{APIMethod, "Landroid/content/ClipboardManager;->hasPrimaryClip"},
	{APIMethod, "Landroid/content/ClipboardManager;->getPrimaryClipDescription"},
	{APIMethod, "Landroid/telephony/SmsManager;->sendTextMessage"},
	{APIMethod, "Landroid/location/Location;->getLatitude"},
	{APIMethod, "Landroid/hardware/SensorManager;->getDefaultSensor"},
	{APIMethod, "Landroid/content/pm/PackageManager;->getInstalledModules"},
	{APIMethod, "Landroid/accounts/AccountManager;->getUserData"},
	{APIMethod, "Landroid/telephony/TelephonyManager;->getPhoneType"},
	{APIField, "Landroid/os/Build;->MODEL"},
	{APIMethod, "Landroid/content/pm/PackageManager;->getPackageInfo"},
	{APIString, "content://media/external"},
}

func TestEmbeddedAPIs(t *testing.T) {
	db := mustEmbedded(t)
	if n := len(db.APIs); n < 90 {
		t.Errorf("%d API rules, want at least 90", n)
	}
	for i, a := range db.APIs {
		if i > 0 && db.APIs[i-1].ID >= a.ID {
			t.Errorf("APIs not sorted at %d: %q, %q", i, db.APIs[i-1].ID, a.ID)
		}
		if !strings.HasPrefix(a.Source, FileAPIs+":") {
			t.Errorf("api %q: Source %q does not name %s and a line", a.ID, a.Source, FileAPIs)
		}
		if got, ok := db.API(a.ID); !ok || got != &db.APIs[i] {
			t.Errorf("API(%q) = %p, %v; want the entry itself", a.ID, got, ok)
		}
	}
	if _, ok := db.API("no-such-api"); ok {
		t.Error("API(no-such-api) found")
	}
	t.Logf("%d API rules", len(db.APIs))
}

func findAPI(db *DB, kind, ref, with string) *API {
	for i := range db.APIs {
		a := &db.APIs[i]
		if a.Kind == kind && a.Ref == ref && a.WithString == with {
			return a
		}
	}
	return nil
}

func TestRequiredAPIsCovered(t *testing.T) {
	db := mustEmbedded(t)
	for _, r := range requiredAPIs {
		a := findAPI(db, r.kind, r.ref, r.with)
		if a == nil {
			t.Errorf("no %s rule for %s (with_string %q)", r.kind, r.ref, r.with)
			continue
		}
		if !slices.Contains(a.Data, r.data) {
			t.Errorf("api %q (%s): data %v lacks %q", a.ID, r.ref, a.Data, r.data)
		}
		if r.worksUntil != 0 && a.WorksUntilAPI != r.worksUntil {
			t.Errorf("api %q (%s): works_until_api %d, want %d", a.ID, r.ref, a.WorksUntilAPI, r.worksUntil)
		}
	}
}

func TestExcludedAPIsAbsent(t *testing.T) {
	db := mustEmbedded(t)
	for _, x := range excludedAPIs {
		for _, a := range db.APIs {
			if a.Kind == x.kind && a.Ref == x.ref {
				t.Errorf("api %q is %s %s, which must not be a rule", a.ID, x.kind, x.ref)
			}
			// A string literal must not be caught by any string rule.
			if x.kind == APIString && a.Kind == APIString {
				if p, prefix := strings.CutSuffix(a.Ref, "*"); (prefix && strings.HasPrefix(x.ref, p)) || a.Ref == x.ref {
					t.Errorf("api %q (%s) matches the literal %q, which must not count", a.ID, a.Ref, x.ref)
				}
			}
		}
	}
	// The Android ID rules count only together with the key string.
	for _, a := range db.APIs {
		if slices.Contains(a.Data, "android-id") && a.WithString != "android_id" {
			t.Errorf("api %q reads android-id without with_string android_id", a.ID)
		}
	}
}

// TestLintAPIs re-checks the embedded API rules independently of Validate
// and adds conventions of this data set.
func TestLintAPIs(t *testing.T) {
	db := mustEmbedded(t)
	seenRef := make(map[string]string)
	for _, a := range db.APIs {
		switch a.Kind {
		case APIMethod, APIField:
			cls, member, ok := strings.Cut(a.Ref, ";->")
			if !ok || !strings.HasPrefix(cls, "L") || member == "" || strings.ContainsAny(a.Ref, "() \t.") {
				t.Errorf("api %q: ref %q is not Lpkg/Class;->name", a.ID, a.Ref)
			}
		case APIString:
			if a.Ref == "" || strings.Contains(strings.TrimSuffix(a.Ref, "*"), "*") {
				t.Errorf("api %q: string ref %q malformed", a.ID, a.Ref)
			}
		default:
			t.Errorf("api %q: kind %q", a.ID, a.Kind)
		}
		key := a.Kind + " " + a.Ref + " " + a.WithString
		if o, dup := seenRef[key]; dup {
			t.Errorf("apis %q and %q share %s", o, a.ID, key)
		}
		seenRef[key] = a.ID
		if len(a.Data) == 0 {
			t.Errorf("api %q has no data", a.ID)
		}
		for _, d := range a.Data {
			if _, ok := db.DataCategory(d); !ok {
				t.Errorf("api %q: data category %q does not exist", a.ID, d)
			}
		}
		if a.Permission != "" {
			for _, p := range strings.Split(a.Permission, "|") {
				if _, ok := db.Permission(p); !ok {
					t.Errorf("api %q: permission %q is not in %s", a.ID, p, FilePermissions)
				}
			}
		}
		// Platform classes have a real API level; SDK entry points have 0.
		platform := strings.HasPrefix(a.Ref, "Landroid/") || strings.HasPrefix(a.Ref, "Ljava/")
		if platform && a.AddedAPI == 0 {
			t.Errorf("api %q: platform reference with added_api 0", a.ID)
		}
		if a.Kind != APIString && !platform && a.AddedAPI != 0 {
			t.Errorf("api %q: SDK reference with added_api %d, want 0", a.ID, a.AddedAPI)
		}
		if a.WorksUntilAPI != 0 && a.WorksUntilAPI < a.AddedAPI {
			t.Errorf("api %q: works_until_api %d before added_api %d", a.ID, a.WorksUntilAPI, a.AddedAPI)
		}
		// One sentence of our own: ends with a full stop and has no second
		// sentence in it.
		if !strings.HasSuffix(a.Note, ".") || strings.Contains(strings.TrimSuffix(a.Note, "."), ". ") {
			t.Errorf("api %q: note is not one sentence: %q", a.ID, a.Note)
		}
	}
}

// apiEntry is a valid one-entry apis.yaml; each case of
// TestAPIValidationErrors breaks one field.
const apiEntry = `apis:
  - id: acme-read
    kind: method
    ref: Lcom/acme/Foo;->bar
    data: [imei]
    permission: android.permission.READ_PHONE_STATE
    added_api: 1
    note: test entry.
`

func TestAPIValidationErrors(t *testing.T) {
	base := mustEmbedded(t)
	cases := []struct {
		name string
		from string // text to replace in apiEntry
		to   string
		want string
	}{
		{"valid", "", "", ""},
		{"id not kebab", "id: acme-read", "id: Acme_Read", `api "Acme_Read": id "Acme_Read" is not kebab-case`},
		{"missing id", "id: acme-read", "id: ''", `missing id`},
		{"kind", "kind: method", "kind: call", `kind "call" is not one of [method field string]`},
		{"no arrow", "Lcom/acme/Foo;->bar", "Lcom/acme/Foo.bar", `ref "Lcom/acme/Foo.bar" is not Lpkg/Class;->name`},
		{"no member", "Lcom/acme/Foo;->bar", "Lcom/acme/Foo;->", `has no member name`},
		{"prototype", "Lcom/acme/Foo;->bar", "Lcom/acme/Foo;->bar(I)V", `has a prototype`},
		{"dotted class", "Lcom/acme/Foo;->bar", "Lcom.acme.Foo;->bar", `is not Lpkg/Class;->name`},
		{"no L", "Lcom/acme/Foo;->bar", "com/acme/Foo;->bar", `is not Lpkg/Class;->name`},
		{"white space", "Lcom/acme/Foo;->bar", "'Lcom/acme/Foo;-> bar'", `contains white space`},
		{"missing ref", "ref: Lcom/acme/Foo;->bar", "ref: ''", `missing ref`},
		{"field constructor", "kind: method\n    ref: Lcom/acme/Foo;->bar", "kind: field\n    ref: Lcom/acme/Foo;-><init>", `names a constructor but kind is field`},
		{"string inner star", "kind: method\n    ref: Lcom/acme/Foo;->bar", "kind: string\n    ref: 'content://a*b'", `has '*' before the end`},
		{"string only star", "kind: method\n    ref: Lcom/acme/Foo;->bar", "kind: string\n    ref: '*'", `only a wildcard`},
		{"string with_string", "kind: method\n    ref: Lcom/acme/Foo;->bar", "kind: string\n    ref: 'content://acme*'\n    with_string: x", `with_string is only for kind method or field`},
		{"with_string star", "kind: method", "kind: method\n    with_string: 'a*'", `with_string "a*" must be an exact`},
		{"no data", "data: [imei]", "data: []", `no data categories`},
		{"unknown data", "data: [imei]", "data: [imei, no-such-data]", `data category "no-such-data" not found`},
		{"unknown permission", "android.permission.READ_PHONE_STATE", "android.permission.READ_PHONE_STATE|android.permission.NO_SUCH", `permission "android.permission.NO_SUCH" not found in permissions.yaml`},
		{"empty alternative", "android.permission.READ_PHONE_STATE", "'android.permission.READ_PHONE_STATE|'", `has an empty alternative`},
		{"added_api range", "added_api: 1", "added_api: 41", `added_api 41 out of range 0..40`},
		{"negative added_api", "added_api: 1", "added_api: -1", `added_api -1 out of range`},
		{"works_until before added", "added_api: 1", "added_api: 26\n    works_until_api: 22", `works_until_api 22 is before added_api 26`},
		{"works_until range", "added_api: 1", "added_api: 1\n    works_until_api: 99", `works_until_api 99 out of range`},
		{"missing note", "note: test entry.", "note: ' '", `missing note`},
		{"retired id", "", "", ""}, // handled below
		{"duplicate id", "note: test entry.\n", "note: test entry.\n  - id: acme-read\n    kind: method\n    ref: Lcom/acme/Foo;->baz\n    data: [imei]\n    added_api: 0\n    note: twin.\n", `rules: apis.yaml:9: api "acme-read": duplicate id (first at apis.yaml:2)`},
		{"duplicate ref", "note: test entry.\n", "note: test entry.\n  - id: acme-twin\n    kind: method\n    ref: Lcom/acme/Foo;->bar\n    data: [imei]\n    added_api: 0\n    note: twin.\n", `api "acme-twin": method "Lcom/acme/Foo;->bar" (with_string "") is also api "acme-read"`},
		{"same ref other with_string", "note: test entry.\n", "note: test entry.\n  - id: acme-twin\n    kind: method\n    ref: Lcom/acme/Foo;->bar\n    with_string: key\n    data: [imei]\n    added_api: 0\n    note: twin.\n", ""},
		{"same ref as embedded", "Lcom/acme/Foo;->bar", "Landroid/telephony/TelephonyManager;->getDeviceId", `api "telephony-get-device-id": method "Landroid/telephony/TelephonyManager;->getDeviceId" (with_string "") is also api "acme-read"`},
	}
	for _, c := range cases {
		if c.name == "retired id" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			body := apiEntry
			if c.from != "" {
				if !strings.Contains(body, c.from) {
					t.Fatalf("case text %q not in the base entry", c.from)
				}
				body = strings.Replace(body, c.from, c.to, 1)
			}
			extra, err := Load(fstest.MapFS{FileAPIs: {Data: []byte(body)}})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			merged, err := base.Merge(extra)
			if c.want == "" {
				if err != nil {
					t.Fatalf("Merge of a valid entry: %v", err)
				}
				if _, ok := merged.API("acme-read"); !ok {
					t.Error("merged set lacks acme-read")
				}
				return
			}
			if err == nil {
				t.Fatalf("Merge accepted a broken entry; want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error lacks %q:\n%v", c.want, err)
			}
			for _, e := range splitJoined(err) {
				if !strings.HasPrefix(e, "rules: apis.yaml:") {
					t.Errorf("error %q does not name apis.yaml and a line", e)
				}
			}
		})
	}
	t.Run("retired id", func(t *testing.T) {
		extra, err := Load(fstest.MapFS{
			FileAPIs:       {Data: []byte(apiEntry)},
			FileRetiredIDs: {Data: []byte("acme-read # pretend\n")},
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = base.Merge(extra)
		if err == nil || !strings.Contains(err.Error(), `rules: apis.yaml:2: api "acme-read": id "acme-read" is retired`) {
			t.Fatalf("want a retired-id error, got %v", err)
		}
	})
}

// splitJoined returns the messages of an errors.Join error.
func splitJoined(err error) []string {
	var j interface{ Unwrap() []error }
	if errors.As(err, &j) {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, e.Error())
		}
		return out
	}
	return []string{err.Error()}
}

func TestAPIFileStrictDecoding(t *testing.T) {
	dir := writeTree(t, map[string]string{
		FileAPIs: "apis:\n  - id: acme-read\n    kind: method\n    reference: Lcom/acme/Foo;->bar\n",
	})
	_, err := Load(os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "rules: apis.yaml:4:") || !strings.Contains(err.Error(), "reference") {
		t.Fatalf("want an unknown-field error at apis.yaml:4, got %v", err)
	}
	// A misspelt file name is refused and the message names apis.yaml as
	// a valid one.
	dir = writeTree(t, map[string]string{"api.yaml": "apis: []\n"})
	_, err = Load(os.DirFS(dir))
	if err == nil || !strings.Contains(err.Error(), "api.yaml: unknown rule file") || !strings.Contains(err.Error(), FileAPIs) {
		t.Fatalf("want an unknown-file error naming api.yaml and %s, got %v", FileAPIs, err)
	}
}

func TestAPIFileIsHashed(t *testing.T) {
	a := fstest.MapFS{FileVersion: {Data: []byte("2026.12.03-1\n")}, FileAPIs: {Data: []byte("apis: []\n")}}
	b := fstest.MapFS{FileVersion: {Data: []byte("2026.12.03-1\n")}, FileAPIs: {Data: []byte("apis: [] # edit\n")}}
	if loadHash(t, a) == loadHash(t, b) {
		t.Error("hash did not change with apis.yaml")
	}
}

func TestMergeAPIs(t *testing.T) {
	base := mustEmbedded(t)
	orig, ok := base.API("clipboard-get-primary-clip")
	if !ok {
		t.Fatal("clipboard-get-primary-clip missing from the embedded set")
	}
	origNote := orig.Note
	dir := writeTree(t, map[string]string{
		FileAPIs: `apis:
  - id: clipboard-get-primary-clip
    kind: method
    ref: Landroid/content/ClipboardManager;->getPrimaryClip
    data: [clipboard]
    added_api: 11
    note: replaced locally.
  - id: acme-sdk-get-device-id
    kind: method
    ref: Lcom/acme/sdk/DeviceInfo;->getDeviceId
    data: [imei, android-id]
    permission: android.permission.READ_PHONE_STATE
    added_api: 0
    note: local test entry.
`,
	})
	extra, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(extra.APIs) != 2 || extra.APIs[0].ID != "acme-sdk-get-device-id" {
		t.Fatalf("loaded APIs not sorted by id: %+v", extra.APIs)
	}
	merged, err := base.Merge(extra)
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	if len(merged.APIs) != len(base.APIs)+1 {
		t.Errorf("merged has %d APIs, want %d", len(merged.APIs), len(base.APIs)+1)
	}
	if a, ok := merged.API("clipboard-get-primary-clip"); !ok || a.Note != "replaced locally." || a.Source != "apis.yaml:2" {
		t.Errorf("clipboard-get-primary-clip not replaced: %+v", a)
	}
	if a, ok := base.API("clipboard-get-primary-clip"); !ok || a.Note != origNote {
		t.Error("Merge changed the base set")
	}
	if a, ok := merged.API("acme-sdk-get-device-id"); !ok || a.Source != "apis.yaml:8" {
		t.Errorf("acme-sdk-get-device-id: %+v", a)
	}
	for i := 1; i < len(merged.APIs); i++ {
		if merged.APIs[i-1].ID >= merged.APIs[i].ID {
			t.Fatalf("merged APIs not sorted at %d: %q, %q", i, merged.APIs[i-1].ID, merged.APIs[i].ID)
		}
	}
}
