package inventory

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shogo82148/androidbinary"
	"github.com/shogo82148/androidbinary/apk"

	"github.com/sdkaudit/sdkaudit/internal/testenv"
)

// The androidbinary oracle: an independent decoder of the same manifests.
// It is not safe on hostile input (it can allocate without bound), so each
// file is decoded in a child process with a memory limit; a crash there is
// recorded as "oracle could not decode", never as a failure of ours.

type oracleFacts struct {
	Package     string   `json:"package"`
	VersionCode string   `json:"version_code"`
	VersionName string   `json:"version_name"`
	MinSDK      string   `json:"min_sdk"`
	TargetSDK   string   `json:"target_sdk"`
	Permissions []string `json:"permissions"`
}

const oracleEnv = "SDKAUDIT_ORACLE_FILE"

// TestOracleChild runs only inside the child process.
func TestOracleChild(t *testing.T) {
	file := os.Getenv(oracleEnv)
	if file == "" {
		t.Skip("oracle child only")
	}
	m, err := oracleManifest(file)
	if err != nil {
		fmt.Fprintf(os.Stdout, "ORACLE-ERROR %v\n", err)
		return
	}
	f := oracleFacts{}
	f.Package, _ = m.Package.String()
	if v, err := m.VersionCode.Int32(); err == nil {
		f.VersionCode = strconv.Itoa(int(v))
	}
	f.VersionName, _ = m.VersionName.String()
	if v, err := m.SDK.Min.Int32(); err == nil {
		f.MinSDK = strconv.Itoa(int(v))
	}
	if v, err := m.SDK.Target.Int32(); err == nil {
		f.TargetSDK = strconv.Itoa(int(v))
	}
	for _, p := range m.UsesPermissions {
		if n, err := p.Name.String(); err == nil {
			f.Permissions = append(f.Permissions, n)
		}
	}
	b, _ := json.Marshal(f)
	fmt.Fprintf(os.Stdout, "ORACLE-RESULT %s\n", b)
}

// oracleManifest decodes with androidbinary's APK reader, or, for APKs
// without resources.arsc (which that reader insists on), with its plain
// binary-XML decoder.
func oracleManifest(file string) (apk.Manifest, error) {
	a, err := apk.OpenFile(file)
	if err == nil {
		defer a.Close()
		return a.Manifest(), nil
	}
	zr, zerr := zip.OpenReader(file)
	if zerr != nil {
		return apk.Manifest{}, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "AndroidManifest.xml" {
			continue
		}
		rc, oerr := f.Open()
		if oerr != nil {
			return apk.Manifest{}, oerr
		}
		defer rc.Close()
		b, rerr := io.ReadAll(io.LimitReader(rc, 16<<20))
		if rerr != nil {
			return apk.Manifest{}, rerr
		}
		x, xerr := androidbinary.NewXMLFile(bytes.NewReader(b))
		if xerr != nil {
			return apk.Manifest{}, xerr
		}
		var m apk.Manifest
		if uerr := xml.NewDecoder(x.Reader()).Decode(&m); uerr != nil {
			return apk.Manifest{}, uerr
		}
		return m, nil
	}
	return apk.Manifest{}, err
}

func runOracle(t *testing.T, file string) (*oracleFacts, string) {
	ctx, cancel := context.WithTimeout(context.Background(), testenv.Hang(60*time.Second))
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestOracleChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), oracleEnv+"="+file, "GOMEMLIMIT=512MiB", "GOGC=50")
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "ORACLE-RESULT "):
			var f oracleFacts
			if json.Unmarshal([]byte(strings.TrimPrefix(line, "ORACLE-RESULT ")), &f) == nil {
				return &f, ""
			}
		case strings.HasPrefix(line, "ORACLE-ERROR "):
			return nil, strings.TrimPrefix(line, "ORACLE-ERROR ")
		}
	}
	if err != nil {
		first := strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
		return nil, fmt.Sprintf("oracle crashed: %v: %s", err, first)
	}
	return nil, "oracle produced no result"
}

