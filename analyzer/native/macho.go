package native

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// MachO is what an iOS executable, framework binary or dylib says about
// itself: enough to name the SDKs linked into it and the system frameworks
// it links against.
type MachO struct {
	// Archs are the architectures of the file's slices (one for a thin
	// file), in file order: arm64, arm64e, armv7, x86_64, ...
	Archs []string `json:"archs"`
	// Slice is the architecture that was read (arm64 when present).
	Slice string `json:"slice"`
	// Type is the Mach-O file type: execute, dylib, bundle, object, ...
	Type string `json:"type"`
	// MinOS is the minimum iOS version from LC_BUILD_VERSION or
	// LC_VERSION_MIN_IPHONEOS, "" when neither is there.
	MinOS string `json:"min_os,omitempty"`
	// Encrypted is true when LC_ENCRYPTION_INFO(_64) has a non-zero
	// cryptid: the App Store's FairPlay encryption, which leaves the code
	// and the Objective-C metadata unreadable.
	Encrypted bool `json:"encrypted"`
	// Libraries are the dylibs the file links (LC_LOAD_DYLIB and its weak,
	// re-export, lazy and upward forms), in load-command order.
	Libraries []string `json:"libraries"`
	// Classes are the distinct Objective-C class names (from
	// __objc_classname and the classes __objc_classlist points at),
	// sorted. Swift classes appear as their mangled runtime names.
	Classes []string `json:"-"`
	// SwiftTypes are Swift class names demangled where the runtime name is
	// the simple _TtC form ("Module.Type"), sorted.
	SwiftTypes []string `json:"-"`
	// Entitlements is the XML plist of the code signature's entitlements
	// blob, nil when the file carries none.
	Entitlements []byte `json:"-"`
	// Notes are oddities that did not stop the read.
	Notes []string `json:"notes,omitempty"`
}

// MachOLimits bound what a Mach-O file may make us hold.
type MachOLimits struct {
	// MaxClasses bounds the class names kept from one file.
	MaxClasses int
	// MaxNameBytes bounds the bytes of class names kept from one file.
	MaxNameBytes int
	// MaxLoadCommands bounds the load commands read.
	MaxLoadCommands int
}

// DefaultMachOLimits are far above what the largest real apps carry
// (tens of thousands of classes) and small enough to stay cheap.
var DefaultMachOLimits = MachOLimits{MaxClasses: 400_000, MaxNameBytes: 32 << 20, MaxLoadCommands: 4096}

func (l MachOLimits) withDefaults() MachOLimits {
	d := DefaultMachOLimits
	if l.MaxClasses > 0 {
		d.MaxClasses = l.MaxClasses
	}
	if l.MaxNameBytes > 0 {
		d.MaxNameBytes = l.MaxNameBytes
	}
	if l.MaxLoadCommands > 0 {
		d.MaxLoadCommands = l.MaxLoadCommands
	}
	return d
}

// Sentinel errors of the Mach-O reader.
var (
	ErrNotMachO   = errors.New("not a Mach-O file")
	ErrBadMachO   = errors.New("malformed Mach-O file")
	ErrNoSlice    = errors.New("fat file has no readable slice")
	ErrTooManyLCs = errors.New("too many load commands")
)

// Mach-O magic numbers, as the first four bytes read big-endian.
const (
	magicFat   = 0xcafebabe
	magicFat64 = 0xcafebabf
	magic32LE  = 0xcefaedfe
	magic64LE  = 0xcffaedfe
	magic32BE  = 0xfeedface
	magic64BE  = 0xfeedfacf
)

// IsMachO reports whether b starts like a Mach-O file, thin or fat. A fat
// header shares its magic with Java class files; the architecture count
// tells them apart (a class file has its version there).
func IsMachO(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	switch binary.BigEndian.Uint32(b) {
	case magic32LE, magic64LE, magic32BE, magic64BE:
		return true
	case magicFat, magicFat64:
		n := binary.BigEndian.Uint32(b[4:])
		return n > 0 && n < 32
	}
	return false
}

