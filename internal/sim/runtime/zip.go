package runtime

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// maxUnzippedBytes is Lambda's quota on a deployment package's unzipped size (250 MB); AWS refuses
// larger packages with "Unzipped size must be smaller than 262144000 bytes".
const maxUnzippedBytes = 262144000

// maxSymlinkHops bounds link resolution, as the kernel's own limit (40) does.
const maxSymlinkHops = 40

func invalidZip(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidZip, fmt.Sprintf(format, args...))
}

type entryKind int

const (
	entryDir entryKind = iota
	entryFile
	entryLink
)

type zipEntry struct {
	f      *zip.File
	name   string // cleaned, slash-separated, relative
	kind   entryKind
	target string // symlink target, as written
}

// ValidateZip checks a deployment package the way CreateFunction must: it is a readable zip (every
// entry's checksum is verified), its unzipped size is within Lambda's quota, and no entry can land
// outside the directory it is extracted into, directly (absolute paths, "..") or through a
// symbolic link in the archive. Every refusal wraps ErrInvalidZip.
func ValidateZip(data []byte) error {
	entries, err := planZip(data)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.kind != entryFile {
			continue
		}
		rc, err := e.f.Open()
		if err != nil {
			return invalidZip("%s: %v", e.f.Name, err)
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return invalidZip("%s: %v", e.f.Name, err)
		}
	}
	return nil
}

