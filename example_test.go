package sdkaudit_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sdkaudit/sdkaudit"
	"github.com/sdkaudit/sdkaudit/analyzer/audit"
)

// Scan the bundled data-access fixture: its package, the SDKs it embeds
// and what each one's code reads.
func ExampleScan() {
	res, err := sdkaudit.Scan(context.Background(), "fixtures/apk/dataaccess.apk", sdkaudit.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Inventory.Package, res.Inventory.Status)
	for _, d := range res.SDKs {
		fmt.Println("sdk", d.ID, d.Confidence)
	}
	for _, o := range res.DataAccess.Owners {
		fmt.Println("reads", o.ID, o.CategoryIDs())
	}
	// Output:
	// com.example.dataaccess complete
	// sdk amap-location medium
	// sdk bugly medium
	// sdk getui-push medium
	// sdk talkingdata-app-analytics medium
	// sdk umeng-common medium
	// reads app [accounts android-id clipboard coarse-location contacts installed-apps precise-location sms]
	// reads amap-location [call-log coarse-location precise-location]
	// reads bugly [camera clipboard]
	// reads getui-push [imei imsi installed-apps mac serial]
	// reads talkingdata-app-analytics [oaid]
	// reads umeng-common [android-id imei running-apps]
}

// Audit the bundled fixture app against its policy: the SDKs it embeds
// that the policy never names, and whether a release gate failing on high
// findings would stop it.
func ExampleAudit() {
	policy := sdkaudit.Policy{Files: []string{"fixtures/policies/maimai-like-policy.txt"}}
	res, err := sdkaudit.Audit(context.Background(), "fixtures/apk/maimai-like.apk", policy, sdkaudit.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Kind == audit.KindUndeclaredSDK {
			fmt.Println(f.Rule, f.Severity, f.Subject.Key())
		}
	}
	fmt.Println("fails on high:", res.FailsOn(audit.SeverityHigh))
	// Output:
	// SA1001 high 7moor-customer-service
	// SA1001 high bugly
	// SA1001 high gdt-ylh
	// SA1001 high pangle-csj
	// SA1001 high umeng-analytics
	// SA1001 high umeng-common
	// SA1001 high yeepay-payment
	// fails on high: true
}