// ReadMachO reads the Mach-O file in b. A fat file's arm64 slice is read
// (arm64e, then the first slice, when it has none); the architectures of
// every slice are listed. An encrypted file gives its load commands and
// linked libraries but no classes: that part of the file is ciphertext.
func ReadMachO(b []byte, lim MachOLimits) (m *MachO, err error) {
	lim = lim.withDefaults()
	if !IsMachO(b) {
		return nil, fmt.Errorf("native: %w", ErrNotMachO)
	}
	defer func() {
		// debug/macho is hardened, but a hostile file must come out as
		// an error naming the stage, never a crash.
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("native: %w: reader panicked: %v", ErrBadMachO, p)
		}
	}()
	m = &MachO{Libraries: []string{}, Archs: []string{}}
	slice := b
	switch binary.BigEndian.Uint32(b) {
	case magicFat, magicFat64:
		off, size, archs, err := pickSlice(b)
		if err != nil {
			return nil, err
		}
		m.Archs = archs
		slice = b[off : off+size]
	}
	if err := checkExtents(slice); err != nil {
		return nil, err
	}
	f, err := macho.NewFile(bytes.NewReader(slice))
	if err != nil {
		return nil, fmt.Errorf("native: %w: %v", ErrBadMachO, err)
	}
	defer f.Close()
	arch := cpuName(f.Cpu, f.SubCpu)
	if len(m.Archs) == 0 {
		m.Archs = []string{arch}
	}
	m.Slice = arch
	m.Type = typeName(f.Type)
	if len(f.Loads) > lim.MaxLoadCommands {
		return nil, fmt.Errorf("native: %w: %d, limit %d", ErrTooManyLCs, len(f.Loads), lim.MaxLoadCommands)
	}
	readLoads(m, f, slice)
	if m.Encrypted {
		return m, nil
	}
	names := &nameSet{lim: lim, seen: map[string]bool{}}
	classNames(f, names, len(slice))
	classList(f, names, len(slice))
	if names.full {
		m.Notes = append(m.Notes, fmt.Sprintf("more class names than the limit (%d names, %d bytes): the rest were not kept", lim.MaxClasses, lim.MaxNameBytes))
	}
	m.Classes = names.list
	sort.Strings(m.Classes)
	for _, c := range m.Classes {
		if s, ok := DemangleSwiftClass(c); ok {
			m.SwiftTypes = append(m.SwiftTypes, s)
		}
	}
	sort.Strings(m.SwiftTypes)
	m.SwiftTypes = slices.Compact(m.SwiftTypes)
	return m, nil
}

// pickSlice finds the slice to read in a fat file and lists every
// slice's architecture. Offsets and sizes are checked against the file.
func pickSlice(b []byte) (off, size int, archs []string, err error) {
	wide := binary.BigEndian.Uint32(b) == magicFat64
	n := int(binary.BigEndian.Uint32(b[4:]))
	entry := 20
	if wide {
		entry = 32
	}
	if n <= 0 || n >= 32 || 8+n*entry > len(b) {
		return 0, 0, nil, fmt.Errorf("native: %w: fat header of %d slices in %d bytes", ErrBadMachO, n, len(b))
	}
	pick, pickRank := -1, 0
	type sl struct{ off, size int }
	slices := make([]sl, n)
	for i := 0; i < n; i++ {
		h := b[8+i*entry:]
		cpu, sub := macho.Cpu(binary.BigEndian.Uint32(h)), binary.BigEndian.Uint32(h[4:])
		var o, s uint64
		if wide {
			o, s = binary.BigEndian.Uint64(h[8:]), binary.BigEndian.Uint64(h[16:])
		} else {
			o, s = uint64(binary.BigEndian.Uint32(h[8:])), uint64(binary.BigEndian.Uint32(h[12:]))
		}
		name := cpuName(cpu, sub)
		archs = append(archs, name)
		if o > uint64(len(b)) || s > uint64(len(b))-o || s < 28 {
			continue
		}
		slices[i] = sl{int(o), int(s)}
		rank := 1
		switch name {
		case "arm64":
			rank = 3
		case "arm64e":
			rank = 2
		}
		if rank > pickRank {
			pick, pickRank = i, rank
		}
	}
	if pick < 0 {
		return 0, 0, archs, fmt.Errorf("native: %w: every slice lies outside the file", ErrNoSlice)
	}
	return slices[pick].off, slices[pick].size, archs, nil
}