// oracleFiles are the fixtures and the corpus; without the corpus the
// test compares the fixtures alone (and says so), except under CI, where
// a missing corpus fails.
func oracleFiles(t *testing.T) (files []string, corpus bool) {
	files, _ = filepath.Glob(filepath.Join("..", "..", "fixtures", "apk", "*.apk"))
	if len(files) == 0 {
		t.Fatal("no fixture APKs: run make fixtures")
	}
	if _, err := os.Stat(filepath.Join("..", "..", "..", "shared", "corpus", "apks")); err == nil || testenv.CI() {
		files = append(files, testenv.CorpusAPKs(t)...)
		corpus = true
	}
	return files, corpus
}

// oracleFloor is how many files must agree with androidbinary when the
// corpus is compared (150 of 158 did when it was set): fewer means files
// went missing or a decoder regressed, not a smaller but green run.
const oracleFloor = 145

func TestAndroidbinaryOracle(t *testing.T) {
	if os.Getenv(oracleEnv) != "" {
		t.Skip("inside the oracle child")
	}
	if testing.Short() {
		t.Skip("spawns a process per file")
	}
	files, corpus := oracleFiles(t)
	agree, undecodable := 0, []string{}
	for _, file := range files {
		inv, err := ScanFile(context.Background(), file, Options{})
		facts, why := runOracle(t, file)
		if facts == nil || facts.Package == "" {
			if why == "" {
				why = "oracle found no package"
			}
			undecodable = append(undecodable, fmt.Sprintf("%s: %s", filepath.Base(file), why))
			continue
		}
		if err != nil {
			t.Errorf("%s: androidbinary decodes it but we fail: %v", filepath.Base(file), err)
			continue
		}
		m := inv.Manifest
		var ours []string
		for _, p := range m.Permissions {
			if p.Element == "uses-permission" {
				ours = append(ours, p.Name)
			}
		}
		var diffs []string
		if facts.Package != m.Package {
			diffs = append(diffs, fmt.Sprintf("package %q vs ours %q", facts.Package, m.Package))
		}
		if facts.VersionCode != "" && m.VersionCode != nil && facts.VersionCode != m.VersionCode.Value {
			diffs = append(diffs, fmt.Sprintf("versionCode %q vs ours %q", facts.VersionCode, m.VersionCode.Value))
		}
		if facts.VersionName != "" && m.VersionName != nil && facts.VersionName != m.VersionName.Value {
			diffs = append(diffs, fmt.Sprintf("versionName %q vs ours %q", facts.VersionName, m.VersionName.Value))
		}
		if facts.MinSDK != "" && m.MinSDK.Declared != nil && facts.MinSDK != m.MinSDK.Declared.Value {
			diffs = append(diffs, fmt.Sprintf("minSdk %q vs ours %q", facts.MinSDK, m.MinSDK.Declared.Value))
		}
		if facts.TargetSDK != "" && m.TargetSDK.Declared != nil && facts.TargetSDK != m.TargetSDK.Declared.Value {
			diffs = append(diffs, fmt.Sprintf("targetSdk %q vs ours %q", facts.TargetSDK, m.TargetSDK.Declared.Value))
		}
		// androidbinary maps only <uses-permission> children of <manifest>.
		a, b := append([]string{}, facts.Permissions...), ours
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, ",") != strings.Join(b, ",") {
			diffs = append(diffs, fmt.Sprintf("permissions %v vs ours %v", a, b))
		}
		if len(diffs) > 0 {
			t.Errorf("%s disagrees with androidbinary: %s", filepath.Base(file), strings.Join(diffs, "; "))
			continue
		}
		agree++
	}
	for _, u := range undecodable {
		t.Logf("  not decodable by androidbinary: %s", u)
	}
	summary := fmt.Sprintf("androidbinary oracle: compared %d files: %d agree, %d it cannot decode", len(files), agree, len(undecodable))
	if !corpus {
		t.Logf("%s (fixtures only: ../shared/corpus is absent)", summary)
		return
	}
	t.Log(summary)
	if agree < oracleFloor {
		t.Errorf("only %d files agree with androidbinary, below the floor of %d: the corpus shrank or a decoder regressed", agree, oracleFloor)
	}
}