// ExtractZip extracts a deployment package into dir, which must be empty or absent. File modes are
// kept, so a bootstrap stays executable. It refuses, with ErrInvalidZip, everything ValidateZip
// refuses, and writes nothing outside dir even for a package it refuses midway.
func ExtractZip(data []byte, dir string) error {
	entries, err := planZip(data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if existing, err := os.ReadDir(dir); err != nil {
		return err
	} else if len(existing) > 0 {
		// Links already in dir would let an entry escape; only a fresh directory is safe.
		return fmt.Errorf("extracting into %s: directory is not empty", dir)
	}
	// Links last: while files are written no link exists yet, so no write can follow one.
	sort.SliceStable(entries, func(i, j int) bool {
		return entries[i].kind != entryLink && entries[j].kind == entryLink
	})
	for _, e := range entries {
		dst := filepath.Join(dir, filepath.FromSlash(e.name))
		switch e.kind {
		case entryDir:
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
		case entryFile:
			if err := extractFile(e.f, dst); err != nil {
				return err
			}
		case entryLink:
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(e.target, dst); err != nil {
				return err
			}
		}
	}
	return nil
}

func extractFile(f *zip.File, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return invalidZip("%s: %v", f.Name, err)
	}
	defer rc.Close()
	perm := f.Mode().Perm()
	if perm == 0 {
		perm = 0o644
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	// archive/zip fails the read past the declared size or on a bad checksum.
	if _, err := io.Copy(out, rc); err != nil {
		out.Close()
		return invalidZip("%s: %v", f.Name, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	// Chmod after writing: the umask must not strip the executable bit a bootstrap needs.
	return os.Chmod(dst, perm)
}

// planZip reads the archive's directory and decides where every entry goes, refusing any that would
// escape. It does not read file contents, except symlink targets.
func planZip(data []byte) ([]zipEntry, error) {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalidZip("%v", err)
	}
	var (
		entries []zipEntry
		total   uint64
		kinds   = map[string]entryKind{}
		links   = map[string]string{}
	)
	for _, f := range r.File {
		name, err := cleanEntryName(f.Name)
		if err != nil {
			return nil, err
		}
		if name == "" {
			continue // "./": the root itself
		}
		total += f.UncompressedSize64
		if total > maxUnzippedBytes || total < f.UncompressedSize64 {
			return nil, invalidZip("unzipped size must be smaller than %d bytes", maxUnzippedBytes)
		}
		mode := f.Mode()
		e := zipEntry{f: f, name: name}
		switch {
		case mode&fs.ModeSymlink != 0:
			target, err := readLinkTarget(f)
			if err != nil {
				return nil, err
			}
			e.kind, e.target = entryLink, target
			links[name] = target
		case mode.IsDir():
			e.kind = entryDir
		case mode.IsRegular():
			e.kind = entryFile
		default:
			return nil, invalidZip("%s: unsupported file type %v", f.Name, mode.Type())
		}
		if prev, seen := kinds[name]; seen && (prev != e.kind || e.kind == entryLink) {
			return nil, invalidZip("%s: appears twice with different types", f.Name)
		}
		kinds[name] = e.kind
		entries = append(entries, e)
	}
	// Parent directories must be directories: not files, and not links, since a write through a link
	// would land where the link points rather than where the name says.
	for _, e := range entries {
		for dir := path.Dir(e.name); dir != "."; dir = path.Dir(dir) {
			switch k, seen := kinds[dir]; {
			case !seen:
				kinds[dir] = entryDir
			case k == entryLink:
				return nil, invalidZip("%s: path goes through symbolic link %s", e.f.Name, dir)
			case k == entryFile:
				return nil, invalidZip("%s: parent %s is a file", e.f.Name, dir)
			}
		}
	}
	for name, target := range links {
		hops := 0
		if _, ok := resolveInside(name, links, &hops); !ok {
			return nil, invalidZip("%s: symbolic link to %q points outside the package", name, target)
		}
	}
	return entries, nil
}

// cleanEntryName makes an entry name relative and slash-separated, refusing names that start outside
// the extraction directory. Backslashes count as separators: zips made on Windows use them, and a
// "..\\" must not slip past the check.
func cleanEntryName(name string) (string, error) {
	if strings.ContainsRune(name, 0) {
		return "", invalidZip("%q: NUL in file name", name)
	}
	slashed := strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(slashed, "/") || hasVolume(slashed) {
		return "", invalidZip("%s: absolute path", name)
	}
	clean := path.Clean(slashed)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", invalidZip("%s: path escapes the package", name)
	}
	if clean == "." {
		return "", nil
	}
	return clean, nil
}

// hasVolume spots a Windows drive ("C:", "C:/..."); "a:b" stays an ordinary Linux name.
func hasVolume(p string) bool {
	if len(p) < 2 || p[1] != ':' || p[0]|0x20 < 'a' || p[0]|0x20 > 'z' {
		return false
	}
	return len(p) == 2 || p[2] == '/' || p[2] == '\\'
}

func readLinkTarget(f *zip.File) (string, error) {
	if f.UncompressedSize64 > 4096 {
		return "", invalidZip("%s: symbolic link target too long", f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return "", invalidZip("%s: %v", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 4097))
	if err != nil {
		return "", invalidZip("%s: %v", f.Name, err)
	}
	target := string(b)
	switch {
	case target == "" || strings.ContainsRune(target, 0):
		return "", invalidZip("%s: invalid symbolic link target", f.Name)
	case strings.HasPrefix(target, "/") || strings.HasPrefix(target, `\`) || hasVolume(target):
		return "", invalidZip("%s: symbolic link to absolute path %q", f.Name, target)
	}
	return target, nil
}

// resolveInside follows p through the archive's links as the kernel would, component by component,
// and reports whether it stays inside the root. A purely lexical check is not enough: with "s -> ."
// in the archive, "s/l -> .." looks like it points at the root but points above it.
func resolveInside(p string, links map[string]string, hops *int) (string, bool) {
	var cur []string
	for _, c := range strings.Split(p, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			if len(cur) == 0 {
				return "", false
			}
			cur = cur[:len(cur)-1]
			continue
		}
		cur = append(cur, c)
		target, isLink := links[strings.Join(cur, "/")]
		if !isLink {
			continue
		}
		if *hops++; *hops > maxSymlinkHops {
			return "", false
		}
		base := strings.Join(cur[:len(cur)-1], "/")
		resolved, ok := resolveInside(base+"/"+strings.ReplaceAll(target, `\`, "/"), links, hops)
		if !ok {
			return "", false
		}
		cur = nil
		if resolved != "" {
			cur = strings.Split(resolved, "/")
		}
	}
	return strings.Join(cur, "/"), true
}

// codeDir returns the directory holding the function's extracted package, extracting it on first
// use. Packages are shared by every environment (and function) with the same code, as AWS caches
// code by its hash.
func (m *Manager) codeDir(work string, fn FunctionSpec) (string, error) {
	sum, err := base64.StdEncoding.DecodeString(fn.CodeSHA256)
	if err != nil || len(sum) != sha256.Size {
		return "", fmt.Errorf("code SHA-256 %q is not base64 of a SHA-256 digest", fn.CodeSHA256)
	}
	root := filepath.Join(work, "code")
	dir := filepath.Join(root, hex.EncodeToString(sum))

	m.codeMu.Lock()
	defer m.codeMu.Unlock()
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if fn.Code == nil {
		return "", errors.New("no code to load")
	}
	data, err := fn.Code()
	if err != nil {
		return "", fmt.Errorf("loading code: %w", err)
	}
	if got := sha256.Sum256(data); !bytes.Equal(got[:], sum) {
		return "", fmt.Errorf("code does not match its SHA-256 %s", fn.CodeSHA256)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	// Extract beside the final name and rename, so a crash never leaves a half package in the cache.
	tmp, err := os.MkdirTemp(root, ".extract-")
	if err != nil {
		return "", err
	}
	if err := ExtractZip(data, tmp); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	return dir, nil
}