// Load command numbers debug/macho does not name.
const (
	lcReqDyld          = 0x80000000
	lcLoadWeakDylib    = 0x18 | lcReqDyld
	lcReexportDylib    = 0x1f | lcReqDyld
	lcLazyLoadDylib    = 0x20
	lcLoadUpwardDylib  = 0x23 | lcReqDyld
	lcEncryptionInfo   = 0x21
	lcEncryptionInfo64 = 0x2c
	lcVersionMinIOS    = 0x25
	lcBuildVersion     = 0x32
	lcCodeSignature    = 0x1d
	platformIOS        = 2
)

// readLoads reads the load commands debug/macho leaves raw: the dylibs in
// every linking form, encryption, the minimum OS and the code signature's
// entitlements.
func readLoads(m *MachO, f *macho.File, file []byte) {
	bo := f.ByteOrder
	for _, l := range f.Loads {
		raw := l.Raw()
		if len(raw) < 8 {
			continue
		}
		cmd := bo.Uint32(raw)
		switch cmd {
		case uint32(macho.LoadCmdDylib), lcLoadWeakDylib, lcReexportDylib, lcLazyLoadDylib, lcLoadUpwardDylib:
			if len(raw) >= 24 {
				if o := bo.Uint32(raw[8:]); o >= 24 && int(o) < len(raw) {
					m.Libraries = append(m.Libraries, cstring(raw[o:]))
				}
			}
		case lcEncryptionInfo, lcEncryptionInfo64:
			if len(raw) >= 20 && bo.Uint32(raw[16:]) != 0 {
				m.Encrypted = true
			}
		case lcVersionMinIOS:
			if len(raw) >= 12 {
				m.MinOS = version(bo.Uint32(raw[8:]))
			}
		case lcBuildVersion:
			if len(raw) >= 16 && bo.Uint32(raw[8:]) == platformIOS {
				m.MinOS = version(bo.Uint32(raw[12:]))
			}
		case lcCodeSignature:
			if len(raw) >= 16 {
				off, size := bo.Uint32(raw[8:]), bo.Uint32(raw[12:])
				if uint64(off)+uint64(size) <= uint64(len(file)) {
					m.Entitlements = entitlements(file[off : off+size])
				}
			}
		}
	}
}

// entitlements finds the XML entitlements blob in a code signature
// SuperBlob (all big-endian: magic, length, count, then type/offset
// pairs).
func entitlements(sig []byte) []byte {
	const superBlob, entBlob = 0xfade0cc0, 0xfade7171
	if len(sig) < 12 || binary.BigEndian.Uint32(sig) != superBlob {
		return nil
	}
	n := binary.BigEndian.Uint32(sig[8:])
	for i := uint32(0); i < n && 12+8*uint64(i)+8 <= uint64(len(sig)); i++ {
		off := binary.BigEndian.Uint32(sig[12+8*i+4:])
		if uint64(off)+8 > uint64(len(sig)) {
			continue
		}
		blob := sig[off:]
		if binary.BigEndian.Uint32(blob) != entBlob {
			continue
		}
		length := binary.BigEndian.Uint32(blob[4:])
		if length < 8 || uint64(length) > uint64(len(blob)) {
			return nil
		}
		return bytes.Clone(blob[8:length])
	}
	return nil
}

func version(v uint32) string {
	s := strconv.Itoa(int(v>>16)) + "." + strconv.Itoa(int(v>>8&0xff))
	if p := v & 0xff; p != 0 {
		s += "." + strconv.Itoa(int(p))
	}
	return s
}

// nameSet collects distinct class names within the limits.
type nameSet struct {
	lim   MachOLimits
	seen  map[string]bool
	list  []string
	bytes int
	full  bool
}

func (s *nameSet) add(name string) {
	if name == "" || s.seen[name] || !printableName(name) {
		return
	}
	if len(s.list) >= s.lim.MaxClasses || s.bytes+len(name) > s.lim.MaxNameBytes {
		s.full = true
		return
	}
	s.seen[name] = true
	s.list = append(s.list, name)
	s.bytes += len(name)
}

// printableName keeps binary junk out of the class list: runtime class
// names are printable ASCII (Swift's mangled names included).
func printableName(s string) bool {
	if len(s) > 1024 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// classNames reads the NUL-separated names of __TEXT,__objc_classname,
// where the linker pools the names of the file's classes (and of the
// protocols they adopt).
func classNames(f *macho.File, names *nameSet, size int) {
	for _, s := range f.Sections {
		if s.Name != "__objc_classname" || !inFile(s, size) {
			continue
		}
		data, err := s.Data()
		if err != nil {
			continue
		}
		for _, n := range bytes.Split(data, []byte{0}) {
			names.add(string(n))
		}
	}
}

// classList follows __objc_classlist: each entry points at a class_t
// whose data word points at a class_ro_t whose name field points at the
// class's name. Pointers may be chained-fixup encoded (iOS 15+): the low
// 36 bits hold the target, as an address or as an offset from the image
// base.
func classList(f *macho.File, names *nameSet, size int) {
	if f.Magic != macho.Magic64 {
		return
	}
	var list *macho.Section
	for _, s := range f.Sections {
		if s.Name == "__objc_classlist" {
			list = s
			break
		}
	}
	if list == nil || !inFile(list, size) {
		return
	}
	data, err := list.Data()
	if err != nil {
		return
	}
	var base uint64
	if t := f.Segment("__TEXT"); t != nil {
		base = t.Addr
	}
	bo := f.ByteOrder
	segs := segments(f)
	read := func(addr uint64, n int) []byte {
		addr = resolve(segs, addr, base)
		for _, s := range segs {
			if addr >= s.Addr && addr-s.Addr < s.Filesz {
				rel := addr - s.Addr
				want := min(uint64(n), s.Filesz-rel)
				buf := make([]byte, want)
				k, _ := s.ReadAt(buf, int64(rel))
				return buf[:k]
			}
		}
		return nil
	}
	ptr := func(addr uint64, at int) (uint64, bool) {
		b := read(addr, at+8)
		if len(b) < at+8 {
			return 0, false
		}
		return bo.Uint64(b[at:]), true
	}
	for i := 0; i+8 <= len(data); i += 8 {
		cls := bo.Uint64(data[i:])
		ro, ok := ptr(cls, 32)
		if !ok {
			continue
		}
		// Swift classes keep flag bits in the low bits of the data word.
		ro &^= 7
		name, ok := ptr(ro, 24)
		if !ok {
			continue
		}
		if b := read(name, 1024); b != nil {
			names.add(cstring(b))
		}
	}
}

// resolve turns a pointer as stored (possibly a chained fixup) into an
// address inside the image.
func resolve(segs []*macho.Segment, v, base uint64) uint64 {
	if inImage(segs, v) {
		return v
	}
	t := v & (1<<36 - 1)
	if inImage(segs, t) {
		return t
	}
	return t + base
}

func segments(f *macho.File) []*macho.Segment {
	var out []*macho.Segment
	for _, l := range f.Loads {
		if s, ok := l.(*macho.Segment); ok {
			out = append(out, s)
		}
	}
	return out
}

func inImage(segs []*macho.Segment, addr uint64) bool {
	for _, s := range segs {
		if addr >= s.Addr && addr-s.Addr < s.Memsz && s.Filesz > 0 {
			return true
		}
	}
	return false
}

func cstring(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// DemangleSwiftClass reads the runtime name of a Swift class in its
// simple form, _TtC<len><module><len><name> (also _TtCC… for one level
// of nesting), as "Module.Name". Other mangled names are left alone.
func DemangleSwiftClass(s string) (string, bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "_TtCC"):
		rest = s[5:]
	case strings.HasPrefix(s, "_TtC"):
		rest = s[4:]
	default:
		return "", false
	}
	var parts []string
	for rest != "" && len(parts) < 4 {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i > 4 {
			return "", false
		}
		n, _ := strconv.Atoi(rest[:i])
		if n <= 0 || i+n > len(rest) {
			return "", false
		}
		parts = append(parts, rest[i:i+n])
		rest = rest[i+n:]
	}
	if rest != "" || len(parts) < 2 {
		return "", false
	}
	return strings.Join(parts, "."), true
}

func cpuName(c macho.Cpu, sub uint32) string {
	switch c {
	case macho.CpuArm64:
		if sub&0xff == 2 {
			return "arm64e"
		}
		return "arm64"
	case macho.CpuArm:
		switch sub & 0xff {
		case 9:
			return "armv7"
		case 11:
			return "armv7s"
		}
		return "arm"
	case macho.CpuAmd64:
		return "x86_64"
	case macho.Cpu386:
		return "i386"
	case macho.CpuPpc, macho.CpuPpc64:
		return "ppc"
	}
	return fmt.Sprintf("cpu-%d", uint32(c))
}

func typeName(t macho.Type) string {
	switch t {
	case macho.TypeExec:
		return "execute"
	case macho.TypeDylib:
		return "dylib"
	case macho.TypeBundle:
		return "bundle"
	case macho.TypeObj:
		return "object"
	}
	return fmt.Sprintf("type-%d", uint32(t))
}

// inFile reports whether a section's data lies inside the file: only then
// is it read (debug/macho would otherwise allocate in 10 MB chunks for a
// size that the file cannot hold before finding out).
func inFile(s *macho.Section, size int) bool {
	return uint64(s.Offset) <= uint64(size) && s.Size <= uint64(size)-uint64(s.Offset)
}

// checkExtents refuses a file whose load commands place relocations,
// symbols, strings or indirect symbols outside it, before debug/macho
// reads them: no real file does, and each such read would allocate in
// 10 MB chunks before it failed.
func checkExtents(b []byte) error {
	if len(b) < 28 {
		return fmt.Errorf("native: %w: %d bytes, smaller than a header", ErrBadMachO, len(b))
	}
	var bo binary.ByteOrder = binary.LittleEndian
	magic := binary.LittleEndian.Uint32(b)
	if magic != 0xfeedface && magic != 0xfeedfacf {
		bo = binary.BigEndian
		magic = binary.BigEndian.Uint32(b)
	}
	wide := magic == 0xfeedfacf
	hdr := 28
	if wide {
		hdr = 32
	}
	n, sizeofcmds := bo.Uint32(b[16:]), bo.Uint32(b[20:])
	size := uint64(len(b))
	if uint64(hdr)+uint64(sizeofcmds) > size {
		return fmt.Errorf("native: %w: load commands run past the end of the file", ErrBadMachO)
	}
	within := func(off, count, unit uint64) bool {
		return count == 0 || off <= size && count <= (size-off)/unit
	}
	bad := func(what string) error {
		return fmt.Errorf("native: %w: %s lie outside the file", ErrBadMachO, what)
	}
	lcs := b[hdr : uint64(hdr)+uint64(sizeofcmds)]
	for i := uint32(0); i < n && len(lcs) >= 8; i++ {
		cmd, cmdsize := bo.Uint32(lcs), bo.Uint32(lcs[4:])
		if cmdsize < 8 || uint64(cmdsize) > uint64(len(lcs)) {
			return nil // debug/macho reports it
		}
		c := lcs[:cmdsize]
		switch {
		case cmd == 0x19 && len(c) >= 72, cmd == 0x1 && len(c) >= 56:
			first, entry, nsectAt, relAt := 72, 80, 64, 56
			if cmd == 0x1 {
				first, entry, nsectAt, relAt = 56, 68, 48, 40
			}
			nsect := uint64(bo.Uint32(c[nsectAt:]))
			for k := uint64(0); k < nsect && uint64(first)+(k+1)*uint64(entry) <= uint64(len(c)); k++ {
				sec := c[uint64(first)+k*uint64(entry):]
				if !within(uint64(bo.Uint32(sec[relAt:])), uint64(bo.Uint32(sec[relAt+4:])), 8) {
					return bad("section relocations")
				}
			}
		case cmd == 0x2 && len(c) >= 24:
			unit := uint64(12)
			if wide {
				unit = 16
			}
			if !within(uint64(bo.Uint32(c[8:])), uint64(bo.Uint32(c[12:])), unit) || !within(uint64(bo.Uint32(c[16:])), uint64(bo.Uint32(c[20:])), 1) {
				return bad("symbols or strings")
			}
		case cmd == 0xb && len(c) >= 64:
			if !within(uint64(bo.Uint32(c[56:])), uint64(bo.Uint32(c[60:])), 4) {
				return bad("indirect symbols")
			}
		}
		lcs = lcs[cmdsize:]
	}
	return nil
}
